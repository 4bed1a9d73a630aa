//! SetSupplierStatus: quality and the OEM's manager move a supplier between approved, probation and blocked with a
//! reason; each change is published with the status before; the status it has already changes and publishes
//! nothing; every field is checked by name.

use aftersales_proto::supplier::v1::{SetSupplierStatusRequest, SupplierStatus, SupplierStatusChanged};
use aftersales_runtime::auth::Role;
use prost::Message;
use tonic::Code;

use crate::helpers::{TestApp, new_supplier, spawn_app, violated_fields};

fn change(id: &str, status: SupplierStatus, reason: &str) -> SetSupplierStatusRequest {
    SetSupplierStatusRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        id: id.into(),
        status: status as i32,
        reason: reason.into(),
    }
}

async fn registered(app: &TestApp) -> String {
    let created = app.client.clone().create_supplier(app.as_role(Role::Quality, new_supplier("DENSO-CN"))).await;
    created.unwrap().into_inner().id
}

#[tokio::test]
async fn each_change_is_published_with_the_status_before_and_the_same_status_changes_nothing() {
    let app = spawn_app().await;
    let id = registered(&app).await;
    let moved = change(&id, SupplierStatus::Probation, "acknowledgement on time 62 % in Q3");
    let answer = app.client.clone().set_supplier_status(app.as_role(Role::Quality, moved.clone())).await.unwrap();
    assert_eq!(answer.into_inner().status, SupplierStatus::Probation as i32);
    let again = app.client.clone().set_supplier_status(app.as_role(Role::Quality, moved)).await.unwrap();
    assert_eq!(again.into_inner().status, SupplierStatus::Probation as i32, "the same request: the first answer");
    let same = change(&id, SupplierStatus::Probation, "still poor");
    app.client.clone().set_supplier_status(app.as_role(Role::OemManager, same)).await.unwrap();
    let blocked = change(&id, SupplierStatus::Blocked, "three repeat failures");
    app.client.clone().set_supplier_status(app.as_role(Role::OemManager, blocked)).await.unwrap();

    let events = app.events(3).await;
    let changes: Vec<SupplierStatusChanged> = events
        .iter()
        .map(|e| SupplierStatusChanged::decode(e.payload.as_ref().unwrap().value.as_slice()).unwrap())
        .collect();
    let seen: Vec<(i32, i32, &str)> =
        changes.iter().map(|c| (c.previous_status, c.status, c.reason.as_str())).collect();
    assert_eq!(
        seen,
        [
            (SupplierStatus::Unspecified as i32, SupplierStatus::Approved as i32, ""),
            (SupplierStatus::Approved as i32, SupplierStatus::Probation as i32, "acknowledgement on time 62 % in Q3"),
            (SupplierStatus::Probation as i32, SupplierStatus::Blocked as i32, "three repeat failures"),
        ],
        "registered, on probation, blocked — nothing for the unchanged status"
    );
}

#[tokio::test]
async fn only_quality_and_the_oem_manager_move_a_supplier_and_every_field_is_checked() {
    let app = spawn_app().await;
    let id = registered(&app).await;
    for role in [Role::Supplier, Role::OemSupport, Role::OemExecutive, Role::ServiceAdvisor] {
        let denied =
            app.client.clone().set_supplier_status(app.as_role(role, change(&id, SupplierStatus::Blocked, "x"))).await;
        assert_eq!(denied.unwrap_err().code(), Code::PermissionDenied, "{role}");
    }
    let missing = aftersales_kernel::SupplierId::new().to_string();
    let unknown = app
        .client
        .clone()
        .set_supplier_status(app.as_role(Role::Quality, change(&missing, SupplierStatus::Blocked, "x")))
        .await;
    assert_eq!(unknown.unwrap_err().code(), Code::NotFound);
    let bad = SetSupplierStatusRequest {
        request_id: "nope".into(),
        id: "not-an-id".into(),
        status: SupplierStatus::Unspecified as i32,
        reason: String::new(),
    };
    let refused = app.client.clone().set_supplier_status(app.as_role(Role::Quality, bad)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["request_id", "id", "status", "reason"]);
    let long = change(&id, SupplierStatus::Blocked, &"x".repeat(501));
    let refused = app.client.clone().set_supplier_status(app.as_role(Role::Quality, long)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["reason"]);
    assert_eq!(app.events(1).await.len(), 1, "nothing but the registration published");
}
