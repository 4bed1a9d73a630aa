//! The catalogue's RPCs: who may call them, what they check, what they answer.

use aftersales_kernel::SupplierId;
use aftersales_proto::common::v1::{Money, PageRequest};
use aftersales_proto::parts::v1::{
    CatalogueEntryCreated, CreateCatalogueEntryRequest, GetCatalogueEntryRequest,
    ListCatalogueEntriesRequest,
};
use aftersales_runtime::auth::Role;
use prost::Message;
use tonic::Code;

use crate::helpers::{spawn_app, violated_fields};

fn new_entry(part_number: &str) -> CreateCatalogueEntryRequest {
    CreateCatalogueEntryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        part_number: part_number.into(),
        name: "Brake pad set, front".into(),
        specification: "Ceramic\nwith wear indicator".into(),
        applicable_models: vec!["A4 B9".into(), "A5 F5".into()],
        maker: "TRW".into(),
        supplier_id: String::new(),
        list_price: Some(Money {
            currency_code: "EUR".into(),
            units_minor: 8_950,
        }),
        warranty_months: 24,
        warranty_km: 50_000,
        superseded_by: String::new(),
    }
}

fn get(part_number: &str) -> GetCatalogueEntryRequest {
    GetCatalogueEntryRequest {
        part_number: part_number.into(),
    }
}

#[tokio::test]
async fn a_created_entry_is_read_back_by_dealer_staff_and_published_on_the_feed() {
    // Arrange
    let app = spawn_app().await;
    let supplier = SupplierId::new().to_string();
    let request = CreateCatalogueEntryRequest {
        supplier_id: supplier.clone(),
        ..new_entry("8w0-698-151.a")
    };
    // Act
    let created = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request))
        .await
        .unwrap();
    let read = app
        .client
        .clone()
        .get_catalogue_entry(app.as_role(Role::PartsClerk, get("8W0-698-151.A")))
        .await;
    // Assert
    let created = created.into_inner();
    assert_eq!(
        created.part_number, "8W0-698-151.A",
        "part numbers are kept upper-case"
    );
    assert_eq!(created.applicable_models, ["A4 B9", "A5 F5"]);
    assert!(created.create_time.is_some());
    assert_eq!(read.unwrap().into_inner(), created);
    let events = app.events(1).await;
    assert_eq!(
        events[0].event_type,
        "aftersales.parts.v1.CatalogueEntryCreated"
    );
    assert_eq!(
        (
            events[0].aggregate_type.as_str(),
            events[0].aggregate_id.as_str()
        ),
        ("catalogue_entry", "8W0-698-151.A")
    );
    assert!(events[0].tenant_id.is_empty(), "the catalogue is OEM-wide");
    let payload =
        CatalogueEntryCreated::decode(events[0].payload.as_ref().unwrap().value.as_slice())
            .unwrap();
    assert_eq!(
        (payload.supplier_id, payload.warranty_months),
        (supplier, 24)
    );
}

#[tokio::test]
async fn the_same_request_id_returns_the_first_result_and_creates_once() {
    let app = spawn_app().await;
    let request = new_entry("A-100");
    let first = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request.clone()))
        .await;
    let again = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request))
        .await;
    assert_eq!(first.unwrap().into_inner(), again.unwrap().into_inner());
    assert_eq!(app.events(1).await.len(), 1);
}

#[tokio::test]
async fn a_part_number_already_in_the_catalogue_is_already_exists_for_another_request() {
    let app = spawn_app().await;
    app.client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-100")))
        .await
        .unwrap();
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, new_entry("a-100")))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::AlreadyExists, "{status:?}");
}

#[tokio::test]
async fn only_the_oem_manager_creates_entries() {
    let app = spawn_app().await;
    for role in Role::ALL
        .into_iter()
        .filter(|r| !matches!(r, Role::OemManager | Role::Service))
    {
        let status = app
            .client
            .clone()
            .create_catalogue_entry(app.as_role(role, new_entry("A-100")))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "role {role}");
    }
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_service(new_entry("A-100")))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied, "role service");
}

#[tokio::test]
async fn every_dealer_and_oem_role_reads_the_catalogue_but_suppliers_and_services_do_not() {
    let app = spawn_app().await;
    app.client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-100")))
        .await
        .unwrap();
    for role in Role::ALL
        .into_iter()
        .filter(|r| r.is_dealer_staff() || r.is_oem_staff())
    {
        assert!(
            app.client
                .clone()
                .get_catalogue_entry(app.as_role(role, get("A-100")))
                .await
                .is_ok(),
            "{role}"
        );
        let list = app
            .client
            .clone()
            .list_catalogue_entries(app.as_role(role, Default::default()))
            .await;
        assert_eq!(list.unwrap().into_inner().entries.len(), 1, "{role}");
    }
    let status = app
        .client
        .clone()
        .get_catalogue_entry(app.as_role(Role::Supplier, get("A-100")))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
    let status = app
        .client
        .clone()
        .list_catalogue_entries(app.as_service(Default::default()))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::PermissionDenied);
}

