//! The emergency response to an urgent case: the plan, the temporary solution, the post-incident review — each one
//! step (see `handling.rs`) publishing `CaseStepRecorded`.

use aftersales_kernel::CaseId;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;
use chrono::Duration;

use super::Escalation;
use crate::convert::records;
use crate::domain::{EmergencyPlan, PostIncidentReview, Recorded};

/// What a post-incident review records.
pub struct Review {
    /// The review.
    pub review: String,
    /// The revision note on the plan.
    pub plan_revision: String,
    /// The follow-up period in days.
    pub follow_up_days: u16,
}

impl Escalation {
    /// Starts the emergency plan (its author and time set here).
    pub async fn start_emergency_plan(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        mut plan: EmergencyPlan,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            (plan.by, plan.at) = (by.into(), now);
            case.start_emergency_plan(plan)?;
            Ok(records::step(case, pb::CaseStep::EmergencyPlanStarted, by))
        })
        .await
    }

    /// The temporary solution.
    pub async fn record_temporary_solution(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        text: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            case.record_temporary_solution(Recorded { text, by: by.into(), at })?;
            Ok(records::step(case, pb::CaseStep::TemporarySolutionRecorded, by))
        })
        .await
    }

    /// The post-incident review; the follow-up period runs from now.
    pub async fn review_incident(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        review: Review,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            let follow_up_until = at + Duration::days(i64::from(review.follow_up_days));
            let held = PostIncidentReview {
                review: review.review,
                plan_revision: review.plan_revision,
                follow_up_until,
                by: by.into(),
                at,
            };
            case.review_incident(held)?;
            Ok(records::step(case, pb::CaseStep::PostIncidentReviewed, by))
        })
        .await
    }
}
