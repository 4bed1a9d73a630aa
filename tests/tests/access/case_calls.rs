//! The harness's calls of escalation's case-handling RPCs: a fresh case of dealer A for 'own', of dealer B for
//! 'foreign' (each brought to the state the call needs by OEM support), an id that does not exist for 'missing'.

use aftersales_e2e::{Bearer, Caller};
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::escalation::v1::case_service_client::CaseServiceClient;
use aftersales_proto::escalation::v1::emergency_service_client::EmergencyServiceClient;
use aftersales_proto::escalation::v1::responsibility_service_client::ResponsibilityServiceClient;
use std::collections::BTreeMap;
use std::sync::Mutex;

use tonic::Code;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::Target;
use super::calls::code;
use super::world::World;

type Cases = CaseServiceClient<InterceptedService<Channel, Bearer>>;
type Responsibility = ResponsibilityServiceClient<InterceptedService<Channel, Bearer>>;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn classify(case_id: String, severity: escalation::CaseSeverity) -> escalation::ClassifyCaseRequest {
    escalation::ClassifyCaseRequest {
        request_id: id(),
        case_id,
        severity: severity as i32,
        category: "cold_start".into(),
        reason: "smoke at cold start".into(),
    }
}

fn assign(case_id: String) -> escalation::AssignCaseRequest {
    escalation::AssignCaseRequest { request_id: id(), case_id, support_group: "engine_support".into() }
}

/// Cases brought to a stage and left untouched by the call made on them (it was refused: nothing changed), kept per
/// method and target for the next role's call — building a late stage takes a dozen calls.
static UNTOUCHED: Mutex<BTreeMap<(String, u8), String>> = Mutex::new(BTreeMap::new());

/// The case the call of `method` on `target` is made on: one left untouched before, else a fresh one at `stage`.
async fn case_for(world: &World, method: &str, target: Target, stage: Stage) -> String {
    let kept = UNTOUCHED.lock().expect("lock").remove(&(method.to_string(), target as u8));
    match kept {
        Some(case) => case,
        None => case_at(world, target, stage).await,
    }
}

/// Keeps `case` for the next call of `method` on `target` unless this one changed it.
fn recycle(method: &str, target: Target, case: String, code: Code) {
    if code != Code::Ok && target != Target::Missing {
        UNTOUCHED.lock().expect("lock").insert((method.to_string(), target as u8), case);
    }
}

/// How far a fresh case is brought before the call. A general case from `Contacted` on, one step further each.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
enum Stage {
    Received,
    Triaged,
    Assigned,
    /// Triaged important (the meeting and onsite steps).
    Important,
    /// Important, an onsite waiver requested by `oem_support`.
    WaiverRequested,
    Contacted,
    Diagnosis,
    /// With a root-cause report of one measure.
    RootCaused,
    /// A solution proposed (awaiting review).
    Solution,
    /// The solution approved by the lead.
    Approved,
    /// Approved and being carried out.
    Implementation,
    /// Resolved, awaiting the customer.
    Resolved,
    /// Confirmed by the customer: responsibility determination.
    Responsibility,
    /// Its meeting declared a dispute.
    Disputed,
    /// Its meeting named a supplier.
    Met,
    /// A supplier named and the report issued.
    ReportIssued,
    /// The report approved.
    Determined,
    /// Triaged urgent (its emergency response from here on).
    Urgent,
    /// Urgent, its emergency plan started.
    UrgentPlanned,
    /// Urgent, planned, handled and resolved.
    UrgentResolved,
}

