//! The service day, end to end over the real reception and workshop binaries, on SQLite and PostgreSQL:
//! appointment → confirmation → check-in → an order with a declined optional line → consent → the job queued and
//! assigned → additional work refused once and approved once → progress notes and a customer progress notice → a
//! delay reported and announced with a compensation offer → inspection fails once → rework → pass → wash → ready →
//! the settlement showing estimate against actual with reasons → delivery refused before the signature, then done →
//! a follow-up scoring 2 → CustomerDissatisfied on reception's feed → the escalation service opens the dealer's case
//! about the car (its model and the dealer's region; the customer reached through the dealer) and runs its triage
//! clock.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::reception::{order_in, order_with_request};
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, directory, fixtures, wait};
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::escalation::v1::case_service_client::CaseServiceClient;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::reception_kpi_service_client::ReceptionKpiServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> Option<prost_types::Timestamp> {
    Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 })
}

async fn service_day(backend: Backend) {
    let services = ["reception", "workshop", "parts", "escalation"];
    let Some(mut suite) = Suite::start(backend, &services, SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let dealer_record = directory::register_dealer(suite.service("reception"), &data, &dealer, "SD", 1300).await;
    let reception_channel = suite.service("reception").channel().await;
    let advisor_token = Caller::dealer("service_advisor", &dealer).token_as(&data, "alice");
    let advisor = Bearer(Some(advisor_token.clone()));
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    let mut foreman = crew.jobs(&crew.foreman_token);
    let mut technician = crew.jobs(&crew.technician_token);
    let mut inspector = crew.jobs(&crew.inspector_token);

    // Appointment → confirmation → check-in.
    let customer = CustomerServiceClient::with_interceptor(reception_channel.clone(), advisor.clone())
        .create_customer(fixtures::create_customer())
        .await
        .unwrap()
        .into_inner();
    let car = VehicleServiceClient::with_interceptor(reception_channel.clone(), advisor.clone())
        .register_vehicle(fixtures::register_vehicle(&customer.id))
        .await
        .unwrap()
        .into_inner();
    let mut appointments = AppointmentServiceClient::with_interceptor(reception_channel.clone(), advisor.clone());
    let booked = appointments
        .request_appointment(fixtures::request_appointment(&customer.id, &car.id, false))
        .await
        .unwrap()
        .into_inner();
    let confirm = pb::ConfirmAppointmentRequest { request_id: id(), appointment_id: booked.id.clone(), slot_at: None };
    appointments.confirm_appointment(confirm).await.unwrap();
    let check_in =
        pb::CheckInRequest { appointment_id: booked.id.clone(), ..fixtures::check_in(&customer.id, &car.id, 42_800) };
    let checked_in = CheckInServiceClient::with_interceptor(reception_channel.clone(), advisor.clone())
        .check_in(check_in)
        .await
        .unwrap()
        .into_inner();

    // The order: a required labour line and an optional part the customer declines; consent.
    let mut orders = clients::orders(suite.service("reception"), &advisor_token).await;
    let create = pb::CreateRepairOrderRequest {
        vin: checked_in.vin.clone(),
        mileage_km: checked_in.mileage_km,
        ..fixtures::create_repair_order(false)
    };
    let order = orders.create_repair_order(create).await.unwrap().into_inner();
    let optional = order.lines[1].line_id.clone();
    let consent = pb::ApproveEstimateRequest {
        declined_lines: vec![pb::DeclinedLine {
            line_id: optional.clone(),
            reason: "only fix the start problem".into(),
        }],
        ..fixtures::approve(&order.id)
    };
    let approved = orders.approve_estimate(consent).await.unwrap().into_inner();
    assert!(approved.lines[1].declined);

    // The job: queued, assigned (the suggestion accepted), started.
    let job = wait::until(std::time::Duration::from_secs(15), "the job", || {
        let (mut jobs, order) = (foreman.clone(), order.id.clone());
        async move {
            let request = workshop::ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    crew.bring(&job.id, Stage::Started).await;
    order_in(&orders, &order.id, pb::RepairOrderState::InWorkshop).await;

    // Additional work: refused once, approved once.
    let first = crew.ask_for_additional_work(&job.id).await;
    order_with_request(&orders, &order.id, &first.id).await;
    orders.refuse_additional_work(fixtures::refuse_additional_work(&order.id, &first.id)).await.unwrap();
    let second = crew.ask_for_additional_work(&job.id).await;
    order_with_request(&orders, &order.id, &second.id).await;
    let with_extra =
        orders.approve_additional_work(fixtures::approve_additional_work(&order.id, &second.id)).await.unwrap();
    assert_eq!(with_extra.into_inner().estimate_version, 2);

    // Progress: the technician's note, the advisor's notice to the customer.
    let note = workshop::LogProgressRequest {
        request_id: id(),
        job_id: job.id.clone(),
        note: "starter motor replaced; belt next".into(),
        media_references: vec![],
    };
    technician.log_progress(note).await.unwrap();
    orders.notify_customer_progress(fixtures::progress_notice(&order.id)).await.unwrap();

    // A delay: reported by the workshop, announced to the customer with a compensation offer.
    let later = chrono::Utc::now() + chrono::Duration::days(3);
    let delay = workshop::ReportDelayRequest {
        request_id: id(),
        job_id: job.id.clone(),
        new_promised_at: stamp(later),
        reason: "belt tensioner on back order".into(),
    };
    technician.report_delay(delay).await.unwrap();
    let announced = orders.notify_customer_delay(fixtures::delay_notice(&order.id, 3)).await.unwrap().into_inner();
    assert_eq!(announced.compensation_offer, "free wash and a courtesy car");

    // Every operation clocked (the approved extra one too); self-check; inspection fails; rework; pass; wash.
    let clock_all = async |technician: &mut aftersales_e2e::workshop::Jobs| {
        let current = foreman.clone().get_job(workshop::GetJobRequest { id: job.id.clone() }).await.unwrap();
        for op in current.into_inner().operations {
            let on = workshop::ClockOnRequest { request_id: id(), job_id: job.id.clone(), line_id: op.line_id };
            technician.clock_on(on).await.unwrap();
            technician.clock_off(workshop::ClockOffRequest { request_id: id(), job_id: job.id.clone() }).await.unwrap();
        }
    };
    let self_check =
        || workshop::CompleteSelfCheckRequest { request_id: id(), job_id: job.id.clone(), note: "checked".into() };
    clock_all(&mut technician).await;
    technician.complete_self_check(self_check()).await.unwrap();
    let inspect = |passed: bool| workshop::RecordInspectionRequest {
        request_id: id(),
        job_id: job.id.clone(),
        passed,
        findings: if passed { String::new() } else { "belt tension out of spec".into() },
    };
    let failed = inspector.record_inspection(inspect(false)).await.unwrap().into_inner();
    assert_eq!(failed.state(), workshop::JobState::Rework);
    clock_all(&mut technician).await;
    technician.complete_self_check(self_check()).await.unwrap();
    inspector.record_inspection(inspect(true)).await.unwrap();
    foreman.record_wash(workshop::RecordWashRequest { request_id: id(), job_id: job.id.clone() }).await.unwrap();
    let ready = order_in(&orders, &order.id, pb::RepairOrderState::Ready).await;

    // Settlement: estimate against actual, a reason on every line that differs; no delivery before the signature.
    let settlements = clients::settlements(suite.service("reception"), &advisor_token).await;
    let draft = settlements
        .clone()
        .get_settlement(pb::GetSettlementRequest { repair_order_id: order.id.clone() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(draft.state(), pb::SettlementState::Draft);
    assert!(draft.lines.iter().all(|l| l.line_id != optional), "the declined line is not charged");
    assert_eq!(draft.lines.len(), 3, "the first estimate's labour line and the approved extra labour and part");
    for line in &draft.lines {
        let consented = line.consented_amount.as_ref().unwrap().units_minor;
        assert!(line.charged_amount.as_ref().unwrap().units_minor <= consented, "capped at the consent");
    }
    assert!(draft.blockers.iter().any(|b| b.contains("reason")), "{:?}", draft.blockers);
    let too_early = orders.deliver_vehicle(fixtures::deliver(&order.id)).await.unwrap_err();
    assert_eq!(too_early.code(), Code::FailedPrecondition, "no delivery before the customer signs");
    let signed = aftersales_e2e::reception::sign(&settlements, &order.id).await;
    assert_eq!(signed.invoice_number, "SD-000001");
    assert!(
        signed
            .lines
            .iter()
            .filter(|l| l.actual_hundredths != l.estimated_hundredths)
            .all(|l| !l.variance_reason.is_empty())
    );
    let total = signed.total.as_ref().unwrap().units_minor;
    let net = signed.net.as_ref().unwrap().units_minor;
    assert_eq!(total - net, (net * 1300 + 5000) / 10_000, "13 % tax, half-up");

    // Delivery, then a follow-up scoring 2: the customer is dissatisfied.
    let delivered = orders.deliver_vehicle(fixtures::deliver(&order.id)).await.unwrap().into_inner();
    assert_eq!(delivered.state(), pb::RepairOrderState::Delivered);
    let followed = orders.record_follow_up(fixtures::follow_up(&order.id, 2)).await.unwrap().into_inner();
    assert!(followed.follow_up.unwrap().dissatisfied);
    assert_eq!(ready.lines.len(), 4, "two estimate lines, two approved extra lines");

    // The advisor's month (the dealer's time zone is Shanghai's, UTC+8 all year).
    let month = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m").to_string();
    let mut kpis = ReceptionKpiServiceClient::with_interceptor(reception_channel.clone(), advisor.clone());
    let request = pb::GetAdvisorKpisRequest { dealer_id: String::new(), month };
    let figures = kpis.get_advisor_kpis(request).await.unwrap().into_inner();
    let alice = figures.advisors.iter().find(|a| a.advisor == "alice").expect("alice's figures");
    assert_eq!(
        (alice.customers_received, alice.invoices, alice.settlement_accuracy_bp, alice.satisfaction_hundredths),
        (1, 1, 10_000, 200)
    );
    assert_eq!((alice.deliveries, alice.on_time_deliveries, alice.on_time_delivery_rate_bp), (1, 1, 10_000));

    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    // The dealer; the appointment requested and confirmed; the check-in; the order's eleven.
    let events = clients::at_least_events(&feed, 15).await;
    let dissatisfied =
        events.iter().find_map(decode_payload::<pb::CustomerDissatisfied>).expect("dissatisfied").unwrap();
    assert_eq!((dissatisfied.repair_order_id.as_str(), dissatisfied.score), (order.id.as_str(), 2));
    assert_eq!(
        (dissatisfied.model.as_str(), dissatisfied.region.as_str()),
        (car.model.as_str(), dealer_record.region.as_str())
    );

    // Escalation opened the dealer's case from it: the dealer's manager sees it, its triage clock runs.
    let manager = Bearer(Some(Caller::dealer("dealer_manager", &dealer).token(&data)));
    let mut cases = CaseServiceClient::with_interceptor(suite.service("escalation").channel().await, manager);
    let case = wait::until(std::time::Duration::from_secs(30), "the follow-up's case", || {
        let mut cases = cases.clone();
        async move {
            let listed = cases.list_cases(escalation::ListCasesRequest::default()).await.ok()?.into_inner();
            listed.cases.into_iter().next()
        }
    })
    .await;
    assert_eq!((case.source(), case.state()), (escalation::CaseSource::FollowUp, escalation::CaseState::Received));
    assert_eq!((case.repair_order_id.as_str(), case.serial_or_vin.as_str()), (order.id.as_str(), car.vin.as_str()));
    assert_eq!((case.model.as_str(), case.region.as_str()), (car.model.as_str(), dealer_record.region.as_str()));
    assert!(case.symptom.contains("satisfaction 2/5"), "{}", case.symptom);
    assert!(case.contact.as_ref().unwrap().phone.is_empty(), "no personal data crossed the feed");
    let listed = cases.list_cases(escalation::ListCasesRequest::default()).await.unwrap().into_inner();
    assert_eq!(listed.cases.len(), 1, "one follow-up, one case");
    let order_steps: Vec<&str> = events
        .iter()
        .filter(|e| e.aggregate_id == order.id)
        .map(|e| e.event_type.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(
        order_steps,
        [
            "RepairOrderCreated",
            "RepairOrderApproved",
            "AdditionalWorkRefused",
            "AdditionalWorkApproved",
            "CustomerProgressNotified",
            "CustomerDelayNotified",
            "SettlementSigned",
            "Delivered",
            "FollowUpScheduled",
            "FollowUpRecorded",
            "CustomerDissatisfied",
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_day_on_sqlite() {
    service_day(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_day_on_postgres() {
    service_day(Backend::Postgres).await;
}
