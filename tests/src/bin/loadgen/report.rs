//! The final report: throughput and latency per phase, service/baseline ratios against their targets, the
//! propagation latency, and what each phase cost (CPU per call, PostgreSQL backend states).

use hdrhistogram::Histogram;

use crate::driver::PhaseResult;
use crate::propagation::Propagation;

/// Throughput target: service at least this share of the direct-SQL baseline.
pub const RATIO_TARGET: f64 = 0.70;
/// Propagation p99 target, ms.
pub const PROPAGATION_TARGET_MS: f64 = 10.0;
/// Propagation p99 beyond this is a failure, ms.
pub const PROPAGATION_FAIL_MS: f64 = 50.0;

/// Width of the phase column.
const W: usize = 52;

enum Line {
    Phase(PhaseResult),
    Ratio { what: String, service: f64, baseline: f64, against: String },
    Propagation(Box<Propagation>),
    Note(String),
}

/// Lines collected as the run goes.
#[derive(Default)]
pub struct Report {
    lines: Vec<Line>,
}

fn ms(hist: &Histogram<u64>, q: f64) -> f64 {
    hist.value_at_quantile(q) as f64 / 1000.0
}

impl Report {
    /// A measured phase.
    pub fn phase(&mut self, phase: PhaseResult) {
        self.lines.push(Line::Phase(phase));
    }

    /// The throughput ratio of a service phase to the fastest of its baseline phases (all already added).
    pub fn ratio(&mut self, what: &str, service: &str, baselines: &[&str]) {
        let rate = |name: &str| {
            self.lines
                .iter()
                .find_map(|l| match l {
                    Line::Phase(p) if p.name == name => Some(p.rate()),
                    _ => None,
                })
                .unwrap_or(0.0)
        };
        let service = rate(service);
        let (baseline, against) = baselines
            .iter()
            .map(|name| (rate(name), name.to_string()))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or_default();
        self.lines.push(Line::Ratio { what: what.to_string(), service, baseline, against });
    }

    /// The propagation samples.
    pub fn propagation(&mut self, p: Propagation) {
        self.lines.push(Line::Propagation(Box::new(p)));
    }

    /// A line of text in the main table.
    pub fn note(&mut self, text: impl Into<String>) {
        self.lines.push(Line::Note(text.into()));
    }

    /// Prints everything to stdout.
    pub fn print(&self, seconds: u64, concurrency: usize) {
        let rule = "-".repeat(112);
        println!("\nFINAL REPORT  ({concurrency} concurrent callers, {seconds} s per phase after a 1 s warm-up)");
        println!("{rule}");
        println!("{:<W$} {:>10} {:>9} {:>9} {:>8}  verdict", "phase", "req/s", "p50 ms", "p99 ms", "errors");
        println!("{rule}");
        for line in &self.lines {
            match line {
                Line::Phase(p) => {
                    println!("{:<W$} {:>10.0} {:>9.2} {:>9.2} {:>8}", p.name, p.rate(), p.ms(0.5), p.ms(0.99), p.errors)
                }
                Line::Ratio { what, service, baseline, against } => {
                    let ratio = if *baseline > 0.0 { service / baseline } else { 0.0 };
                    let verdict = if ratio >= RATIO_TARGET { "PASS" } else { "MISS" };
                    let against = if against.contains("busy_timeout") { " (vs busy_timeout only)" } else { "" };
                    println!(
                        "{:<W$} {:>10.2} {:>29}  {verdict} (target ≥ {RATIO_TARGET:.2}){against}",
                        format!("  → throughput service/baseline, {what}"),
                        ratio,
                        ""
                    );
                }
                Line::Propagation(p) => print_propagation(p),
                Line::Note(text) => println!("{text}"),
            }
        }
        println!("{rule}");
        for line in &self.lines {
            if let Line::Phase(p) = line
                && let Some(e) = &p.first_error
            {
                println!("first error in {}: {e}", p.name);
            }
        }
        self.print_usage();
    }

    fn print_usage(&self) {
        let phases: Vec<&PhaseResult> = self
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Phase(p) => Some(p),
                Line::Propagation(p) => Some(&p.phase),
                _ => None,
            })
            .collect();
        println!(
            "\nCOST PER CALL  (CPU µs per successful call, from /proc; busy = average busy cores of the machine, irq = \
             of which interrupts/softirqs; then the largest other users, in cores)"
        );
        println!("{:<W$} {:>5} {:>5}  cpu µs/call by process  || others, cores", "phase", "busy", "irq");
        for p in &phases {
            let u = &p.usage;
            let cpu: Vec<String> = u.cpu_per_call.iter().map(|(label, us)| format!("{label} {us:.0}")).collect();
            let others: Vec<String> = u.others.iter().map(|(name, cores)| format!("{name} {cores:.2}")).collect();
            println!(
                "{:<W$} {:>5.2} {:>5.2}  {}  || {}",
                p.name,
                u.busy_cores,
                u.irq_cores,
                cpu.join(", "),
                others.join(", ")
            );
        }
        println!(
            "\nPOSTGRESQL BACKENDS  (average number of backends per database, state and wait event; sampled every 20 ms)"
        );
        for p in phases.iter().filter(|p| !p.usage.backends.is_empty()) {
            let top: Vec<String> = p.usage.backends.iter().take(6).map(|(key, n)| format!("{key} {n:.1}")).collect();
            println!("{:<W$} {}", p.name, top.join(" | "));
        }
    }
}

fn print_propagation(p: &Propagation) {
    let verdict = |p99: f64| {
        if p99 <= PROPAGATION_TARGET_MS {
            "PASS".to_string()
        } else if p99 <= PROPAGATION_FAIL_MS {
            format!("MISS (target p99 ≤ {PROPAGATION_TARGET_MS} ms)")
        } else {
            format!("FAIL (p99 > {PROPAGATION_FAIL_MS} ms)")
        }
    };
    let row = |name: &str, hist: &Histogram<u64>, verdict: String| {
        println!(
            "{:<W$} {:>10.0} {:>9.2} {:>9.2} {:>8}  max {:.2} ms, n={}  {verdict}",
            name,
            p.rate,
            ms(hist, 0.5),
            ms(hist, 0.99),
            p.lost,
            hist.max() as f64 / 1000.0,
            hist.len()
        )
    };
    row("PG  approved→JobQueued (workshop feed)", &p.job, verdict(ms(&p.job, 0.99)));
    row("PG  approved→RepairOrderApproved (floor)", &p.floor, "(reception's own feed)".to_string());
    row("PG  ApproveEstimate call", &p.approve, String::new());
    println!(
        "{:<W$} {:>10} {:>9.2} {:>9.2}  (what workshop's consumer hop adds to the floor)",
        "  consumer hop: job − floor",
        "",
        ms(&p.job, 0.5) - ms(&p.floor, 0.5),
        ms(&p.job, 0.99) - ms(&p.floor, 0.99)
    );
}
