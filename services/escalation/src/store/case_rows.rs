//! A case to and from its rows: the `cases` row, its notes and its root-cause measures. Stored values are parsed
//! back through the same domain types as requests, so a row edited by hand into something the API would refuse
//! surfaces as an internal error instead of spreading.

use aftersales_kernel::{CaseId, Currency, DealerId, Money, RepairOrderId, SupplierId};
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::ActiveValue::Set;

use super::entities::{case, case_measure, case_note};
use crate::domain::{
    Case, CaseSeverity, CaseSource, CaseState, CauseCategory, Classification, Compensation, Confirmation, Contact,
    Done, Email, EmergencyPlan, Investigation, Measure, MeasureKind, Meeting, Note, NoteKind, OnsiteWaiver, Party,
    Phone, PostIncidentReview, Recorded, Responsibility, ResponsibilityReport, Review, RootCause, SerialOrVin,
    Solution, WaiverDecision,
};

pub(super) fn to_row(c: &Case) -> case::ActiveModel {
    let classification = c.classification.as_ref();
    case::ActiveModel {
        id: Set(c.id.to_string()),
        dealer_id: Set(c.dealer_id.map(|d| d.to_string())),
        region: Set(c.region.clone()),
        source: Set(c.source.as_str().to_string()),
        model: Set(c.model.clone()),
        serial_or_vin: Set(c.serial_or_vin.to_string()),
        symptom: Set(c.symptom.clone()),
        usage_scenario: Set(c.usage_scenario.clone()),
        contact_name: Set(c.contact.name.clone()),
        contact_phone: Set(c.contact.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default()),
        contact_email: Set(c.contact.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default()),
        state: Set(c.state.as_str().to_string()),
        severity: Set(classification.map(|k| k.severity.as_str().to_string())),
        category: Set(classification.map(|k| k.category.clone())),
        created_by: Set(c.created_by.clone()),
        repair_order_id: Set(c.repair_order_id.map(|id| id.to_string())),
        repeat_of: Set(c.repeat_of.map(|id| id.to_string())),
        received_at_us: Set(to_micros(c.received_at)),
        updated_at_us: Set(to_micros(c.updated_at)),
        revision: Set(c.revision),
        support_group: Set(c.support_group.clone().unwrap_or_default()),
        contact_note: Set(c.contact_note.clone().unwrap_or_default()),
        meeting_at_us: Set(c.meeting.as_ref().map(|m| to_micros(m.held_at))),
        meeting_chaired_by: Set(c.meeting.as_ref().map(|m| m.chaired_by.clone()).unwrap_or_default()),
        initial_measures: Set(c.meeting.as_ref().map(|m| m.initial_measures.clone()).unwrap_or_default()),
        onsite_at_us: Set(c.onsite_at.map(to_micros)),
        ..resolution_columns(c)
    }
}

