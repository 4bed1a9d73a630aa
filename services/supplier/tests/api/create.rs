//! CreateSupplier: who may register suppliers, what is checked, what is published.

use aftersales_proto::common::v1::TenantKind;
use aftersales_proto::supplier::v1::{
    CreateSupplierRequest, GetSupplierRequest, SupplierStatus, SupplierStatusChanged,
};
use aftersales_runtime::auth::Role;
use prost::Message;
use tonic::Code;

use crate::helpers::{new_supplier, spawn_app, violated_fields};

#[tokio::test]
async fn a_registered_supplier_is_read_back_and_published_as_its_first_status() {
    // Arrange
    let app = spawn_app().await;
    // Act
    let created = app.client.clone().create_supplier(app.as_role(Role::Quality, new_supplier("BOSCH-CN"))).await;
    // Assert
    let created = created.unwrap().into_inner();
    assert_eq!((created.code.as_str(), created.status), ("BOSCH-CN", SupplierStatus::Approved as i32));
    assert_eq!(created.contacts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["Wang", "Li"]);
    let read = app
        .client
        .clone()
        .get_supplier(app.as_role(Role::OemSupport, GetSupplierRequest { id: created.id.clone() }))
        .await;
    assert_eq!(read.unwrap().into_inner(), created);
    let events = app.events(1).await;
    assert_eq!(events[0].event_type, "aftersales.supplier.v1.SupplierStatusChanged");
    assert_eq!(
        (events[0].tenant_kind, events[0].tenant_id.as_str()),
        (TenantKind::Supplier as i32, created.id.as_str())
    );
    assert_eq!((events[0].aggregate_type.as_str(), events[0].aggregate_id.as_str()), ("supplier", created.id.as_str()));
    let payload = SupplierStatusChanged::decode(events[0].payload.as_ref().unwrap().value.as_slice()).unwrap();
    assert_eq!(payload.status, SupplierStatus::Approved as i32);
    assert_eq!(payload.previous_status, SupplierStatus::Unspecified as i32, "newly registered");
}

#[tokio::test]
async fn the_same_request_id_returns_the_first_result_and_registers_once() {
    let app = spawn_app().await;
    let request = new_supplier("ZF");
    let first = app.client.clone().create_supplier(app.as_role(Role::OemManager, request.clone())).await;
    let again = app.client.clone().create_supplier(app.as_role(Role::OemManager, request)).await;
    assert_eq!(first.unwrap().into_inner(), again.unwrap().into_inner());
    assert_eq!(app.events(1).await.len(), 1);
}

#[tokio::test]
async fn a_code_already_registered_is_already_exists_for_another_request() {
    let app = spawn_app().await;
    app.client.clone().create_supplier(app.as_role(Role::Quality, new_supplier("ZF"))).await.unwrap();
    let again = CreateSupplierRequest { name: "ZF Friedrichshafen".into(), ..new_supplier("ZF") };
    let status = app.client.clone().create_supplier(app.as_role(Role::Quality, again)).await.unwrap_err();
    assert_eq!(status.code(), Code::AlreadyExists, "{status:?}");
}

#[tokio::test]
async fn only_quality_and_the_oem_manager_register_suppliers() {
    let app = spawn_app().await;
    for role in Role::ALL.into_iter().filter(|r| !matches!(r, Role::Quality | Role::OemManager | Role::Service)) {
        let status = app.client.clone().create_supplier(app.as_role(role, new_supplier("ZF"))).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "role {role}");
    }
    let status = app.client.clone().create_supplier(app.as_service(new_supplier("ZF"))).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "role service");
}

#[tokio::test]
async fn an_unspecified_status_and_a_malformed_request_id_are_invalid_argument() {
    let app = spawn_app().await;
    let request = CreateSupplierRequest { request_id: "x".into(), status: 0, ..new_supplier("ZF") };
    let status = app.client.clone().create_supplier(app.as_role(Role::Quality, request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["request_id", "status"]);
    let request = CreateSupplierRequest { status: 9, ..new_supplier("ZF") };
    let status = app.client.clone().create_supplier(app.as_role(Role::Quality, request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["status"]);
}

#[tokio::test]
async fn broken_supplier_rules_are_invalid_argument_naming_each_field_and_write_nothing() {
    let app = spawn_app().await;
    let mut request = CreateSupplierRequest { name: String::new(), code: "zf".into(), ..new_supplier("ZF") };
    request.contacts[0].phone = "call me".into();
    request.contacts[1].email = "li.supplier.example".into();
    let status = app.client.clone().create_supplier(app.as_role(Role::Quality, request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["name", "code", "contacts[0].phone", "contacts[1].email"]);
    let request = CreateSupplierRequest { contacts: Vec::new(), ..new_supplier("ZF") };
    let status = app.client.clone().create_supplier(app.as_role(Role::Quality, request)).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["contacts"]);
    let list = app.client.clone().list_suppliers(app.as_role(Role::Quality, Default::default())).await;
    assert!(list.unwrap().into_inner().suppliers.is_empty());
}

/// On PostgreSQL concurrent registrations all pass the look-up; the unique index decides, and the losers must
/// still answer ALREADY_EXISTS rather than INTERNAL.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_registrations_of_one_code_make_one_supplier_and_already_exists_for_the_rest() {
    let app = spawn_app().await;
    // Tokens are minted first (slow in debug builds), so the calls really run at once.
    let requests: Vec<_> = (0..8).map(|_| app.as_role(Role::Quality, new_supplier("ZF"))).collect();
    let calls: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let mut client = app.client.clone();
            tokio::spawn(async move { client.create_supplier(request).await.map_err(|s| s.code()) })
        })
        .collect();
    let mut codes: Vec<_> = Vec::new();
    for call in calls {
        codes.push(call.await.unwrap().map(|_| Code::Ok).unwrap_or_else(|code| code));
    }
    codes.sort_by_key(|c| *c as i32);
    assert_eq!(codes, [vec![Code::Ok], vec![Code::AlreadyExists; 7]].concat());
}
