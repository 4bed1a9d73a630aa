//! Case reports over gRPC against figures computed by hand, on both databases. The data set, on the manual clock
//! from Monday 2 March 2026 09:00 UTC (17:00 in Shanghai, the report's time zone): five hotline cases received at
//! 09:00 — A and C about engine 1, B, D and E about engines 2, 3 and 4. Triage: A at 09:10, D (power loss) at
//! 09:20, C at 09:30 (a repeat of A: same engine, same category), B at 10:30 (an hour and a half: late), E never
//! (breached at 10:00). A is handled to closing at 11:00 (satisfaction 4, the assembly department responsible);
//! D to closing at 12:00 (satisfaction 5, a supplier responsible, root cause "material" with a corrective measure
//! done and a preventive one open). Both were contacted the moment they were assigned.
//!
//! By hand, March 2026:
//! - received 5, repeats 1 → 1 × 10000 / 5 = 2000 bp; untriaged 1 (E);
//! - Pareto: cold_start 3 (3/4 = 7500 bp, cumulative 7500), power_loss 1 (2500, cumulative 10000);
//! - triage clocks: 5 started, on time A, D, C = 3, late B, E = 2 → 3/5 = 6000 bp; met 4 after 600, 1200, 1800 and
//!   5400 s → mean 9000 / 4 = 2250 s, p90 = rank ⌈3.6⌉ = 4 → 5400 s;
//! - contact clocks: 2 started, both met at once → 10000 bp, mean 0, p90 0;
//! - all clocks: (3 + 2) / (3 + 2 + 2) = 5/7 = 7142.86 → 7143 bp;
//! - closed 2 after 7200 and 10800 s → mean 9000 s, p90 = rank ⌈1.8⌉ = 2 → 10800 s; satisfaction (4 + 5) / 2 →
//!   450 hundredths;
//! - causes: material 1 (10000 bp); responsible: "assembly/Zhao Lei" 1 and "supplier:<id>" 1 (ties by label),
//!   5000 and cumulative 5000, 10000;
//! - measures: quality / Wang Fang corrective 0 open 1 done, preventive 1 open 0 done;
//! - February: nothing, so the trend is March's figures themselves.

use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::case_report_service_client::CaseReportServiceClient;
use tonic::Code;

use crate::resolution::{
    Desk, EXECUTIVE, HEAD, MANAGER, QUALITY, confirmation, decision, diagnosis, id, meeting, ok, report, root_cause,
    solution, supplier_party,
};
use crate::support::{Caller, SUPPORT, TestApp, hotline_case, spawn_app};

fn engine(serial: &str) -> pb::CreateCaseRequest {
    pb::CreateCaseRequest { serial_or_vin: serial.into(), ..hotline_case() }
}

async fn classify(app: &TestApp, case: &str, category: &str) {
    let r = pb::ClassifyCaseRequest {
        request_id: id(),
        case_id: case.into(),
        severity: pb::CaseSeverity::General as i32,
        category: category.into(),
        reason: "as reported".into(),
    };
    app.cases.clone().classify_case(app.request_as(SUPPORT, r)).await.unwrap();
}

/// Handles a triaged general case to its responsibility approval, the customer's score `satisfaction`.
async fn handle(desk: &Desk<'_>, case: &str, satisfaction: i32, party: pb::ResponsibleParty, with_root_cause: bool) {
    ok(desk.assign_and_contact(case).await, "contact");
    ok(desk.diagnose(diagnosis(case, "found it")).await, "diagnosis");
    ok(desk.propose(SUPPORT, solution(case)).await, "solution");
    ok(desk.review(MANAGER, crate::resolution::review(case, true)).await, "approval");
    ok(desk.implement(case).await, "implementation");
    if with_root_cause {
        let reported = ok(desk.root_cause(QUALITY, root_cause(case)).await, "root cause");
        assert_eq!(reported.root_cause.unwrap().measures[0].kind(), pb::MeasureKind::Corrective);
        let done = pb::CompleteMeasureRequest {
            request_id: id(),
            case_id: case.into(),
            measure_number: 1,
            note: "batch replaced".into(),
        };
        ok(desk.complete(done).await, "measure 1 done");
    }
    ok(desk.resolve(case).await, "resolved");
    ok(desk.confirm(confirmation(case, true, satisfaction)).await, "confirmed");
    ok(desk.determine(HEAD, meeting(case, Some(party), false)).await, "meeting");
    ok(desk.issue(report(case)).await, "report");
    ok(desk.decide(EXECUTIVE, decision(case, true)).await, "approved");
}

async fn report_as(app: &TestApp, who: Caller, r: pb::GetCaseReportRequest) -> Result<pb::CaseReport, tonic::Status> {
    let mut client = CaseReportServiceClient::new(app.channel());
    client.get_case_report(app.request_as(who, r)).await.map(tonic::Response::into_inner)
}

