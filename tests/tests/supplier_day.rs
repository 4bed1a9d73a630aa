//! A supplier's day, with all five real binaries on a manual clock, on SQLite and PostgreSQL: a part fitted on a
//! repair order fails under warranty at the dealer; parts publishes PartWarrantyFailure and the supplier service
//! drafts a claim from it (linked to the dealer, order and part issue, carrying no customer or vehicle data);
//! quality revises and sends it; it is on the supplier's stream; it goes unacknowledged for 24 h, so the engine
//! breaches its clock and climbs the supplier ladder; the supplier acknowledges late, proposes a solution in time,
//! contains, submits its 8D; quality accepts; the supplier agrees the cost; quality charges it back and closes.
//! The supplier's stream, resumed from its cursor, held every change exactly once in order; the scorecard counts
//! the engine's verdicts — including a second claim's breached clock that the OEM waives in the escalation service
//! — and the ranking shows the supplier.

use std::time::Duration;

use aftersales_e2e::stock::Store;
use aftersales_e2e::workshop::Crew;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures, wait};
use aftersales_proto::common::v1::Money;
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::parts::v1::part_catalogue_service_client::PartCatalogueServiceClient;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::parts::v1::warranty_service_client::WarrantyServiceClient;
use aftersales_proto::supplier::v1 as sup;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use aftersales_proto::supplier::v1::scorecard_service_client::ScorecardServiceClient;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use aftersales_proto::workshop::v1::ListJobsRequest;
use prost::Message;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

const ALL: [&str; 5] = ["reception", "workshop", "parts", "escalation", "supplier"];
const LONG: Duration = Duration::from_secs(60);

type Claims = ClaimServiceClient<InterceptedService<Channel, Bearer>>;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn cny(minor: i64) -> Option<Money> {
    Some(Money { currency_code: "CNY".into(), units_minor: minor })
}

