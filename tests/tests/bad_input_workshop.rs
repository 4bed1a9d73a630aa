//! Bad input, field by field, for workshop's job lifecycle (assignment, work, quality, wash, KPIs) and its
//! settings: every request field has at least one failing row → INVALID_ARGUMENT whose BadRequest details name
//! that field. The change RPCs are aimed at a real started job (reception approves an order, the crew starts its
//! job), so the rows that only the job can refuse (a promise not later, a line not of the job, an operation not in
//! the catalogue) are proven too — and afterwards the job is exactly as it was, workshop's feed has no new event,
//! and no idempotency key was taken.

use std::future::Future;
use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::workshop::{Crew, ENGINE_OPERATION, Stage};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient;
use aftersales_proto::workshop::v1::workshop_settings_service_client::WorkshopSettingsServiceClient;

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 })
}

/// Calls `call` once per row of `table`, each on a fresh valid request from `base` with the row's change, and
/// asserts the answer names the row's field.
async fn rows<T, R, Fut>(rpc: &str, table: &[Mutation<T>], base: impl Fn() -> T, call: impl Fn(T) -> Fut)
where
    R: std::fmt::Debug,
    Fut: Future<Output = Result<tonic::Response<R>, tonic::Status>>,
{
    for (field, case, mutate) in table {
        let mut request = base();
        mutate(&mut request);
        names_field(call(request).await, field, &format!("{rpc} {field}: {case}"));
    }
}

fn assign(job: &str, technician: &str) -> pb::AssignJobRequest {
    pb::AssignJobRequest {
        request_id: request_id(),
        job_id: job.into(),
        technician_id: technician.into(),
        override_reason: String::new(),
    }
}

const ASSIGN: &[Mutation<pb::AssignJobRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "abc".into()),
    ("job_id", "missing", |r| r.job_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("technician_id", "missing", |r| r.technician_id.clear()),
    ("technician_id", "not an id", |r| r.technician_id = "tech-1".into()),
    ("override_reason", "over 4000 characters", |r| r.override_reason = "o".repeat(4001)),
    ("override_reason", "a control character", |r| r.override_reason = "knows\u{7}the car".into()),
];

fn start(job: &str) -> pb::StartJobRequest {
    pb::StartJobRequest { request_id: request_id(), job_id: job.into() }
}

const START: &[Mutation<pb::StartJobRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "1".into()),
    ("job_id", "missing", |r| r.job_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "42".into()),
];

fn clock_on(job: &str, line: &str) -> pb::ClockOnRequest {
    pb::ClockOnRequest { request_id: request_id(), job_id: job.into(), line_id: line.into() }
}

const CLOCK_ON: &[Mutation<pb::ClockOnRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "nil uuid", |r| r.request_id = uuid::Uuid::nil().to_string()),
    ("job_id", "not an id", |r| r.job_id = "job".into()),
    ("line_id", "missing", |r| r.line_id.clear()),
    ("line_id", "not an id", |r| r.line_id = "line-1".into()),
];

fn clock_off(job: &str) -> pb::ClockOffRequest {
    pb::ClockOffRequest { request_id: request_id(), job_id: job.into() }
}

const CLOCK_OFF: &[Mutation<pb::ClockOffRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "off".into()),
    ("job_id", "missing", |r| r.job_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "x".into()),
];

fn progress(job: &str) -> pb::LogProgressRequest {
    pb::LogProgressRequest {
        request_id: request_id(),
        job_id: job.into(),
        note: "timing belt worn; replacing".into(),
        media_references: vec!["s3://dealer/belt.jpg".into()],
    }
}

const PROGRESS: &[Mutation<pb::LogProgressRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "p".into()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("note", "empty", |r| r.note.clear()),
    ("note", "over 4000 characters", |r| r.note = "n".repeat(4001)),
    ("media_references", "11 references", |r| r.media_references = vec!["s3://a.jpg".into(); 11]),
    ("media_references[0]", "an empty reference", |r| r.media_references = vec![String::new()]),
    ("media_references[0]", "a newline", |r| r.media_references = vec!["s3://a.jpg\ns3://b.jpg".into()]),
    ("media_references[0]", "over 1000 characters", |r| r.media_references = vec!["m".repeat(1001)]),
    ("media_references[1]", "the second one empty", |r| r.media_references.push(String::new())),
];

fn delay(job: &str) -> pb::ReportDelayRequest {
    pb::ReportDelayRequest {
        request_id: request_id(),
        job_id: job.into(),
        new_promised_at: stamp(chrono::Utc::now() + chrono::Duration::days(5)),
        reason: "tensioner on back order".into(),
    }
}