/// The columns from the solution on.
fn resolution_columns(c: &Case) -> case::ActiveModel {
    let solution = c.solution.as_ref();
    let solution_review = solution.and_then(|s| s.review.as_ref());
    let confirmation = c.confirmation.as_ref();
    let root = c.root_cause.as_ref();
    let found = c.responsibility.as_ref();
    let investigation = found.and_then(|r| r.investigation.as_ref());
    let report = found.and_then(|r| r.report.as_ref());
    let report_review = report.and_then(|r| r.review.as_ref());
    let compensation = report.and_then(|r| r.compensation.as_ref());
    let party = found.and_then(|r| r.party.as_ref());
    let (department, person) = match party {
        Some(Party::Department { department, person }) => (department.clone(), person.clone()),
        _ => Default::default(),
    };
    let (supplier, part_number, batch) = match party {
        Some(Party::Supplier { supplier_id, part_number, batch }) => {
            (Some(supplier_id.to_string()), part_number.clone(), batch.clone())
        }
        _ => Default::default(),
    };
    let evidence = investigation.map(|i| serde_json::to_string(&i.evidence).expect("strings serialise"));
    case::ActiveModel {
        solution_text: Set(text(solution.map(|s| &s.text))),
        solution_by: Set(text(solution.map(|s| &s.proposed_by))),
        solution_at_us: Set(solution.map(|s| to_micros(s.proposed_at))),
        solution_approved: Set(solution_review.map(|r| r.approved)),
        solution_reviewed_by: Set(text(solution_review.map(|r| &r.by))),
        solution_reviewed_at_us: Set(solution_review.map(|r| to_micros(r.at))),
        solution_review_note: Set(text(solution_review.map(|r| &r.note))),
        resolved_at_us: Set(c.resolved_at.map(to_micros)),
        confirmed: Set(confirmation.map(|k| k.confirmed)),
        satisfaction: Set(confirmation.map(|k| i32::from(k.satisfaction))),
        confirmation_comment: Set(text(confirmation.map(|k| &k.comment))),
        confirmation_by: Set(text(confirmation.map(|k| &k.by))),
        confirmation_at_us: Set(confirmation.map(|k| to_micros(k.at))),
        root_cause_category: Set(root.map(|r| r.category.as_str().to_string())),
        root_cause_analysis: Set(text(root.map(|r| &r.analysis))),
        root_cause_by: Set(text(root.map(|r| &r.by))),
        root_cause_at_us: Set(root.map(|r| to_micros(r.at))),
        responsible_party: Set(party.map(|p| party_kind(p).to_string())),
        responsible_department: Set(department),
        responsible_person: Set(person),
        responsible_supplier_id: Set(supplier),
        responsible_part_number: Set(part_number),
        responsible_batch: Set(batch),
        responsibility_note: Set(text(found.map(|r| &r.meeting_note))),
        responsibility_disputed: Set(found.is_some_and(|r| r.disputed)),
        responsibility_by: Set(text(found.map(|r| &r.by))),
        responsibility_at_us: Set(found.map(|r| to_micros(r.at))),
        investigation_evidence: Set(evidence.unwrap_or_default()),
        investigation_finding: Set(text(investigation.map(|i| &i.finding))),
        investigation_by: Set(text(investigation.map(|i| &i.by))),
        investigation_at_us: Set(investigation.map(|i| to_micros(i.at))),
        report_summary: Set(text(report.map(|r| &r.summary))),
        compensation_currency: Set(compensation.map(|k| k.amount.currency().as_str().to_string()).unwrap_or_default()),
        compensation_minor: Set(compensation.map(|k| k.amount.minor_units())),
        compensation_note: Set(text(compensation.map(|k| &k.note))),
        report_issued_by: Set(text(report.map(|r| &r.issued_by))),
        report_issued_at_us: Set(report.map(|r| to_micros(r.issued_at))),
        report_approved: Set(report_review.map(|r| r.approved)),
        report_reviewed_by: Set(text(report_review.map(|r| &r.by))),
        report_reviewed_at_us: Set(report_review.map(|r| to_micros(r.at))),
        report_review_note: Set(text(report_review.map(|r| &r.note))),
        closed_at_us: Set(c.closed_at.map(to_micros)),
        ..emergency_columns(c)
    }
}

/// An urgent case's plan, temporary solution and review.
fn emergency_columns(c: &Case) -> case::ActiveModel {
    let plan = c.emergency_plan.as_ref();
    let temporary = c.temporary_solution.as_ref();
    let review = c.incident_review.as_ref();
    let experts = plan.map(|p| serde_json::to_string(&p.experts).expect("strings serialise"));
    case::ActiveModel {
        plan_department_head: Set(text(plan.map(|p| &p.department_head))),
        plan_experts: Set(experts.unwrap_or_default()),
        plan_production_head: Set(text(plan.map(|p| &p.production_head))),
        plan_resources: Set(text(plan.map(|p| &p.resources))),
        plan_supplier_coordination: Set(text(plan.map(|p| &p.supplier_coordination))),
        plan_by: Set(text(plan.map(|p| &p.by))),
        plan_at_us: Set(plan.map(|p| to_micros(p.at))),
        temporary_solution: Set(text(temporary.map(|t| &t.text))),
        temporary_solution_by: Set(text(temporary.map(|t| &t.by))),
        temporary_solution_at_us: Set(temporary.map(|t| to_micros(t.at))),
        incident_review: Set(text(review.map(|r| &r.review))),
        plan_revision: Set(text(review.map(|r| &r.plan_revision))),
        follow_up_until_us: Set(review.map(|r| to_micros(r.follow_up_until))),
        incident_review_by: Set(text(review.map(|r| &r.by))),
        incident_review_at_us: Set(review.map(|r| to_micros(r.at))),
        ..waiver_columns(c)
    }
}

