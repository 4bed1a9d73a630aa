//! Cases from other services' feeds: reception's `CustomerDissatisfied` opens a follow-up case, in the consumer's
//! transaction (so exactly once per event), with `CaseOpened` appended and applied to the engine like any case's.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::reception::v1 as reception;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::{AppResult, from_timestamp};

use super::Escalation;
use crate::convert;
use crate::domain::{Case, DissatisfiedFollowUp};
use crate::store::cases;

/// The subject a case opened from reception's feed is recorded by.
const RECEPTION: &str = "reception";

impl Escalation {
    /// Opens a case when `envelope` is a dissatisfied follow-up; any other event, a repeat of one already opened,
    /// or one that cannot make a case (logged) changes nothing.
    pub async fn intake(&self, txn: &mut WriteTxn, envelope: &EventEnvelope) -> AppResult<()> {
        let Some(decoded) = decode_payload::<reception::CustomerDissatisfied>(envelope) else { return Ok(()) };
        let Some(follow_up) = decoded.ok().and_then(follow_up) else {
            tracing::error!(event_id = %envelope.event_id, "a CustomerDissatisfied without its order, dealer or VIN passed over");
            return Ok(());
        };
        if cases::exists_for_order(&**txn, follow_up.repair_order_id).await? {
            return Ok(());
        }
        let order = follow_up.repair_order_id;
        let new = match follow_up.into_case(RECEPTION) {
            Ok(new) => new,
            Err(e) => {
                tracing::error!(repair_order_id = %order, error = %e, "a follow-up's VIN cannot make a case");
                return Ok(());
            }
        };
        // The triage clock runs from when the follow-up was recorded, not from when the feed brought it here.
        let at = from_timestamp(envelope.occurred_at.as_ref()).unwrap_or_else(|| self.clock.now());
        let case = Case::receive(new, at).expect("a follow-up case names its dealer");
        cases::insert(&**txn, &case, self.clock.now()).await?;
        self.publish(txn, &case, &convert::case_opened(&case), at).await?;
        tracing::info!(case_id = %case.id, repair_order_id = %order, "case opened from a dissatisfied follow-up");
        Ok(())
    }
}

fn follow_up(e: reception::CustomerDissatisfied) -> Option<DissatisfiedFollowUp> {
    Some(DissatisfiedFollowUp {
        dealer_id: DealerId::parse(&e.dealer_id).ok()?,
        repair_order_id: RepairOrderId::parse(&e.repair_order_id).ok()?,
        vin: e.vin,
        model: e.model,
        region: e.region,
        score: e.score,
        complaint: e.complaint,
        comments: e.comments,
        fault_description: e.fault_description,
    })
}
