//! The harness's calls of parts' purchasing and purchase order RPCs: dealer A's store for 'own', B's for 'foreign',
//! an id that does not exist for 'missing'. Requests that name no tenant are the same for all three.

use aftersales_e2e::stock::Store;
use aftersales_e2e::stock::purchasing::{delivery, new_order};
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::parts::v1::purchase_order_service_client::PurchaseOrderServiceClient;
use aftersales_proto::parts::v1::purchasing_service_client::PurchasingServiceClient;
use tonic::Code;

use super::Target;
use super::calls::code;
use super::world::World;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Makes the call; `None` when the method is not one of parts' purchasing RPCs.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let bearer = World::bearer(world.token(role, at));
    let mut purchasing = PurchasingServiceClient::with_interceptor(world.channels[at].clone(), bearer.clone());
    let mut orders = PurchaseOrderServiceClient::with_interceptor(world.channels[at].clone(), bearer);
    let store: &Store = match target {
        Target::Foreign => &world.store_b,
        _ => &world.store_a,
    };
    let missing = id();
    let code = match method.strip_prefix("aftersales.parts.v1.")? {
        "PurchasingService/ListSuppliers" => {
            code(purchasing.list_suppliers(parts::ListSuppliersRequest::default()).await)
        }
        "PurchasingService/SetStockingPolicy" => {
            let request = parts::SetStockingPolicyRequest {
                request_id: id(),
                part_number: world.store_a.part.clone(),
                min_hundredths: 100,
                max_hundredths: 500,
            };
            code(purchasing.set_stocking_policy(request).await)
        }
        "PurchasingService/DraftPurchasePlan" => {
            code(purchasing.draft_purchase_plan(parts::DraftPurchasePlanRequest { request_id: id() }).await)
        }
        "PurchasingService/EditPurchasePlan" => {
            let plan_id = if target == Target::Missing { missing } else { store.draft_plan().await.id };
            let lines = vec![parts::PlanLineEdit {
                part_number: store.part.clone(),
                quantity_hundredths: 100,
                supplier_id: String::new(),
            }];
            code(
                purchasing
                    .edit_purchase_plan(parts::EditPurchasePlanRequest { request_id: id(), plan_id, lines })
                    .await,
            )
        }
        "PurchasingService/ApprovePurchasePlan" => {
            let plan_id = if target == Target::Missing { missing } else { store.plan_to_approve().await.id };
            code(
                purchasing.approve_purchase_plan(parts::ApprovePurchasePlanRequest { request_id: id(), plan_id }).await,
            )
        }
        "PurchasingService/GetPurchasePlan" => {
            let id = if target == Target::Missing { missing } else { store.draft_plan().await.id };
            code(purchasing.get_purchase_plan(parts::GetPurchasePlanRequest { id }).await)
        }
        "PurchaseOrderService/CreatePurchaseOrder" => {
            let supplier = world.store_a.approved_supplier().await;
            code(orders.create_purchase_order(new_order(&supplier, &world.store_a.part, 100)).await)
        }
        "PurchaseOrderService/ClosePurchaseOrder" => {
            let purchase_order_id = if target == Target::Missing { missing } else { store.place_order().await.id };
            let reason = "ordered twice".to_string();
            code(
                orders
                    .close_purchase_order(parts::ClosePurchaseOrderRequest {
                        request_id: id(),
                        purchase_order_id,
                        reason,
                    })
                    .await,
            )
        }
        "PurchaseOrderService/GetPurchaseOrder" => {
            let id = if target == Target::Missing { missing } else { store.place_order().await.id };
            code(orders.get_purchase_order(parts::GetPurchaseOrderRequest { id }).await)
        }
        "PurchaseOrderService/ListPurchaseOrders" => {
            let dealer_id = match target {
                Target::Own => String::new(),
                Target::Foreign => world.dealer_b.clone(),
                Target::Missing => aftersales_kernel::DealerId::new().to_string(),
            };
            code(orders.list_purchase_orders(parts::ListPurchaseOrdersRequest { dealer_id, page: None }).await)
        }
        "PurchaseOrderService/ReceiveGoods" => {
            let mut order = store.place_order().await;
            if target == Target::Missing {
                order.id = missing;
            }
            code(orders.receive_goods(delivery(&order, &store.warehouse, 100, 0)).await)
        }
        "PurchaseOrderService/ResolveOverDelivery" => {
            let (order, receipt_id) = store.over_delivered().await;
            let purchase_order_id = if target == Target::Missing { missing } else { order.id };
            let request = parts::ResolveOverDeliveryRequest {
                request_id: id(),
                purchase_order_id,
                receipt_id,
                line_index: 0,
                accept: true,
            };
            code(orders.resolve_over_delivery(request).await)
        }
        _ => return None,
    };
    Some(code)
}