/// The latest onsite waiver request and its decision.
fn waiver_columns(c: &Case) -> case::ActiveModel {
    let waiver = c.onsite_waiver.as_ref();
    let decision = waiver.and_then(|w| w.decision.as_ref());
    case::ActiveModel {
        waiver_reason: Set(text(waiver.map(|w| &w.reason))),
        waiver_requested_by: Set(text(waiver.map(|w| &w.requested_by))),
        waiver_requested_at_us: Set(waiver.map(|w| to_micros(w.requested_at))),
        waiver_severity: Set(waiver.map(|w| w.severity.as_str().to_string()).unwrap_or_default()),
        waiver_approved: Set(decision.map(|d| d.approved)),
        waiver_note: Set(text(decision.map(|d| &d.note))),
        waiver_decided_by: Set(text(decision.map(|d| &d.by))),
        waiver_decided_at_us: Set(decision.map(|d| to_micros(d.at))),
        ..Default::default()
    }
}

fn waiver(row: &case::Model) -> AppResult<Option<OnsiteWaiver>> {
    let Some(requested_at) = row.waiver_requested_at_us else { return Ok(None) };
    let decision = match (row.waiver_approved, row.waiver_decided_at_us) {
        (Some(approved), Some(at)) => Some(WaiverDecision {
            approved,
            note: row.waiver_note.clone(),
            by: row.waiver_decided_by.clone(),
            at: from_micros(at),
        }),
        (None, None) => None,
        _ => return Err(corrupt("onsite waiver decision")),
    };
    Ok(Some(OnsiteWaiver {
        reason: row.waiver_reason.clone(),
        requested_by: row.waiver_requested_by.clone(),
        requested_at: from_micros(requested_at),
        severity: CaseSeverity::parse(&row.waiver_severity).ok_or_else(|| corrupt("onsite waiver severity"))?,
        decision,
    }))
}

fn emergency(row: &case::Model) -> AppResult<(Option<EmergencyPlan>, Option<Recorded>, Option<PostIncidentReview>)> {
    let plan = match row.plan_at_us {
        None => None,
        Some(at) => Some(EmergencyPlan {
            department_head: row.plan_department_head.clone(),
            experts: serde_json::from_str(&row.plan_experts).map_err(|_| corrupt("plan experts"))?,
            production_head: row.plan_production_head.clone(),
            resources: row.plan_resources.clone(),
            supplier_coordination: row.plan_supplier_coordination.clone(),
            by: row.plan_by.clone(),
            at: from_micros(at),
        }),
    };
    let temporary = row.temporary_solution_at_us.map(|at| Recorded {
        text: row.temporary_solution.clone(),
        by: row.temporary_solution_by.clone(),
        at: from_micros(at),
    });
    let review = match (row.incident_review_at_us, row.follow_up_until_us) {
        (Some(at), Some(until)) => Some(PostIncidentReview {
            review: row.incident_review.clone(),
            plan_revision: row.plan_revision.clone(),
            follow_up_until: from_micros(until),
            by: row.incident_review_by.clone(),
            at: from_micros(at),
        }),
        (None, None) => None,
        _ => return Err(corrupt("post-incident review")),
    };
    Ok((plan, temporary, review))
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

fn party_kind(party: &Party) -> &'static str {
    match party {
        Party::Department { .. } => "department",
        Party::Supplier { .. } => "supplier",
    }
}

/// Note `seq` (1-based) of a case.
pub(super) fn note_row(case: CaseId, seq: usize, note: &Note) -> case_note::ActiveModel {
    case_note::ActiveModel {
        case_id: Set(case.to_string()),
        seq: Set(seq as i32),
        kind: Set(note.kind.as_str().to_string()),
        at_us: Set(to_micros(note.at)),
        by: Set(note.by.clone()),
        steps: Set(note.steps.clone()),
        text: Set(note.text.clone()),
        customer_told: Set(note.customer_told),
    }
}

/// A measure of a case.
pub(super) fn measure_row(case: CaseId, m: &Measure) -> case_measure::ActiveModel {
    let done = m.done.as_ref();
    case_measure::ActiveModel {
        case_id: Set(case.to_string()),
        number: Set(m.number as i32),
        kind: Set(m.kind.as_str().to_string()),
        description: Set(m.description.clone()),
        department: Set(m.department.clone()),
        person: Set(m.person.clone()),
        due_on: Set(m.due_on),
        done_at_us: Set(done.map(|d| to_micros(d.at))),
        done_by: Set(text(done.map(|d| &d.by))),
        done_note: Set(text(done.map(|d| &d.note))),
    }
}

