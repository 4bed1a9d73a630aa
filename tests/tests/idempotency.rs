//! `request_id` makes creates and transitions idempotent per tenant and method.

use aftersales_e2e::clients;
use aftersales_e2e::fixtures;
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions};
use aftersales_proto::reception::v1::ListRepairOrdersRequest;
use tonic::Code;
use tonic_types::StatusExt;

#[tokio::test(flavor = "multi_thread")]
async fn the_same_request_id_twice_makes_one_order_and_answers_the_same() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let token =
        Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&suite.data_dir());
    let mut orders = clients::orders(suite.service("reception"), &token).await;
    let request = fixtures::create_repair_order(false);

    let first = orders.create_repair_order(request.clone()).await.unwrap().into_inner();
    let again = orders.create_repair_order(request.clone()).await.unwrap().into_inner();
    assert_eq!(first, again);
    let listed = orders.list_repair_orders(ListRepairOrdersRequest::default()).await.unwrap().into_inner();
    assert_eq!(listed.repair_orders.len(), 1);

    let mut changed = request;
    changed.mileage_km += 1;
    let status = orders.create_repair_order(changed).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let fields: Vec<_> =
        status.get_details_bad_request().unwrap().field_violations.into_iter().map(|v| v.field).collect();
    assert_eq!(fields, ["request_id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn approving_twice_with_one_request_id_publishes_one_approval() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let token = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let reception = suite.service("reception");
    let mut orders = clients::orders(reception, &token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    let approve = fixtures::approve(&order.id);

    let first = orders.approve_estimate(approve.clone()).await.unwrap().into_inner();
    let again = orders.approve_estimate(approve).await.unwrap().into_inner();
    assert_eq!(first, again, "the retry answers with the first result");

    // A new request id for the same approval meets the state machine instead.
    let status = orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap_err();
    assert_eq!(status.code(), Code::FailedPrecondition);
    let info = status.get_details_error_info().unwrap();
    assert_eq!(info.metadata.get("current_state").map(String::as_str), Some("approved"));

    let feed = clients::feed(reception, &Caller::role("oem_manager").token(&data)).await;
    let approvals =
        clients::count_once_at_least(&feed, 1, |e| e.event_type == "aftersales.reception.v1.RepairOrderApproved").await;
    assert_eq!(approvals, 1);
}
