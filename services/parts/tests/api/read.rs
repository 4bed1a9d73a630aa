//! GetCatalogueEntry and ListCatalogueEntries: who may read the catalogue, and in which order it pages.

use aftersales_kernel::SupplierId;
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::parts::v1::{CreateCatalogueEntryRequest, ListCatalogueEntriesRequest};
use aftersales_runtime::auth::Role;
use tonic::Code;

use crate::helpers::{get, new_entry, spawn_app, violated_fields};

#[tokio::test]
async fn every_dealer_and_oem_role_reads_the_catalogue_but_suppliers_and_services_do_not() {
    let app = spawn_app().await;
    app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-100"))).await.unwrap();
    for role in Role::ALL.into_iter().filter(|r| r.is_dealer_staff() || r.is_oem_staff()) {
        assert!(app.client.clone().get_catalogue_entry(app.as_role(role, get("A-100"))).await.is_ok(), "{role}");
        let list = app.client.clone().list_catalogue_entries(app.as_role(role, Default::default())).await;
        assert_eq!(list.unwrap().into_inner().entries.len(), 1, "{role}");
    }
    let status = app.client.clone().get_catalogue_entry(app.as_role(Role::Supplier, get("A-100"))).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let status = app.client.clone().list_catalogue_entries(app.as_service(Default::default())).await.unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn an_unknown_part_number_is_not_found_and_a_malformed_one_invalid() {
    let app = spawn_app().await;
    let status = app.client.clone().get_catalogue_entry(app.as_role(Role::Foreman, get("NO-SUCH"))).await.unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = app.client.clone().get_catalogue_entry(app.as_role(Role::Foreman, get("no such"))).await.unwrap_err();
    assert_eq!(violated_fields(&status), ["part_number"]);
}

#[tokio::test]
async fn entries_are_listed_in_part_number_order_page_by_page_and_by_supplier() {
    let app = spawn_app().await;
    let supplier = SupplierId::new().to_string();
    for (number, supplied) in [("C-3", true), ("A-1", false), ("B-2", true), ("D-4", true)] {
        let supplier_id = if supplied { supplier.clone() } else { String::new() };
        let request = CreateCatalogueEntryRequest { supplier_id, ..new_entry(number) };
        app.client.clone().create_catalogue_entry(app.as_role(Role::OemManager, request)).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut page = PageRequest { page_size: 2, page_token: String::new() };
    loop {
        let request = ListCatalogueEntriesRequest { page: Some(page.clone()), supplier_id: supplier.clone() };
        let response = app.client.clone().list_catalogue_entries(app.as_role(Role::OemSupport, request)).await;
        let response = response.unwrap().into_inner();
        seen.extend(response.entries.into_iter().map(|e| e.part_number));
        page.page_token = response.page.unwrap_or_default().next_page_token;
        if page.page_token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, ["B-2", "C-3", "D-4"]);
}

#[tokio::test]
async fn a_malformed_supplier_filter_or_page_token_is_invalid_argument() {
    let app = spawn_app().await;
    for (request, field) in [
        (ListCatalogueEntriesRequest { page: None, supplier_id: "nope".into() }, "supplier_id"),
        (
            ListCatalogueEntriesRequest {
                page: Some(PageRequest { page_size: 1, page_token: "garbage".into() }),
                supplier_id: String::new(),
            },
            "page.page_token",
        ),
    ] {
        let status =
            app.client.clone().list_catalogue_entries(app.as_role(Role::OemSupport, request)).await.unwrap_err();
        assert_eq!(violated_fields(&status), [field]);
    }
}