fn corrupt(what: &str) -> AppError {
    AppError::internal(anyhow::anyhow!("stored case has an invalid {what}"))
}

/// A case from its row, its notes (in `seq` order) and its measures (in `number` order).
pub(super) fn from_rows(
    row: case::Model,
    notes: Vec<case_note::Model>,
    measures: Vec<case_measure::Model>,
) -> AppResult<Case> {
    let notes = notes.into_iter().map(note).collect::<AppResult<Vec<_>>>()?;
    let measures = measures.into_iter().map(measure).collect::<AppResult<Vec<_>>>()?;
    let solution = solution(&row);
    let confirmation = confirmation(&row)?;
    let root_cause = root_cause(&row, measures)?;
    let responsibility = responsibility(&row)?;
    let (plan, temporary, review) = emergency(&row)?;
    let onsite_waiver = waiver(&row)?;
    let mut case = from_row(row)?;
    case.onsite_waiver = onsite_waiver;
    case.emergency_plan = plan;
    case.temporary_solution = temporary;
    case.incident_review = review;
    case.notes = notes;
    case.solution = solution;
    case.confirmation = confirmation;
    case.root_cause = root_cause;
    case.responsibility = responsibility;
    Ok(case)
}

fn note(row: case_note::Model) -> AppResult<Note> {
    Ok(Note {
        kind: NoteKind::parse(&row.kind).ok_or_else(|| corrupt("note kind"))?,
        at: from_micros(row.at_us),
        by: row.by,
        steps: row.steps,
        text: row.text,
        customer_told: row.customer_told,
    })
}

fn measure(row: case_measure::Model) -> AppResult<Measure> {
    Ok(Measure {
        number: u32::try_from(row.number).map_err(|_| corrupt("measure number"))?,
        kind: MeasureKind::parse(&row.kind).ok_or_else(|| corrupt("measure kind"))?,
        description: row.description,
        department: row.department,
        person: row.person,
        due_on: row.due_on,
        done: row.done_at_us.map(|at| Done { at: from_micros(at), by: row.done_by, note: row.done_note }),
    })
}

fn review(approved: Option<bool>, by: &str, at: Option<i64>, note: &str) -> Option<Review> {
    Some(Review { approved: approved?, by: by.to_string(), at: from_micros(at?), note: note.to_string() })
}

fn solution(row: &case::Model) -> Option<Solution> {
    Some(Solution {
        text: row.solution_text.clone(),
        proposed_by: row.solution_by.clone(),
        proposed_at: from_micros(row.solution_at_us?),
        review: review(
            row.solution_approved,
            &row.solution_reviewed_by,
            row.solution_reviewed_at_us,
            &row.solution_review_note,
        ),
    })
}

fn confirmation(row: &case::Model) -> AppResult<Option<Confirmation>> {
    let (Some(confirmed), Some(at)) = (row.confirmed, row.confirmation_at_us) else { return Ok(None) };
    let satisfaction = row.satisfaction.and_then(|s| u8::try_from(s).ok()).filter(|s| (1..=5).contains(s));
    Ok(Some(Confirmation {
        confirmed,
        satisfaction: satisfaction.ok_or_else(|| corrupt("satisfaction"))?,
        comment: row.confirmation_comment.clone(),
        by: row.confirmation_by.clone(),
        at: from_micros(at),
    }))
}

fn root_cause(row: &case::Model, measures: Vec<Measure>) -> AppResult<Option<RootCause>> {
    let (Some(category), Some(at)) = (row.root_cause_category.as_deref(), row.root_cause_at_us) else {
        return Ok(None);
    };
    Ok(Some(RootCause {
        category: CauseCategory::parse(category).ok_or_else(|| corrupt("cause category"))?,
        analysis: row.root_cause_analysis.clone(),
        measures,
        by: row.root_cause_by.clone(),
        at: from_micros(at),
    }))
}

fn party(row: &case::Model) -> AppResult<Option<Party>> {
    Ok(match row.responsible_party.as_deref() {
        None => None,
        Some("department") => Some(Party::Department {
            department: row.responsible_department.clone(),
            person: row.responsible_person.clone(),
        }),
        Some("supplier") => Some(Party::Supplier {
            supplier_id: row
                .responsible_supplier_id
                .as_deref()
                .and_then(|s| SupplierId::parse(s).ok())
                .ok_or_else(|| corrupt("responsible supplier"))?,
            part_number: row.responsible_part_number.clone(),
            batch: row.responsible_batch.clone(),
        }),
        Some(_) => return Err(corrupt("responsible party")),
    })
}

