//! Assignment (派工): which technician the system suggests for a job, and the order jobs are offered in.
//!
//! Rules (DOMAIN.md, Workshop 3):
//!
//! - **Who may be suggested**: only a technician who is **on shift** and whose skills cover **every** operation of
//!   the job (each operation's catalogue skill family at or above its minimum level). One missing family, or one
//!   level short, rules the technician out.
//! - **Who is suggested**: among those, the one with the **least remaining estimated work** (estimated hours of the
//!   jobs assigned to them and not finished). Ties go to the one **idle longest** (earliest `idle_since`: when their
//!   last job finished or their shift started); remaining ties to the smallest technician id, so the same facts
//!   always give the same suggestion.
//! - **Nobody qualifies**: there is no suggestion ([`None`]); the job waits visibly in the queue and is offered
//!   again when a qualified technician comes on shift.
//! - The suggestion carries its **reason** in words, so the foreman can see why, and an override can record what was
//!   suggested. The foreman (or automatic assignment) decides; this module only suggests.
//! - **Queue order**: urgent/safety jobs first (they must start within 30 minutes), then by approval time, oldest
//!   first, then by job id.

use std::cmp::{Ordering, Reverse};

use aftersales_kernel::{Hundredths, JobId};
use chrono::{DateTime, Utc};

use super::job::Job;
use super::skills::Skills;

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

/// A technician, by the staff member's token subject.
pub type TechnicianId = String;

/// What a job needs: per skill family, the minimum level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    /// `(skill family, minimum level)` per operation; a family may appear more than once.
    pub operations: Vec<(String, u8)>,
}

/// Why a job's requirement cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequirementError {
    /// An operation's code is not in the catalogue.
    #[error("operation {0} is not in the catalogue")]
    UnknownOperation(String),
}

impl Requirement {
    /// A requirement from `(skill family, minimum level)` pairs, folded to one entry per family at the highest
    /// minimum (a job needing engine ≥ 2 and engine ≥ 4 needs engine ≥ 4), in family order.
    pub fn new<F: Into<String>>(operations: impl IntoIterator<Item = (F, u8)>) -> Requirement {
        let mut folded = std::collections::BTreeMap::<String, u8>::new();
        for (family, min_level) in operations {
            let held = folded.entry(family.into()).or_insert(min_level);
            *held = (*held).max(min_level);
        }
        Requirement { operations: folded.into_iter().collect() }
    }

