//! Handling a case: triage and re-classification, assignment, first contact, the analysis meeting, experts on
//! site. Each step is one transaction: the
//! case locked and changed, its event appended and applied to the engine (the clocks it meets, stops and starts).

use aftersales_kernel::CaseId;
use aftersales_proto::EventMessage;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::{Escalation, visible};
use crate::convert;
use crate::domain::{Case, Classification, Meeting, StepError};
use crate::store::cases;

impl Escalation {
    /// Triage or re-classification, deciding whether the case repeats an earlier one; publishes `CaseClassified`.
    pub async fn classify_case(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        next: Classification,
        reason: &str,
    ) -> AppResult<pb::Case> {
        let (txn, mut case, now) = match self.begin(key, caller, id).await? {
            Begun::Answered(first) => return Ok(first),
            Begun::Locked { txn, case, now } => (txn, case, now),
        };
        let before = case.classify(next, now).map_err(|e| step_error(&case, e))?;
        // With its category set, the case may repeat an earlier one about the same engine.
        let window = self.repeat_window;
        let since = case.received_at - window.0;
        let candidates = cases::about_engine(&*txn, &case.serial_or_vin.to_string(), since, case.received_at).await?;
        case.mark_repeat(&candidates, window);
        let event = convert::case_classified(&case, before.as_ref(), reason, &caller.subject);
        self.save(txn, key, &case, &event, now).await
    }

    /// Assignment to a support group (None: the one the case's category goes to); publishes `CaseAssigned`.
    pub async fn assign_case(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        group: Option<String>,
    ) -> AppResult<pb::Case> {
        let routing = self.routing.clone();
        self.step(key, caller, id, |case, now| {
            // No group named: the one the case's category goes to (a case not yet triaged has none; the domain
            // refuses it for that).
            let routed = case.classification.as_ref().and_then(|k| routing.category(&k.category));
            let group = group.or_else(|| routed.map(|c| c.group.clone())).unwrap_or_default();
            let before = case.assign(group, now)?;
            Ok(convert::case_assigned(case, before))
        })
        .await
    }

    /// The first contact with the customer; publishes `CustomerContacted`.
    pub async fn record_customer_contact(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        note: String,
    ) -> AppResult<pb::Case> {
        self.step(key, caller, id, |case, now| {
            case.record_contact(note, now)?;
            Ok(convert::customer_contacted(case, &caller.subject))
        })
        .await
    }

    /// The analysis meeting, chaired by the caller; publishes `AnalysisMeetingHeld`.
    pub async fn record_meeting(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        initial_measures: String,
    ) -> AppResult<pb::Case> {
        self.step(key, caller, id, |case, now| {
            let meeting = Meeting { held_at: now, chaired_by: caller.subject.clone(), initial_measures };
            case.hold_meeting(meeting)?;
            Ok(convert::meeting_held(case))
        })
        .await
    }

    /// The experts (or emergency team) on site; publishes `ExpertsOnsite`.
    pub async fn record_onsite(&self, key: &IdempotencyKey, caller: &Principal, id: CaseId) -> AppResult<pb::Case> {
        self.step(key, caller, id, |case, now| {
            case.arrive_onsite(now)?;
            Ok(convert::experts_onsite(case, &caller.subject))
        })
        .await
    }

    /// One step: the first answer again for a repeated key; else the case locked, changed by `change` (which
    /// returns the event to publish) and saved.
    pub(super) async fn step<E: EventMessage>(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        change: impl FnOnce(&mut Case, DateTime<Utc>) -> Result<E, StepError>,
    ) -> AppResult<pb::Case> {
        match self.begin(key, caller, id).await? {
            Begun::Answered(first) => Ok(first),
            Begun::Locked { txn, mut case, now } => {
                let event = change(&mut case, now).map_err(|e| step_error(&case, e))?;
                self.save(txn, key, &case, &event, now).await
            }
        }
    }

    /// The first answer again for a repeated key; else the case, locked in a write transaction.
    pub(super) async fn begin(&self, key: &IdempotencyKey, caller: &Principal, id: CaseId) -> AppResult<Begun> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(Begun::Answered(first));
        }
        let case = locked(&txn, caller, id).await?;
        Ok(Begun::Locked { txn, case, now })
    }

    /// Saves the changed case with its event, records the answer under the idempotency key, commits.
    pub(super) async fn save<E: EventMessage>(
        &self,
        mut txn: WriteTxn,
        key: &IdempotencyKey,
        case: &Case,
        event: &E,
        now: DateTime<Utc>,
    ) -> AppResult<pb::Case> {
        cases::update(&*txn, case).await?;
        self.publish(&mut txn, case, event, now).await?;
        let response = convert::case(case);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }
}

/// Where [`Escalation::begin`] leaves a step.
pub(super) enum Begun {
    /// The key was used before: its first answer.
    Answered(pb::Case),
    /// The case to change, locked until `txn` ends.
    Locked {
        /// The write transaction.
        txn: WriteTxn,
        /// The case.
        case: Case,
        /// The service clock's time.
        now: DateTime<Utc>,
    },
}

/// The case to change, locked, if the caller may see it.
async fn locked(txn: &WriteTxn, caller: &Principal, id: CaseId) -> AppResult<Case> {
    visible(cases::find_for_update(&**txn, id).await?, caller)
}

pub(super) fn step_error(case: &Case, error: StepError) -> AppError {
    // A measure number the report lacks is a bad reference in the request, not a rule of the case's state.
    if let StepError::NoSuchMeasure(_) = error {
        return AppError::invalid("measure_number", error.to_string());
    }
    AppError::FailedPrecondition {
        reason: error.reason(),
        message: error.to_string(),
        current_state: case.state.as_str().to_string(),
    }
}
