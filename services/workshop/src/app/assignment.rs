//! Assignment use cases: the waiting queue with suggestions, the suggestion for one job, the foreman's
//! assignment, automatic assignment, and releasing a technician's jobs at the end of their shift.
//!
//! Every change that moves jobs between technicians first takes the dealer's assignment lock
//! ([`WriteTxn::serialize_on`]): on PostgreSQL two such changes of one dealer (a foreman assigning while a
//! technician goes off shift, two replicas auto-assigning) run one after the other, so loads are never counted
//! twice and row locks are never taken in a circle.

use std::collections::HashMap;

use aftersales_kernel::{DealerId, JobId};
use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::{Workshop, job_event};
use crate::convert;
use crate::domain::assignment::{Candidate, Offer, Requirement, plan};
use crate::domain::job::assign::{Decision, Unfit};
use crate::domain::job::duration_of;
use crate::domain::{Job, Technician};
use crate::store::{jobs, operations, settings, technicians};

/// The most jobs one queue listing or one automatic-assignment pass looks at.
pub const QUEUE_MAX: u64 = 500;

/// The most technicians of one dealer the suggestion considers (far above any workshop's crew).
const CREW_MAX: u64 = 10_000;

/// The dealer's assignment lock key.
pub(crate) fn assignment_lock(dealer: DealerId) -> String {
    format!("workshop.assignment:{dealer}")
}

/// The technicians of a dealer as the suggestion sees them, with their records by id.
pub(crate) struct Crew {
    pub candidates: Vec<Candidate>,
    pub records: HashMap<uuid::Uuid, Technician>,
}

impl Crew {
    /// Everyone of `dealer` on shift, with their remaining work and idle time.
    pub async fn on_shift(conn: &impl ConnectionTrait, dealer: DealerId) -> AppResult<Crew> {
        let scope = aftersales_runtime::auth::DealerScope::Only(dealer);
        let on_shift = technicians::list(conn, &scope, true, None, CREW_MAX).await?;
        Crew::of(conn, dealer, on_shift).await
    }

    /// These technicians of `dealer`, with their remaining work and idle time.
    pub async fn of(conn: &impl ConnectionTrait, dealer: DealerId, people: Vec<Technician>) -> AppResult<Crew> {
        let loads: HashMap<_, _> =
            jobs::technician_loads(conn, dealer).await?.into_iter().map(|(id, h, last)| (id, (h, last))).collect();
        let candidates = people
            .iter()
            .map(|t| {
                let (remaining, last_finished) = loads.get(&t.id).copied().unwrap_or_default();
                let idle_since =
                    [t.on_shift_since(), last_finished].into_iter().flatten().max().unwrap_or(t.created_at);
                Candidate {
                    technician: t.id.to_string(),
                    on_shift: t.on_shift(),
                    skills: t.skills().clone(),
                    remaining_hours: remaining,
                    idle_since,
                }
            })
            .collect();
        Ok(Crew { candidates, records: people.into_iter().map(|t| (t.id, t)).collect() })
    }

    fn name(&self, id: &str) -> String {
        uuid::Uuid::parse_str(id).ok().and_then(|id| self.records.get(&id)).map(|t| t.name.clone()).unwrap_or_default()
    }

    fn candidate(&self, id: uuid::Uuid) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.technician == id.to_string())
    }

    fn candidate_mut(&mut self, id: uuid::Uuid) -> Option<&mut Candidate> {
        self.candidates.iter_mut().find(|c| c.technician == id.to_string())
    }
}

/// What each job needs, from the catalogue; `Err(code)` for a job naming an operation the catalogue lacks.
pub(crate) async fn requirements(
    conn: &impl ConnectionTrait,
    jobs: &[Job],
) -> AppResult<Vec<Result<Requirement, String>>> {
    let codes: Vec<String> =
        jobs.iter().flat_map(|j| j.operations.iter().map(|op| op.operation_code.clone())).collect();
    let skills = operations::skills_needed(conn, codes).await?;
    Ok(jobs
        .iter()
        .map(|job| {
            Requirement::for_job(job, |code| skills.get(code).cloned()).map_err(|e| match e {
                crate::domain::assignment::RequirementError::UnknownOperation(code) => code,
            })
        })
        .collect())
}

