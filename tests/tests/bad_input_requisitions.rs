//! Bad input, field by field, for parts' requisitions and warranty reports: every request field has at least one failing row →
//! INVALID_ARGUMENT naming it, before anything is looked up or written — the ledger and the feed stay as they were.
//! (Rules about the requisition's state are FAILED_PRECONDITION and are in `requisitions.rs`.)

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::stock::Store;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::parts::v1::warranty_service_client::WarrantyServiceClient;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

const REQUEST: &[Mutation<pb::RequestPartsRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "J-1".into()),
    ("part_number", "a space", |r| r.part_number = "A 1".into()),
    ("quantity_hundredths", "zero", |r| r.quantity_hundredths = 0),
    ("quantity_hundredths", "beyond the limit", |r| r.quantity_hundredths = 10_000_001),
];

const ISSUE: &[Mutation<pb::IssueRequisitionRequest>] = &[
    ("request_id", "not a UUID", |r| r.request_id = "again".into()),
    ("requisition_id", "missing", |r| r.requisition_id.clear()),
    ("warehouse_id", "not an id", |r| r.warehouse_id = "W".into()),
    ("quantity_hundredths", "negative", |r| r.quantity_hundredths = -1),
    ("batch", "a double dash", |r| r.batch = "L--1".into()),
];

const RETURN: &[Mutation<pb::ReturnPartsRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("requisition_id", "not an id", |r| r.requisition_id = "R".into()),
    ("warehouse_id", "missing", |r| r.warehouse_id.clear()),
    ("bin", "lower case", |r| r.bin = "a-01".into()),
    ("batch", "missing", |r| r.batch.clear()),
    ("quantity_hundredths", "zero", |r| r.quantity_hundredths = 0),
];

const FAILURE: &[Mutation<pb::ReportPartFailureRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("vin", "wrong check digit", |r| r.vin = "1M8GDM9A1KP042788".into()),
    ("part_number", "a space", |r| r.part_number = "A 1".into()),
    ("part_number", "not in the catalogue", |r| r.part_number = "NO-SUCH-PART".into()),
    ("failure_time", "missing", |r| r.failure_time = None),
    ("failure_time", "in the future", |r| {
        r.failure_time = Some(prost_types::Timestamp { seconds: 4_000_000_000, nanos: 0 })
    }),
    ("mileage_km", "negative", |r| r.mileage_km = -1),
    ("evidence_references", "more than 20", |r| r.evidence_references = vec!["photo://x".into(); 21]),
    ("evidence_references[0]", "empty", |r| r.evidence_references = vec![String::new()]),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_a_requisition_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["parts"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("parts").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open(channel.clone(), &data, &dealer).await;
    store.put("A-01", "L-2026-01", 500).await;
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "supplier")).await;
    let before = clients::at_least_events(&feed, 2).await.len();
    let as_role = |role: &str| {
        let token = Caller::dealer(role, &dealer).token(&data);
        RequisitionServiceClient::with_interceptor(channel.clone(), Bearer(Some(token)))
    };
    let (mut technician, mut advisor, mut clerk) =
        (as_role("technician"), as_role("service_advisor"), as_role("parts_clerk"));

    for (field, case, mutate) in REQUEST {
        let mut request = pb::RequestPartsRequest {
            request_id: id(),
            job_id: id(),
            part_number: store.part.clone(),
            quantity_hundredths: 100,
        };
        mutate(&mut request);
        names_field(technician.request_parts(request).await, field, &format!("RequestParts {field}: {case}"));
    }
    for (field, request) in [
        ("request_id", pb::ApproveRequisitionRequest { request_id: String::new(), requisition_id: id() }),
        ("requisition_id", pb::ApproveRequisitionRequest { request_id: id(), requisition_id: "R".into() }),
    ] {
        names_field(advisor.approve_requisition(request).await, field, &format!("ApproveRequisition {field}"));
    }
    for (field, request) in [
        (
            "requisition_id",
            pb::RefuseRequisitionRequest { request_id: id(), requisition_id: String::new(), reason: "no".into() },
        ),
        ("reason", pb::RefuseRequisitionRequest { request_id: id(), requisition_id: id(), reason: String::new() }),
        ("reason", pb::RefuseRequisitionRequest { request_id: id(), requisition_id: id(), reason: "r".repeat(4001) }),
    ] {
        names_field(advisor.refuse_requisition(request).await, field, &format!("RefuseRequisition {field}"));
    }
    for (field, case, mutate) in ISSUE {
        let mut request = pb::IssueRequisitionRequest {
            request_id: id(),
            requisition_id: id(),
            warehouse_id: store.warehouse.clone(),
            quantity_hundredths: 100,
            batch: String::new(),
        };
        mutate(&mut request);
        names_field(clerk.issue_requisition(request).await, field, &format!("IssueRequisition {field}: {case}"));
    }
    for (field, case, mutate) in RETURN {
        let mut request = pb::ReturnPartsRequest {
            request_id: id(),
            requisition_id: id(),
            warehouse_id: store.warehouse.clone(),
            bin: "A-01".into(),
            batch: "L-2026-01".into(),
            quantity_hundredths: 100,
        };
        mutate(&mut request);
        names_field(clerk.return_parts(request).await, field, &format!("ReturnParts {field}: {case}"));
    }
    names_field(clerk.get_requisition(pb::GetRequisitionRequest { id: "R".into() }).await, "id", "GetRequisition id");
    for (field, request) in [
        ("job_id", pb::ListRequisitionsRequest::default()),
        ("job_id", pb::ListRequisitionsRequest { job_id: id(), repair_order_id: id(), ..Default::default() }),
        ("repair_order_id", pb::ListRequisitionsRequest { repair_order_id: "O".into(), ..Default::default() }),
    ] {
        names_field(clerk.list_requisitions(request).await, field, &format!("ListRequisitions {field}"));
    }

    let mut warranty = WarrantyServiceClient::with_interceptor(
        channel.clone(),
        Bearer(Some(Caller::dealer("foreman", &dealer).token(&data))),
    );
    for (field, case, mutate) in FAILURE {
        let now = chrono::Utc::now();
        let mut request = pb::ReportPartFailureRequest {
            request_id: id(),
            vin: fixtures::fresh_vin(),
            part_number: store.part.clone(),
            failure_time: Some(prost_types::Timestamp { seconds: now.timestamp() - 60, nanos: 0 }),
            mileage_km: 50_000,
            evidence_references: vec!["photo://failure".into()],
        };
        mutate(&mut request);
        names_field(warranty.report_part_failure(request).await, field, &format!("ReportPartFailure {field}: {case}"));
    }
    names_field(warranty.list_fittings(pb::ListFittingsRequest { vin: "VIN".into() }).await, "vin", "ListFittings vin");

    assert_eq!(store.level().await.on_hand_hundredths, 500);
    assert_eq!(store.movements().await.len(), 1);
    assert_eq!(clients::all_events(&mut feed.clone()).await.len(), before, "nothing on the feed");
}
