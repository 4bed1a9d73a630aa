//! The assignment decision's cost in one dealer at 200 technicians and 2,000 open jobs (issue #4's benchmark):
//! one suggestion for one job, and planning the whole waiting queue (what automatic assignment and the foreman's
//! queue do). The baseline of the same run is a plain scan over the candidates that only reads their load (no
//! skill check), so the figures read as ratios: how much the rules cost over touching the data at all.
//!
//! `cargo bench -p aftersales-workshop --bench assignment` (also run by `make bench`).

use std::hint::black_box;

use aftersales_kernel::Hundredths;
use aftersales_workshop::domain::assignment::{Candidate, Requirement, plan, suggest};
use aftersales_workshop::domain::skills::Skills;
use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

const FAMILIES: [&str; 8] = ["engine", "electrical", "body", "brakes", "transmission", "hvac", "chassis", "paint"];

/// A deterministic pseudo-random sequence (no dependency, the same crew every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

fn crew(size: usize, rng: &mut Lcg) -> Vec<Candidate> {
    let start = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
    (0..size)
        .map(|i| {
            let mut levels = Vec::new();
            for family in FAMILIES {
                if rng.next(3) > 0 {
                    levels.push((family, 1 + rng.next(5) as u8));
                }
            }
            let skills = Skills::from_levels(levels);
            Candidate {
                technician: format!("tech-{i:04}"),
                on_shift: rng.next(10) < 8,
                skills,
                remaining_hours: Hundredths::from_hundredths(rng.next(1_600) as i64).unwrap(),
                idle_since: start + Duration::minutes(rng.next(240) as i64),
            }
        })
        .collect()
}

fn queue(size: usize, rng: &mut Lcg) -> Vec<(Requirement, Hundredths)> {
    (0..size)
        .map(|_| {
            let count = 1 + rng.next(3);
            let operations: Vec<_> =
                (0..count).map(|_| (FAMILIES[rng.next(8) as usize], 1 + rng.next(4) as u8)).collect();
            (Requirement::new(operations), Hundredths::from_hundredths(50 + rng.next(400) as i64).unwrap())
        })
        .collect()
}

fn assignment(c: &mut Criterion) {
    let mut rng = Lcg(42);
    let candidates = crew(200, &mut rng);
    let jobs = queue(2_000, &mut rng);
    let mut group = c.benchmark_group("assignment (200 technicians, 2000 open jobs)");
    group.bench_function("baseline: scan 200 loads", |b| {
        b.iter(|| black_box(&candidates).iter().map(|c| c.remaining_hours).min())
    });
    group.bench_function("suggest one job", |b| b.iter(|| suggest(black_box(&jobs[0].0), black_box(&candidates))));
    group.sample_size(20);
    group.bench_function("plan the whole queue", |b| b.iter(|| plan(black_box(&jobs), black_box(&candidates))));
    group.finish();
}

criterion_group!(benches, assignment);
criterion_main!(benches);