/// A case of the target's dealer at `stage` (a random id for 'missing').
async fn case_at(world: &World, target: Target, stage: Stage) -> String {
    let dealer = match target {
        Target::Own => &world.dealer_a,
        Target::Foreign => &world.dealer_b,
        Target::Missing => return id(),
    };
    let data = world.data();
    let advisor = Bearer(Some(Caller::dealer("service_advisor", dealer).token(&data)));
    let mut filer = CaseServiceClient::with_interceptor(world.channels["escalation"].clone(), advisor);
    let case = filer.create_case(aftersales_e2e::fixtures::new_case("")).await.expect("case").into_inner().id;
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let mut desk = CaseServiceClient::with_interceptor(world.channels["escalation"].clone(), support);
    let severity = match stage {
        Stage::Important | Stage::WaiverRequested => escalation::CaseSeverity::Important,
        _ if stage >= Stage::Urgent => escalation::CaseSeverity::Urgent,
        _ => escalation::CaseSeverity::General,
    };
    if stage >= Stage::Triaged {
        desk.classify_case(classify(case.clone(), severity)).await.expect("triage");
    }
    if stage >= Stage::Urgent {
        urgent_case(world, &mut desk, &case, stage).await;
        return case;
    }
    if stage == Stage::WaiverRequested {
        desk.request_onsite_waiver(waiver_request(&case)).await.expect("waiver request");
    }
    if stage == Stage::Assigned || stage >= Stage::Contacted {
        desk.assign_case(assign(case.clone())).await.expect("assignment");
    }
    if stage >= Stage::Contacted {
        let note = "called back".to_string();
        let request = escalation::RecordCustomerContactRequest { request_id: id(), case_id: case.clone(), note };
        desk.record_customer_contact(request).await.expect("contact");
    }
    if stage >= Stage::Diagnosis {
        desk.record_diagnosis(diagnosis(&case)).await.expect("diagnosis");
    }
    if stage == Stage::RootCaused {
        responsibility(world, "oem_support").record_root_cause(root_cause(&case)).await.expect("root cause");
    }
    if stage >= Stage::Solution {
        let request = escalation::ProposeSolutionRequest {
            request_id: id(),
            case_id: case.clone(),
            solution: "replace the glow plug".into(),
        };
        desk.propose_solution(request).await.expect("solution");
    }
    if stage >= Stage::Approved {
        let mut lead = CaseServiceClient::with_interceptor(
            world.channels["escalation"].clone(),
            Bearer(Some(Caller::role("support_lead").token(&data))),
        );
        lead.review_solution(approve_solution(&case)).await.expect("approval");
    }
    if stage >= Stage::Implementation {
        let request = escalation::StartImplementationRequest { request_id: id(), case_id: case.clone() };
        desk.start_implementation(request).await.expect("implementation");
    }
    if stage >= Stage::Resolved {
        let request = escalation::ResolveCaseRequest { request_id: id(), case_id: case.clone() };
        desk.resolve_case(request).await.expect("resolved");
    }
    if stage >= Stage::Responsibility {
        desk.record_customer_confirmation(confirmation(&case)).await.expect("confirmed");
    }
    if stage == Stage::Disputed {
        let request = meeting(&case, None, true);
        responsibility(world, "support_lead").determine_responsibility(request).await.expect("dispute");
    }
    if stage >= Stage::Met {
        let request = meeting(&case, Some(supplier_party()), false);
        responsibility(world, "support_lead").determine_responsibility(request).await.expect("meeting");
    }
    if stage >= Stage::ReportIssued {
        responsibility(world, "support_lead").issue_responsibility_report(report(&case)).await.expect("report");
    }
    if stage >= Stage::Determined {
        let request = decision(&case);
        responsibility(world, "oem_executive").review_responsibility_report(request).await.expect("approval");
    }
    case
}

/// Takes a triaged urgent case to `stage`.
async fn urgent_case(world: &World, desk: &mut Cases, case: &str, stage: Stage) {
    if stage >= Stage::UrgentPlanned {
        let bearer = Bearer(Some(Caller::role("support_lead").token(&world.data())));
        let mut head = EmergencyServiceClient::with_interceptor(world.channels["escalation"].clone(), bearer);
        head.start_emergency_plan(emergency_plan(case)).await.expect("plan");
    }
    if stage >= Stage::UrgentResolved {
        desk.assign_case(assign(case.to_string())).await.expect("assignment");
        let note = "called back".to_string();
        let contact = escalation::RecordCustomerContactRequest { request_id: id(), case_id: case.into(), note };
        desk.record_customer_contact(contact).await.expect("contact");
        desk.record_diagnosis(diagnosis(case)).await.expect("diagnosis");
        let solution = "reflash the ECUs".to_string();
        let request = escalation::ProposeSolutionRequest { request_id: id(), case_id: case.into(), solution };
        desk.propose_solution(request).await.expect("solution");
        let request = escalation::StartImplementationRequest { request_id: id(), case_id: case.into() };
        desk.start_implementation(request).await.expect("implementation");
        desk.resolve_case(escalation::ResolveCaseRequest { request_id: id(), case_id: case.into() })
            .await
            .expect("resolved");
    }
}

fn waiver_request(case: &str) -> escalation::RequestOnsiteWaiverRequest {
    escalation::RequestOnsiteWaiverRequest {
        request_id: id(),
        case_id: case.into(),
        reason: "the engine is on an island".into(),
    }
}

fn emergency_plan(case: &str) -> escalation::StartEmergencyPlanRequest {
    escalation::StartEmergencyPlanRequest {
        request_id: id(),
        case_id: case.into(),
        department_head: "Chen Hua".into(),
        experts: vec!["Liu Yang".into()],
        production_head: "Zhou Qiang".into(),
        resources: "two service vans".into(),
        supplier_coordination: String::new(),
    }
}

