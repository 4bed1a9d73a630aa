//! A workshop's day end to end, over the real binaries on SQLite and PostgreSQL: orders approved in reception
//! become queued jobs; one is assigned by accepting the suggestion, one by the foreman's override (audit kept);
//! the first is started, clocked, given a progress note and a delay report, fails inspection once, is reworked,
//! passes, is washed and ready — every step visible on workshop's feed — and the KPIs count it. Then automatic
//! assignment: a technician going off shift hands their open job to a colleague, and a job nobody qualifies for
//! waits visibly until a qualified technician comes on shift.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::workshop::{Crew, Jobs, Stage};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient;
use aftersales_proto::workshop::v1::workshop_settings_service_client::WorkshopSettingsServiceClient;

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Approves a fresh order of the advisor's dealer (with `lines` instead of the fixture's, if given) and waits for
/// its job.
async fn approved_job(
    suite: &mut Suite,
    advisor: &str,
    jobs: &Jobs,
    lines: Option<Vec<reception::NewRepairOrderLine>>,
) -> pb::Job {
    let mut orders = clients::orders(suite.service("reception"), advisor).await;
    let mut create = fixtures::create_repair_order(false);
    if let Some(lines) = lines {
        create.lines = lines;
    }
    let order = orders.create_repair_order(create).await.expect("create").into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.expect("approve");
    wait::until(Duration::from_secs(15), "the job of the approved order", || {
        let (mut jobs, order) = (jobs.clone(), order.id.clone());
        async move {
            let request = pb::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await
}

async fn register(crew: &Crew, family: &str, level: i32, on_shift: bool) -> String {
    let mut technicians = crew.technicians();
    let registered = technicians.register_technician(fixtures::register_technician()).await.unwrap().into_inner();
    train(crew, &registered.id, family, level).await;
    if on_shift {
        let request = pb::SetShiftRequest { request_id: request_id(), technician_id: registered.id.clone(), on_shift };
        technicians.set_shift(request).await.unwrap();
    }
    registered.id
}

async fn train(crew: &Crew, technician: &str, family: &str, level: i32) {
    let request =
        pb::RecordTrainingRequest { skill_family: family.into(), level, ..fixtures::record_training(technician) };
    crew.technicians().record_training(request).await.expect("training");
}

fn kinds(job: &pb::Job) -> Vec<pb::AssignmentKind> {
    job.assignments.iter().map(|a| a.kind()).collect()
}

async fn workshop_day(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let channel = suite.service("workshop").channel().await;
    // The crew's technician (engine 3) comes on shift first, so is idle longest.
    let crew = Crew::hire(channel.clone(), &data, &dealer).await;
    let colleague = register(&crew, "engine", 4, true).await;
    let mut foreman = crew.jobs(&crew.foreman_token);
    let mut technician = crew.jobs(&crew.technician_token);
    let mut inspector = crew.jobs(&crew.inspector_token);

    // Queued within the 5-minute target.
    let first = approved_job(&mut suite, &advisor, &foreman, None).await;
    let queued = chrono::DateTime::from_timestamp(first.queued_at.unwrap().seconds, 0).unwrap();
    let approved = chrono::DateTime::from_timestamp(first.approved_at.unwrap().seconds, 0).unwrap();
    assert!(queued - approved < chrono::Duration::minutes(5), "queued {queued}, approved {approved}");

    // The queue suggests the crew's technician (equally loaded, idle longest); the foreman accepts.
    let queue = foreman.list_assignment_queue(pb::ListAssignmentQueueRequest::default()).await.unwrap().into_inner();
    assert_eq!(queue.jobs.len(), 1);
    let suggestion = queue.jobs[0].suggestion.clone().expect("a suggestion");
    assert_eq!(suggestion.technician_id, crew.technician_id);
    assert!(suggestion.reason.contains("idle longest"), "{}", suggestion.reason);
    let first = crew.bring(&first.id, Stage::Assigned).await;
    assert_eq!(kinds(&first), [pb::AssignmentKind::SuggestionAccepted]);
    assert!(first.estimated_finish_at.is_some());

    // The second job is suggested to the colleague (least remaining work); the foreman overrides, with a reason.
    let second = approved_job(&mut suite, &advisor, &foreman, None).await;
    let suggested =
        foreman.suggest_technician(pb::SuggestTechnicianRequest { job_id: second.id.clone() }).await.unwrap();
    assert_eq!(suggested.into_inner().suggestion.unwrap().technician_id, colleague);
    let without_reason = pb::AssignJobRequest {
        request_id: request_id(),
        job_id: second.id.clone(),
        technician_id: crew.technician_id.clone(),
        override_reason: String::new(),
    };
    let refused = foreman.assign_job(without_reason.clone()).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::InvalidArgument, "an override needs a reason");
    let second = foreman
        .assign_job(pb::AssignJobRequest { override_reason: "knows this customer's car".into(), ..without_reason })
        .await
        .unwrap()
        .into_inner();
    let audit = &second.assignments[0];
    assert_eq!(audit.kind(), pb::AssignmentKind::Override);
    assert_eq!(
        (audit.suggested_technician_id.as_str(), audit.reason.as_str()),
        (colleague.as_str(), "knows this customer's car")
    );
    assert!(audit.decided_by.starts_with("foreman-"));

    // Work: started, clocked, a progress note, a delay report.
    let started = crew.bring(&first.id, Stage::Started).await;
    assert_eq!(started.state(), pb::JobState::InProgress);
    let line = started.operations[0].line_id.clone();
    let clock_on =
        |job: &str| pb::ClockOnRequest { request_id: request_id(), job_id: job.into(), line_id: line.clone() };
    let clock_off = |job: &str| pb::ClockOffRequest { request_id: request_id(), job_id: job.into() };
    technician.clock_on(clock_on(&first.id)).await.unwrap();
    let note = pb::LogProgressRequest {
        request_id: request_id(),
        job_id: first.id.clone(),
        note: "timing belt worn; replacing".into(),
        media_references: vec!["s3://dealer/belt.jpg".into()],
    };
    technician.log_progress(note).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::days(3);
    let delay = pb::ReportDelayRequest {
        request_id: request_id(),
        job_id: first.id.clone(),
        new_promised_at: Some(prost_types::Timestamp { seconds: later.timestamp(), nanos: 0 }),
        reason: "tensioner on back order".into(),
    };
    technician.report_delay(delay).await.unwrap();
    technician.clock_off(clock_off(&first.id)).await.unwrap();

    // Quality: self-check, inspection fails, rework, passes; wash; ready.
    let self_check = |job: &str| pb::CompleteSelfCheckRequest {
        request_id: request_id(),
        job_id: job.into(),
        note: "torques checked".into(),
    };
    technician.complete_self_check(self_check(&first.id)).await.unwrap();
    let fail = pb::RecordInspectionRequest {
        request_id: request_id(),
        job_id: first.id.clone(),
        passed: false,
        findings: "belt tension out of spec".into(),
    };
    let failed = inspector.record_inspection(fail).await.unwrap().into_inner();
    assert_eq!((failed.state(), failed.rework_count), (pb::JobState::Rework, 1));
    assert_eq!(failed.technician_id, crew.technician_id, "rework goes back to the same technician");
    technician.clock_on(clock_on(&first.id)).await.unwrap();
    technician.clock_off(clock_off(&first.id)).await.unwrap();
    technician.complete_self_check(self_check(&first.id)).await.unwrap();
    let pass = pb::RecordInspectionRequest {
        request_id: request_id(),
        job_id: first.id.clone(),
        passed: true,
        findings: String::new(),
    };
    inspector.record_inspection(pass).await.unwrap();
    let ready = foreman
        .record_wash(pb::RecordWashRequest { request_id: request_id(), job_id: first.id.clone() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(ready.state(), pb::JobState::Ready);
    // Reception learns it from workshop's feed: the order is ready.
    let orders = clients::orders(suite.service("reception"), &advisor).await;
    wait::until(Duration::from_secs(15), "the order ready in reception", || {
        let (mut orders, id) = (orders.clone(), ready.repair_order_id.clone());
        async move {
            let order = orders.get_repair_order(reception::GetRepairOrderRequest { id }).await.ok()?.into_inner();
            (order.state() == reception::RepairOrderState::Ready).then_some(())
        }
    })
    .await;
    assert_eq!(ready.clock_entries.len(), 2);
    assert!(ready.clock_entries[1].rework);
    assert_eq!(ready.delays.len(), 1);
    assert_eq!(ready.progress_notes.len(), 1);

    // Every step is on workshop's feed, in order.
    let mut feed = clients::feed(suite.service("workshop"), &service_token(&data, "reception")).await;
    clients::count_once_at_least(&feed, 14, |e| e.aggregate_id == first.id).await;
    let events = clients::all_events(&mut feed).await;
    let first_job_events: Vec<String> = events
        .iter()
        .filter(|e| e.aggregate_id == first.id)
        .map(|e| e.payload.as_ref().unwrap().type_url.rsplit('.').next().unwrap().to_string())
        .collect();
    assert_eq!(
        first_job_events,
        [
            "JobQueued",
            "JobAssigned",
            "JobStarted",
            "OperationClockedOn",
            "ProgressLogged",
            "DelayReported",
            "OperationClockedOff",
            "SelfCheckCompleted",
            "InspectionFailed",
            "OperationClockedOn",
            "OperationClockedOff",
            "SelfCheckCompleted",
            "InspectionPassed",
            "JobReady",
        ]
    );

    // KPIs: one job ready, reworked once, on time against the original promise (two days out).
    let oem = crew.jobs(&Caller::role("oem_manager").token(&data));
    let now = chrono::Utc::now();
    let stamp = |t: chrono::DateTime<chrono::Utc>| Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 });
    let kpis = oem
        .clone()
        .get_workshop_kpis(pb::GetWorkshopKpisRequest {
            dealer_id: dealer.clone(),
            from: stamp(now - chrono::Duration::days(1)),
            to: stamp(now + chrono::Duration::days(1)),
        })
        .await
        .unwrap()
        .into_inner();
    let overall = kpis.overall.unwrap();
    assert_eq!((overall.jobs_ready, overall.jobs_reworked, overall.failed_inspections), (1, 1, 1));
    assert_eq!((overall.rework_rate_bp, overall.on_time_ready_rate_bp), (10_000, 10_000));
    assert_eq!(kpis.technicians.len(), 1);
    assert_eq!(kpis.technicians[0].technician_id, crew.technician_id);

    // Automatic assignment on: the crew's technician goes off shift; their open second job goes to the colleague.
    let manager = Caller::dealer("dealer_manager", &dealer).token(&data);
    let mut settings =
        WorkshopSettingsServiceClient::with_interceptor(channel.clone(), aftersales_e2e::Bearer(Some(manager)));
    let current = settings.get_workshop_settings(pb::GetWorkshopSettingsRequest::default()).await.unwrap().into_inner();
    assert!(!current.automatic_assignment, "off by default");
    let update =
        pb::UpdateWorkshopSettingsRequest { request_id: request_id(), etag: current.etag, automatic_assignment: true };
    settings.update_workshop_settings(update).await.unwrap();
    crew.shift(false).await;
    let second = foreman.get_job(pb::GetJobRequest { id: second.id.clone() }).await.unwrap().into_inner();
    assert_eq!(second.technician_id, colleague);
    assert_eq!(
        kinds(&second),
        [pb::AssignmentKind::Override, pb::AssignmentKind::Released, pb::AssignmentKind::Automatic]
    );

    // A job nobody on shift qualifies for waits visibly, and is given out when a qualified technician comes on.
    let mut catalogue = OperationCatalogueServiceClient::with_interceptor(
        channel.clone(),
        aftersales_e2e::Bearer(Some(Caller::role("oem_manager").token(&data))),
    );
    let body =
        pb::CreateOperationRequest { skill_family: "body".into(), minimum_level: 4, ..fixtures::new_operation() };
    let body = catalogue.create_operation(body).await.unwrap().into_inner().code;
    // Reception checks estimates against its copy of the catalogue, which follows workshop's feed.
    let reception = suite.service("reception").channel().await;
    aftersales_e2e::catalogue::wait_for_record(reception, &data, &body, true).await;
    let third = approved_job(&mut suite, &advisor, &foreman, Some(vec![fixtures::labour(&body, 200)])).await;
    let queue = foreman.list_assignment_queue(pb::ListAssignmentQueueRequest::default()).await.unwrap().into_inner();
    let waiting = queue.jobs.iter().find(|q| q.job.as_ref().unwrap().id == third.id).expect("visible in the queue");
    assert!(waiting.suggestion.is_none());
    assert_eq!(waiting.waiting_reason, "nobody on shift qualifies for body ≥ 4");
    train(&crew, &crew.technician_id, "body", 4).await; // off shift: still nobody
    let still = foreman.get_job(pb::GetJobRequest { id: third.id.clone() }).await.unwrap().into_inner();
    assert!(still.technician_id.is_empty());
    crew.shift(true).await;
    let third = foreman.get_job(pb::GetJobRequest { id: third.id.clone() }).await.unwrap().into_inner();
    assert_eq!(third.technician_id, crew.technician_id);
    assert_eq!(kinds(&third), [pb::AssignmentKind::Automatic]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workshop_day_on_sqlite() {
    workshop_day(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workshop_day_on_postgres() {
    workshop_day(Backend::Postgres).await;
}

/// Eight foremen give one job to the same technician at once: it is assigned once (one history entry, one
/// `JobAssigned`); the others are told the technician already holds it.
async fn concurrent_assignments_assign_once(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let job = approved_job(&mut suite, &advisor, &crew.jobs(&crew.foreman_token), None).await;
    let calls = (0..8).map(|_| {
        let mut foreman = crew.jobs(&Caller::dealer("foreman", &dealer).token(&data));
        let request = pb::AssignJobRequest {
            request_id: request_id(),
            job_id: job.id.clone(),
            technician_id: crew.technician_id.clone(),
            override_reason: String::new(),
        };
        tokio::spawn(async move { foreman.assign_job(request).await.map(|_| ()).map_err(|s| s.code()) })
    });
    let results: Vec<_> = futures::future::join_all(calls).await.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().all(|r| matches!(r, Ok(()) | Err(tonic::Code::FailedPrecondition))), "{results:?}");
    let job = crew.jobs(&crew.foreman_token).get_job(pb::GetJobRequest { id: job.id }).await.unwrap().into_inner();
    assert_eq!(job.assignments.len(), 1);
    let feed = clients::feed(suite.service("workshop"), &service_token(&data, "reception")).await;
    // The relay numbers rows just after they commit: wait for the event, then count.
    let assigned = |events: &[aftersales_proto::common::v1::EventEnvelope]| {
        events
            .iter()
            .filter(|e| e.aggregate_id == job.id && e.payload.as_ref().unwrap().type_url.ends_with(".JobAssigned"))
            .count()
    };
    let events = wait::until(Duration::from_secs(15), "JobAssigned on the feed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            (assigned(&events) >= 1).then_some(events)
        }
    })
    .await;
    assert_eq!(assigned(&events), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_assignments_assign_once_on_sqlite() {
    concurrent_assignments_assign_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_assignments_assign_once_on_postgres() {
    concurrent_assignments_assign_once(Backend::Postgres).await;
}

/// Cancelling an order before its job starts drops the job (`JobCancelled` on workshop's feed); once workshop's
/// `JobStarted` reached reception, the order is `in_workshop` and cancelling it is FAILED_PRECONDITION.
async fn cancellation_until_the_job_starts(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception", "workshop"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let jobs = crew.jobs(&crew.foreman_token);
    let mut orders = clients::orders(suite.service("reception"), &advisor).await;
    let cancel = |order: &str| reception::CancelRepairOrderRequest {
        request_id: request_id(),
        repair_order_id: order.into(),
        reason: "customer changed their mind".into(),
    };

    let queued = approved_job(&mut suite, &advisor, &jobs, None).await;
    let cancelled = orders.cancel_repair_order(cancel(&queued.repair_order_id)).await.unwrap().into_inner();
    assert_eq!(cancelled.state(), reception::RepairOrderState::Cancelled);
    assert_eq!(cancelled.cancellation_reason, "customer changed their mind");
    let dropped = wait::until(Duration::from_secs(15), "the job dropped", || {
        let (mut jobs, id) = (jobs.clone(), queued.id.clone());
        async move {
            let job = jobs.get_job(pb::GetJobRequest { id }).await.ok()?.into_inner();
            (job.state() == pb::JobState::Cancelled).then_some(job)
        }
    })
    .await;
    assert!(dropped.technician_id.is_empty());

    let started = approved_job(&mut suite, &advisor, &jobs, None).await;
    crew.bring(&started.id, Stage::Started).await;
    wait::until(Duration::from_secs(15), "the order in workshop", || {
        let (mut orders, id) = (orders.clone(), started.repair_order_id.clone());
        async move {
            let order = orders.get_repair_order(reception::GetRepairOrderRequest { id }).await.ok()?.into_inner();
            (order.state() == reception::RepairOrderState::InWorkshop).then_some(())
        }
    })
    .await;
    let refused = orders.cancel_repair_order(cancel(&started.repair_order_id)).await.unwrap_err();
    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);
    assert!(refused.message().contains("in_workshop"), "{}", refused.message());

    let feed = clients::feed(suite.service("workshop"), &service_token(&data, "reception")).await;
    let events = wait::until(Duration::from_secs(15), "JobCancelled on the feed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            events.iter().any(|e| e.payload.as_ref().unwrap().type_url.ends_with(".JobCancelled")).then_some(events)
        }
    })
    .await;
    let cancelled_jobs: Vec<String> = events
        .into_iter()
        .filter(|e| e.payload.as_ref().unwrap().type_url.ends_with(".JobCancelled"))
        .map(|e| e.aggregate_id)
        .collect();
    assert_eq!(cancelled_jobs, [queued.id]);
}

#[tokio::test(flavor = "multi_thread")]
async fn cancellation_until_the_job_starts_on_sqlite() {
    cancellation_until_the_job_starts(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancellation_until_the_job_starts_on_postgres() {
    cancellation_until_the_job_starts(Backend::Postgres).await;
}
