//! Onsite waivers: support's request and `oem_manager`'s decision — each one step (see `handling.rs`) whose event
//! the engine applies in the same transaction, so an approval waives the onsite clock exactly with it.

use aftersales_kernel::CaseId;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::AppResult;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;

use super::Escalation;
use super::resolution::Decision;
use crate::convert::records;
use crate::domain::WaiverDecision;

impl Escalation {
    /// Asks that the onsite visit be waived; publishes `OnsiteWaiverRequested`.
    pub async fn request_onsite_waiver(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        reason: String,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, now| {
            case.request_onsite_waiver(reason, by, now)?;
            let waiver = case.onsite_waiver.as_ref().expect("just requested");
            Ok(records::waiver_requested(case, waiver))
        })
        .await
    }

    /// Decides the waiting request; publishes `OnsiteWaiverDecided` (approved: the onsite clock is waived).
    pub async fn decide_onsite_waiver(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: CaseId,
        decision: Decision,
    ) -> AppResult<pb::Case> {
        let by = caller.subject.as_str();
        self.step(key, caller, id, |case, at| {
            let Decision { approve: approved, note } = decision;
            case.decide_onsite_waiver(WaiverDecision { approved, note, by: by.into(), at })?;
            let waiver = case.onsite_waiver.as_ref().expect("just decided");
            Ok(records::waiver_decided(case, waiver))
        })
        .await
    }
}
