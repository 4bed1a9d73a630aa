//! Bad input, field by field, for parts' purchasing and purchase orders: every request field has at least one
//! failing row → INVALID_ARGUMENT naming it — also an unknown part, a part listed twice, a line the order does not
//! have, a bin the warehouse does not have, a rejection without a reason — and nothing is written: the supplier list
//! (followed from the supplier service, which runs alongside), the plan, the order, the stock and the feed are as
//! they were.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::stock::Store;
use aftersales_e2e::stock::purchasing::{delivery, new_order};
use aftersales_e2e::{Backend, Suite, SuiteOptions, clients};
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::parts::v1 as pb;

const POLICY: &[Mutation<pb::SetStockingPolicyRequest>] = &[
    ("request_id", "not a UUID", |r| r.request_id = "again".into()),
    ("part_number", "a space", |r| r.part_number = "A 1".into()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("min_hundredths", "negative", |r| r.min_hundredths = -1),
    ("max_hundredths", "zero", |r| r.max_hundredths = 0),
    ("max_hundredths", "below min", |r| r.max_hundredths = r.min_hundredths - 1),
    ("max_hundredths", "beyond the limit", |r| r.max_hundredths = 10_000_001),
];

const EDIT: &[Mutation<pb::EditPurchasePlanRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("plan_id", "not an id", |r| r.plan_id = "plan".into()),
    ("lines", "none", |r| r.lines.clear()),
    ("lines[0].part_number", "a space", |r| r.lines[0].part_number = "A 1".into()),
    ("lines[0].part_number", "not in the catalogue", |r| r.lines[0].part_number = "NO-SUCH-PART".into()),
    ("lines[1].part_number", "listed twice", |r| r.lines.push(r.lines[0].clone())),
    ("lines[0].quantity_hundredths", "negative", |r| r.lines[0].quantity_hundredths = -1),
    ("lines[0].supplier_id", "not an id", |r| r.lines[0].supplier_id = "S-1".into()),
];

const ORDER: &[Mutation<pb::CreatePurchaseOrderRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("supplier_id", "missing", |r| r.supplier_id.clear()),
    ("lines", "none", |r| r.lines.clear()),
    ("lines[0].part_number", "missing", |r| r.lines[0].part_number.clear()),
    ("lines[0].part_number", "not in the catalogue", |r| r.lines[0].part_number = "NO-SUCH-PART".into()),
    ("lines[1].part_number", "listed twice", |r| r.lines.push(r.lines[0].clone())),
    ("lines[0].quantity_hundredths", "zero", |r| r.lines[0].quantity_hundredths = 0),
];

const CLOSE: &[Mutation<pb::ClosePurchaseOrderRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("purchase_order_id", "not an id", |r| r.purchase_order_id = "PO-1".into()),
    ("reason", "missing", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

const RECEIVE: &[Mutation<pb::ReceiveGoodsRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("purchase_order_id", "missing", |r| r.purchase_order_id.clear()),
    ("warehouse_id", "not an id", |r| r.warehouse_id = "W".into()),
    ("delivery_note", "missing", |r| r.delivery_note.clear()),
    ("lines", "none", |r| r.lines.clear()),
    ("lines[0].line_id", "not an id", |r| r.lines[0].line_id = "line".into()),
    ("lines[0].line_id", "not a line of the order", |r| r.lines[0].line_id = uuid::Uuid::now_v7().to_string()),
    ("lines[0].bin", "lower case", |r| r.lines[0].bin = "a-01".into()),
    ("lines[0].bin", "not a bin of the warehouse", |r| r.lines[0].bin = "Z-99".into()),
    ("lines[0].batch", "missing", |r| r.lines[0].batch.clear()),
    ("lines[0].delivered_hundredths", "zero", |r| r.lines[0].delivered_hundredths = 0),
    ("lines[0].rejected_hundredths", "negative", |r| r.lines[0].rejected_hundredths = -1),
    ("lines[0].rejected_hundredths", "more than delivered", |r| r.lines[0].rejected_hundredths = 1001),
    ("lines[0].rejection_reason", "missing for a rejection", |r| r.lines[0].rejection_reason.clear()),
];

const RESOLVE: &[Mutation<pb::ResolveOverDeliveryRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("purchase_order_id", "not an id", |r| r.purchase_order_id = "PO".into()),
    ("receipt_id", "missing", |r| r.receipt_id.clear()),
    ("line_index", "negative", |r| r.line_index = -1),
    ("line_index", "beyond the receipt", |r| r.line_index = 3),
];

async fn bad_input(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["parts", "supplier"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(suite.service("parts").channel().await, &data, &dealer).await;
    let plan = store.plan_to_approve().await;
    let (order, receipt) = store.over_delivered().await;
    let open = store.place_order().await;
    let (oem, manager) = (store.purchasing("oem_manager"), store.purchasing("dealer_manager"));
    let (orders, clerk_orders) = (store.purchase_orders("dealer_manager"), store.purchase_orders("parts_clerk"));
    let get_order = |id: &str| {
        let (mut orders, id) = (orders.clone(), id.to_string());
        async move { orders.get_purchase_order(pb::GetPurchaseOrderRequest { id }).await.unwrap().into_inner() }
    };
    let get_plan = || {
        let (mut manager, id) = (manager.clone(), plan.id.clone());
        async move { manager.get_purchase_plan(pb::GetPurchasePlanRequest { id }).await.unwrap().into_inner() }
    };
    let suppliers = || {
        let mut oem = oem.clone();
        async move { oem.list_suppliers(pb::ListSuppliersRequest::default()).await.unwrap().into_inner() }
    };
    let supplier = store.approved_supplier().await;
    let suppliers_before = suppliers().await;
    let before = (get_order(&order.id).await, get_order(&open.id).await, get_plan().await);
    let level_before = store.level().await;
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "supplier")).await;
    // The catalogue entry, two orders placed, the over-delivered receipt's movement and GoodsReceived.
    let events_before = clients::at_least_events(&feed, 5).await.len();

    let forged = pb::ListSuppliersRequest { page: Some(PageRequest { page_token: "forged".into(), page_size: 0 }) };
    names_field(oem.clone().list_suppliers(forged).await, "page.page_token", "ListSuppliers page");
    for (field, case, mutate) in POLICY {
        let mut request = pb::SetStockingPolicyRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            part_number: store.part.clone(),
            min_hundredths: 200,
            max_hundredths: 1000,
        };
        mutate(&mut request);
        names_field(
            manager.clone().set_stocking_policy(request).await,
            field,
            &format!("SetStockingPolicy {field}: {case}"),
        );
    }
    let draft = pb::DraftPurchasePlanRequest { request_id: "x".into() };
    names_field(manager.clone().draft_purchase_plan(draft).await, "request_id", "DraftPurchasePlan request_id");
    for (field, case, mutate) in EDIT {
        let mut request = pb::EditPurchasePlanRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            plan_id: plan.id.clone(),
            lines: vec![pb::PlanLineEdit {
                part_number: store.part.clone(),
                quantity_hundredths: 500,
                supplier_id: String::new(),
            }],
        };
        mutate(&mut request);
        names_field(
            manager.clone().edit_purchase_plan(request).await,
            field,
            &format!("EditPurchasePlan {field}: {case}"),
        );
    }
    for (field, request) in [
        ("request_id", pb::ApprovePurchasePlanRequest { request_id: String::new(), plan_id: plan.id.clone() }),
        (
            "plan_id",
            pb::ApprovePurchasePlanRequest { request_id: uuid::Uuid::now_v7().to_string(), plan_id: "p".into() },
        ),
    ] {
        names_field(
            manager.clone().approve_purchase_plan(request).await,
            field,
            &format!("ApprovePurchasePlan {field}"),
        );
    }
    let get = pb::GetPurchasePlanRequest { id: "plan-1".into() };
    names_field(manager.clone().get_purchase_plan(get).await, "id", "GetPurchasePlan id");

    for (field, case, mutate) in ORDER {
        let mut request = new_order(&supplier, &store.part, 100);
        mutate(&mut request);
        names_field(
            orders.clone().create_purchase_order(request).await,
            field,
            &format!("CreatePurchaseOrder {field}: {case}"),
        );
    }
    for (field, case, mutate) in CLOSE {
        let mut request = pb::ClosePurchaseOrderRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            purchase_order_id: open.id.clone(),
            reason: "ordered twice".into(),
        };
        mutate(&mut request);
        names_field(
            orders.clone().close_purchase_order(request).await,
            field,
            &format!("ClosePurchaseOrder {field}: {case}"),
        );
    }
    let get = pb::GetPurchaseOrderRequest { id: "PO".into() };
    names_field(orders.clone().get_purchase_order(get).await, "id", "GetPurchaseOrder id");
    for (field, request) in [
        ("dealer_id", pb::ListPurchaseOrdersRequest { dealer_id: "D-1".into(), page: None }),
        (
            "page.page_token",
            pb::ListPurchaseOrdersRequest {
                dealer_id: String::new(),
                page: Some(PageRequest { page_token: "forged".into(), page_size: 0 }),
            },
        ),
    ] {
        names_field(orders.clone().list_purchase_orders(request).await, field, &format!("ListPurchaseOrders {field}"));
    }
    for (field, case, mutate) in RECEIVE {
        let mut request = delivery(&open, &store.warehouse, 1000, 100);
        mutate(&mut request);
        names_field(clerk_orders.clone().receive_goods(request).await, field, &format!("ReceiveGoods {field}: {case}"));
    }
    for (field, case, mutate) in RESOLVE {
        let mut request = pb::ResolveOverDeliveryRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            purchase_order_id: order.id.clone(),
            receipt_id: receipt.clone(),
            line_index: 0,
            accept: true,
        };
        mutate(&mut request);
        names_field(
            orders.clone().resolve_over_delivery(request).await,
            field,
            &format!("ResolveOverDelivery {field}: {case}"),
        );
    }

    // Nothing written.
    assert_eq!((get_order(&order.id).await, get_order(&open.id).await, get_plan().await), before);
    assert_eq!(suppliers().await, suppliers_before);
    assert_eq!(store.level().await, level_before);
    let listed = orders.clone().list_purchase_orders(pb::ListPurchaseOrdersRequest::default()).await.unwrap();
    assert_eq!(listed.into_inner().purchase_orders.len(), 2, "no order was placed");
    assert_eq!(clients::all_events(&mut feed.clone()).await.len(), events_before, "nothing on the feed");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_purchasing_input_on_sqlite() {
    bad_input(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_purchasing_input_on_postgres() {
    bad_input(Backend::Postgres).await;
}
