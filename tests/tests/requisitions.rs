//! Requisitions across reception, workshop and parts, on SQLite and PostgreSQL: an approved order with a part line
//! reserves the part and becomes a job; parts learns both from the feeds. The technician asks for the part, the
//! advisor approves, the clerk issues in two goes, using up the reservation (PartsIssued each time: order, line,
//! batch, VIN, mileage) and takes half a piece back (PartsReturned). A second requisition still waits when the job is ready, so nothing closes; once the advisor
//! refuses it, RequisitionsClosed says what the order used; afterwards nothing more goes back. Reception's draft
//! settlement follows along (2 pieces issued, then 1.5 after the return), cannot be signed before parts closes,
//! and charges the 1.5 pieces once signed. The fitting record then shows the batch in the car, and a failure of the
//! part is judged against its warranty: covered (PartWarrantyFailure), expired, or never fitted.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::stock::Store;
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::parts::v1::warranty_service_client::WarrantyServiceClient;
use aftersales_proto::workshop::v1::ListJobsRequest;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn requisitions(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop", "parts"], SuiteOptions::default()).await
    else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let parts_channel = suite.service("parts").channel().await;
    // The fixture order's part line is A-1001, 2 pieces.
    let store = Store::open_with(parts_channel.clone(), &data, &dealer, "A-1001").await;
    store.put("A-01", "L-2026-01", 500).await;
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    aftersales_e2e::directory::register_dealer(suite.service("reception"), &data, &dealer, "RQ01", 1300).await;

    let advisor_token = Caller::dealer("service_advisor", &dealer).token(&data);
    let mut orders = clients::orders(suite.service("reception"), &advisor_token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    let part_line = order.lines[1].line_id.clone();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let jobs = clients::jobs(suite.service("workshop"), &advisor_token).await;
    let job = wait::until(Duration::from_secs(60), "the order's job", || {
        let (mut jobs, order) = (jobs.clone(), order.id.clone());
        async move {
            jobs.list_jobs(ListJobsRequest { repair_order_id: order, ..Default::default() })
                .await
                .ok()?
                .into_inner()
                .jobs
                .pop()
        }
    })
    .await;

    let as_role = |role: &str| {
        let token = if role == "technician" {
            crew.technician_token.clone()
        } else {
            Caller::dealer(role, &dealer).token(&data)
        };
        RequisitionServiceClient::with_interceptor(parts_channel.clone(), Bearer(Some(token)))
    };
    let (technician, advisor, clerk) = (as_role("technician"), as_role("service_advisor"), as_role("parts_clerk"));
    let ask = |quantity: i64| pb::RequestPartsRequest {
        request_id: id(),
        job_id: job.id.clone(),
        part_number: "A-1001".into(),
        quantity_hundredths: quantity,
    };
    // Parts hears of the job and the order from two feeds; until then the request is refused, then taken.
    let first = wait::until(Duration::from_secs(60), "parts to know the job and its order", || {
        let mut technician = technician.clone();
        let request = ask(200);
        async move { technician.request_parts(request).await.ok().map(|r| r.into_inner()) }
    })
    .await;
    assert_eq!(
        (first.line_id.as_str(), first.vin.as_str(), first.mileage_km),
        (part_line.as_str(), order.vin.as_str(), 42_000)
    );
    assert_eq!(first.state(), pb::RequisitionState::Requested);
    // The approved order holds its 2 pieces of the 5 on hand.
    let held = store.availability().await;
    assert_eq!((held.reserved_hundredths, held.available_hundredths), (200, 300), "the order's reservation");

    let issue = |quantity: i64| pb::IssueRequisitionRequest {
        request_id: id(),
        requisition_id: first.id.clone(),
        warehouse_id: store.warehouse.clone(),
        quantity_hundredths: quantity,
        batch: String::new(),
    };
    let unapproved = clerk.clone().issue_requisition(issue(100)).await.unwrap_err();
    assert_eq!(unapproved.code(), Code::FailedPrecondition, "only an approved requisition is issued");
    advisor
        .clone()
        .approve_requisition(pb::ApproveRequisitionRequest { request_id: id(), requisition_id: first.id.clone() })
        .await
        .unwrap();
    clerk.clone().issue_requisition(issue(100)).await.unwrap();
    let beyond = clerk.clone().issue_requisition(issue(101)).await.unwrap_err();
    assert_eq!(beyond.code(), Code::FailedPrecondition, "never beyond what was asked");
    let issued = clerk.clone().issue_requisition(issue(100)).await.unwrap().into_inner();
    assert_eq!((issued.state(), issued.issued_hundredths), (pb::RequisitionState::Issued, 200));
    let used_up = store.availability().await;
    assert_eq!((used_up.reserved_hundredths, used_up.on_hand_hundredths), (0, 300), "issuing used it up");
    let back = pb::ReturnPartsRequest {
        request_id: id(),
        requisition_id: first.id.clone(),
        warehouse_id: store.warehouse.clone(),
        bin: "A-01".into(),
        batch: "L-2026-01".into(),
        quantity_hundredths: 50,
    };
    // Reception's draft settlement follows what parts issued on the order's part line.
    let settlements = clients::settlements(suite.service("reception"), &advisor_token).await;
    let part_actual = |line: &str| {
        let (settlements, order, line) = (settlements.clone(), order.id.clone(), line.to_string());
        move |want: i64| {
            let (mut settlements, order, line) = (settlements.clone(), order.clone(), line.clone());
            async move {
                let request = aftersales_proto::reception::v1::GetSettlementRequest { repair_order_id: order };
                let draft = settlements.get_settlement(request).await.ok()?.into_inner();
                draft.lines.iter().any(|l| l.line_id == line && l.actual_hundredths == want).then_some(draft)
            }
        }
    };
    let actual_is = part_actual(&part_line);
    wait::until(Duration::from_secs(60), "the draft to show 2 pieces issued", || actual_is(200)).await;
    let returned = clerk.clone().return_parts(back.clone()).await.unwrap().into_inner();
    assert_eq!(returned.returned_hundredths, 50);
    assert_eq!(store.level().await.on_hand_hundredths, 350);
    let draft = wait::until(Duration::from_secs(60), "the draft to show the return", || actual_is(150)).await;
    assert!(
        draft.blockers.iter().any(|b| b.contains("requisitions")),
        "not signable before parts closes: {:?}",
        draft.blockers
    );

    // A second requisition waits while the job becomes ready: nothing closes until it is decided.
    let second = technician.clone().request_parts(ask(100)).await.unwrap().into_inner();
    crew.bring(&job.id, Stage::Ready).await;
    let feed = clients::feed(suite.service("parts"), &service_token(&data, "reception")).await;
    let closed = |events: &[aftersales_proto::common::v1::EventEnvelope]| {
        events.iter().filter_map(decode_payload::<pb::RequisitionsClosed>).map(Result::unwrap).collect::<Vec<_>>()
    };
    let refuse = |requisition: &str| pb::RefuseRequisitionRequest {
        request_id: id(),
        requisition_id: requisition.to_string(),
        reason: "fitted from the old stock".into(),
    };
    // Parts knows the job is ready once it refuses new requisitions for it (any taken before then also wait).
    let mut waiting = vec![second.id.clone()];
    for attempt in 0.. {
        assert!(attempt < 5_000, "parts never learnt that the job is ready");
        match technician.clone().request_parts(ask(100)).await {
            Ok(taken) => waiting.push(taken.into_inner().id),
            Err(status) => {
                assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
                break;
            }
        }
    }
    assert!(
        closed(&clients::all_events(&mut feed.clone()).await).is_empty(),
        "a waiting requisition keeps the order open"
    );
    for other in &waiting[1..] {
        advisor.clone().refuse_requisition(refuse(other)).await.unwrap();
    }
    advisor.clone().refuse_requisition(refuse(&second.id)).await.unwrap();
    let events = wait::until(Duration::from_secs(60), "RequisitionsClosed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            (!closed(&events).is_empty()).then_some(events)
        }
    })
    .await;
    let closing = closed(&events);
    assert_eq!(closing.len(), 1);
    let used: Vec<(&str, &str, i64)> =
        closing[0].used.iter().map(|u| (u.line_id.as_str(), u.part_number.as_str(), u.quantity_hundredths)).collect();
    assert_eq!(used, [(part_line.as_str(), "A-1001", 150)], "issued less returned, on the order's part line");

    // The fitting record is on the feed: two issues and a return of batch L-2026-01 for this car.
    let issues: Vec<pb::PartsIssued> =
        events.iter().filter_map(decode_payload::<pb::PartsIssued>).map(Result::unwrap).collect();
    assert_eq!(issues.len(), 2);
    assert!(
        issues
            .iter()
            .all(|e| e.vin == order.vin && e.batch == "L-2026-01" && e.line_id == part_line && e.mileage_km == 42_000)
    );
    assert_eq!(events.iter().filter_map(decode_payload::<pb::PartsReturned>).count(), 1);

    // Reception has the final figures and lets the customer sign: 1.5 pieces charged on the part line.
    let signed = aftersales_e2e::reception::sign(&settlements, &order.id).await;
    let charged = signed.lines.iter().find(|l| l.line_id == part_line).expect("the part line");
    assert_eq!((charged.actual_hundredths, charged.charged_amount.as_ref().unwrap().units_minor), (150, 2999));

    // Closed is final.
    let after =
        clerk.clone().return_parts(pb::ReturnPartsRequest { request_id: id(), quantity_hundredths: 10, ..back }).await;
    assert_eq!(after.unwrap_err().code(), Code::FailedPrecondition);

    // The fitting record, and the part's warranty (24 months / 60 000 km) judged against it.
    let mut warranty = WarrantyServiceClient::with_interceptor(
        parts_channel.clone(),
        Bearer(Some(Caller::dealer("foreman", &dealer).token(&data))),
    );
    let fittings =
        warranty.list_fittings(pb::ListFittingsRequest { vin: order.vin.clone() }).await.unwrap().into_inner();
    let fitted: Vec<(&str, &str, i64, i64)> = fittings
        .fittings
        .iter()
        .map(|f| (f.part_number.as_str(), f.batch.as_str(), f.quantity_hundredths, f.mileage_km))
        .collect();
    assert_eq!(fitted, [("A-1001", "L-2026-01", 150, 42_000)]);
    let now = chrono::Utc::now();
    let failure = |km: i64, part: &str| pb::ReportPartFailureRequest {
        request_id: id(),
        vin: order.vin.clone(),
        part_number: part.into(),
        // To the nanosecond: the part was fitted moments ago, and a failure before its fitting is not its.
        failure_time: Some(prost_types::Timestamp {
            seconds: now.timestamp(),
            nanos: now.timestamp_subsec_nanos() as i32,
        }),
        mileage_km: km,
        evidence_references: vec!["photo://failure/a-1001".into()],
    };
    let covered = warranty.report_part_failure(failure(50_000, "A-1001")).await.unwrap().into_inner();
    assert_eq!((covered.outcome(), covered.km_since_fitting), (pb::WarrantyOutcome::Covered, 8_000));
    let expired = warranty.report_part_failure(failure(102_000, "A-1001")).await.unwrap().into_inner();
    assert_eq!(expired.outcome(), pb::WarrantyOutcome::Expired, "60 000 km reached");
    let other = Store::open(parts_channel.clone(), &data, &dealer).await.part;
    let not_fitted = warranty.report_part_failure(failure(50_000, &other)).await.unwrap().into_inner();
    assert_eq!(not_fitted.outcome(), pb::WarrantyOutcome::NotFitted);
    let below = warranty.report_part_failure(failure(41_000, "A-1001")).await.unwrap_err();
    assert_eq!(below.code(), Code::InvalidArgument, "a reading below the fitting's");
    let claims = wait::until(Duration::from_secs(60), "PartWarrantyFailure on the feed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            let found: Vec<pb::PartWarrantyFailure> =
                events.iter().filter_map(decode_payload::<pb::PartWarrantyFailure>).map(Result::unwrap).collect();
            (!found.is_empty()).then_some(found)
        }
    })
    .await;
    assert_eq!(claims.len(), 1, "only the covered failure is published");
    assert_eq!((claims[0].batch.as_str(), claims[0].mileage_km), ("L-2026-01", 50_000));
}

#[tokio::test(flavor = "multi_thread")]
async fn requisitions_on_sqlite() {
    requisitions(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn requisitions_on_postgres() {
    requisitions(Backend::Postgres).await;
}