    /// A job's requirement: each operation's skill family and minimum level, looked up in the operation catalogue
    /// by `skill_of(operation_code)`. An operation missing from the catalogue is refused, not skipped: the job
    /// would otherwise be suggested to someone who may not be able to do it.
    pub fn for_job(
        job: &Job,
        skill_of: impl Fn(&str) -> Option<(String, u8)>,
    ) -> Result<Requirement, RequirementError> {
        let operations = job
            .operations
            .iter()
            .map(|op| {
                skill_of(&op.operation_code)
                    .ok_or_else(|| RequirementError::UnknownOperation(op.operation_code.clone()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Requirement::new(operations))
    }

    /// Whose skills cover every operation.
    pub fn is_covered_by(&self, skills: &Skills) -> bool {
        skills.covers(&self.operations)
    }

    /// The requirement in words, e.g. `engine ≥ 3, brakes ≥ 2`.
    pub fn describe(&self) -> String {
        if self.operations.is_empty() {
            return "no skill needed".to_owned();
        }
        self.operations.iter().map(|(family, level)| format!("{family} ≥ {level}")).collect::<Vec<_>>().join(", ")
    }
}

/// A technician as the suggestion sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Who.
    pub technician: TechnicianId,
    /// Whether they are on shift now.
    pub on_shift: bool,
    /// Their skills, from their training records.
    pub skills: Skills,
    /// Estimated hours of the jobs assigned to them and not finished.
    pub remaining_hours: Hundredths,
    /// When their last job finished or their shift started.
    pub idle_since: DateTime<Utc>,
}

impl Candidate {
    /// Whether this technician may be suggested for a job: on shift, and skills cover every operation.
    pub fn qualifies_for(&self, job: &Requirement) -> bool {
        self.on_shift && job.is_covered_by(&self.skills)
    }

    /// The preference order among qualified technicians: least remaining work, then idle longest, then id.
    /// Smaller is preferred.
    pub fn preference(&self) -> (Hundredths, DateTime<Utc>, &str) {
        (self.remaining_hours, self.idle_since, self.technician.as_str())
    }
}

/// The technician the system suggests, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Who.
    pub technician: TechnicianId,
    /// Why, in words, e.g. `least remaining work 1.50 h of 3 qualified on shift; qualified for engine ≥ 3`.
    pub reason: String,
}

/// Suggests a technician for a job, or [`None`] when nobody on shift qualifies (the job then waits visibly).
///
/// Complexity: one pass over the candidates, O(n · r · log s) for n candidates, r distinct skill families the job
/// needs and s families a technician holds (r and s are a handful), with no allocation but the reason. At 200
/// technicians and 2,000 open jobs, suggesting for the whole queue is 400,000 candidate checks.
pub fn suggest(job: &Requirement, candidates: &[Candidate]) -> Option<Suggestion> {
    let mut best: Option<&Candidate> = None;
    let mut qualified = 0usize;
    // How many qualified candidates share the best's remaining work, and its remaining work and idle time.
    let mut tied_on_work = 0usize;
    let mut tied_on_idle = 0usize;
    for candidate in candidates.iter().filter(|c| c.qualifies_for(job)) {
        qualified += 1;
        let Some(current) = best else {
            (best, tied_on_work, tied_on_idle) = (Some(candidate), 1, 1);
            continue;
        };
        match candidate.remaining_hours.cmp(&current.remaining_hours) {
            Ordering::Greater => {}
            Ordering::Less => (best, tied_on_work, tied_on_idle) = (Some(candidate), 1, 1),
            Ordering::Equal => {
                tied_on_work += 1;
                match candidate.idle_since.cmp(&current.idle_since) {
                    Ordering::Greater => {}
                    Ordering::Less => (best, tied_on_idle) = (Some(candidate), 1),
                    Ordering::Equal => {
                        tied_on_idle += 1;
                        if candidate.technician < current.technician {
                            best = Some(candidate);
                        }
                    }
                }
            }
        }
    }
    let chosen = best?;
    let mut reason = format!("least remaining work {} h of {qualified} qualified on shift", chosen.remaining_hours);
    if tied_on_work > 1 {
        let idle = chosen.idle_since.format("%Y-%m-%d %H:%M UTC");
        reason.push_str(&format!("; idle longest (since {idle}) of {tied_on_work} equally loaded"));
    }
    if tied_on_idle > 1 {
        reason.push_str(&format!("; first by id of {tied_on_idle} equally idle"));
    }
    reason.push_str(&format!("; qualified for {}", job.describe()));
    Some(Suggestion { technician: chosen.technician.clone(), reason })
}

/// The key jobs are offered in: urgent first, then approved earliest, then by job id. Smaller goes first.
pub fn queue_key(urgent: bool, approved_at: DateTime<Utc>, job_id: JobId) -> impl Ord {
    (Reverse(urgent), approved_at, job_id)
}

/// Sorts jobs into the order they are offered to technicians (see [`queue_key`]).
pub fn queue_order(jobs: &mut [Job]) {
    jobs.sort_by_key(|job| queue_key(job.urgent, job.approved_at, job.id));
}

/// What the queue offers one job: the suggestion, or why it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    /// Give it to this technician.
    Suggested(Suggestion),
    /// Nobody on shift qualifies; the reason says what the job needs.
    Waiting(String),
}

impl Offer {
    /// The offer for one job among `candidates`.
    pub fn for_job(requirement: &Requirement, candidates: &[Candidate]) -> Offer {
        match suggest(requirement, candidates) {
            Some(suggestion) => Offer::Suggested(suggestion),
            None => Offer::Waiting(format!("nobody on shift qualifies for {}", requirement.describe())),
        }
    }
}

/// Plans a whole waiting queue, given **in offer order** as `(requirement, remaining hours)` per job: each job gets
/// the offer [`suggest`] makes with the work planned for the jobs before it counted in (so two jobs are not both
/// suggested to the same idle technician when another is free). This is what automatic assignment does, and what
/// the foreman's queue shows.
pub fn plan(queue: &[(Requirement, Hundredths)], candidates: &[Candidate]) -> Vec<Offer> {
    let mut candidates = candidates.to_vec();
    queue
        .iter()
        .map(|(requirement, hours)| {
            let offer = Offer::for_job(requirement, &candidates);
            if let Offer::Suggested(suggestion) = &offer {
                let chosen = candidates.iter_mut().find(|c| c.technician == suggestion.technician).expect("suggested");
                chosen.remaining_hours = chosen.remaining_hours.checked_add(*hours).unwrap_or(chosen.remaining_hours);
            }
            offer
        })
        .collect()
}
