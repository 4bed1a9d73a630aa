//! Bad input, field by field, for parts, workshop's operation catalogue and technicians, escalation and supplier: every request field has at least one failing
//! row → INVALID_ARGUMENT naming it, and nothing is written.

use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::fixtures::{new_case, new_operation, new_part, new_supplier, record_training, register_technician};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_proto::common::v1::{Money, PageRequest};
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::workshop::v1 as workshop;

fn page(size: i32, token: &str) -> Option<PageRequest> {
    Some(PageRequest { page_size: size, page_token: token.into() })
}

const CATALOGUE: &[Mutation<parts::CreateCatalogueEntryRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("part_number", "a space", |r| r.part_number = "A 1".into()),
    ("name", "empty", |r| r.name.clear()),
    ("specification", "over 4000 characters", |r| r.specification = "s".repeat(4001)),
    ("applicable_models[0]", "an empty model", |r| r.applicable_models = vec![String::new()]),
    ("maker", "over 200 characters", |r| r.maker = "m".repeat(201)),
    ("supplier_id", "not an id", |r| r.supplier_id = "bosch".into()),
    ("list_price", "missing", |r| r.list_price = None),
    ("list_price.currency_code", "not ISO 4217", |r| {
        r.list_price = Some(Money { currency_code: "euro".into(), units_minor: 1 })
    }),
    ("list_price.units_minor", "negative", |r| {
        r.list_price = Some(Money { currency_code: "EUR".into(), units_minor: -1 })
    }),
    ("warranty_months", "over 20 years", |r| r.warranty_months = 241),
    ("warranty_km", "negative", |r| r.warranty_km = -1),
    ("superseded_by", "not a part number", |r| r.superseded_by = "-X".into()),
];

const OPERATION: &[Mutation<workshop::CreateOperationRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("code", "lower case", |r| r.code = "eng-0420".into()),
    ("name", "empty", |r| r.name.clear()),
    ("skill_family", "upper case", |r| r.skill_family = "Engine".into()),
    ("minimum_level", "above 5", |r| r.minimum_level = 6),
    ("standard_hours_hundredths", "zero", |r| r.standard_hours_hundredths = 0),
];

/// A valid update of an operation that does not exist: every bad field is named before the catalogue is read.
fn update_operation() -> workshop::UpdateOperationRequest {
    let template = new_operation();
    workshop::UpdateOperationRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        code: template.code,
        etag: "\"1\"".into(),
        name: template.name,
        skill_family: template.skill_family,
        minimum_level: template.minimum_level,
        standard_hours_hundredths: template.standard_hours_hundredths,
        active: false,
    }
}

const OPERATION_UPDATE: &[Mutation<workshop::UpdateOperationRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "u".into()),
    ("code", "a double dash", |r| r.code = "ENG--1".into()),
    ("etag", "missing", |r| r.etag.clear()),
    ("etag", "not an etag", |r| r.etag = "W/abc".into()),
    ("name", "over 200 characters", |r| r.name = "n".repeat(201)),
    ("skill_family", "one character", |r| r.skill_family = "e".into()),
    ("minimum_level", "zero", |r| r.minimum_level = 0),
    ("standard_hours_hundredths", "over 1000 hours", |r| r.standard_hours_hundredths = 100_001),
];

const TECHNICIAN: &[Mutation<workshop::RegisterTechnicianRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "t".into()),
    ("subject", "empty", |r| r.subject.clear()),
    ("subject", "over 200 characters", |r| r.subject = "s".repeat(201)),
    ("name", "empty", |r| r.name.clear()),
    ("name", "a control character", |r| r.name = "Zhang\u{7}San".into()),
];

const TRAINING: &[Mutation<workshop::RecordTrainingRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("technician_id", "not an id", |r| r.technician_id = "tech-1".into()),
    ("course", "empty", |r| r.course.clear()),
    ("course", "over 200 characters", |r| r.course = "c".repeat(201)),
    ("skill_family", "upper case", |r| r.skill_family = "Engine".into()),
    ("level", "zero", |r| r.level = 0),
    ("level", "above 5", |r| r.level = 6),
    ("completed_on", "not a date", |r| r.completed_on = "01/03/2026".into()),
    ("completed_on", "no such day", |r| r.completed_on = "2026-02-30".into()),
    ("result", "unspecified", |r| r.result = 0),
    ("result", "unknown", |r| r.result = 9),
];

fn set_shift() -> workshop::SetShiftRequest {
    workshop::SetShiftRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        technician_id: uuid::Uuid::now_v7().to_string(),
        on_shift: true,
    }
}

