//! Workshop KPIs over the jobs that became ready in a period (formulas also in `workshop/v1/jobs.proto`,
//! `KpiFigures`):
//!
//! - R = jobs ready in the period; W = those that failed at least one inspection; F = their failed inspections;
//! - **rework rate** = W / R; a job reworked twice counts once in W and twice in F;
//! - O = jobs ready at or before the time promised **when the order was approved**; **on-time ready rate** = O / R
//!   (a delay report moves the promise but does not make a late job on time);
//! - K = jobs ready at or before their promise as moved by delay reports; **within revised promise** = K / R;
//! - rates in basis points (0..=10000), rounded half up; a rate over no jobs is 0;
//! - per technician: the same figures over the jobs they held when the job became ready.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::job::TechnicianRef;

/// The facts of one ready job the KPIs need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyJob {
    /// Who held it when it became ready.
    pub technician: Option<TechnicianRef>,
    /// When it became ready.
    pub ready_at: DateTime<Utc>,
    /// The promise at approval.
    pub initially_promised_at: DateTime<Utc>,
    /// The promise as moved by delay reports.
    pub promised_at: DateTime<Utc>,
    /// Failed inspections.
    pub rework_count: u32,
}

/// The figures of a set of ready jobs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// R.
    pub jobs_ready: u32,
    /// W.
    pub jobs_reworked: u32,
    /// F.
    pub failed_inspections: u32,
    /// O.
    pub jobs_on_time: u32,
    /// K.
    pub jobs_within_revised_promise: u32,
}

impl Figures {
    /// Counts one job in.
    fn add(&mut self, job: &ReadyJob) {
        self.jobs_ready += 1;
        self.jobs_reworked += u32::from(job.rework_count > 0);
        self.failed_inspections += job.rework_count;
        self.jobs_on_time += u32::from(job.ready_at <= job.initially_promised_at);
        self.jobs_within_revised_promise += u32::from(job.ready_at <= job.promised_at);
    }

    /// W / R in basis points.
    pub fn rework_rate_bp(&self) -> u32 {
        basis_points(self.jobs_reworked, self.jobs_ready)
    }

    /// O / R in basis points.
    pub fn on_time_ready_rate_bp(&self) -> u32 {
        basis_points(self.jobs_on_time, self.jobs_ready)
    }

    /// K / R in basis points.
    pub fn within_revised_promise_rate_bp(&self) -> u32 {
        basis_points(self.jobs_within_revised_promise, self.jobs_ready)
    }
}

/// The KPIs of a period: overall and per technician (by technician id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kpis {
    /// Every job.
    pub overall: Figures,
    /// Per technician who held a job when it became ready.
    pub by_technician: BTreeMap<TechnicianRef, Figures>,
}

impl Kpis {
    /// The KPIs of these ready jobs.
    pub fn of(jobs: &[ReadyJob]) -> Kpis {
        let mut kpis = Kpis::default();
        for job in jobs {
            kpis.overall.add(job);
            if let Some(technician) = job.technician {
                kpis.by_technician.entry(technician).or_default().add(job);
            }
        }
        kpis
    }
}

/// `part / whole` in basis points, rounded half up; 0 when `whole` is 0.
pub fn basis_points(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    let (part, whole) = (u64::from(part), u64::from(whole));
    ((part * 20_000 + whole) / (2 * whole)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, hour, minute, 0).unwrap()
    }

    /// A ready job: ready at `ready`, promised at `promised` (revised to `revised`), reworked `rework` times.
    fn job(
        technician: TechnicianRef,
        ready: (u32, u32),
        promised: (u32, u32),
        revised: (u32, u32),
        rework: u32,
    ) -> ReadyJob {
        ReadyJob {
            technician: Some(technician),
            ready_at: at(ready.0, ready.1),
            initially_promised_at: at(promised.0, promised.1),
            promised_at: at(revised.0, revised.1),
            rework_count: rework,
        }
    }

    #[test]
    fn basis_points_round_half_up_and_are_zero_over_nothing() {
        assert_eq!(basis_points(1, 3), 3333);
        assert_eq!(basis_points(2, 3), 6667);
        assert_eq!(basis_points(1, 8), 1250);
        assert_eq!(basis_points(1, 20_000), 1, "0.5 bp rounds up");
        assert_eq!(basis_points(0, 0), 0);
        assert_eq!(basis_points(7, 7), 10_000);
    }

    /// The fixed data set, computed by hand:
    ///
    /// | job | tech | ready | promised | revised | rework |
    /// |-----|------|-------|----------|---------|--------|
    /// | 1   | A    | 11:00 | 12:00    | 12:00   | 0      | on time, within
    /// | 2   | A    | 15:00 | 14:00    | 16:00   | 2      | late, within revised, reworked (2 failures)
    /// | 3   | A    | 12:00 | 12:00    | 12:00   | 0      | on time (exactly at the promise)
    /// | 4   | B    | 17:30 | 17:00    | 17:00   | 1      | late, not within, reworked
    /// | 5   | B    | 09:00 | 10:00    | 10:00   | 0      | on time, within
    /// | 6   | B    | 10:01 | 10:00    | 10:00   | 0      | late by a minute
    ///
    /// Overall: R = 6, W = 2 (jobs 2, 4), F = 3, O = 3 (1, 3, 5), K = 4 (1, 2, 3, 5).
    /// Rework rate 2/6 = 3333 bp; on time 3/6 = 5000 bp; within revised 4/6 = 6667 bp.
    /// A: R = 3, W = 1, F = 2, O = 2, K = 3 → 3333, 6667, 10000. B: R = 3, W = 1, F = 1, O = 1, K = 1 → 3333,
    /// 3333, 3333.
    #[test]
    fn the_fixed_data_set_gives_the_hand_computed_figures() {
        let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let jobs = [
            job(a, (11, 0), (12, 0), (12, 0), 0),
            job(a, (15, 0), (14, 0), (16, 0), 2),
            job(a, (12, 0), (12, 0), (12, 0), 0),
            job(b, (17, 30), (17, 0), (17, 0), 1),
            job(b, (9, 0), (10, 0), (10, 0), 0),
            job(b, (10, 1), (10, 0), (10, 0), 0),
        ];
        let kpis = Kpis::of(&jobs);
        let overall = kpis.overall;
        assert_eq!((overall.jobs_ready, overall.jobs_reworked, overall.failed_inspections), (6, 2, 3));
        assert_eq!((overall.jobs_on_time, overall.jobs_within_revised_promise), (3, 4));
        assert_eq!(
            (overall.rework_rate_bp(), overall.on_time_ready_rate_bp(), overall.within_revised_promise_rate_bp()),
            (3333, 5000, 6667)
        );
        let a_figures = kpis.by_technician[&a];
        assert_eq!((a_figures.jobs_ready, a_figures.jobs_reworked, a_figures.failed_inspections), (3, 1, 2));
        assert_eq!(
            (a_figures.rework_rate_bp(), a_figures.on_time_ready_rate_bp(), a_figures.within_revised_promise_rate_bp()),
            (3333, 6667, 10_000)
        );
        let b_figures = kpis.by_technician[&b];
        assert_eq!(
            (b_figures.rework_rate_bp(), b_figures.on_time_ready_rate_bp(), b_figures.within_revised_promise_rate_bp()),
            (3333, 3333, 3333)
        );
    }

    #[test]
    fn no_jobs_give_zero_rates() {
        let kpis = Kpis::of(&[]);
        assert_eq!(kpis.overall, Figures::default());
        assert_eq!(kpis.overall.rework_rate_bp(), 0);
        assert!(kpis.by_technician.is_empty());
    }
}