fn responsibility(world: &World, role: &str) -> Responsibility {
    let bearer = Bearer(Some(Caller::role(role).token(&world.data())));
    ResponsibilityServiceClient::with_interceptor(world.channels["escalation"].clone(), bearer)
}

fn diagnosis(case: &str) -> escalation::RecordDiagnosisRequest {
    escalation::RecordDiagnosisRequest {
        request_id: id(),
        case_id: case.into(),
        steps: "read the fault codes".into(),
        findings: "glow plug open".into(),
    }
}

fn approve_solution(case: &str) -> escalation::ReviewSolutionRequest {
    escalation::ReviewSolutionRequest { request_id: id(), case_id: case.into(), approve: true, note: String::new() }
}

fn confirmation(case: &str) -> escalation::RecordCustomerConfirmationRequest {
    escalation::RecordCustomerConfirmationRequest {
        request_id: id(),
        case_id: case.into(),
        confirmed: true,
        satisfaction: 4,
        comment: String::new(),
    }
}

fn root_cause(case: &str) -> escalation::RecordRootCauseRequest {
    escalation::RecordRootCauseRequest {
        request_id: id(),
        case_id: case.into(),
        category: escalation::CauseCategory::Material as i32,
        analysis: "coil wire thinner than drawn".into(),
        measures: vec![escalation::Measure {
            kind: escalation::MeasureKind::Preventive as i32,
            description: "incoming inspection of coil wire".into(),
            department: "quality".into(),
            person: "Wang Fang".into(),
            due_on: "2026-12-31".into(),
            ..Default::default()
        }],
    }
}

fn supplier_party() -> escalation::ResponsibleParty {
    escalation::ResponsibleParty {
        party: Some(escalation::responsible_party::Party::Supplier(escalation::SupplierParty {
            supplier_id: aftersales_kernel::SupplierId::new().to_string(),
            part_number: "GP-0417".into(),
            batch: "B2026-02".into(),
        })),
    }
}

fn meeting(
    case: &str,
    party: Option<escalation::ResponsibleParty>,
    disputed: bool,
) -> escalation::DetermineResponsibilityRequest {
    escalation::DetermineResponsibilityRequest {
        request_id: id(),
        case_id: case.into(),
        party,
        disputed,
        meeting_note: "the batch is at fault".into(),
    }
}

fn report(case: &str) -> escalation::IssueResponsibilityReportRequest {
    escalation::IssueResponsibilityReportRequest {
        request_id: id(),
        case_id: case.into(),
        summary: "glow plugs of one batch fail early".into(),
        compensation: None,
        compensation_note: String::new(),
    }
}

fn decision(case: &str) -> escalation::ReviewResponsibilityReportRequest {
    escalation::ReviewResponsibilityReportRequest {
        request_id: id(),
        case_id: case.into(),
        approve: true,
        note: String::new(),
    }
}

/// The stage a case-handling RPC is called at; `None` for a method of neither service.
fn stage_of(method: &str) -> Option<Stage> {
    let name = method
        .strip_prefix("aftersales.escalation.v1.CaseService/")
        .or_else(|| method.strip_prefix("aftersales.escalation.v1.ResponsibilityService/"))
        .or_else(|| method.strip_prefix("aftersales.escalation.v1.EmergencyService/"))?;
    Some(match name {
        "ClassifyCase" => Stage::Received,
        "AssignCase" => Stage::Triaged,
        "RecordCustomerContact" => Stage::Assigned,
        "RecordAnalysisMeeting" | "RecordOnsite" | "RequestOnsiteWaiver" => Stage::Important,
        "DecideOnsiteWaiver" => Stage::WaiverRequested,
        "RecordDiagnosis" => Stage::Contacted,
        "ProposeSolution" | "RecordRootCause" => Stage::Diagnosis,
        "CompleteMeasure" => Stage::RootCaused,
        "ReviewSolution" => Stage::Solution,
        "StartImplementation" => Stage::Approved,
        "ReportProgress" | "ResolveCase" => Stage::Implementation,
        "RecordCustomerConfirmation" => Stage::Resolved,
        "DetermineResponsibility" => Stage::Responsibility,
        "RecordInvestigation" => Stage::Disputed,
        "IssueResponsibilityReport" => Stage::Met,
        "ReviewResponsibilityReport" => Stage::ReportIssued,
        "CloseCase" => Stage::Determined,
        "StartEmergencyPlan" => Stage::Urgent,
        "RecordTemporarySolution" => Stage::UrgentPlanned,
        "RecordPostIncidentReview" => Stage::UrgentResolved,
        _ => return None,
    })
}