#[tokio::test]
async fn malformed_values_are_invalid_argument_naming_each_field() {
    let app = spawn_app().await;
    let request = CreateCatalogueEntryRequest {
        request_id: "again".into(),
        part_number: "A 1".into(),
        supplier_id: "not-a-uuid".into(),
        list_price: Some(Money {
            currency_code: "euro".into(),
            units_minor: 1,
        }),
        superseded_by: "-X".into(),
        ..new_entry("A-100")
    };
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request))
        .await
        .unwrap_err();
    assert_eq!(
        violated_fields(&status),
        [
            "request_id",
            "part_number",
            "supplier_id",
            "list_price.currency_code",
            "superseded_by"
        ]
    );
    let request = CreateCatalogueEntryRequest {
        list_price: None,
        ..new_entry("A-100")
    };
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&status), ["list_price"]);
}

#[tokio::test]
async fn broken_catalogue_rules_are_invalid_argument_naming_each_field_and_write_nothing() {
    let app = spawn_app().await;
    let request = CreateCatalogueEntryRequest {
        name: String::new(),
        applicable_models: vec!["A4".into(), "A4".into()],
        list_price: Some(Money {
            currency_code: "EUR".into(),
            units_minor: -1,
        }),
        warranty_months: 241,
        warranty_km: 2_000_001,
        superseded_by: "A-100".into(),
        ..new_entry("A-100")
    };
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, request))
        .await
        .unwrap_err();
    assert_eq!(
        violated_fields(&status),
        [
            "name",
            "applicable_models[1]",
            "list_price.units_minor",
            "warranty_months",
            "warranty_km",
            "superseded_by"
        ]
    );
    let status = app
        .client
        .clone()
        .get_catalogue_entry(app.as_role(Role::OemManager, get("A-100")))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
}

#[tokio::test]
async fn a_replacement_must_already_be_in_the_catalogue() {
    let app = spawn_app().await;
    let old = CreateCatalogueEntryRequest {
        superseded_by: "A-200".into(),
        ..new_entry("A-100")
    };
    let status = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, old.clone()))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&status), ["superseded_by"]);
    app.client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, new_entry("A-200")))
        .await
        .unwrap();
    let retried = app
        .client
        .clone()
        .create_catalogue_entry(app.as_role(Role::OemManager, old))
        .await;
    assert_eq!(
        retried.unwrap().into_inner().superseded_by,
        "A-200",
        "the refused request left no key behind"
    );
}

#[tokio::test]
async fn an_unknown_part_number_is_not_found_and_a_malformed_one_invalid() {
    let app = spawn_app().await;
    let status = app
        .client
        .clone()
        .get_catalogue_entry(app.as_role(Role::Foreman, get("NO-SUCH")))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    let status = app
        .client
        .clone()
        .get_catalogue_entry(app.as_role(Role::Foreman, get("no such")))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&status), ["part_number"]);
}

#[tokio::test]
async fn entries_are_listed_in_part_number_order_page_by_page_and_by_supplier() {
    let app = spawn_app().await;
    let supplier = SupplierId::new().to_string();
    for (number, supplied) in [("C-3", true), ("A-1", false), ("B-2", true), ("D-4", true)] {
        let supplier_id = if supplied {
            supplier.clone()
        } else {
            String::new()
        };
        let request = CreateCatalogueEntryRequest {
            supplier_id,
            ..new_entry(number)
        };
        app.client
            .clone()
            .create_catalogue_entry(app.as_role(Role::OemManager, request))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut page = PageRequest {
        page_size: 2,
        page_token: String::new(),
    };
    loop {
        let request = ListCatalogueEntriesRequest {
            page: Some(page.clone()),
            supplier_id: supplier.clone(),
        };
        let response = app
            .client
            .clone()
            .list_catalogue_entries(app.as_role(Role::OemSupport, request))
            .await;
        let response = response.unwrap().into_inner();
        seen.extend(response.entries.into_iter().map(|e| e.part_number));
        page.page_token = response.page.unwrap_or_default().next_page_token;
        if page.page_token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, ["B-2", "C-3", "D-4"]);
    let request = ListCatalogueEntriesRequest {
        page: Some(PageRequest {
            page_size: 1,
            page_token: "garbage".into(),
        }),
        supplier_id: "nope".into(),
    };
    let status = app
        .client
        .clone()
        .list_catalogue_entries(app.as_role(Role::OemSupport, request))
        .await
        .unwrap_err();
    assert_eq!(violated_fields(&status), ["supplier_id"]);
}
