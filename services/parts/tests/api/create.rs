//! CreateCatalogueEntry: who may add parts, what is checked, what is published.

use aftersales_kernel::SupplierId;
use aftersales_proto::common::v1::Money;
use aftersales_proto::parts::v1::{CatalogueEntryCreated, CreateCatalogueEntryRequest};
use aftersales_runtime::auth::Role;
use prost::Message;
use tonic::Code;

use crate::helpers::{get, new_entry, spawn_app, violated_fields};

#[tokio::test]
async fn a_created_entry_is_read_back_by_dealer_staff_and_published_on_the_feed() {
    // Arrange
    let app = spawn_app().await;
    let supplier = SupplierId::new().to_string();
    let request = CreateCatalogueEntryRequest { supplier_id: supplier.clone(), ..new_entry("8w0-698-151.a") };
    // Act
    let created = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await.unwrap();
    let read = app.client.clone().get_catalogue_entry(app.as_role(Role::PartsClerk, get("8W0-698-151.A"))).await;
    // Assert
    let created = created.into_inner();
    assert_eq!(created.part_number, "8W0-698-151.A", "part numbers are kept upper-case");
    assert_eq!(created.applicable_models, ["A4 B9", "A5 F5"]);
    assert!(created.create_time.is_some());
    assert_eq!(read.unwrap().into_inner(), created);
    let events = app.events(1).await;
    assert_eq!(events[0].event_type, "aftersales.parts.v1.CatalogueEntryCreated");
    assert_eq!(
        (events[0].aggregate_type.as_str(), events[0].aggregate_id.as_str()),
        ("catalogue_entry", "8W0-698-151.A")
    );
    assert!(events[0].tenant_id.is_empty(), "the catalogue is OEM-wide");
    let payload = CatalogueEntryCreated::decode(events[0].payload.as_ref().unwrap().value.as_slice()).unwrap();
    assert_eq!((payload.supplier_id, payload.warranty_months), (supplier, 24));
}

#[tokio::test]
async fn the_same_request_id_returns_the_first_result_and_creates_once() {
    let app = spawn_app().await;
    let request = new_entry("A-100");
    let first = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request.clone())).await;
    let again = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await;
    assert_eq!(first.unwrap().into_inner(), again.unwrap().into_inner());
    assert_eq!(app.events(1).await.len(), 1);
}

#[tokio::test]
async fn a_part_number_already_in_the_catalogue_is_already_exists_for_another_request() {
    let app = spawn_app().await;
    app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-100"))).await.unwrap();
    let status =
        app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, new_entry("a-100"))).await.unwrap_err();
    assert_eq!(status.code(), Code::AlreadyExists, "{status:?}");
}

#[tokio::test]
async fn only_the_oem_manager_creates_entries() {
    let app = spawn_app().await;
    for role in Role::ALL.into_iter().filter(|r| !matches!(r, Role::OemManager | Role::Service)) {
        let status =
            app.client.clone().create_catalogue_entry(app.as_role(role, new_entry("A-100"))).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "role {role}");
    }
    let status = app.client.clone().create_catalogue_entry(app.as_service(new_entry("A-100"))).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "role service");
}

#[tokio::test]
async fn malformed_values_are_invalid_argument_naming_each_field() {
    let app = spawn_app().await;
    let request = CreateCatalogueEntryRequest {
        request_id: "again".into(),
        part_number: "A 1".into(),
        supplier_id: "not-a-uuid".into(),
        list_price: Some(Money { currency_code: "euro".into(), units_minor: 1 }),
        superseded_by: "-X".into(),
        ..new_entry("A-100")
    };
    let status = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await.unwrap_err();
    assert_eq!(
        violated_fields(&status),
        ["request_id", "part_number", "supplier_id", "list_price.currency_code", "superseded_by"]
    );
    let request = CreateCatalogueEntryRequest { list_price: None, ..new_entry("A-100") };
    let status = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["list_price"]);
}

#[tokio::test]
async fn broken_catalogue_rules_are_invalid_argument_naming_each_field_and_write_nothing() {
    let app = spawn_app().await;
    let request = CreateCatalogueEntryRequest {
        name: String::new(),
        applicable_models: vec!["A4".into(), "A4".into()],
        list_price: Some(Money { currency_code: "EUR".into(), units_minor: -1 }),
        warranty_months: 241,
        warranty_km: 2_000_001,
        superseded_by: "A-100".into(),
        ..new_entry("A-100")
    };
    let status = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await.unwrap_err();
    assert_eq!(
        violated_fields(&status),
        ["name", "applicable_models[1]", "list_price.units_minor", "warranty_months", "warranty_km", "superseded_by"]
    );
    let status = app.client.clone().get_catalogue_entry(app.as_role(Role::OemManager, get("A-100"))).await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn a_replacement_must_already_be_in_the_catalogue() {
    let app = spawn_app().await;
    let old = CreateCatalogueEntryRequest { superseded_by: "A-200".into(), ..new_entry("A-100") };
    let status =
        app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, old.clone())).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["superseded_by"]);
    app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-200"))).await.unwrap();
    let retried = app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, old)).await;
    assert_eq!(retried.unwrap().into_inner().superseded_by, "A-200", "the refused request left no key behind");
}

/// On PostgreSQL concurrent creates all pass the look-up; the primary key decides, and the losers must still
/// answer ALREADY_EXISTS rather than INTERNAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_part_number_make_one_entry_and_already_exists_for_the_rest() {
    let app = spawn_app().await;
    // Tokens are minted first (slow in debug builds), so the calls really run at once.
    let requests: Vec<_> = (0..8).map(|_| app.as_role(Role::OemManager, new_entry("A-100"))).collect();
    let calls: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let mut client = app.client.clone();
            tokio::spawn(async move { client.create_catalogue_entry(request).await.map_err(|s| s.code()) })
        })
        .collect();
    let mut codes: Vec<_> = Vec::new();
    for call in calls {
        codes.push(call.await.unwrap().map(|_| Code::Ok).unwrap_or_else(|code| code));
    }
    codes.sort_by_key(|c| *c as i32);
    assert_eq!(codes, [vec![Code::Ok], vec![Code::AlreadyExists; 7]].concat());
}
