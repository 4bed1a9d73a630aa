//! GetSupplier and ListSuppliers: OEM staff see every supplier, a supplier only itself, dealers none.

use aftersales_kernel::SupplierId;
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::supplier::v1::{
    CreateSupplierRequest, GetSupplierRequest, ListSuppliersRequest, Supplier, SupplierStatus,
};
use aftersales_runtime::auth::Role;
use tonic::Code;

use crate::helpers::{TestApp, new_supplier, spawn_app, violated_fields};

async fn register(app: &TestApp, code: &str, status: SupplierStatus) -> Supplier {
    let request = CreateSupplierRequest { status: status as i32, ..new_supplier(code) };
    app.client.clone().create_supplier(app.as_role(Role::OemManager, request)).await.unwrap().into_inner()
}

fn get(id: &str) -> GetSupplierRequest {
    GetSupplierRequest { id: id.into() }
}

#[tokio::test]
async fn every_oem_role_reads_every_supplier() {
    let app = spawn_app().await;
    let bosch = register(&app, "BOSCH-CN", SupplierStatus::Approved).await;
    register(&app, "ZF", SupplierStatus::Blocked).await;
    for role in Role::ALL.into_iter().filter(|r| r.is_oem_staff()) {
        assert!(app.client.clone().get_supplier(app.as_role(role, get(&bosch.id))).await.is_ok(), "{role}");
        let list = app.client.clone().list_suppliers(app.as_role(role, Default::default())).await;
        assert_eq!(list.unwrap().into_inner().suppliers.len(), 2, "{role}");
    }
}

#[tokio::test]
async fn a_supplier_sees_only_itself_and_other_ids_are_not_found_like_missing_ones() {
    let app = spawn_app().await;
    let bosch = register(&app, "BOSCH-CN", SupplierStatus::Approved).await;
    let zf = register(&app, "ZF", SupplierStatus::Approved).await;
    let own = app.client.clone().get_supplier(app.as_supplier(&bosch.id, get(&bosch.id))).await;
    assert_eq!(own.unwrap().into_inner(), bosch);
    let other = app.client.clone().get_supplier(app.as_supplier(&bosch.id, get(&zf.id))).await.unwrap_err();
    let missing =
        app.client.clone().get_supplier(app.as_supplier(&bosch.id, get(&SupplierId::new().to_string()))).await;
    let missing = missing.unwrap_err();
    assert_eq!((other.code(), other.message()), (missing.code(), missing.message()));
    assert_eq!(other.code(), Code::NotFound);
    let list = app.client.clone().list_suppliers(app.as_supplier(&bosch.id, Default::default())).await;
    assert_eq!(list.unwrap().into_inner().suppliers, [bosch]);
}

#[tokio::test]
async fn dealer_staff_and_services_may_not_read_suppliers() {
    let app = spawn_app().await;
    let bosch = register(&app, "BOSCH-CN", SupplierStatus::Approved).await;
    for role in Role::ALL.into_iter().filter(|r| r.is_dealer_staff()) {
        let status = app.client.clone().get_supplier(app.as_role(role, get(&bosch.id))).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{role}");
        let status = app.client.clone().list_suppliers(app.as_role(role, Default::default())).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{role}");
    }
    let status = app.client.clone().get_supplier(app.as_service(get(&bosch.id))).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "service");
}

#[tokio::test]
async fn suppliers_are_listed_in_code_order_page_by_page_and_by_status() {
    let app = spawn_app().await;
    for (code, status) in [
        ("ZF", SupplierStatus::Approved),
        ("BOSCH-CN", SupplierStatus::Approved),
        ("AISIN", SupplierStatus::Blocked),
        ("DENSO", SupplierStatus::Approved),
        ("CONTI", SupplierStatus::Approved),
    ] {
        register(&app, code, status).await;
    }
    let mut seen = Vec::new();
    let mut page = PageRequest { page_size: 2, page_token: String::new() };
    loop {
        let request = ListSuppliersRequest { page: Some(page.clone()), status: SupplierStatus::Approved as i32 };
        let response = app.client.clone().list_suppliers(app.as_role(Role::Quality, request)).await;
        let response = response.unwrap().into_inner();
        seen.extend(response.suppliers.into_iter().map(|s| s.code));
        page.page_token = response.page.unwrap_or_default().next_page_token;
        if page.page_token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, ["BOSCH-CN", "CONTI", "DENSO", "ZF"]);
}

#[tokio::test]
async fn a_malformed_id_status_filter_or_page_token_is_invalid_argument() {
    let app = spawn_app().await;
    let status = app.client.clone().get_supplier(app.as_role(Role::Quality, get("BOSCH-CN"))).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["id"]);
    for (request, field) in [
        (ListSuppliersRequest { page: None, status: 7 }, "status"),
        (
            ListSuppliersRequest { page: Some(PageRequest { page_size: 1, page_token: "garbage".into() }), status: 0 },
            "page.page_token",
        ),
    ] {
        let status = app.client.clone().list_suppliers(app.as_role(Role::Quality, request)).await.unwrap_err();
        assert_eq!(violated_fields(&status), [field]);
    }
}