/// Offers for jobs in offer order, planned together (see [`plan`]).
fn offers(jobs: &[Job], needs: &[Result<Requirement, String>], crew: &Crew) -> Vec<Offer> {
    // Jobs with an unknown operation are planned as needing nothing anyone has, so they wait with their reason.
    let planned: Vec<_> = needs
        .iter()
        .zip(jobs)
        .filter_map(|(need, job)| need.as_ref().ok().map(|r| (r.clone(), job.remaining_hours())))
        .collect();
    let mut planned = plan(&planned, &crew.candidates).into_iter();
    needs
        .iter()
        .map(|need| match need {
            Ok(_) => planned.next().expect("one offer per planned job"),
            Err(code) => Offer::Waiting(format!("operation {code} is not in the catalogue")),
        })
        .collect()
}

fn suggestion(offer: &Offer, crew: &Crew) -> (Option<pb::Suggestion>, String) {
    match offer {
        Offer::Suggested(s) => (
            Some(pb::Suggestion {
                technician_id: s.technician.clone(),
                technician_name: crew.name(&s.technician),
                reason: s.reason.clone(),
            }),
            String::new(),
        ),
        Offer::Waiting(reason) => (None, reason.clone()),
    }
}

/// When `candidate` would finish `job`: now + their remaining work + the job's.
fn estimated_finish(candidate: &Candidate, job: &Job, now: DateTime<Utc>) -> DateTime<Utc> {
    now + duration_of(candidate.remaining_hours) + duration_of(job.remaining_hours())
}

impl Workshop {
    /// The visible waiting queue of `dealer` with planned suggestions.
    pub async fn assignment_queue(&self, dealer: DealerId, limit: u64) -> AppResult<Vec<pb::QueuedJob>> {
        let conn = &self.db.read().await?;
        let waiting = jobs::waiting(conn, dealer, limit).await?;
        let crew = Crew::on_shift(conn, dealer).await?;
        let needs = requirements(conn, &waiting).await?;
        let offers = offers(&waiting, &needs, &crew);
        Ok(waiting
            .iter()
            .zip(&offers)
            .map(|(job, offer)| {
                let (suggestion, waiting_reason) = suggestion(offer, &crew);
                pb::QueuedJob { job: Some(convert::job(job)), suggestion, waiting_reason }
            })
            .collect())
    }

    /// The suggestion for one job the caller may see.
    pub async fn suggest(&self, caller: &Principal, id: JobId) -> AppResult<pb::SuggestTechnicianResponse> {
        let job = self.job(caller, id).await?;
        let conn = &self.db.read().await?;
        let crew = Crew::on_shift(conn, job.dealer_id).await?;
        let needs = requirements(conn, std::slice::from_ref(&job)).await?;
        let offer = offers(std::slice::from_ref(&job), &needs, &crew).pop().expect("one job, one offer");
        let (suggestion, waiting_reason) = suggestion(&offer, &crew);
        Ok(pb::SuggestTechnicianResponse { suggestion, waiting_reason })
    }

    /// The foreman gives a job of their dealer to a technician (accepting or overriding the suggestion).
    pub async fn assign(
        &self,
        caller: &Principal,
        key: &IdempotencyKey,
        id: JobId,
        technician: uuid::Uuid,
        override_reason: Option<String>,
    ) -> AppResult<pb::Job> {
        let dealer =
            caller.dealer().ok_or_else(|| AppError::PermissionDenied("only a dealer's foreman assigns".into()))?;
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        txn.serialize_on(&assignment_lock(dealer)).await?;
        let mut job = super::visible_job(jobs::find_for_update(&*txn, id).await?, caller)?;
        // State and holder first: a second foreman giving the job to the same technician is told so, not asked for
        // an override reason.
        job.check_assignable(technician).map_err(|e| super::job_error(job.state, e))?;
        let chosen = technicians::find_for_update(&*txn, technician)
            .await?
            .filter(|t| t.dealer_id == job.dealer_id)
            .ok_or_else(|| AppError::invalid("technician_id", "is not a technician of the job's dealer"))?;
        let crew = Crew::on_shift(&*txn, dealer).await?;
        let needs = requirements(&*txn, std::slice::from_ref(&job)).await?.pop().expect("one job");
        let requirement = needs.map_err(|code| {
            AppError::precondition(
                "JOB_OPERATION_NOT_IN_CATALOGUE",
                job.state.as_str(),
                format!("operation {code} is not in the catalogue; nobody can be checked for it"),
            )
        })?;
        // Re-assigning: the suggestion is among the others.
        let holder = job.technician.map(|t| t.to_string());
        let others: Vec<Candidate> =
            crew.candidates.iter().filter(|c| Some(&c.technician) != holder.as_ref()).cloned().collect();
        let suggested = match Offer::for_job(&requirement, &others) {
            Offer::Suggested(s) => Some((uuid::Uuid::parse_str(&s.technician).map_err(AppError::internal)?, s.reason)),
            Offer::Waiting(_) => None,
        };
        let decision =
            Decision { technician, decided_by: caller.subject.clone(), suggestion: suggested, override_reason };
        // On shift, they are in the crew already; off shift, their record alone (check_fit refuses them).
        let candidate = match crew.candidate(technician) {
            Some(on_shift) => on_shift.clone(),
            None => Crew::of(&*txn, dealer, vec![chosen]).await?.candidate(technician).expect("built from it").clone(),
        };
        Job::check_fit(&decision, &candidate, &requirement).map_err(|unfit| match unfit {
            Unfit::OverrideReason(description) => AppError::invalid("override_reason", description),
            Unfit::OffShift => AppError::precondition("TECHNICIAN_OFF_SHIFT", job.state.as_str(), unfit.to_string()),
            Unfit::NotQualified(_) => {
                AppError::precondition("TECHNICIAN_NOT_QUALIFIED", job.state.as_str(), unfit.to_string())
            }
        })?;
        let (before, state) = (job.clone(), job.state);
        let finish = estimated_finish(&candidate, &job, now);
        let (_, closed) = job.assign(decision, finish, now).map_err(|e| super::job_error(state, e))?;
        jobs::save(&*txn, &job, &before).await?;
        if let Some(closed) = closed {
            job_event(&mut txn, &job, &convert::clocked_off_event(&job, &closed), now).await?;
        }
        job_event(&mut txn, &job, &convert::assigned_event(&job), now).await?;
        let response = convert::job(&job);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(job_id = %job.id, technician_id = %technician, kind = ?job.assignments.last().map(|a| a.kind), "job assigned");
        Ok(response)
    }

