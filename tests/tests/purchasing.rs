//! Purchasing on SQLite and PostgreSQL, parts following a fake reception feed for reservations and the real supplier
//! service's feed for its supplier list. Part P (designated supplier S1, registered on probation; policy min 5 /
//! max 20) has 3 on hand after a counter issue and 1 reserved; part Q (no policy, no designated supplier) is reserved
//! 3 with none on hand. The clerk's draft suggests 18 of P (below the reorder point) and 3 of Q (short for orders).
//! Approval is refused while Q has no supplier or one on probation, and passes with an approved one: two orders (P
//! from S1, whose probation keeps its designated part). A second draft suggests nothing (both are on order). P's
//! order is received in two deliveries — a rejection with its reason, then an over-delivery that is held until the
//! manager accepts it — and nothing more is received against it; Q's order is cancelled; S1 blocked in the supplier
//! service stops new orders of P once parts has followed.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::stock::Store;
use aftersales_e2e::stock::purchasing::{delivery, new_order};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::part_catalogue_service_client::PartCatalogueServiceClient;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn approved(dealer: &str, part: &str, hundredths: i64) -> reception::RepairOrderApproved {
    reception::RepairOrderApproved {
        repair_order_id: id(),
        dealer_id: dealer.into(),
        vin: fixtures::VIN.into(),
        mileage_km: 42_000,
        lines: vec![reception::RepairOrderLine {
            line_id: id(),
            item: Some(reception::repair_order_line::Item::Part(reception::PartItem {
                part_number: part.into(),
                quantity_hundredths: hundredths,
                unit_price: None,
            })),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn precondition(result: Result<tonic::Response<impl std::fmt::Debug>, tonic::Status>, reason: &str) -> String {
    let status = result.expect_err("refused");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let details = format!("{status:?}");
    assert!(details.contains(reason), "{reason} expected: {details}");
    status.message().to_string()
}

async fn purchasing(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("repair_order").await;
    let options = SuiteOptions::default().with_for("parts", "AFTERSALES__PEERS__RECEPTION", &reception_url);
    let Some(mut suite) = Suite::start(backend, &["parts", "supplier"], options).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let channel = suite.service("parts").channel().await;

    // S1 registered on probation in the supplier service; P with designated supplier S1; Q without.
    let quality = Bearer(Some(Caller::role("quality").token(&data)));
    let mut suppliers = SupplierServiceClient::with_interceptor(suite.service("supplier").channel().await, quality);
    let register = supplier::CreateSupplierRequest {
        status: supplier::SupplierStatus::Probation as i32,
        ..fixtures::new_supplier()
    };
    let registered = suppliers.create_supplier(register).await.unwrap().into_inner();
    let s1 = registered.id.clone();
    let p = pb::CreateCatalogueEntryRequest { supplier_id: s1.clone(), ..fixtures::new_part("") };
    let oem = Bearer(Some(Caller::role("oem_manager").token(&data)));
    PartCatalogueServiceClient::with_interceptor(channel.clone(), oem).create_catalogue_entry(p.clone()).await.unwrap();
    let store = Store::open_with(channel.clone(), &data, &dealer, &p.part_number).await;
    let q_store = Store::open(channel.clone(), &data, &dealer).await;
    let q = q_store.part.clone();

    // Parts lists S1 as the supplier service registered it.
    let listed = store.followed(&s1, supplier::SupplierStatus::Probation).await;
    assert_eq!(
        (listed.name.as_str(), listed.reason.as_str(), listed.updated_by.as_str(), listed.update_time),
        (registered.name.as_str(), "", "supplier-service", registered.update_time),
        "S1 as listed"
    );
    let manager = store.purchasing("dealer_manager");
    let orders = store.purchase_orders("dealer_manager");
    let policy = pb::SetStockingPolicyRequest {
        request_id: id(),
        part_number: store.part.clone(),
        min_hundredths: 500,
        max_hundredths: 2000,
    };
    manager.clone().set_stocking_policy(policy).await.unwrap();
    store.put("A-01", "L-1", 400).await;
    let counter =
        pb::IssuePartsRequest { quantity_hundredths: 100, ..fixtures::issue_parts(&store.warehouse, &store.part) };
    store.stock("parts_clerk").issue_parts(counter).await.unwrap();
    reception_feed.publish(&dealer, "o-1", &approved(&dealer, &store.part, 100));
    reception_feed.publish(&dealer, "o-2", &approved(&dealer, &q, 300));
    wait::until(Duration::from_secs(15), "the reservations", || async {
        (store.availability().await.reserved_hundredths == 100
            && q_store.availability().await.reserved_hundredths == 300)
            .then_some(())
    })
    .await;

    // The draft: P at projected 2 (3 on hand − 1 reserved) ≤ 5 → up to 20: 18, from S1; Q short 3, no supplier.
    let plan = store.draft_plan().await;
    let lines: Vec<(&str, i64, pb::PlanReason, &str)> = plan
        .lines
        .iter()
        .map(|l| (l.part_number.as_str(), l.quantity_hundredths, l.reason(), l.supplier_id.as_str()))
        .collect();
    let mut expected = vec![
        (store.part.as_str(), 1800, pb::PlanReason::BelowReorderPoint, s1.as_str()),
        (q.as_str(), 300, pb::PlanReason::ShortForOrders, ""),
    ];
    expected.sort();
    assert_eq!(lines, expected);
    let p_line = plan.lines.iter().find(|l| l.part_number == store.part).unwrap();
    assert_eq!(
        (
            p_line.on_hand_hundredths,
            p_line.reserved_hundredths,
            p_line.on_order_hundredths,
            p_line.demand_30d_hundredths
        ),
        (300, 100, 0, 100),
        "the figures it was drafted from"
    );
    let q_index = plan.lines.iter().position(|l| l.part_number == q).unwrap();
    let approve = |plan: &str| pb::ApprovePurchasePlanRequest { request_id: id(), plan_id: plan.to_string() };

    // Approval needs an allowed supplier on every line; nothing is ordered until then.
    let message = precondition(manager.clone().approve_purchase_plan(approve(&plan.id)).await, "SUPPLIER_NOT_APPROVED");
    assert!(message.contains(&format!("lines[{q_index}]")), "{message}");
    let on_probation = store.registered_supplier(supplier::SupplierStatus::Probation).await;
    let edit = |supplier: &str| pb::EditPurchasePlanRequest {
        request_id: id(),
        plan_id: plan.id.clone(),
        lines: vec![pb::PlanLineEdit {
            part_number: q.clone(),
            quantity_hundredths: 400,
            supplier_id: supplier.into(),
        }],
    };
    manager.clone().edit_purchase_plan(edit(&on_probation)).await.unwrap();
    precondition(manager.clone().approve_purchase_plan(approve(&plan.id)).await, "SUPPLIER_NOT_APPROVED");
    let listed = orders.clone().list_purchase_orders(pb::ListPurchaseOrdersRequest::default()).await.unwrap();
    assert!(listed.into_inner().purchase_orders.is_empty(), "nothing ordered");
    let s2 = store.approved_supplier().await;
    manager.clone().edit_purchase_plan(edit(&s2)).await.unwrap();
    let approved_plan = manager.clone().approve_purchase_plan(approve(&plan.id)).await.unwrap().into_inner();
    assert_eq!(approved_plan.state(), pb::PurchasePlanState::Approved);
    assert_eq!(approved_plan.purchase_order_ids.len(), 2, "one order per supplier");
    precondition(manager.clone().edit_purchase_plan(edit(&s2)).await, "PLAN_APPROVED");

    let listed = orders.clone().list_purchase_orders(pb::ListPurchaseOrdersRequest::default()).await.unwrap();
    let placed = listed.into_inner().purchase_orders;
    let by_supplier = |s: &str| placed.iter().find(|o| o.supplier_id == s).unwrap().clone();
    let (p_order, q_order) = (by_supplier(&s1), by_supplier(&s2));
    assert_eq!((p_order.lines[0].ordered_hundredths, q_order.lines[0].ordered_hundredths), (1800, 400));

    // Both parts are on order: nothing more is suggested.
    assert!(store.draft_plan().await.lines.is_empty());

    // P arrives: 10 delivered, 1 rejected → 9 in stock; then 11 more for the 9 outstanding → 9 in, 2 held.
    let receiving = store.purchase_orders("parts_clerk");
    let first = receiving.clone().receive_goods(delivery(&p_order, &store.warehouse, 1000, 100)).await.unwrap();
    let first = first.into_inner();
    assert_eq!((first.state(), first.lines[0].received_hundredths), (pb::PurchaseOrderState::PartiallyReceived, 900));
    assert_eq!(store.level().await.on_hand_hundredths, 1200);
    let second = receiving.clone().receive_goods(delivery(&p_order, &store.warehouse, 1100, 0)).await.unwrap();
    let second = second.into_inner();
    assert_eq!(second.state(), pb::PurchaseOrderState::Received);
    let held = &second.receipts[1].lines[0];
    assert_eq!((held.entered_hundredths, held.held_hundredths, held.held_state()), (900, 200, pb::HeldState::Held));
    assert_eq!(store.level().await.on_hand_hundredths, 2100, "held stock is not put away");

    // Nothing more is received against a received order; the manager takes the 2 held pieces.
    let movements_before = store.movements().await.len();
    precondition(
        receiving.clone().receive_goods(delivery(&p_order, &store.warehouse, 100, 0)).await,
        "PURCHASE_ORDER_CLOSED",
    );
    assert_eq!(store.movements().await.len(), movements_before, "nothing written");
    let resolve = |accept: bool| pb::ResolveOverDeliveryRequest {
        request_id: id(),
        purchase_order_id: p_order.id.clone(),
        receipt_id: second.receipts[1].id.clone(),
        line_index: 0,
        accept,
    };
    let amended = orders.clone().resolve_over_delivery(resolve(true)).await.unwrap().into_inner();
    assert_eq!((amended.lines[0].ordered_hundredths, amended.lines[0].received_hundredths), (2000, 2000));
    assert_eq!(amended.receipts[1].lines[0].held_state(), pb::HeldState::Accepted);
    assert_eq!(store.level().await.on_hand_hundredths, 2300);
    precondition(orders.clone().resolve_over_delivery(resolve(false)).await, "NOTHING_HELD");

    // Q's order is cancelled before anything came; nothing is received against it.
    let close = pb::ClosePurchaseOrderRequest {
        request_id: id(),
        purchase_order_id: q_order.id.clone(),
        reason: "the customer's car went to another dealer".into(),
    };
    let cancelled = orders.clone().close_purchase_order(close).await.unwrap().into_inner();
    assert_eq!(cancelled.state(), pb::PurchaseOrderState::Cancelled);
    precondition(
        receiving.clone().receive_goods(delivery(&q_order, &store.warehouse, 100, 0)).await,
        "PURCHASE_ORDER_CLOSED",
    );

    // S1 blocked in the supplier service: once parts has followed, not even its designated part is ordered from it.
    let blocked = store.move_supplier(&s1, supplier::SupplierStatus::Blocked).await;
    let listed = store.listed_supplier(&s1).await.expect("S1 listed");
    assert_eq!(
        (listed.status(), listed.reason.as_str(), listed.updated_by.as_str(), listed.update_time),
        (pb::SupplierStatus::Blocked, "annual supplier review", "supplier-service", blocked.update_time),
        "S1 as listed once blocked"
    );
    precondition(orders.clone().create_purchase_order(new_order(&s1, &store.part, 100)).await, "SUPPLIER_NOT_APPROVED");

    // The feed: two orders placed, two deliveries received (with the rejection and its reason).
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "supplier")).await;
    let events = wait::until(Duration::from_secs(15), "the purchasing events", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            (events.iter().filter(|e| decode_payload::<pb::GoodsReceived>(e).is_some()).count() == 2).then_some(events)
        }
    })
    .await;
    assert_eq!(events.iter().filter(|e| decode_payload::<pb::PurchaseOrderPlaced>(e).is_some()).count(), 2);
    let rejected: Vec<(i64, String)> = events
        .iter()
        .filter_map(decode_payload::<pb::GoodsReceived>)
        .map(Result::unwrap)
        .flat_map(|e| e.receipt.unwrap().lines)
        .map(|l| (l.rejected_hundredths, l.rejection_reason))
        .collect();
    assert_eq!(rejected, [(100, "crushed packaging".to_string()), (0, String::new())]);
}

#[tokio::test(flavor = "multi_thread")]
async fn purchasing_on_sqlite() {
    purchasing(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn purchasing_on_postgres() {
    purchasing(Backend::Postgres).await;
}
