//! Reception as the tests drive it: waiting for an order to reach a state reception learns from workshop's feed.

use std::time::Duration;

use aftersales_proto::reception::v1 as pb;

use crate::clients::Orders;
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
