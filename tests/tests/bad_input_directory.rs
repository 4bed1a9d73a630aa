//! Bad input, field by field, for the dealer directory: every request field has at least one failing row →
//! INVALID_ARGUMENT naming it, and nothing is written (the dealer and the feed unchanged).

use aftersales_e2e::auth::service_token;
use aftersales_e2e::directory::new_dealer;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;

const CREATE: &[Mutation<pb::CreateDealerRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("dealer_id", "missing", |r| r.dealer_id.clear()),
    ("dealer_id", "not an id", |r| r.dealer_id = "BJ-01".into()),
    ("name", "missing", |r| r.name.clear()),
    ("name", "over 200 characters", |r| r.name = "n".repeat(201)),
    ("region", "missing", |r| r.region.clear()),
    ("region", "lower case", |r| r.region = "cn-east".into()),
    ("time_zone", "missing", |r| r.time_zone.clear()),
    ("time_zone", "not an IANA zone", |r| r.time_zone = "China Standard Time".into()),
    ("opening_hours", "more than 28", |r| r.opening_hours = vec![r.opening_hours[0].clone(); 29]),
    ("opening_hours[0].day", "unspecified", |r| r.opening_hours[0].day = 0),
    ("opening_hours[0].opens", "not a time", |r| r.opening_hours[0].opens = "8am".into()),
    ("opening_hours[0].closes", "25:00", |r| r.opening_hours[0].closes = "25:00".into()),
    ("opening_hours[0]", "closes before it opens", |r| r.opening_hours[0].closes = "07:00".into()),
    ("opening_hours[7]", "overlaps the same day", |r| {
        r.opening_hours.push(pb::OpeningHours { day: 1, opens: "12:00".into(), closes: "20:00".into() })
    }),
    ("currency_code", "not ISO 4217", |r| r.currency_code = "euro".into()),
    ("tax_rate_basis_points", "negative", |r| r.tax_rate_basis_points = -1),
    ("tax_rate_basis_points", "over 100 %", |r| r.tax_rate_basis_points = 10_001),
    ("invoice_prefix", "missing", |r| r.invoice_prefix.clear()),
    ("invoice_prefix", "lower case", |r| r.invoice_prefix = "bj".into()),
    ("invoice_prefix", "over 10 characters", |r| r.invoice_prefix = "ABCDEFGHIJK".into()),
];

const ADD_STAFF: &[Mutation<pb::AddStaffMemberRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("subject", "missing", |r| r.subject.clear()),
    ("subject", "over 200 characters", |r| r.subject = "s".repeat(201)),
    ("name", "missing", |r| r.name.clear()),
    ("role", "unspecified", |r| r.role = 0),
    ("role", "unknown", |r| r.role = 40),
    ("contact", "over 50 characters", |r| r.contact = "1".repeat(51)),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_the_directory_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let oem = DirectoryServiceClient::with_interceptor(
        channel.clone(),
        Bearer(Some(Caller::role("oem_manager").token(&data))),
    );
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let manager = DirectoryServiceClient::with_interceptor(
        channel.clone(),
        Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data))),
    );
    let existing = oem.clone().create_dealer(new_dealer(&dealer, "OK1", 1300)).await.unwrap().into_inner();
    let member = manager.clone().add_staff_member(fixtures::add_staff_member()).await.unwrap().into_inner();
    let mut feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events_before = clients::at_least_events(&feed, 2).await;

    for (field, case, mutate) in CREATE {
        let mut request = new_dealer(&aftersales_kernel::DealerId::new().to_string(), "NEW", 1300);
        mutate(&mut request);
        names_field(oem.clone().create_dealer(request).await, field, &format!("CreateDealer {field}: {case}"));
    }
    // Update shares the profile's checks; its own fields:
    let update = || pb::UpdateDealerRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        dealer_id: dealer.clone(),
        etag: existing.etag.clone(),
        name: existing.name.clone(),
        region: existing.region.clone(),
        time_zone: existing.time_zone.clone(),
        opening_hours: existing.opening_hours.clone(),
        currency_code: existing.currency_code.clone(),
        tax_rate_basis_points: 20_000,
        invoice_prefix: existing.invoice_prefix.clone(),
        active: true,
    };
    names_field(oem.clone().update_dealer(update()).await, "tax_rate_basis_points", "UpdateDealer tax over 100 %");
    let no_etag = pb::UpdateDealerRequest { etag: String::new(), tax_rate_basis_points: 0, ..update() };
    names_field(oem.clone().update_dealer(no_etag).await, "etag", "UpdateDealer etag: missing");
    let bad_id = pb::UpdateDealerRequest { dealer_id: "x".into(), tax_rate_basis_points: 0, ..update() };
    names_field(oem.clone().update_dealer(bad_id).await, "dealer_id", "UpdateDealer dealer_id: not an id");
    names_field(
        oem.clone().get_dealer(pb::GetDealerRequest { dealer_id: "7".into() }).await,
        "dealer_id",
        "GetDealer dealer_id: not an id",
    );
    names_field(
        oem.clone().list_dealers(pb::ListDealersRequest { page: None, region: "r".repeat(51) }).await,
        "region",
        "ListDealers region: too long",
    );
    for (field, case, mutate) in ADD_STAFF {
        let mut request = fixtures::add_staff_member();
        mutate(&mut request);
        names_field(manager.clone().add_staff_member(request).await, field, &format!("AddStaffMember {field}: {case}"));
    }
    let update_staff = |etag: &str, role: i32| pb::UpdateStaffMemberRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        subject: member.subject.clone(),
        etag: etag.to_string(),
        name: member.name.clone(),
        role,
        contact: String::new(),
        active: true,
    };
    names_field(manager.clone().update_staff_member(update_staff("", 1)).await, "etag", "UpdateStaffMember etag");
    names_field(
        manager.clone().update_staff_member(update_staff(&member.etag, 0)).await,
        "role",
        "UpdateStaffMember role",
    );
    names_field(
        manager.clone().get_staff_member(pb::GetStaffMemberRequest { subject: String::new() }).await,
        "subject",
        "GetStaffMember subject: missing",
    );
    let bad_list = pb::ListStaffRequest { dealer_id: "d".into(), ..Default::default() };
    names_field(oem.clone().list_staff(bad_list).await, "dealer_id", "ListStaff dealer_id: not an id");
    let bad_role = pb::ListStaffRequest { role: 99, ..Default::default() };
    names_field(oem.clone().list_staff(bad_role).await, "role", "ListStaff role: unknown");

    let now = oem.clone().get_dealer(pb::GetDealerRequest { dealer_id: dealer.clone() }).await.unwrap().into_inner();
    assert_eq!(now, existing, "the dealer is as it was");
    assert_eq!(clients::all_events(&mut feed).await, events_before, "no new event");
}