fn march() -> pb::GetCaseReportRequest {
    pb::GetCaseReportRequest { kind: pb::ReportPeriodKind::Month as i32, year: 2026, number: 3, ..Default::default() }
}

fn rows(rows: &[pb::ParetoRow]) -> Vec<(&str, i64, i64, i64)> {
    rows.iter().map(|r| (r.label.as_str(), r.count, r.share_bp, r.cumulative_bp)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_march_report_matches_the_figures_computed_by_hand() {
    let app = spawn_app().await;
    let desk = Desk(&app);
    let a = app.create(SUPPORT, engine("WP10-2024-000001")).await.unwrap().id;
    let b = app.create(SUPPORT, engine("WP10-2024-000002")).await.unwrap().id;
    let c = app.create(SUPPORT, engine("WP10-2024-000001")).await.unwrap().id;
    let d = app.create(SUPPORT, engine("WP10-2024-000003")).await.unwrap().id;
    app.create(SUPPORT, engine("WP10-2024-000004")).await.unwrap();
    app.advance(10).await;
    classify(&app, &a, "cold_start").await;
    app.advance(10).await;
    classify(&app, &d, "power_loss").await;
    app.advance(10).await;
    classify(&app, &c, "cold_start").await;
    app.advance(60).await;
    classify(&app, &b, "cold_start").await;
    let assembly = pb::ResponsibleParty {
        party: Some(pb::responsible_party::Party::Department(pb::DepartmentParty {
            department: "assembly".into(),
            person: "Zhao Lei".into(),
        })),
    };
    handle(&desk, &a, 4, assembly, false).await;
    app.advance(30).await;
    ok(desk.close(&a).await, "A closed at 11:00");
    let supplier = aftersales_kernel::SupplierId::new().to_string();
    handle(&desk, &d, 5, supplier_party(&supplier), true).await;
    app.advance(60).await;
    ok(desk.close(&d).await, "D closed at 12:00");

    let report = report_as(&app, MANAGER, march()).await.unwrap();
    assert_eq!((report.period.as_str(), report.time_zone.as_str()), ("2026-03", "Asia/Shanghai"));
    assert_eq!(report.start_time.unwrap().seconds, 1_772_294_400, "2026-03-01 00:00 in Shanghai");
    let f = report.figures.clone().unwrap();
    assert_eq!((f.cases_received, f.repeat_cases, f.repeat_rate_bp, f.untriaged), (5, 1, 2000, 1));
    assert_eq!(rows(&f.categories), [("cold_start", 3, 7500, 7500), ("power_loss", 1, 2500, 10_000)]);
    let clock = |policy: &str| f.clocks.iter().find(|c| c.policy == policy).cloned().unwrap();
    let triage = clock("case_triage");
    assert_eq!((triage.started, triage.periods_on_time, triage.periods_late, triage.on_time_rate_bp), (5, 3, 2, 6000));
    assert_eq!((triage.met, triage.mean_seconds_to_meet, triage.p90_seconds_to_meet), (4, 2250, 5400));
    let contact = clock("case_contact");
    assert_eq!((contact.started, contact.on_time_rate_bp, contact.mean_seconds_to_meet), (2, 10_000, 0));
    assert_eq!(f.on_time_rate_bp, 7143);
    assert_eq!((f.cases_closed, f.mean_seconds_to_close, f.p90_seconds_to_close), (2, 9000, 10_800));
    assert_eq!((f.satisfaction_count, f.mean_satisfaction_hundredths), (2, 450));
    assert_eq!(rows(&f.causes), [("material", 1, 10_000, 10_000)]);
    let supplier_label = format!("supplier:{supplier}");
    assert_eq!(
        rows(&f.responsible),
        [("assembly/Zhao Lei", 1, 5000, 5000), (supplier_label.as_str(), 1, 5000, 10_000)]
    );
    let measures: Vec<(&str, &str, pb::MeasureKind, i64, i64)> =
        f.measures.iter().map(|m| (m.department.as_str(), m.person.as_str(), m.kind(), m.open, m.done)).collect();
    assert_eq!(
        measures,
        [
            ("quality", "Wang Fang", pb::MeasureKind::Corrective, 0, 1),
            ("quality", "Wang Fang", pb::MeasureKind::Preventive, 1, 0)
        ]
    );
    assert_eq!((f.measures_open, f.measures_done, f.corrective_open, f.corrective_done), (1, 1, 0, 1));
    assert_eq!(report.previous.unwrap().cases_received, 0, "nothing in February");
    let trend = report.trend.unwrap();
    assert_eq!((trend.cases_received_change, trend.on_time_rate_change_bp), (5, 7143));

    // The quarter and the year hold March; April holds nothing; another region nothing either.
    let quarter = pb::GetCaseReportRequest { kind: pb::ReportPeriodKind::Quarter as i32, number: 1, ..march() };
    assert_eq!(report_as(&app, MANAGER, quarter).await.unwrap().figures, Some(f.clone()));
    let year = pb::GetCaseReportRequest { kind: pb::ReportPeriodKind::Year as i32, number: 1, ..march() };
    assert_eq!(report_as(&app, EXECUTIVE, year).await.unwrap().figures, Some(f.clone()));
    let april = pb::GetCaseReportRequest { number: 4, ..march() };
    let april = report_as(&app, MANAGER, april).await.unwrap();
    assert_eq!((april.figures.unwrap().cases_received, april.previous.unwrap().cases_received), (0, 5));
    let south = pb::GetCaseReportRequest { region: "South China".into(), ..march() };
    assert_eq!(report_as(&app, MANAGER, south).await.unwrap().figures.unwrap().cases_received, 0);
    let north = pb::GetCaseReportRequest { region: "North China".into(), ..march() };
    assert_eq!(report_as(&app, MANAGER, north).await.unwrap().figures.unwrap().cases_received, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dealers_manager_sees_only_their_dealer_and_every_field_is_checked() {
    let app = spawn_app().await;
    let dealer = aftersales_kernel::DealerId::new();
    let manager = Caller::Dealer("dealer_manager", dealer);
    app.create(SUPPORT, hotline_case()).await.unwrap();
    let own = report_as(&app, manager, march()).await.unwrap();
    assert_eq!(own.figures.unwrap().cases_received, 0, "the OEM's hotline case is not the dealer's");
    let other = pb::GetCaseReportRequest { dealer_id: aftersales_kernel::DealerId::new().to_string(), ..march() };
    assert_eq!(report_as(&app, manager, other).await.unwrap_err().code(), Code::PermissionDenied);
    let advisor = Caller::Dealer("service_advisor", dealer);
    assert_eq!(report_as(&app, advisor, march()).await.unwrap_err().code(), Code::PermissionDenied);

    for (field, request) in [
        ("kind", pb::GetCaseReportRequest { kind: 0, ..march() }),
        ("kind", pb::GetCaseReportRequest { kind: 9, ..march() }),
        ("number", pb::GetCaseReportRequest { number: 13, ..march() }),
        ("number", pb::GetCaseReportRequest { number: 0, ..march() }),
        ("year", pb::GetCaseReportRequest { year: 1999, ..march() }),
        ("dealer_id", pb::GetCaseReportRequest { dealer_id: "acme".into(), ..march() }),
        ("region", pb::GetCaseReportRequest { region: "r".repeat(201), ..march() }),
    ] {
        let status = report_as(&app, MANAGER, request).await.unwrap_err();
        assert_eq!(status.code(), Code::InvalidArgument, "{field}");
        assert!(status.message().contains(field), "{field}: {}", status.message());
    }
}

/// A settled month's facts are kept; a later change to what it counted — a case received in March triaged in
/// April — marks it, and the next report counts it again.
#[tokio::test(flavor = "multi_thread")]
async fn a_kept_month_is_counted_again_after_a_later_change_to_it() {
    let app = spawn_app().await;
    let triaged = app.create(SUPPORT, engine("WP10-2024-000001")).await.unwrap().id;
    let waiting = app.create(SUPPORT, engine("WP10-2024-000002")).await.unwrap().id;
    app.advance(10).await;
    classify(&app, &triaged, "cold_start").await;
    let counted = report_as(&app, MANAGER, march()).await.unwrap().figures.unwrap();
    assert_eq!((counted.cases_received, counted.untriaged), (2, 1));

    // 15 April: March is settled — counted once more and kept — with the same figures.
    app.advance(44 * 24 * 60).await;
    let clocks = app.clocks_of(&waiting).await;
    let triage_clock = clocks.iter().find(|c| c.policy == "case_triage").unwrap();
    app.wait_for_clock(&triage_clock.clock_id, |c| c.history.iter().any(|e| e.kind == "breached")).await;
    let kept = report_as(&app, MANAGER, march()).await.unwrap().figures.unwrap();
    let triage = |f: &pb::CaseFigures| f.clocks.iter().find(|c| c.policy == "case_triage").cloned().unwrap();
    assert_eq!((kept.untriaged, triage(&kept).met, triage(&kept).periods_late), (1, 1, 1));
    assert_eq!(report_as(&app, MANAGER, march()).await.unwrap().figures.unwrap(), kept, "read back as kept");

    classify(&app, &waiting, "abnormal_noise").await;
    let recounted = report_as(&app, MANAGER, march()).await.unwrap().figures.unwrap();
    assert_eq!((recounted.cases_received, recounted.untriaged), (2, 0), "the case, marked");
    let met = triage(&recounted);
    assert_eq!(met.met, 2, "its triage clock, marked");
    // Met 44 days and 10 minutes after its receipt: ranked to the hour past 48 h.
    assert_eq!(met.p90_seconds_to_meet, 44 * 86_400);
    let quarter = pb::GetCaseReportRequest { kind: pb::ReportPeriodKind::Quarter as i32, number: 1, ..march() };
    assert_eq!(report_as(&app, MANAGER, quarter).await.unwrap().figures, Some(recounted));
}
