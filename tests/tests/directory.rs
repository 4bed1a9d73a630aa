//! The dealer directory over the real binary, on SQLite and PostgreSQL: the OEM adds two dealers (a replayed
//! request answers the first result, the same id again is ALREADY_EXISTS), updates one with a stale etag (ABORTED)
//! and a fresh one; dealer managers add their staff, a subject cannot join a second dealer, a manager cannot touch
//! another dealer's staff; dealer A's staff never see dealer B; the feed carries DealerUpdated and StaffUpdated with
//! the full records, in order.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::directory::new_dealer;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

async fn the_directory(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let as_token = |token: String| DirectoryServiceClient::with_interceptor(channel.clone(), Bearer(Some(token)));
    let mut oem = as_token(Caller::role("oem_manager").token(&data));
    let (a, b) = (aftersales_kernel::DealerId::new().to_string(), aftersales_kernel::DealerId::new().to_string());

    let create_a = new_dealer(&a, "SHA1", 1300);
    let dealer_a = oem.create_dealer(create_a.clone()).await.unwrap().into_inner();
    assert_eq!(oem.create_dealer(create_a.clone()).await.unwrap().into_inner(), dealer_a, "a replay answers the first");
    let again = pb::CreateDealerRequest { request_id: uuid::Uuid::now_v7().to_string(), ..create_a };
    assert_eq!(oem.create_dealer(again).await.unwrap_err().code(), Code::AlreadyExists);
    let dealer_b = oem.create_dealer(new_dealer(&b, "SHB1", 900)).await.unwrap().into_inner();
    assert_eq!(dealer_b.tax_rate_basis_points, 900);

    // An update replaces the terms; a stale etag is refused.
    let update = |etag: &str, tax: i64| pb::UpdateDealerRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        dealer_id: a.clone(),
        etag: etag.to_string(),
        name: "Shanghai Pudong".into(),
        region: "CN-EAST".into(),
        time_zone: "Asia/Shanghai".into(),
        opening_hours: vec![pb::OpeningHours { day: 1, opens: "08:30".into(), closes: "17:30".into() }],
        currency_code: "EUR".into(),
        tax_rate_basis_points: tax,
        invoice_prefix: "SHA1".into(),
        active: true,
    };
    let updated = oem.update_dealer(update(&dealer_a.etag, 600)).await.unwrap().into_inner();
    assert_eq!((updated.tax_rate_basis_points, updated.opening_hours.len()), (600, 1));
    assert_eq!(oem.update_dealer(update(&dealer_a.etag, 700)).await.unwrap_err().code(), Code::Aborted);

    // Staff: each manager adds their own; a subject belongs to one dealer.
    let mut manager_a = as_token(Caller::dealer("dealer_manager", &a).token(&data));
    let mut manager_b = as_token(Caller::dealer("dealer_manager", &b).token(&data));
    let advisor = manager_a.add_staff_member(fixtures::add_staff_member()).await.unwrap().into_inner();
    assert_eq!(advisor.dealer_id, a);
    let poached = pb::AddStaffMemberRequest { subject: advisor.subject.clone(), ..fixtures::add_staff_member() };
    assert_eq!(manager_b.add_staff_member(poached).await.unwrap_err().code(), Code::AlreadyExists);
    let leave = pb::UpdateStaffMemberRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        subject: advisor.subject.clone(),
        etag: advisor.etag.clone(),
        name: advisor.name.clone(),
        role: advisor.role,
        contact: advisor.contact.clone(),
        active: false,
    };
    assert_eq!(manager_b.update_staff_member(leave.clone()).await.unwrap_err().code(), Code::NotFound);
    let left = manager_a.update_staff_member(leave).await.unwrap().into_inner();
    assert!(!left.active, "leaving is a deactivation");

    // Dealer A's staff see their dealer, never B.
    let mut staff_a = as_token(Caller::dealer("service_advisor", &a).token(&data));
    staff_a.get_dealer(pb::GetDealerRequest { dealer_id: a.clone() }).await.unwrap();
    let hidden = staff_a.get_dealer(pb::GetDealerRequest { dealer_id: b.clone() }).await.unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);
    let listed = staff_a.list_dealers(pb::ListDealersRequest::default()).await.unwrap().into_inner().dealers;
    assert_eq!(listed.iter().map(|d| d.dealer_id.as_str()).collect::<Vec<_>>(), [a.as_str()]);
    let named = pb::ListStaffRequest { dealer_id: b.clone(), ..Default::default() };
    assert_eq!(staff_a.list_staff(named).await.unwrap_err().code(), Code::PermissionDenied);
    let active = pb::ListStaffRequest { active_only: true, ..Default::default() };
    assert!(staff_a.list_staff(active).await.unwrap().into_inner().staff.is_empty(), "the advisor left");

    // The feed: every change with the full record, in order (the relay numbers rows just after they commit).
    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events = clients::at_least_events(&feed, 5).await;
    let dealers: Vec<pb::Dealer> =
        events.iter().filter_map(decode_payload::<pb::DealerUpdated>).map(|d| d.unwrap().dealer.unwrap()).collect();
    assert_eq!(dealers, [dealer_a, dealer_b, updated]);
    let staff: Vec<pb::StaffMember> = events
        .iter()
        .filter_map(decode_payload::<pb::StaffUpdated>)
        .map(|s| s.unwrap().staff_member.unwrap())
        .collect();
    assert_eq!(staff, [advisor, left]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_on_sqlite() {
    the_directory(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_directory_on_postgres() {
    the_directory(Backend::Postgres).await;
}