const SHIFT: &[Mutation<workshop::SetShiftRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "s".into()),
    ("technician_id", "empty", |r| r.technician_id.clear()),
];

const CASE: &[Mutation<escalation::CreateCaseRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("dealer_id", "not an id", |r| r.dealer_id = "D-1".into()),
    ("region", "over 200 characters", |r| r.region = "r".repeat(201)),
    ("source", "unspecified", |r| r.source = 0),
    ("model", "empty", |r| r.model.clear()),
    ("serial_or_vin", "empty", |r| r.serial_or_vin.clear()),
    ("symptom", "empty", |r| r.symptom.clear()),
    ("usage_scenario", "over 4000 characters", |r| r.usage_scenario = "u".repeat(4001)),
    ("contact", "missing", |r| r.contact = None),
    ("contact.name", "empty", |r| r.contact.as_mut().unwrap().name.clear()),
    ("contact.phone", "letters", |r| r.contact.as_mut().unwrap().phone = "call me".into()),
    ("contact.email", "no @", |r| r.contact.as_mut().unwrap().email = "li.wei.example.com".into()),
];

const SUPPLIER: &[Mutation<supplier::CreateSupplierRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "1".into()),
    ("name", "empty", |r| r.name.clear()),
    ("code", "lower case", |r| r.code = "bosch".into()),
    ("contacts", "none", |r| r.contacts.clear()),
    ("contacts[0].name", "empty", |r| r.contacts[0].name.clear()),
    ("contacts[0].email", "no @", |r| r.contacts[0].email = "anna".into()),
    ("contacts[0].phone", "over 40 characters", |r| r.contacts[0].phone = "1".repeat(41)),
    ("contacts[0].duty", "over 200 characters", |r| r.contacts[0].duty = "d".repeat(201)),
    ("status", "unspecified", |r| r.status = 0),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_parts_workshop_escalation_and_supplier_is_named_and_nothing_is_written() {
    let mut suite =
        Suite::start(Backend::Sqlite, &["parts", "workshop", "escalation", "supplier"], SuiteOptions::default())
            .await
            .unwrap();
    let data = suite.data_dir();
    let bearer = |role: &str| Bearer(Some(Caller::role(role).token(&data)));

    let channel = suite.service("parts").channel().await;
    let mut catalogue = parts::part_catalogue_service_client::PartCatalogueServiceClient::with_interceptor(
        channel,
        bearer("oem_manager"),
    );
    for (field, case, mutate) in CATALOGUE {
        let mut request = new_part("");
        mutate(&mut request);
        names_field(
            catalogue.create_catalogue_entry(request).await,
            field,
            &format!("CreateCatalogueEntry {field}: {case}"),
        );
    }
    let get = parts::GetCatalogueEntryRequest { part_number: "a b".into() };
    names_field(catalogue.get_catalogue_entry(get).await, "part_number", "GetCatalogueEntry part_number");
    for (field, request) in [
        ("page.page_size", parts::ListCatalogueEntriesRequest { page: page(501, ""), ..Default::default() }),
        ("page.page_token", parts::ListCatalogueEntriesRequest { page: page(0, "forged"), ..Default::default() }),
        ("supplier_id", parts::ListCatalogueEntriesRequest { supplier_id: "x".into(), ..Default::default() }),
    ] {
        names_field(catalogue.list_catalogue_entries(request).await, field, &format!("ListCatalogueEntries {field}"));
    }
    let listed = catalogue.list_catalogue_entries(parts::ListCatalogueEntriesRequest::default()).await.unwrap();
    assert!(listed.into_inner().entries.is_empty(), "nothing written");

    let channel = suite.service("workshop").channel().await;
    let mut operations =
        workshop::operation_catalogue_service_client::OperationCatalogueServiceClient::with_interceptor(
            channel,
            bearer("oem_manager"),
        );
    for (field, case, mutate) in OPERATION {
        let mut request = new_operation();
        mutate(&mut request);
        names_field(operations.create_operation(request).await, field, &format!("CreateOperation {field}: {case}"));
    }
    let get = workshop::GetOperationRequest { code: "-X".into() };
    names_field(operations.get_operation(get).await, "code", "GetOperation code");
    for (field, request) in [
        ("page.page_size", workshop::ListOperationsRequest { page: page(501, ""), ..Default::default() }),
        ("page.page_token", workshop::ListOperationsRequest { page: page(0, "forged"), ..Default::default() }),
        ("skill_family", workshop::ListOperationsRequest { skill_family: "Body".into(), ..Default::default() }),
    ] {
        names_field(operations.list_operations(request).await, field, &format!("ListOperations {field}"));
    }
    for (field, case, mutate) in OPERATION_UPDATE {
        let mut request = update_operation();
        mutate(&mut request);
        names_field(operations.update_operation(request).await, field, &format!("UpdateOperation {field}: {case}"));
    }
    let listed = operations.list_operations(workshop::ListOperationsRequest::default()).await.unwrap();
    assert!(listed.into_inner().operations.is_empty(), "nothing written");

    // Technicians, as the dealer manager of a dealer (the request's technician does not exist: every bad field is
    // named before anything is read).
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let mut technicians = workshop::technician_service_client::TechnicianServiceClient::with_interceptor(
        suite.service("workshop").channel().await,
        Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data))),
    );
    for (field, case, mutate) in TECHNICIAN {
        let mut request = register_technician();
        mutate(&mut request);
        names_field(
            technicians.register_technician(request).await,
            field,
            &format!("RegisterTechnician {field}: {case}"),
        );
    }
    let get = workshop::GetTechnicianRequest { id: "t-1".into() };
    names_field(technicians.get_technician(get).await, "id", "GetTechnician id");
    for (field, request) in [
        ("page.page_size", workshop::ListTechniciansRequest { page: page(501, ""), ..Default::default() }),
        ("page.page_token", workshop::ListTechniciansRequest { page: page(0, "forged"), ..Default::default() }),
        ("dealer_id", workshop::ListTechniciansRequest { dealer_id: "D-1".into(), ..Default::default() }),
    ] {
        names_field(technicians.list_technicians(request).await, field, &format!("ListTechnicians {field}"));
    }
    for (field, case, mutate) in TRAINING {
        let mut request = record_training(&uuid::Uuid::now_v7().to_string());
        mutate(&mut request);
        names_field(technicians.record_training(request).await, field, &format!("RecordTraining {field}: {case}"));
    }
    for (field, case, mutate) in SHIFT {
        let mut request = set_shift();
        mutate(&mut request);
        names_field(technicians.set_shift(request).await, field, &format!("SetShift {field}: {case}"));
    }
    let listed = technicians.list_technicians(workshop::ListTechniciansRequest::default()).await.unwrap();
    assert!(listed.into_inner().technicians.is_empty(), "nothing written");

    let channel = suite.service("escalation").channel().await;
    let mut cases =
        escalation::case_service_client::CaseServiceClient::with_interceptor(channel, bearer("oem_support"));
    for (field, case, mutate) in CASE {
        let mut request = new_case("");
        mutate(&mut request);
        names_field(cases.create_case(request).await, field, &format!("CreateCase {field}: {case}"));
    }
    names_field(cases.get_case(escalation::GetCaseRequest { id: "7".into() }).await, "id", "GetCase id");
    for (field, request) in [
        ("page.page_size", escalation::ListCasesRequest { page: page(-3, ""), ..Default::default() }),
        ("page.page_token", escalation::ListCasesRequest { page: page(0, "zz"), ..Default::default() }),
        ("dealer_id", escalation::ListCasesRequest { dealer_id: "x".into(), ..Default::default() }),
        ("state", escalation::ListCasesRequest { state: 99, ..Default::default() }),
    ] {
        names_field(cases.list_cases(request).await, field, &format!("ListCases {field}"));
    }
    let listed = cases.list_cases(escalation::ListCasesRequest::default()).await.unwrap();
    assert!(listed.into_inner().cases.is_empty(), "nothing written");

    let channel = suite.service("supplier").channel().await;
    let mut suppliers =
        supplier::supplier_service_client::SupplierServiceClient::with_interceptor(channel, bearer("quality"));
    for (field, case, mutate) in SUPPLIER {
        let mut request = new_supplier();
        mutate(&mut request);
        names_field(suppliers.create_supplier(request).await, field, &format!("CreateSupplier {field}: {case}"));
    }
    names_field(suppliers.get_supplier(supplier::GetSupplierRequest { id: "s".into() }).await, "id", "GetSupplier id");
    for (field, request) in [
        ("page.page_size", supplier::ListSuppliersRequest { page: page(1000, ""), ..Default::default() }),
        ("page.page_token", supplier::ListSuppliersRequest { page: page(0, "???"), ..Default::default() }),
        ("status", supplier::ListSuppliersRequest { status: 99, ..Default::default() }),
    ] {
        names_field(suppliers.list_suppliers(request).await, field, &format!("ListSuppliers {field}"));
    }
    let listed = suppliers.list_suppliers(supplier::ListSuppliersRequest::default()).await.unwrap();
    assert!(listed.into_inner().suppliers.is_empty(), "nothing written");
}
