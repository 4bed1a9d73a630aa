//! Proto → domain for the steps from diagnosis to closing: every field checked, every violation named.

use aftersales_kernel::{CaseId, SupplierId};
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::validate::{Check, NAME_MAX, REFERENCE_MAX, TEXT_MAX};
use chrono::NaiveDate;

use crate::app::emergency::Review as IncidentReview;
use crate::app::resolution::{Decision, Finding};
use crate::domain::{
    CauseCategory, Compensation, EmergencyPlan, Investigation, Measure, MeasureKind, Party, ResponsibilityReport,
    RootCause,
};

/// Most measures in one root-cause report.
const MEASURES_MAX: usize = 50;
/// Most evidence references of one investigation.
const EVIDENCE_MAX: usize = 20;
/// Longest part number.
const PART_NUMBER_MAX: usize = 40;
/// Longest batch.
const BATCH_MAX: usize = 100;

/// The idempotency key and the case of a step request.
pub type Target = (uuid::Uuid, CaseId);

fn target(check: &mut Check, request_id: &str, case_id: &str) -> Option<Target> {
    let key = check.request_id("request_id", request_id);
    let id = check.parse("case_id", CaseId::parse(case_id));
    Some((key?, id?))
}

/// A step with nothing but its target (StartImplementation, ResolveCase, CloseCase).
pub fn bare(request_id: &str, case_id: &str) -> Result<Target, AppError> {
    let mut check = Check::new();
    let target = target(&mut check, request_id, case_id);
    check.finish_with(|| target)
}

/// `RecordDiagnosisRequest` → target, steps, findings.
pub fn diagnosis(r: &pb::RecordDiagnosisRequest) -> Result<(Target, String, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let steps = check.text("steps", &r.steps, 1, TEXT_MAX);
    let findings = check.text("findings", &r.findings, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, steps?, findings?)))
}

/// `ProposeSolutionRequest` → target, solution.
pub fn solution(r: &pb::ProposeSolutionRequest) -> Result<(Target, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let solution = check.text("solution", &r.solution, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, solution?)))
}

/// A decision: a rejection says why.
fn decision(check: &mut Check, approve: bool, note: &str) -> Option<Decision> {
    let note = check.text("note", note, if approve { 0 } else { 1 }, TEXT_MAX)?;
    Some(Decision { approve, note })
}

/// `ReviewSolutionRequest` → target, decision.
pub fn solution_review(r: &pb::ReviewSolutionRequest) -> Result<(Target, Decision), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let decision = decision(&mut check, r.approve, &r.note);
    check.finish_with(|| Some((target?, decision?)))
}

/// `ReviewResponsibilityReportRequest` → target, decision.
pub fn report_review(r: &pb::ReviewResponsibilityReportRequest) -> Result<(Target, Decision), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let decision = decision(&mut check, r.approve, &r.note);
    check.finish_with(|| Some((target?, decision?)))
}

/// `RequestOnsiteWaiverRequest` → target, reason.
pub fn waiver_request(r: &pb::RequestOnsiteWaiverRequest) -> Result<(Target, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, reason?)))
}

/// `DecideOnsiteWaiverRequest` → target, decision.
pub fn waiver_decision(r: &pb::DecideOnsiteWaiverRequest) -> Result<(Target, Decision), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let decision = decision(&mut check, r.approve, &r.note);
    check.finish_with(|| Some((target?, decision?)))
}

/// `ReportProgressRequest` → target, report.
pub fn progress(r: &pb::ReportProgressRequest) -> Result<(Target, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let report = check.text("report", &r.report, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, report?)))
}

/// `RecordCustomerConfirmationRequest` → target, satisfaction, comment.
pub fn confirmation(r: &pb::RecordCustomerConfirmationRequest) -> Result<(Target, u8, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let satisfaction = check.range("satisfaction", r.satisfaction, 1, 5).map(|s| s as u8);
    let comment = check.text("comment", &r.comment, 0, TEXT_MAX);
    check.finish_with(|| Some((target?, satisfaction?, comment?)))
}

fn cause(check: &mut Check, raw: i32) -> Option<CauseCategory> {
    Some(match check.enum_value::<pb::CauseCategory>("category", raw)? {
        pb::CauseCategory::Man => CauseCategory::Man,
        pb::CauseCategory::Machine => CauseCategory::Machine,
        pb::CauseCategory::Material => CauseCategory::Material,
        pb::CauseCategory::Method => CauseCategory::Method,
        pb::CauseCategory::Environment => CauseCategory::Environment,
        pb::CauseCategory::Measurement => CauseCategory::Measurement,
        pb::CauseCategory::Unspecified => {
            check.fail("category", "is required");
            return None;
        }
    })
}