    /// Automatic assignment, if `dealer` turned it on: every waiting job with a suggestion goes to it, planned in
    /// offer order. Runs inside the caller's transaction, which holds the dealer's assignment lock.
    pub(crate) async fn auto_assign(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        now: DateTime<Utc>,
    ) -> AppResult<usize> {
        if !settings::get(&**txn, dealer).await?.automatic_assignment {
            return Ok(0);
        }
        let waiting = jobs::waiting(&**txn, dealer, QUEUE_MAX).await?;
        if waiting.is_empty() {
            return Ok(0);
        }
        let mut crew = Crew::on_shift(&**txn, dealer).await?;
        let needs = requirements(&**txn, &waiting).await?;
        let offers = offers(&waiting, &needs, &crew);
        let mut assigned = 0;
        for (waiting_job, offer) in waiting.iter().zip(offers) {
            let Offer::Suggested(suggestion) = offer else { continue };
            let Some(mut job) = jobs::find_for_update(&**txn, waiting_job.id).await? else { continue };
            if !job.needs_technician() {
                continue;
            }
            let technician = uuid::Uuid::parse_str(&suggestion.technician).map_err(AppError::internal)?;
            let candidate = crew.candidate_mut(technician).expect("suggested from the crew");
            let finish = estimated_finish(candidate, &job, now);
            // Their load counts this job for the rest of the pass, as the plan did.
            candidate.remaining_hours =
                candidate.remaining_hours.checked_add(job.remaining_hours()).unwrap_or(candidate.remaining_hours);
            let (before, state) = (job.clone(), job.state);
            job.assign(Decision::automatic(technician, &suggestion.reason), finish, now)
                .map_err(|e| super::job_error(state, e))?;
            jobs::save(&**txn, &job, &before).await?;
            job_event(txn, &job, &convert::assigned_event(&job), now).await?;
            tracing::info!(job_id = %job.id, technician_id = %technician, "job assigned automatically");
            assigned += 1;
        }
        Ok(assigned)
    }

    /// Releases every job `technician` holds and works, because they went off shift; then automatic assignment
    /// (if on) gives the jobs to someone else. Inside the caller's transaction (holding the assignment lock).
    pub(crate) async fn release_jobs_of(
        &self,
        txn: &mut WriteTxn,
        technician: &Technician,
        now: DateTime<Utc>,
    ) -> AppResult<usize> {
        let held = jobs::held_by_for_update(&**txn, technician.id).await?;
        let mut released = 0;
        for mut job in held {
            let before = job.clone();
            let Some((_, closed)) = job.release(&format!("{} went off shift", technician.name), now) else { continue };
            jobs::save(&**txn, &job, &before).await?;
            if let Some(closed) = closed {
                job_event(txn, &job, &convert::clocked_off_event(&job, &closed), now).await?;
            }
            job_event(txn, &job, &convert::unassigned_event(&job), now).await?;
            tracing::info!(job_id = %job.id, technician_id = %technician.id, "job released: technician off shift");
            released += 1;
        }
        Ok(released)
    }
}
