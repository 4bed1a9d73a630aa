//! Reception as the tests drive it: waiting for an order to reach a state reception learns from workshop's feed,
//! and settling it.

use std::time::Duration;

use aftersales_proto::reception::v1 as pb;

use crate::clients::{Orders, Settlements};
use crate::wait;

/// Waits (bounded) until order `id`, read through `orders`, satisfies `ready` — a state reception reaches by
/// following workshop's feed — and returns it.
pub async fn order_when(
    orders: &Orders,
    id: &str,
    what: &str,
    ready: impl Fn(&pb::RepairOrder) -> bool,
) -> pb::RepairOrder {
    wait::until(Duration::from_secs(15), what, || {
        let mut orders = orders.clone();
        let request = pb::GetRepairOrderRequest { id: id.to_string() };
        let ready = &ready;
        async move { orders.get_repair_order(request).await.ok().map(|r| r.into_inner()).filter(|o| ready(o)) }
    })
    .await
}

/// Waits until order `id` is in `state`.
pub async fn order_in(orders: &Orders, id: &str, state: pb::RepairOrderState) -> pb::RepairOrder {
    order_when(orders, id, &format!("order {id} {state:?}"), |o| o.state() == state).await
}

/// Waits until reception knows workshop's additional-work request `work` on order `id`.
pub async fn order_with_request(orders: &Orders, id: &str, work: &str) -> pb::RepairOrder {
    order_when(orders, id, &format!("additional work {work} on order {id}"), |o| {
        o.additional_work.iter().any(|w| w.id == work)
    })
    .await
}

/// Explains every line of order `id`'s draft settlement whose actual differs from its estimate (the crew clocks
/// next to no time, so labour lines differ) and returns the draft.
pub async fn explain_variances(settlements: &Settlements, id: &str) -> pb::Settlement {
    let mut settlements = settlements.clone();
    let draft = settlements
        .get_settlement(pb::GetSettlementRequest { repair_order_id: id.to_string() })
        .await
        .expect("settlement")
        .into_inner();
    let mut last = draft.clone();
    for line in draft.lines.iter().filter(|l| l.actual_hundredths != l.estimated_hundredths) {
        let request = pb::ExplainVarianceRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            repair_order_id: id.to_string(),
            line_id: line.line_id.clone(),
            reason: "the job went faster than the standard time".into(),
        };
        last = settlements.explain_variance(request).await.expect("explain").into_inner();
    }
    last
}

/// Waits until parts has closed order `id`'s requisitions as reception knows it (the draft no longer says so), and
/// returns the draft.
pub async fn requisitions_closed(settlements: &Settlements, id: &str) -> pb::Settlement {
    // Three feed hops (workshop's JobReady → parts closes the requisitions → reception reads RequisitionsClosed); on a
    // loaded 2-core CI machine with four services and PostgreSQL this once took over 15 s.
    crate::wait::until(std::time::Duration::from_secs(60), "parts to close the order's requisitions", || {
        let mut settlements = settlements.clone();
        let request = pb::GetSettlementRequest { repair_order_id: id.to_string() };
        async move {
            let draft = settlements.get_settlement(request).await.ok()?.into_inner();
            (!draft.blockers.iter().any(|b| b.contains("requisitions"))).then_some(draft)
        }
    })
    .await
}

/// The customer signs order `id`'s settlement once parts has closed its requisitions (every variance explained
/// first).
pub async fn sign(settlements: &Settlements, id: &str) -> pb::Settlement {
    requisitions_closed(settlements, id).await;
    explain_variances(settlements, id).await;
    let request = pb::SignSettlementRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        repair_order_id: id.to_string(),
        signed_by: "Li Wei".into(),
        signature_reference: "sig://desk/settlement".into(),
    };
    settlements.clone().sign_settlement(request).await.expect("sign").into_inner()
}