fn measure(check: &mut Check, i: usize, m: &pb::Measure) -> Option<Measure> {
    let field = |name: &str| format!("measures[{i}].{name}");
    let kind = match check.enum_value::<pb::MeasureKind>(&field("kind"), m.kind)? {
        pb::MeasureKind::Corrective => Some(MeasureKind::Corrective),
        pb::MeasureKind::Preventive => Some(MeasureKind::Preventive),
        pb::MeasureKind::Unspecified => {
            check.fail(field("kind"), "is required");
            None
        }
    };
    let description = check.text(&field("description"), &m.description, 1, TEXT_MAX);
    let department = check.text(&field("department"), &m.department, 1, NAME_MAX);
    let person = check.text(&field("person"), &m.person, 1, NAME_MAX);
    let due_on = check.parse(&field("due_on"), NaiveDate::parse_from_str(&m.due_on, "%Y-%m-%d"));
    Some(Measure {
        number: 0,
        kind: kind?,
        description: description?,
        department: department?,
        person: person?,
        due_on: due_on?,
        done: None,
    })
}

/// `RecordRootCauseRequest` → target, report (its author and time set by the use case).
pub fn root_cause(r: &pb::RecordRootCauseRequest) -> Result<(Target, RootCause), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let category = cause(&mut check, r.category);
    let analysis = check.text("analysis", &r.analysis, 1, TEXT_MAX);
    if r.measures.is_empty() || r.measures.len() > MEASURES_MAX {
        check.fail("measures", format!("must list 1..={MEASURES_MAX} measures"));
    }
    let measures: Vec<Option<Measure>> =
        r.measures.iter().enumerate().map(|(i, m)| measure(&mut check, i, m)).collect();
    check.finish_with(|| {
        let measures = measures.into_iter().collect::<Option<Vec<_>>>()?;
        let report = RootCause {
            category: category?,
            analysis: analysis?,
            measures,
            by: String::new(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        Some((target?, report))
    })
}

/// `CompleteMeasureRequest` → target, measure number, note.
pub fn measure_done(r: &pb::CompleteMeasureRequest) -> Result<(Target, u32, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let number = check.range("measure_number", r.measure_number, 1, MEASURES_MAX as i32).map(|n| n as u32);
    let note = check.text("note", &r.note, 0, TEXT_MAX);
    check.finish_with(|| Some((target?, number?, note?)))
}

/// A party, required unless `optional`: `field.department.*` or `field.supplier.*`.
fn party(
    check: &mut Check,
    field: &str,
    value: Option<&pb::ResponsibleParty>,
    optional: bool,
) -> Option<Option<Party>> {
    use pb::responsible_party::Party as P;
    let Some(party) = value.and_then(|p| p.party.as_ref()) else {
        if !optional {
            check.fail(field, "is required: a department and person, or a supplier's part and batch");
            return None;
        }
        return Some(None);
    };
    match party {
        P::Department(d) => {
            let department = check.text(&format!("{field}.department.department"), &d.department, 1, NAME_MAX);
            let person = check.text(&format!("{field}.department.person"), &d.person, 1, NAME_MAX);
            Some(Some(Party::Department { department: department?, person: person? }))
        }
        P::Supplier(s) => {
            let supplier_id = check.parse(&format!("{field}.supplier.supplier_id"), SupplierId::parse(&s.supplier_id));
            let part_number = check.text(&format!("{field}.supplier.part_number"), &s.part_number, 1, PART_NUMBER_MAX);
            let batch = check.text(&format!("{field}.supplier.batch"), &s.batch, 1, BATCH_MAX);
            Some(Some(Party::Supplier { supplier_id: supplier_id?, part_number: part_number?, batch: batch? }))
        }
    }
}

/// `DetermineResponsibilityRequest` → target, the meeting's finding.
pub fn finding(r: &pb::DetermineResponsibilityRequest) -> Result<(Target, Finding), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let party = party(&mut check, "party", r.party.as_ref(), r.disputed);
    let note = check.text("meeting_note", &r.meeting_note, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, Finding { party: party?, disputed: r.disputed, meeting_note: note? })))
}

