//! Workshop follows reception's answers, proved over real gRPC against the real workshop binary with a fake
//! reception feed served from the test process (reception does not emit the answers yet): an approved order
//! becomes a job; the customer's approval of additional work adds its labour lines as operations (once, however
//! often the feed delivers it) and its refusal closes the request with the reason; a cancelled order drops a job
//! not yet started (`JobCancelled` on workshop's feed) and leaves a started one alone; an answer naming a
//! request workshop does not know is skipped and the feed keeps flowing — on SQLite and on PostgreSQL.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::workshop::{Crew, ENGINE_OPERATION, Jobs, Stage};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::EventMessage;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;
use tonic_types::StatusExt as _;

/// How long workshop may take to act on an event (a bound for failure, not a delay).
const WITHIN: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------------------------
// Reception's events, built as reception builds them.
// ---------------------------------------------------------------------------------------------------------------

fn timestamp(at: chrono::DateTime<chrono::Utc>) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: at.timestamp(), nanos: at.timestamp_subsec_nanos() as i32 })
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn labour_line(code: &str, hundredths: i64) -> reception::RepairOrderLine {
    reception::RepairOrderLine {
        line_id: new_id(),
        item: Some(reception::repair_order_line::Item::Labour(reception::LabourItem {
            operation_code: code.into(),
            estimated_hours_hundredths: hundredths,
            hourly_rate: fixtures::eur(8000),
        })),
        requirement: reception::LineRequirement::Required as i32,
        estimated_amount: fixtures::eur(80 * hundredths),
        ..Default::default()
    }
}

fn part_line(part_number: &str, quantity_hundredths: i64) -> reception::RepairOrderLine {
    reception::RepairOrderLine {
        line_id: new_id(),
        item: Some(reception::repair_order_line::Item::Part(reception::PartItem {
            part_number: part_number.into(),
            quantity_hundredths,
            unit_price: fixtures::eur(4500),
        })),
        requirement: reception::LineRequirement::Required as i32,
        estimated_amount: fixtures::eur(45 * quantity_hundredths),
        ..Default::default()
    }
}

/// An order of `dealer` approved with one labour line (ENG-0420, 1.50 h) and an optional part line.
fn order_approved(order: &str, dealer: &str) -> reception::RepairOrderApproved {
    let now = chrono::Utc::now();
    let mut part = part_line("A-1001", 200);
    part.requirement = reception::LineRequirement::Optional as i32;
    reception::RepairOrderApproved {
        repair_order_id: order.into(),
        dealer_id: dealer.into(),
        vin: fixtures::VIN.into(),
        mileage_km: 42_000,
        urgent: false,
        promised_at: timestamp(now + chrono::Duration::days(2)),
        estimate_version: 1,
        lines: vec![labour_line(ENGINE_OPERATION, 150), part],
        approved_at: timestamp(now),
    }
}

fn order_cancelled(order: &str, dealer: &str) -> reception::RepairOrderCancelled {
    reception::RepairOrderCancelled {
        repair_order_id: order.into(),
        dealer_id: dealer.into(),
        reason: "customer took the car elsewhere".into(),
        cancelled_at: timestamp(chrono::Utc::now()),
    }
}

fn work_approved(
    order: &str,
    dealer: &str,
    request: &str,
    lines: Vec<reception::RepairOrderLine>,
) -> reception::AdditionalWorkApproved {
    reception::AdditionalWorkApproved {
        repair_order_id: order.into(),
        dealer_id: dealer.into(),
        additional_work_id: request.into(),
        lines,
        estimate_version: 2,
        approved_at: timestamp(chrono::Utc::now()),
    }
}