/// Makes the call of a case-handling RPC (`CaseService` past creation and reading, `ResponsibilityService`);
/// `None` when the method is not one of them.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let stage = stage_of(method)?;
    let case = case_for(world, method, target, stage).await;
    let bearer = || World::bearer(world.token(role, at));
    let mut cases: Cases = CaseServiceClient::with_interceptor(world.channels[at].clone(), bearer());
    let mut found: Responsibility = ResponsibilityServiceClient::with_interceptor(world.channels[at].clone(), bearer());
    let mut emergency = EmergencyServiceClient::with_interceptor(world.channels[at].clone(), bearer());
    let case_id = case.clone();
    let name = method.rsplit('/').next().unwrap_or_default();
    let code = match name {
        "ClassifyCase" => code(cases.classify_case(classify(case_id, escalation::CaseSeverity::General)).await),
        "AssignCase" => code(cases.assign_case(assign(case_id)).await),
        "RecordCustomerContact" => {
            let note = "called back".to_string();
            code(
                cases
                    .record_customer_contact(escalation::RecordCustomerContactRequest {
                        request_id: id(),
                        case_id,
                        note,
                    })
                    .await,
            )
        }
        "RecordAnalysisMeeting" => {
            let request = escalation::RecordAnalysisMeetingRequest {
                request_id: id(),
                case_id,
                initial_measures: "stop the affected trucks".into(),
            };
            code(cases.record_analysis_meeting(request).await)
        }
        "RequestOnsiteWaiver" => code(cases.request_onsite_waiver(waiver_request(&case_id)).await),
        "DecideOnsiteWaiver" => {
            let request =
                escalation::DecideOnsiteWaiverRequest { request_id: id(), case_id, approve: true, note: String::new() };
            code(cases.decide_onsite_waiver(request).await)
        }
        "RecordOnsite" => {
            code(cases.record_onsite(escalation::RecordOnsiteRequest { request_id: id(), case_id }).await)
        }
        "RecordDiagnosis" => code(cases.record_diagnosis(diagnosis(&case_id)).await),
        "ProposeSolution" => {
            let solution = "replace the glow plug".to_string();
            code(
                cases
                    .propose_solution(escalation::ProposeSolutionRequest { request_id: id(), case_id, solution })
                    .await,
            )
        }
        "ReviewSolution" => code(cases.review_solution(approve_solution(&case_id)).await),
        "StartImplementation" => {
            code(cases.start_implementation(escalation::StartImplementationRequest { request_id: id(), case_id }).await)
        }
        "ReportProgress" => {
            let request = escalation::ReportProgressRequest {
                request_id: id(),
                case_id,
                report: "parts ordered".into(),
                customer_told: true,
            };
            code(cases.report_progress(request).await)
        }
        "ResolveCase" => code(cases.resolve_case(escalation::ResolveCaseRequest { request_id: id(), case_id }).await),
        "RecordCustomerConfirmation" => code(cases.record_customer_confirmation(confirmation(&case_id)).await),
        "CloseCase" => code(cases.close_case(escalation::CloseCaseRequest { request_id: id(), case_id }).await),
        "RecordRootCause" => code(found.record_root_cause(root_cause(&case_id)).await),
        "CompleteMeasure" => {
            let request = escalation::CompleteMeasureRequest {
                request_id: id(),
                case_id,
                measure_number: 1,
                note: "inspection in place".into(),
            };
            code(found.complete_measure(request).await)
        }
        "DetermineResponsibility" => {
            code(found.determine_responsibility(meeting(&case_id, Some(supplier_party()), false)).await)
        }
        "RecordInvestigation" => {
            let request = escalation::RecordInvestigationRequest {
                request_id: id(),
                case_id,
                evidence: vec!["inspection report IR-1".into()],
                finding: "wire gauge below drawing".into(),
                party: Some(supplier_party()),
            };
            code(found.record_investigation(request).await)
        }
        "IssueResponsibilityReport" => code(found.issue_responsibility_report(report(&case_id)).await),
        "ReviewResponsibilityReport" => code(found.review_responsibility_report(decision(&case_id)).await),
        "StartEmergencyPlan" => code(emergency.start_emergency_plan(emergency_plan(&case_id)).await),
        "RecordTemporarySolution" => {
            let solution = "swap the ECUs".to_string();
            let request = escalation::RecordTemporarySolutionRequest { request_id: id(), case_id, solution };
            code(emergency.record_temporary_solution(request).await)
        }
        "RecordPostIncidentReview" => {
            let request = escalation::RecordPostIncidentReviewRequest {
                request_id: id(),
                case_id,
                review: "on site in 50 minutes".into(),
                plan_revision: "more spares at the hub".into(),
                follow_up_days: 30,
            };
            code(emergency.record_post_incident_review(request).await)
        }
        _ => return None,
    };
    recycle(method, target, case, code);
    Some(code)
}