const DELAY: &[Mutation<pb::ReportDelayRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "d".into()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("new_promised_at", "missing", |r| r.new_promised_at = None),
    ("new_promised_at", "invalid nanos", |r| r.new_promised_at.as_mut().unwrap().nanos = -5),
    ("reason", "empty", |r| r.reason.clear()),
    ("reason", "over 4000 characters", |r| r.reason = "r".repeat(4001)),
];

fn additional_work(job: &str) -> pb::RequestAdditionalWorkRequest {
    pb::RequestAdditionalWorkRequest {
        request_id: request_id(),
        job_id: job.into(),
        finding: "brake pads at 2 mm".into(),
        operations: vec![pb::RequestedOperation {
            operation_code: ENGINE_OPERATION.into(),
            estimated_hours_hundredths: 100,
        }],
        parts: vec![pb::RequestedPart { part_number: "A-1001".into(), quantity_hundredths: 100 }],
        media_references: vec!["s3://dealer/pads.jpg".into()],
    }
}

const ADDITIONAL_WORK: &[Mutation<pb::RequestAdditionalWorkRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "w".into()),
    ("job_id", "missing", |r| r.job_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("finding", "empty", |r| r.finding.clear()),
    ("finding", "over 4000 characters", |r| r.finding = "f".repeat(4001)),
    ("operations", "no operations and no parts", |r| {
        r.operations.clear();
        r.parts.clear();
    }),
    ("operations", "51 operations", |r| r.operations = vec![r.operations[0].clone(); 51]),
    ("operations[0].operation_code", "a space", |r| r.operations[0].operation_code = "eng 1".into()),
    ("operations[0].operation_code", "empty", |r| r.operations[0].operation_code.clear()),
    ("operations[0].estimated_hours_hundredths", "zero", |r| r.operations[0].estimated_hours_hundredths = 0),
    ("operations[0].estimated_hours_hundredths", "over 1000 hours", |r| {
        r.operations[0].estimated_hours_hundredths = 100_001
    }),
    ("parts", "51 parts", |r| r.parts = vec![r.parts[0].clone(); 51]),
    ("parts[0].part_number", "a space", |r| r.parts[0].part_number = "A 1001".into()),
    ("parts[0].part_number", "a leading dash", |r| r.parts[0].part_number = "-A1001".into()),
    ("parts[0].quantity_hundredths", "zero", |r| r.parts[0].quantity_hundredths = 0),
    ("parts[0].quantity_hundredths", "over 100000", |r| r.parts[0].quantity_hundredths = 10_000_001),
    ("media_references", "11 references", |r| r.media_references = vec!["s3://a.jpg".into(); 11]),
    ("media_references[0]", "an empty reference", |r| r.media_references = vec![String::new()]),
    ("media_references[0]", "a newline", |r| r.media_references = vec!["a\nb".into()]),
];

fn self_check(job: &str) -> pb::CompleteSelfCheckRequest {
    pb::CompleteSelfCheckRequest { request_id: request_id(), job_id: job.into(), note: "torques checked".into() }
}

const SELF_CHECK: &[Mutation<pb::CompleteSelfCheckRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "s".into()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("note", "over 4000 characters", |r| r.note = "c".repeat(4001)),
];

fn inspection(job: &str) -> pb::RecordInspectionRequest {
    pb::RecordInspectionRequest { request_id: request_id(), job_id: job.into(), passed: true, findings: String::new() }
}

const INSPECTION: &[Mutation<pb::RecordInspectionRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "i".into()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
    ("findings", "failed with no findings", |r| r.passed = false),
    ("findings", "failed with blank findings", |r| {
        r.passed = false;
        r.findings = "   ".into();
    }),
    ("findings", "over 4000 characters", |r| r.findings = "f".repeat(4001)),
];

fn wash(job: &str) -> pb::RecordWashRequest {
    pb::RecordWashRequest { request_id: request_id(), job_id: job.into() }
}

const WASH: &[Mutation<pb::RecordWashRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "wash".into()),
    ("job_id", "missing", |r| r.job_id.clear()),
    ("job_id", "not an id", |r| r.job_id = "job-1".into()),
];

fn kpis(dealer: &str) -> pb::GetWorkshopKpisRequest {
    let now = chrono::Utc::now();
    pb::GetWorkshopKpisRequest {
        dealer_id: dealer.into(),
        from: stamp(now - chrono::Duration::days(30)),
        to: stamp(now),
    }
}