fn work_refused(order: &str, dealer: &str, request: &str, reason: &str) -> reception::AdditionalWorkRefused {
    reception::AdditionalWorkRefused {
        repair_order_id: order.into(),
        dealer_id: dealer.into(),
        additional_work_id: request.into(),
        reason: reason.into(),
        refused_at: timestamp(chrono::Utc::now()),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading workshop.
// ---------------------------------------------------------------------------------------------------------------

/// Waits for the one job of `order`.
async fn job_of(jobs: &Jobs, order: &str) -> pb::Job {
    wait::until(WITHIN, &format!("the job of order {order}"), || {
        let (mut jobs, order) = (jobs.clone(), order.to_string());
        async move {
            let request = pb::ListJobsRequest { repair_order_id: order, ..Default::default() };
            let mut found = jobs.list_jobs(request).await.expect("ListJobs").into_inner().jobs;
            assert!(found.len() <= 1, "one job per order, got {}", found.len());
            found.pop()
        }
    })
    .await
}

/// Waits until job `id` satisfies `condition`.
async fn job_when(jobs: &Jobs, id: &str, what: &str, condition: impl Fn(&pb::Job) -> bool) -> pb::Job {
    wait::until(WITHIN, what, || {
        let (mut jobs, id) = (jobs.clone(), id.to_string());
        let condition = &condition;
        async move {
            let job = jobs.get_job(pb::GetJobRequest { id }).await.expect("GetJob").into_inner();
            condition(&job).then_some(job)
        }
    })
    .await
}

async fn get_job(jobs: &Jobs, id: &str) -> pb::Job {
    jobs.clone().get_job(pb::GetJobRequest { id: id.into() }).await.expect("GetJob").into_inner()
}

fn request_state(job: &pb::Job, request: &str) -> pb::AdditionalWorkState {
    job.additional_work.iter().find(|w| w.id == request).expect("the request is on the job").state()
}

fn brake_pads() -> (Vec<pb::RequestedOperation>, Vec<pb::RequestedPart>) {
    (
        vec![pb::RequestedOperation { operation_code: ENGINE_OPERATION.into(), estimated_hours_hundredths: 80 }],
        vec![pb::RequestedPart { part_number: "BP-4471".into(), quantity_hundredths: 100 }],
    )
}

async fn request_additional_work(technician: &mut Jobs, job: &str) -> pb::Job {
    let (operations, parts) = brake_pads();
    let request = pb::RequestAdditionalWorkRequest {
        request_id: new_id(),
        job_id: job.into(),
        finding: "front pads at 2 mm".into(),
        operations,
        parts,
        media_references: vec![],
    };
    technician.request_additional_work(request).await.expect("RequestAdditionalWork").into_inner()
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario.
// ---------------------------------------------------------------------------------------------------------------

async fn workshop_follows_receptions_answers(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("repair_order").await;
    let options = SuiteOptions::default().with_for("workshop", "AFTERSALES__PEERS__RECEPTION", &reception_url);
    let Some(mut suite) = Suite::start(backend, &["workshop"], options).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let channel = suite.service("workshop").channel().await;
    let crew = Crew::hire(channel, &data, &dealer).await;
    let foreman = crew.jobs(&crew.foreman_token);
    let mut technician = crew.jobs(&crew.technician_token);

    // 1. An approved order becomes a queued job: its labour line is the one operation, the part line is not.
    let first_order = aftersales_kernel::RepairOrderId::new().to_string();
    reception_feed.publish(&dealer, &first_order, &order_approved(&first_order, &dealer));
    let job = job_of(&foreman, &first_order).await;
    assert_eq!(job.state(), pb::JobState::Queued);
    assert_eq!(job.dealer_id, dealer);
    assert_eq!(job.vin, fixtures::VIN);
    assert_eq!(job.operations.len(), 1);
    assert_eq!((job.operations[0].operation_code.as_str(), job.estimated_hours_hundredths), (ENGINE_OPERATION, 150));
    let original_line = job.operations[0].line_id.clone();

    // 2. Started; the technician asks for more work; the job cannot be self-checked while the customer decides.
    let started = crew.bring(&job.id, Stage::Started).await;
    assert_eq!(started.state(), pb::JobState::InProgress);
    let asked = request_additional_work(&mut technician, &job.id).await;
    let first_request = asked.additional_work[0].id.clone();
    assert_eq!(request_state(&asked, &first_request), pb::AdditionalWorkState::Requested);
    assert_eq!(asked.operations.len(), 1, "not the job's work until the customer approves");
    let on = pb::ClockOnRequest { request_id: new_id(), job_id: job.id.clone(), line_id: original_line.clone() };
    technician.clock_on(on).await.expect("clock on");
    technician.clock_off(pb::ClockOffRequest { request_id: new_id(), job_id: job.id.clone() }).await.expect("off");
    let self_check = pb::CompleteSelfCheckRequest { request_id: new_id(), job_id: job.id.clone(), note: "ok".into() };
    let status = technician.complete_self_check(self_check).await.expect_err("self-check waits for the customer");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let info = status.get_details_error_info().expect("ErrorInfo");
    assert_eq!(info.reason, "JOB_ADDITIONAL_WORK_PENDING", "{status:?}");

    // 3. The customer approves: the labour line becomes the job's second operation, tied to the request; the part
    //    line does not. A redelivery (new event id, next sequence) changes nothing.
    let approved_labour = labour_line(ENGINE_OPERATION, 80);
    let approval =
        work_approved(&first_order, &dealer, &first_request, vec![approved_labour.clone(), part_line("BP-4471", 100)]);
    reception_feed.publish(&dealer, &first_order, &approval);
    let answered = job_when(&foreman, &job.id, "the approved operation on the job", |j| j.operations.len() == 2).await;
    let added = &answered.operations[1];
    assert_eq!(added.line_id, approved_labour.line_id);
    assert_eq!((added.operation_code.as_str(), added.estimated_hours_hundredths), (ENGINE_OPERATION, 80));
    assert_eq!(added.additional_work_id, first_request);
    assert_eq!(answered.operations[0].additional_work_id, "", "the estimate's own line came from no request");
    assert_eq!(answered.estimated_hours_hundredths, 230);
    assert_eq!(request_state(&answered, &first_request), pb::AdditionalWorkState::Approved);
    assert!(answered.additional_work[0].decided_at.is_some());
    assert_eq!(answered.state(), pb::JobState::InProgress);
    reception_feed.publish(&dealer, &first_order, &approval);

    // 4. A second request, refused. The feed is applied in order, so once the refusal shows the redelivered
    //    approval before it has been applied too: neither changed the operations.
    let asked_again = request_additional_work(&mut technician, &job.id).await;
    assert_eq!(asked_again.additional_work.len(), 2);
    let second_request = asked_again.additional_work[1].id.clone();
    assert_ne!(second_request, first_request);
    reception_feed.publish(
        &dealer,
        &first_order,
        &work_refused(&first_order, &dealer, &second_request, "too expensive"),
    );
    let refused = job_when(&foreman, &job.id, "the refused request", |j| {
        request_state(j, &second_request) == pb::AdditionalWorkState::Refused
    })
    .await;
    assert_eq!(refused.additional_work[1].refusal_reason, "too expensive");
    assert!(refused.additional_work[1].decided_at.is_some());
    assert_eq!(refused.operations, answered.operations, "a redelivered approval and a refusal add nothing");
    assert_eq!(request_state(&refused, &first_request), pb::AdditionalWorkState::Approved);
    assert_eq!(refused.state(), pb::JobState::InProgress);

    // 5. A second order, cancelled before its job started: the job is dropped, with JobCancelled.
    let second_order = aftersales_kernel::RepairOrderId::new().to_string();
    reception_feed.publish(&dealer, &second_order, &order_approved(&second_order, &dealer));
    let second_job = job_of(&foreman, &second_order).await;
    assert_eq!(second_job.state(), pb::JobState::Queued);
    reception_feed.publish(&dealer, &second_order, &order_cancelled(&second_order, &dealer));
    job_when(&foreman, &second_job.id, "the cancelled job", |j| j.state() == pb::JobState::Cancelled).await;
    // The first order "cancelled" after its job started: workshop keeps the work done.
    reception_feed.publish(&dealer, &first_order, &order_cancelled(&first_order, &dealer));

    // 6. An approval naming a request the job does not have is skipped, and the feed keeps flowing: the next
    //    order still becomes a job. Since the feed is applied in order, everything above has been applied too.
    let unknown_request = new_id();
    let stray = work_approved(&first_order, &dealer, &unknown_request, vec![labour_line(ENGINE_OPERATION, 40)]);
    reception_feed.publish(&dealer, &first_order, &stray);
    let third_order = aftersales_kernel::RepairOrderId::new().to_string();
    let last = reception_feed.publish(&dealer, &third_order, &order_approved(&third_order, &dealer));
    let third_job = job_of(&foreman, &third_order).await;
    assert_eq!(third_job.state(), pb::JobState::Queued);
    assert_eq!(last, 9, "nine events on the fake feed");

    let first_job = get_job(&foreman, &job.id).await;
    assert_eq!(first_job.state(), pb::JobState::InProgress, "a started job outlives its order's cancellation");
    assert_eq!(first_job.operations, refused.operations, "the stray approval added nothing");
    assert_eq!(first_job.additional_work.len(), 2);
    assert!(!first_job.additional_work.iter().any(|w| w.id == unknown_request));

    // Workshop's own feed: JobCancelled for the second job only, once.
    // The relay numbers rows just after they commit: wait until the last job's JobQueued and the JobCancelled are
    // on the feed (the exact counts are asserted below).
    let feed = clients::feed(suite.service("workshop"), &service_token(&data, "reception")).await;
    clients::count_once_at_least(&feed, 3, |e| e.event_type == pb::JobQueued::TYPE_NAME).await;
    clients::count_once_at_least(&feed, 1, |e| e.event_type == pb::JobCancelled::TYPE_NAME).await;
    let events = clients::all_events(&mut feed.clone()).await;
    let cancelled: Vec<pb::JobCancelled> = events
        .iter()
        .filter_map(|e| decode_payload::<pb::JobCancelled>(e).map(|decoded| decoded.expect("JobCancelled decodes")))
        .collect();
    assert_eq!(cancelled.len(), 1, "one JobCancelled, for the job not started: {cancelled:?}");
    assert_eq!(cancelled[0].job_id, second_job.id);
    assert_eq!(cancelled[0].repair_order_id, second_order);
    assert_eq!(cancelled[0].dealer_id, dealer);
    let cancelled_envelope = events.iter().find(|e| e.event_type == pb::JobCancelled::TYPE_NAME).expect("envelope");
    assert_eq!(cancelled_envelope.aggregate_id, second_job.id);
    assert_eq!(cancelled_envelope.tenant_id, dealer);
    let count = |event_type: &str| events.iter().filter(|e| e.event_type == event_type).count();
    assert_eq!(count(pb::JobQueued::TYPE_NAME), 3, "one JobQueued per approved order");
    assert_eq!(count(pb::AdditionalWorkRequested::TYPE_NAME), 2, "both requests went out to reception");

    // The skipped events are logged (the log file holds them unless TEST_LOG sends output to the terminal).
    if std::env::var("TEST_LOG").is_err() {
        let log = suite.service("workshop").log_text();
        assert!(log.contains("additional-work answer skipped"), "the stray answer is logged:\n{log}");
        assert!(log.contains("order cancelled after its job started"), "the late cancellation is logged:\n{log}");
    }

    // A dealer's staff outside this dealer never saw any of it.
    let stranger = Caller::dealer("foreman", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut strangers = crew.jobs(&stranger);
    let theirs = strangers.list_jobs(pb::ListJobsRequest::default()).await.expect("ListJobs").into_inner().jobs;
    assert!(theirs.is_empty(), "another dealer's foreman sees none of these jobs");
}

#[tokio::test(flavor = "multi_thread")]
async fn workshop_follows_receptions_answers_on_sqlite() {
    workshop_follows_receptions_answers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn workshop_follows_receptions_answers_on_postgres() {
    workshop_follows_receptions_answers(Backend::Postgres).await;
}