fn responsibility(row: &case::Model) -> AppResult<Option<Responsibility>> {
    let Some(at) = row.responsibility_at_us else { return Ok(None) };
    let investigation = match row.investigation_at_us {
        None => None,
        Some(at) => Some(Investigation {
            evidence: serde_json::from_str(&row.investigation_evidence).map_err(|_| corrupt("evidence"))?,
            finding: row.investigation_finding.clone(),
            by: row.investigation_by.clone(),
            at: from_micros(at),
        }),
    };
    let compensation = match (row.compensation_minor, row.compensation_currency.as_str()) {
        (None, _) => None,
        (Some(minor), code) => Some(Compensation {
            amount: Money::new(Currency::parse(code).map_err(|_| corrupt("compensation currency"))?, minor),
            note: row.compensation_note.clone(),
        }),
    };
    let report = row.report_issued_at_us.map(|at| ResponsibilityReport {
        summary: row.report_summary.clone(),
        compensation,
        issued_by: row.report_issued_by.clone(),
        issued_at: from_micros(at),
        review: review(
            row.report_approved,
            &row.report_reviewed_by,
            row.report_reviewed_at_us,
            &row.report_review_note,
        ),
    });
    Ok(Some(Responsibility {
        party: party(row)?,
        meeting_note: row.responsibility_note.clone(),
        disputed: row.responsibility_disputed,
        by: row.responsibility_by.clone(),
        at: from_micros(at),
        investigation,
        report,
    }))
}

/// The case's own columns up to the experts on site, and the two instants of the resolution; the parts from the
/// solution on are read by [`from_rows`].
fn from_row(row: case::Model) -> AppResult<Case> {
    let classification = match (row.severity.as_deref(), row.category) {
        (Some(severity), Some(category)) => Some(Classification {
            severity: CaseSeverity::parse(severity).ok_or_else(|| corrupt("severity"))?,
            category,
        }),
        (None, None) => None,
        _ => {
            return Err(corrupt("classification (severity and category must be set together)"));
        }
    };
    Ok(Case {
        id: CaseId::parse(&row.id).map_err(|_| corrupt("id"))?,
        dealer_id: row.dealer_id.as_deref().map(DealerId::parse).transpose().map_err(|_| corrupt("dealer id"))?,
        region: row.region,
        source: CaseSource::parse(&row.source).ok_or_else(|| corrupt("source"))?,
        model: row.model,
        serial_or_vin: SerialOrVin::parse(&row.serial_or_vin).map_err(|_| corrupt("serial or VIN"))?,
        symptom: row.symptom,
        usage_scenario: row.usage_scenario,
        contact: Contact {
            name: row.contact_name,
            phone: Phone::parse_optional(&row.contact_phone).map_err(|_| corrupt("contact phone"))?,
            email: Email::parse_optional(&row.contact_email).map_err(|_| corrupt("contact e-mail"))?,
        },
        state: CaseState::parse(&row.state).ok_or_else(|| corrupt("state"))?,
        classification,
        created_by: row.created_by,
        repair_order_id: row
            .repair_order_id
            .as_deref()
            .map(RepairOrderId::parse)
            .transpose()
            .map_err(|_| corrupt("repair order id"))?,
        received_at: from_micros(row.received_at_us),
        updated_at: from_micros(row.updated_at_us),
        revision: row.revision,
        support_group: Some(row.support_group).filter(|g| !g.is_empty()),
        contact_note: Some(row.contact_note).filter(|n| !n.is_empty()),
        meeting: row.meeting_at_us.map(|at| Meeting {
            held_at: from_micros(at),
            chaired_by: row.meeting_chaired_by,
            initial_measures: row.initial_measures,
        }),
        onsite_at: row.onsite_at_us.map(from_micros),
        notes: Vec::new(),
        solution: None,
        resolved_at: row.resolved_at_us.map(from_micros),
        confirmation: None,
        root_cause: None,
        responsibility: None,
        closed_at: row.closed_at_us.map(from_micros),
        emergency_plan: None,
        temporary_solution: None,
        incident_review: None,
        repeat_of: row.repeat_of.as_deref().map(CaseId::parse).transpose().map_err(|_| corrupt("repeated case"))?,
        onsite_waiver: None,
    })
}