fn plus(t: &Option<prost_types::Timestamp>, seconds: i64) -> Option<prost_types::Timestamp> {
    t.as_ref().map(|t| prost_types::Timestamp { seconds: t.seconds + seconds, nanos: 0 })
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The clock of `policy` on subject `claim`, once the engine has it.
async fn clock_of(
    clocks: &ClockServiceClient<InterceptedService<Channel, Bearer>>,
    claim: &str,
    policy: &str,
) -> esc::ClockExplanation {
    wait::until(LONG, "the claim's clock", || {
        let (mut clocks, claim) = (clocks.clone(), claim.to_string());
        async move {
            let request = esc::ListClocksRequest { subject_id: claim, page: None };
            clocks.list_clocks(request).await.ok()?.into_inner().clocks.into_iter().find(|c| c.policy == policy)
        }
    })
    .await
}

async fn supplier_day(backend: Backend) {
    let options = SuiteOptions::default().with("AFTERSALES__CLOCK__MODE", "manual");
    let Some(mut suite) = Suite::start(backend, &ALL, options).await else { return };
    let data = suite.data_dir();
    let token = |role: &str| Bearer(Some(Caller::role(role).token(&data)));
    let supplier_channel = suite.service("supplier").channel().await;
    let parts_channel = suite.service("parts").channel().await;

    // The OEM registers the supplier and designates it for part A-1001 (24 months / 60 000 km warranty).
    let mut registry = SupplierServiceClient::with_interceptor(supplier_channel.clone(), token("quality"));
    let vendor = registry.create_supplier(fixtures::new_supplier()).await.unwrap().into_inner();
    let entry = parts::CreateCatalogueEntryRequest {
        part_number: "A-1001".into(),
        supplier_id: vendor.id.clone(),
        ..fixtures::new_part("")
    };
    PartCatalogueServiceClient::with_interceptor(parts_channel.clone(), token("oem_manager"))
        .create_catalogue_entry(entry)
        .await
        .unwrap();

    // The dealer's day: an order with the part line, its job, the part requested, approved and issued.
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let store = Store::open_with(parts_channel.clone(), &data, &dealer, "A-1001").await;
    store.put("A-01", "L-2026-01", 500).await;
    let crew = Crew::hire(suite.service("workshop").channel().await, &data, &dealer).await;
    aftersales_e2e::directory::register_dealer(suite.service("reception"), &data, &dealer, "SD01", 1300).await;
    let advisor_token = Caller::dealer("service_advisor", &dealer).token(&data);
    let mut orders = clients::orders(suite.service("reception"), &advisor_token).await;
    let order = orders.create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
    orders.approve_estimate(fixtures::approve(&order.id)).await.unwrap();
    let jobs = clients::jobs(suite.service("workshop"), &advisor_token).await;
    let job = wait::until(LONG, "the order's job", || {
        let (mut jobs, order) = (jobs.clone(), order.id.clone());
        async move {
            let request = ListJobsRequest { repair_order_id: order, ..Default::default() };
            jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop()
        }
    })
    .await;
    let requisitions =
        |token: String| RequisitionServiceClient::with_interceptor(parts_channel.clone(), Bearer(Some(token)));
    let technician = requisitions(crew.technician_token.clone());
    let requisition = wait::until(LONG, "parts to know the job and its order", || {
        let mut technician = technician.clone();
        let request = parts::RequestPartsRequest {
            request_id: id(),
            job_id: job.id.clone(),
            part_number: "A-1001".into(),
            quantity_hundredths: 200,
        };
        async move { technician.request_parts(request).await.ok().map(|r| r.into_inner()) }
    })
    .await;
    let approve = parts::ApproveRequisitionRequest { request_id: id(), requisition_id: requisition.id.clone() };
    requisitions(advisor_token.clone()).approve_requisition(approve).await.unwrap();
    let issue = parts::IssueRequisitionRequest {
        request_id: id(),
        requisition_id: requisition.id.clone(),
        warehouse_id: store.warehouse.clone(),
        quantity_hundredths: 200,
        batch: String::new(),
    };
    requisitions(Caller::dealer("parts_clerk", &dealer).token(&data)).issue_requisition(issue).await.unwrap();

    // An hour later the part fails at 50 000 km: covered by its warranty.
    suite.advance(Duration::from_secs(3600)).await;
    let mut warranty = WarrantyServiceClient::with_interceptor(
        parts_channel.clone(),
        Bearer(Some(Caller::dealer("foreman", &dealer).token(&data))),
    );
    let failed_at = chrono::Utc::now() + chrono::Duration::minutes(30);
    let report = parts::ReportPartFailureRequest {
        request_id: id(),
        vin: order.vin.clone(),
        part_number: "A-1001".into(),
        failure_time: Some(prost_types::Timestamp { seconds: failed_at.timestamp(), nanos: 0 }),
        mileage_km: 50_000,
        evidence_references: vec!["photo://failure/a-1001".into()],
    };
    let verdict = warranty.report_part_failure(report).await.unwrap().into_inner();
    assert_eq!(verdict.outcome(), parts::WarrantyOutcome::Covered);

    // The supplier service drafts the claim from parts' event.
    let mut quality: Claims = ClaimServiceClient::with_interceptor(supplier_channel.clone(), token("quality"));
    let draft = wait::until(LONG, "the claim drafted from the warranty failure", || {
        let mut quality = quality.clone();
        let request = sup::ListClaimsRequest { state: sup::ClaimState::Drafted as i32, ..Default::default() };
        async move { quality.list_claims(request).await.ok()?.into_inner().claims.pop() }
    })
    .await;
    assert_eq!(
        (draft.origin(), draft.supplier_id.as_str(), draft.dealer_id.as_str(), draft.repair_order_id.as_str()),
        (sup::ClaimOrigin::Warranty, vendor.id.as_str(), dealer.as_str(), order.id.as_str())
    );
    assert_eq!(
        (draft.requisition_id.as_str(), draft.part_number.as_str(), draft.batch.as_str()),
        (requisition.id.as_str(), "A-1001", "L-2026-01")
    );
    assert_eq!((draft.mileage_km, draft.drafted_by.as_str()), (Some(50_000), "parts"));
    assert!(!contains(&draft.encode_to_vec(), &order.vin), "no vehicle identity in a claim");

    // Quality fills in the model and the cost, and sends it.
    let revise = sup::ReviseClaimDraftRequest {
        request_id: id(),
        claim_id: draft.id.clone(),
        expected_revision: draft.revision,
        symptom: draft.symptom.clone(),
        model: "EA888".into(),
        failure_time: draft.failure_time,
        mileage_km: draft.mileage_km,
        evidence_references: draft.evidence_references.clone(),
        parts_cost: cny(3_998),
        labour_cost: cny(12_000),
    };
    quality.revise_claim_draft(revise).await.unwrap();
    let send = sup::SendClaimRequest { request_id: id(), claim_id: draft.id.clone() };
    let sent = quality.send_claim(send).await.unwrap().into_inner();

    // It is on the supplier's stream; the supplier's system keeps the cursor and disconnects.
    let supplier_token = Bearer(Some(Caller::supplier(&vendor.id).token(&data)));
    let mut system: Claims = ClaimServiceClient::with_interceptor(supplier_channel.clone(), supplier_token);
    let mut stream = system.watch_claims(sup::WatchClaimsRequest { after_cursor: 0 }).await.unwrap().into_inner();
    let first = tokio::time::timeout(LONG, stream.message()).await.unwrap().unwrap().unwrap();
    assert_eq!(
        (first.kind(), first.claim.as_ref().map(|c| c.id.as_str())),
        (sup::ClaimChangeKind::Sent, Some(draft.id.as_str()))
    );
    drop(stream);

    // 24 h pass unacknowledged: the engine breaches the clock and the supplier ladder climbs to quality.
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let clocks = ClockServiceClient::with_interceptor(suite.service("escalation").channel().await, support);
    let response = clock_of(&clocks, &draft.id, "supplier_response").await;
    suite.advance(Duration::from_secs(24 * 3600 + 60)).await;
    let breached = wait::until(LONG, "the acknowledgement clock's breach", || {
        let mut clocks = clocks.clone();
        let request = esc::ExplainClockRequest { clock_id: response.clock_id.clone() };
        async move { Some(clocks.explain_clock(request).await.ok()?.into_inner()).filter(|c| c.level >= 1) }
    })
    .await;
    assert_eq!(breached.history.last().map(|e| e.role.as_str()), Some("quality"));

    // The supplier acknowledges (late), committing to a solution within 3 days; then every step in time.
    let now = plus(&sent.send_time, 24 * 3600 + 60);
    let step = |claim_id: &str| (id(), claim_id.to_string());
    let (request_id, claim_id) = step(&draft.id);
    let ack = sup::AcknowledgeClaimRequest { request_id, claim_id, committed_solution_time: plus(&now, 3 * 86_400) };
    system.acknowledge_claim(ack).await.unwrap();
    suite.advance(Duration::from_secs(86_400)).await;
    let (request_id, claim_id) = step(&draft.id);
    let solution = "new injector spring from batch L-2026-02".to_string();
    system.propose_claim_solution(sup::ProposeClaimSolutionRequest { request_id, claim_id, solution }).await.unwrap();
    let (request_id, claim_id) = step(&draft.id);
    let containment = "batch L-2026-01 recalled from every warehouse".to_string();
    system.record_containment(sup::RecordContainmentRequest { request_id, claim_id, containment }).await.unwrap();
    let (request_id, claim_id) = step(&draft.id);
    let report = Some(fixtures::eight_d_report());
    system.submit_eight_d(sup::SubmitEightDRequest { request_id, claim_id, report }).await.unwrap();
    let (request_id, claim_id) = step(&draft.id);
    quality
        .judge_eight_d(sup::JudgeEightDRequest { request_id, claim_id, accept: true, reasons: String::new() })
        .await
        .unwrap();
    let (request_id, claim_id) = step(&draft.id);
    system
        .answer_claim_cost(sup::AnswerClaimCostRequest { request_id, claim_id, agree: true, reason: String::new() })
        .await
        .unwrap();
    let (request_id, claim_id) = step(&draft.id);
    let chargeback =
        sup::RecordChargebackRequest { request_id, claim_id, amount: cny(15_998), reference: "DN-2026-0117".into() };
    quality.record_chargeback(chargeback).await.unwrap();
    let (request_id, claim_id) = step(&draft.id);
    let closed = quality.close_claim(sup::CloseClaimRequest { request_id, claim_id }).await.unwrap().into_inner();
    assert_eq!(closed.state(), sup::ClaimState::Closed);

    // Back on the stream from the cursor it kept: every change it missed, once, in order.
    let mut stream =
        system.watch_claims(sup::WatchClaimsRequest { after_cursor: first.cursor }).await.unwrap().into_inner();
    let mut missed = Vec::new();
    for _ in 0..8 {
        missed.push(tokio::time::timeout(LONG, stream.message()).await.unwrap().unwrap().unwrap());
    }
    use sup::ClaimChangeKind as K;
    let kinds: Vec<K> = missed.iter().map(|c| c.kind()).collect();
    assert_eq!(
        kinds,
        [
            K::Acknowledged,
            K::SolutionProposed,
            K::ContainmentRecorded,
            K::EightDSubmitted,
            K::Accepted,
            K::CostAgreed,
            K::ChargedBack,
            K::Closed
        ]
    );
    assert!(missed.windows(2).all(|w| w[0].cursor < w[1].cursor));
    assert!(tokio::time::timeout(Duration::from_millis(500), stream.message()).await.is_err(), "nothing twice");
    for change in &missed {
        assert!(!contains(&change.encode_to_vec(), &order.vin), "no vehicle identity on the stream");
    }

    // A second claim, raised by hand, goes unacknowledged past its 24 h; the OEM waives its clock in escalation.
    let raised = quality.draft_claim(fixtures::new_claim(&vendor.id)).await.unwrap().into_inner();
    quality.send_claim(sup::SendClaimRequest { request_id: id(), claim_id: raised.id.clone() }).await.unwrap();
    let second = clock_of(&clocks, &raised.id, "supplier_response").await;
    suite.advance(Duration::from_secs(24 * 3600 + 60)).await;
    let mut scorecards = ScorecardServiceClient::with_interceptor(supplier_channel.clone(), token("quality"));
    let start_time = plus(&sent.send_time, -86_400);
    let end_time = plus(&sent.send_time, 30 * 86_400);
    let card_when = |done: fn(&sup::Scorecard) -> bool| {
        let scorecards = scorecards.clone();
        let request = sup::GetScorecardRequest { supplier_id: vendor.id.clone(), start_time, end_time };
        async move {
            wait::until(LONG, "the scorecard to follow the engine", || {
                let (mut scorecards, request) = (scorecards.clone(), request.clone());
                async move { Some(scorecards.get_scorecard(request).await.ok()?.into_inner()).filter(done) }
            })
            .await
        }
    };
    let before = card_when(|c| c.acknowledged_late == 2).await;
    assert_eq!(
        (before.acknowledged_on_time, before.acknowledgement_excused, before.acknowledgement_on_time_rate_bp),
        (0, 0, 0)
    );
    let mut manager =
        ClockServiceClient::with_interceptor(suite.service("escalation").channel().await, token("oem_manager"));
    let waive = esc::WaiveClockRequest {
        request_id: id(),
        clock_id: second.clock_id.clone(),
        reason: "claim raised against the wrong plant".into(),
    };
    manager.waive_clock(waive).await.unwrap();
    let card = card_when(|c| c.acknowledgement_excused == 1).await;
    assert_eq!(
        (card.claims_sent, card.acknowledged_on_time, card.acknowledged_late),
        (2, 0, 1),
        "the waived clock counts in neither"
    );
    assert_eq!((card.corrective_actions_on_time, card.corrective_action_on_time_rate_bp), (1, 10_000));
    assert_eq!((card.resolved, card.resolution_rate_bp), (1, 5_000));
    assert_eq!(card.mean_seconds_to_acknowledge, 24 * 3600 + 60, "acknowledged a day and a minute after sending");
    let recovered = card.costs.first().and_then(|c| c.recovered.as_ref()).map(|m| m.units_minor);
    assert_eq!(recovered, Some(15_998));
    // (4 × 0 + 3 × 10,000 + 3 × 5,000) / 10
    assert_eq!(card.score_bp, 4_500);
    let ranking =
        scorecards.rank_suppliers(sup::RankSuppliersRequest { start_time, end_time }).await.unwrap().into_inner();
    let ranked: Vec<(&str, i32, i64)> =
        ranking.scorecards.iter().map(|c| (c.supplier_id.as_str(), c.rank, c.score_bp)).collect();
    assert_eq!(ranked, [(vendor.id.as_str(), 1, 4_500)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn supplier_day_on_sqlite() {
    supplier_day(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn supplier_day_on_postgres() {
    supplier_day(Backend::Postgres).await;
}