/// `RecordInvestigationRequest` → target, investigation (its author and time set by the use case), party.
pub fn investigation(r: &pb::RecordInvestigationRequest) -> Result<(Target, Investigation, Party), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    if r.evidence.is_empty() || r.evidence.len() > EVIDENCE_MAX {
        check.fail("evidence", format!("must list 1..={EVIDENCE_MAX} references"));
    }
    let evidence: Vec<Option<String>> = r
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| check.text(&format!("evidence[{i}]"), e, 1, REFERENCE_MAX))
        .collect();
    let finding = check.text("finding", &r.finding, 1, TEXT_MAX);
    let party = party(&mut check, "party", r.party.as_ref(), false);
    check.finish_with(|| {
        let evidence = evidence.into_iter().collect::<Option<Vec<_>>>()?;
        let investigation =
            Investigation { evidence, finding: finding?, by: String::new(), at: chrono::DateTime::UNIX_EPOCH };
        Some((target?, investigation, party??))
    })
}

/// `IssueResponsibilityReportRequest` → target, report (its issuer and time set by the use case).
pub fn report(r: &pb::IssueResponsibilityReportRequest) -> Result<(Target, ResponsibilityReport), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let summary = check.text("summary", &r.summary, 1, TEXT_MAX);
    let note = check.text("compensation_note", &r.compensation_note, 0, TEXT_MAX);
    let amount = r.compensation.as_ref().map(|m| check.money("compensation", Some(m)));
    if amount.is_none() && note.as_deref().is_some_and(|n| !n.is_empty()) {
        check.fail("compensation_note", "describes a compensation: set `compensation` too");
    }
    check.finish_with(|| {
        let compensation = match amount {
            None => None,
            Some(amount) => Some(Compensation { amount: amount?, note: note.clone()? }),
        };
        let report = ResponsibilityReport {
            summary: summary?,
            compensation,
            issued_by: String::new(),
            issued_at: chrono::DateTime::UNIX_EPOCH,
            review: None,
        };
        Some((target?, report))
    })
}

/// Most experts named in an emergency plan.
const EXPERTS_MAX: usize = 20;
/// Longest follow-up period of a post-incident review, in days.
const FOLLOW_UP_DAYS_MAX: i32 = 365;

/// `StartEmergencyPlanRequest` → target, plan (its author and time set by the use case).
pub fn emergency_plan(r: &pb::StartEmergencyPlanRequest) -> Result<(Target, EmergencyPlan), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let head = check.text("department_head", &r.department_head, 1, NAME_MAX);
    if r.experts.is_empty() || r.experts.len() > EXPERTS_MAX {
        check.fail("experts", format!("must name 1..={EXPERTS_MAX} experts"));
    }
    let experts: Vec<Option<String>> =
        r.experts.iter().enumerate().map(|(i, e)| check.text(&format!("experts[{i}]"), e, 1, NAME_MAX)).collect();
    let production = check.text("production_head", &r.production_head, 1, NAME_MAX);
    let resources = check.text("resources", &r.resources, 1, TEXT_MAX);
    let suppliers = check.text("supplier_coordination", &r.supplier_coordination, 0, TEXT_MAX);
    check.finish_with(|| {
        let plan = EmergencyPlan {
            department_head: head?,
            experts: experts.into_iter().collect::<Option<Vec<_>>>()?,
            production_head: production?,
            resources: resources?,
            supplier_coordination: suppliers?,
            by: String::new(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        Some((target?, plan))
    })
}

/// `RecordTemporarySolutionRequest` → target, solution.
pub fn temporary_solution(r: &pb::RecordTemporarySolutionRequest) -> Result<(Target, String), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let solution = check.text("solution", &r.solution, 1, TEXT_MAX);
    check.finish_with(|| Some((target?, solution?)))
}

/// `RecordPostIncidentReviewRequest` → target, review.
pub fn incident_review(r: &pb::RecordPostIncidentReviewRequest) -> Result<(Target, IncidentReview), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &r.request_id, &r.case_id);
    let review = check.text("review", &r.review, 1, TEXT_MAX);
    let revision = check.text("plan_revision", &r.plan_revision, 1, TEXT_MAX);
    let days = check.range("follow_up_days", r.follow_up_days, 0, FOLLOW_UP_DAYS_MAX).map(|d| d as u16);
    check.finish_with(|| {
        Some((target?, IncidentReview { review: review?, plan_revision: revision?, follow_up_days: days? }))
    })
}