const KPIS: &[Mutation<pb::GetWorkshopKpisRequest>] = &[
    ("dealer_id", "not an id", |r| r.dealer_id = "D-1".into()),
    ("from", "missing", |r| r.from = None),
    ("to", "missing", |r| r.to = None),
    ("to", "equal to from", |r| r.to = r.from),
    ("to", "before from", |r| r.to.as_mut().unwrap().seconds = r.from.unwrap().seconds - 1),
    ("to", "366 days and a second after from", |r| {
        r.to.as_mut().unwrap().seconds = r.from.unwrap().seconds + 366 * 24 * 3600 + 1
    }),
];

fn settings_update() -> pb::UpdateWorkshopSettingsRequest {
    pb::UpdateWorkshopSettingsRequest { request_id: request_id(), etag: "0".into(), automatic_assignment: true }
}

const SETTINGS: &[Mutation<pb::UpdateWorkshopSettingsRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("request_id", "not a uuid", |r| r.request_id = "settings".into()),
    ("etag", "missing", |r| r.etag.clear()),
    ("etag", "not an etag", |r| r.etag = "abc".into()),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_the_job_lifecycle_and_settings_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception", "workshop"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let oem = Caller::role("oem_manager").token(&data);
    let channel = suite.service("workshop").channel().await;
    let crew = Crew::hire(channel.clone(), &data, &dealer).await;
    let foreman = crew.jobs(&crew.foreman_token);
    let technician = crew.jobs(&crew.technician_token);
    let inspector = crew.jobs(&crew.inspector_token);

    // A real job of the dealer, started by the crew's technician.
    let mut orders = clients::orders(suite.service("reception"), &advisor).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let queued = wait::until(Duration::from_secs(15), "the job of the approved order", || {
        let (mut jobs, order) = (foreman.clone(), order.id.clone());
        async move {
            let request = pb::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    let job = crew.bring(&queued.id, Stage::Started).await;
    assert_eq!(job.state(), pb::JobState::InProgress);
    let (id, line) = (job.id.clone(), job.operations[0].line_id.clone());

    // An operation that was in the catalogue but is retired.
    let mut catalogue = OperationCatalogueServiceClient::with_interceptor(channel.clone(), Bearer(Some(oem.clone())));
    let retired = catalogue.create_operation(fixtures::new_operation()).await.unwrap().into_inner();
    let retire = pb::UpdateOperationRequest {
        request_id: request_id(),
        code: retired.code.clone(),
        etag: retired.etag.clone(),
        name: retired.name.clone(),
        skill_family: retired.skill_family.clone(),
        minimum_level: retired.minimum_level,
        standard_hours_hundredths: retired.standard_hours_hundredths,
        active: false,
    };
    catalogue.update_operation(retire).await.unwrap();

    let mut feed = clients::feed(suite.service("workshop"), &service_token(&data, "reception")).await;
    // The relay numbers rows just after they commit: the retirement (the last change before the rows) is on the
    // feed before the feed is taken as it stands.
    clients::count_once_at_least(&feed, 2, |e| e.aggregate_id == retired.code).await;
    let events_before = clients::all_events(&mut feed).await;
    let job_before = foreman.clone().get_job(pb::GetJobRequest { id: id.clone() }).await.unwrap().into_inner();

    // Reads.
    let mut reader = foreman.clone();
    names_field(
        reader.list_jobs(pb::ListJobsRequest { technician_id: "tech-1".into(), ..Default::default() }).await,
        "technician_id",
        "ListJobs technician_id: not an id",
    );
    for (field, case, request) in [
        ("dealer_id", "not an id", pb::ListAssignmentQueueRequest { dealer_id: "D-1".into(), limit: 0 }),
        ("limit", "negative", pb::ListAssignmentQueueRequest { dealer_id: String::new(), limit: -1 }),
        ("limit", "over 500", pb::ListAssignmentQueueRequest { dealer_id: String::new(), limit: 501 }),
    ] {
        names_field(
            reader.list_assignment_queue(request).await,
            field,
            &format!("ListAssignmentQueue {field}: {case}"),
        );
    }
    for (case, job_id) in [("missing", ""), ("not an id", "job-1")] {
        let request = pb::SuggestTechnicianRequest { job_id: job_id.into() };
        names_field(reader.suggest_technician(request).await, "job_id", &format!("SuggestTechnician job_id: {case}"));
    }
    let kpi_reader = crew.jobs(&oem);
    rows(
        "GetWorkshopKpis",
        KPIS,
        || kpis(&dealer),
        |r| {
            let mut c = kpi_reader.clone();
            async move { c.get_workshop_kpis(r).await }
        },
    )
    .await;

    // Changes, each as a role allowed to make it.
    rows(
        "AssignJob",
        ASSIGN,
        || assign(&id, &crew.technician_id),
        |r| {
            let mut c = foreman.clone();
            async move { c.assign_job(r).await }
        },
    )
    .await;
    rows(
        "StartJob",
        START,
        || start(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.start_job(r).await }
        },
    )
    .await;
    rows(
        "ClockOn",
        CLOCK_ON,
        || clock_on(&id, &line),
        |r| {
            let mut c = technician.clone();
            async move { c.clock_on(r).await }
        },
    )
    .await;
    rows(
        "ClockOff",
        CLOCK_OFF,
        || clock_off(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.clock_off(r).await }
        },
    )
    .await;
    rows(
        "LogProgress",
        PROGRESS,
        || progress(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.log_progress(r).await }
        },
    )
    .await;
    rows(
        "ReportDelay",
        DELAY,
        || delay(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.report_delay(r).await }
        },
    )
    .await;
    rows(
        "RequestAdditionalWork",
        ADDITIONAL_WORK,
        || additional_work(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.request_additional_work(r).await }
        },
    )
    .await;
    rows(
        "CompleteSelfCheck",
        SELF_CHECK,
        || self_check(&id),
        |r| {
            let mut c = technician.clone();
            async move { c.complete_self_check(r).await }
        },
    )
    .await;
    rows(
        "RecordInspection",
        INSPECTION,
        || inspection(&id),
        |r| {
            let mut c = inspector.clone();
            async move { c.record_inspection(r).await }
        },
    )
    .await;
    rows(
        "RecordWash",
        WASH,
        || wash(&id),
        |r| {
            let mut c = foreman.clone();
            async move { c.record_wash(r).await }
        },
    )
    .await;

    // What only the job (or the catalogue) can refuse: well-formed, yet invalid for this job.
    let mut holder = technician.clone();
    let promised = job_before.promised_at.expect("a promise");
    let earlier = chrono::DateTime::from_timestamp(promised.seconds, 0).unwrap() - chrono::Duration::days(1);
    assert!(earlier > chrono::Utc::now(), "the fixture promises two days out");
    for (case, new_promised_at) in
        [("earlier than the promise", stamp(earlier)), ("equal to the promise", Some(promised))]
    {
        let request = pb::ReportDelayRequest { new_promised_at, ..delay(&id) };
        names_field(
            holder.report_delay(request).await,
            "new_promised_at",
            &format!("ReportDelay new_promised_at: {case}"),
        );
    }
    let unknown_line = clock_on(&id, &uuid::Uuid::now_v7().to_string());
    names_field(holder.clock_on(unknown_line.clone()).await, "line_id", "ClockOn line_id: not an operation of the job");
    for (case, code) in [("not in the catalogue", "ZZ-9999".to_string()), ("retired", retired.code.clone())] {
        let mut request = additional_work(&id);
        request.operations[0].operation_code = code;
        names_field(
            holder.request_additional_work(request).await,
            "operations[0].operation_code",
            &format!("RequestAdditionalWork operations[0].operation_code: {case}"),
        );
    }

    // Settings, as the dealer's manager.
    let mut settings =
        WorkshopSettingsServiceClient::with_interceptor(channel.clone(), Bearer(Some(crew.manager_token.clone())));
    let request = pb::GetWorkshopSettingsRequest { dealer_id: "D-1".into() };
    names_field(settings.get_workshop_settings(request).await, "dealer_id", "GetWorkshopSettings dealer_id: not an id");
    rows("UpdateWorkshopSettings", SETTINGS, settings_update, |r| {
        let mut c = settings.clone();
        async move { c.update_workshop_settings(r).await }
    })
    .await;

    // Nothing written: the job as it was, the settings still the defaults, no event on workshop's feed.
    let job_after = foreman.clone().get_job(pb::GetJobRequest { id: id.clone() }).await.unwrap().into_inner();
    assert_eq!(job_after, job_before, "a refused change leaves the job as it was");
    let current = settings.get_workshop_settings(pb::GetWorkshopSettingsRequest::default()).await.unwrap().into_inner();
    assert!(!current.automatic_assignment && current.update_time.is_none(), "still the defaults: {current:?}");
    assert_eq!(current.etag, "0");
    let events_after = clients::all_events(&mut feed).await;
    assert_eq!(events_after.len(), events_before.len(), "no event for a refused change");
    assert_eq!(events_after, events_before);

    // Nor any idempotency key: the key of the refused clock-on serves a good one.
    let good = pb::ClockOnRequest { line_id: line.clone(), ..unknown_line };
    let clocked = holder.clock_on(good).await.expect("a good request with a refused request's key").into_inner();
    assert_eq!(clocked.clock_entries.len(), 1);
}
