//! The suggestion written the slow, obvious way, to check [`super::suggest`] against: keep the technicians on shift
//! whose skills meet every (family, minimum level), sort them by the full preference key, take the first.

use super::{Candidate, Requirement, TechnicianId};

/// Whether the candidate holds every family of `job` at its minimum, checked one by one without [`Skills::covers`].
///
/// [`Skills::covers`]: crate::domain::skills::Skills::covers
fn meets_every_operation(candidate: &Candidate, job: &Requirement) -> bool {
    for (family, min_level) in &job.operations {
        match candidate.skills.level(family) {
            Some(level) if level >= *min_level => {}
            _ => return false,
        }
    }
    true
}

/// The technician the rules pick, by brute force.
pub(super) fn brute_force(job: &Requirement, candidates: &[Candidate]) -> Option<TechnicianId> {
    let mut qualified: Vec<&Candidate> =
        candidates.iter().filter(|c| c.on_shift).filter(|c| meets_every_operation(c, job)).collect();
    qualified.sort_by(|a, b| {
        a.remaining_hours
            .cmp(&b.remaining_hours)
            .then(a.idle_since.cmp(&b.idle_since))
            .then(a.technician.cmp(&b.technician))
    });
    qualified.first().map(|c| c.technician.clone())
}
