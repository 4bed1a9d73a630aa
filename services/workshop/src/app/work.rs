//! Work and quality use cases: one shape for all — load the job locked, let the domain apply the change, save it
//! with its events in one transaction.

use aftersales_kernel::JobId;
use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::assignment::assignment_lock;
use super::{Workshop, job_error, job_event, visible_job};
use crate::convert;
use crate::domain::job::NewAdditionalWork;
use crate::domain::job::work::{Actor, ProgressNote};
use crate::domain::{Job, JobState};
use crate::store::{jobs, operations, technicians};

/// A change to a job's work or quality, as asked for.
#[derive(Debug, Clone)]
pub enum Change {
    /// Start work.
    Start,
    /// Clock on an operation line.
    ClockOn {
        /// The operation's order line.
        line: uuid::Uuid,
    },
    /// Clock off.
    ClockOff,
    /// A progress note.
    LogProgress {
        /// The note.
        note: String,
        /// Photo/video references.
        media: Vec<String>,
    },
    /// A delay report.
    ReportDelay {
        /// The new promise.
        new_promised_at: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// Ask for additional work.
    RequestAdditionalWork(NewAdditionalWork),
    /// The self-check.
    SelfCheck {
        /// What was checked.
        note: String,
    },
    /// A quality inspection.
    Inspect {
        /// Passed or failed.
        passed: bool,
        /// Findings.
        findings: String,
    },
    /// The wash.
    Wash,
}

/// Who the caller is to the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Performer {
    /// The foreman, acting for the holder.
    Foreman,
    /// A technician (holder or not) or an inspector: identified by their technician record.
    Staff,
}

impl Performer {
    /// The performer a caller's role makes.
    pub fn of(caller: &Principal) -> Performer {
        if caller.role == Role::Foreman { Performer::Foreman } else { Performer::Staff }
    }
}

impl Workshop {
    /// Applies `change` to a job of the caller's dealer.
    pub async fn change_job(
        &self,
        caller: &Principal,
        key: &IdempotencyKey,
        id: JobId,
        change: Change,
    ) -> AppResult<pb::Job> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        if let (Change::Inspect { .. }, Some(dealer)) = (&change, caller.dealer()) {
            // A failed inspection may hand the job back to a technician who went off shift: a release.
            txn.serialize_on(&assignment_lock(dealer)).await?;
        }
        let mut job = visible_job(jobs::find_for_update(&*txn, id).await?, caller)?;
        let record = technicians::find_by_subject(&*txn, job.dealer_id, &caller.subject).await?;
        let actor = match (Performer::of(caller), &record) {
            (Performer::Foreman, _) => Actor::Foreman,
            (Performer::Staff, Some(record)) => Actor::Technician(record.id),
            (Performer::Staff, None) => Actor::UnregisteredTechnician,
        };
        let holder = match actor {
            Actor::Technician(id) => id,
            // Holder-only changes by someone with no record: compare with an id no job holds.
            _ => uuid::Uuid::nil(),
        };
        let before = job.clone();
        let state = before.state;
        let refuse = |e| job_error(state, e);
        match change {
            Change::Start => {
                job.start(actor, now).map_err(refuse)?;
                job_event(&mut txn, &job, &convert::started_event(&job), now).await?;
            }
            Change::ClockOn { line } => {
                let entry = job.clock_on(holder, line, now).map_err(refuse)?.clone();
                job_event(&mut txn, &job, &convert::clocked_on_event(&job, &entry), now).await?;
            }
            Change::ClockOff => {
                let entry = job.clock_off_by(actor, now).map_err(refuse)?.clone();
                job_event(&mut txn, &job, &convert::clocked_off_event(&job, &entry), now).await?;
            }
            Change::LogProgress { note, media } => {
                let note = ProgressNote { note, media, author: caller.subject.clone(), at: now };
                let note = job.log_progress(actor, note).map_err(refuse)?.clone();
                job_event(&mut txn, &job, &convert::progress_event(&job, &note), now).await?;
            }
            Change::ReportDelay { new_promised_at, reason } => {
                let report =
                    job.report_delay(actor, &reason, new_promised_at, &caller.subject, now).map_err(refuse)?.clone();
                job_event(&mut txn, &job, &convert::delay_event(&job, &report), now).await?;
            }
            Change::RequestAdditionalWork(request) => {
                check_operations_usable(&txn, &request).await?;
                let work = job.request_additional_work(holder, request, &caller.subject, now).map_err(refuse)?.clone();
                job_event(&mut txn, &job, &convert::additional_work_event(&job, &work), now).await?;
            }
            Change::SelfCheck { note } => {
                job.complete_self_check(holder, &note, now).map_err(refuse)?;
                job_event(&mut txn, &job, &convert::self_checked_event(&job), now).await?;
            }
            Change::Inspect { passed, findings } => {
                let inspector = record.as_ref().map(|r| r.id);
                let inspection =
                    job.inspect(&caller.subject, inspector, passed, &findings, now).map_err(refuse)?.clone();
                if passed {
                    job_event(&mut txn, &job, &convert::inspection_passed_event(&job, &inspection), now).await?;
                } else {
                    job_event(&mut txn, &job, &convert::inspection_failed_event(&job, &inspection), now).await?;
                }
            }
            Change::Wash => {
                job.wash(now).map_err(refuse)?;
                job_event(&mut txn, &job, &convert::ready_event(&job), now).await?;
            }
        }
        jobs::save(&*txn, &job, &before).await?;
        if job.state == JobState::Rework {
            self.hand_back_rework(&mut txn, &mut job, now).await?;
        }
        let response = convert::job(&job);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(job_id = %job.id, state = job.state.as_str(), "job changed");
        Ok(response)
    }

    /// A job failed inspection while its technician is off shift: it waits for (or is automatically given to)
    /// another technician, like any job whose technician went off shift.
    async fn hand_back_rework(&self, txn: &mut WriteTxn, job: &mut Job, now: DateTime<Utc>) -> AppResult<()> {
        let Some(holder) = job.technician else { return Ok(()) };
        let on_shift = technicians::find(&**txn, holder).await?.is_some_and(|t| t.on_shift());
        if on_shift {
            return Ok(());
        }
        let before = job.clone();
        if job.release("the technician is off shift for the rework", now).is_some() {
            jobs::save(&**txn, job, &before).await?;
            job_event(txn, job, &convert::unassigned_event(job), now).await?;
            self.auto_assign(txn, job.dealer_id, now).await?;
            if let Some(reloaded) = jobs::find(&**txn, job.id).await? {
                *job = reloaded;
            }
        }
        Ok(())
    }
}

/// Every requested operation must be an active catalogue operation.
async fn check_operations_usable(txn: &WriteTxn, request: &NewAdditionalWork) -> AppResult<()> {
    for (index, op) in request.operations.iter().enumerate() {
        let code = crate::domain::OperationCode::parse(&op.operation_code)
            .map_err(|e| AppError::invalid(format!("operations[{index}].operation_code"), e.to_string()))?;
        let usable = operations::find(&**txn, &code).await?.is_some_and(|o| o.active());
        if !usable {
            return Err(AppError::invalid(
                format!("operations[{index}].operation_code"),
                "is not an active operation of the catalogue",
            ));
        }
    }
    Ok(())
}
