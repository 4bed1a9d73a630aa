//! A case's handling records on the wire (notes, solution, confirmation, root cause, responsibility), and the events
//! of the steps from diagnosis to closing.

use aftersales_kernel::Money;
use aftersales_proto::common::v1 as common;
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::to_timestamp;

use super::{dealer_of, severity_now, state};
use crate::domain::{
    Case, CauseCategory, Confirmation, EmergencyPlan, Measure, MeasureKind, Note, NoteKind, OnsiteWaiver, Party,
    Responsibility, Review, RootCause, Solution,
};

/// A note.
pub fn note(n: &Note) -> pb::CaseNote {
    pb::CaseNote {
        kind: match n.kind {
            NoteKind::Diagnosis => pb::CaseNoteKind::Diagnosis,
            NoteKind::Progress => pb::CaseNoteKind::Progress,
        } as i32,
        create_time: Some(to_timestamp(n.at)),
        created_by: n.by.clone(),
        steps: n.steps.clone(),
        text: n.text.clone(),
        customer_told: n.customer_told,
    }
}

fn review(r: &Review) -> pb::Review {
    pb::Review {
        approved: r.approved,
        reviewed_by: r.by.clone(),
        review_time: Some(to_timestamp(r.at)),
        note: r.note.clone(),
    }
}

/// The solution proposed last.
pub fn solution(s: &Solution) -> pb::CaseSolution {
    pb::CaseSolution {
        text: s.text.clone(),
        proposed_by: s.proposed_by.clone(),
        propose_time: Some(to_timestamp(s.proposed_at)),
        review: s.review.as_ref().map(review),
    }
}

/// The customer's answer.
pub fn confirmation(c: &Confirmation) -> pb::CustomerConfirmation {
    pb::CustomerConfirmation {
        confirmed: c.confirmed,
        satisfaction: i32::from(c.satisfaction),
        comment: c.comment.clone(),
        recorded_by: c.by.clone(),
        record_time: Some(to_timestamp(c.at)),
    }
}

/// A 5M1E category on the wire.
pub fn cause(c: CauseCategory) -> pb::CauseCategory {
    match c {
        CauseCategory::Man => pb::CauseCategory::Man,
        CauseCategory::Machine => pb::CauseCategory::Machine,
        CauseCategory::Material => pb::CauseCategory::Material,
        CauseCategory::Method => pb::CauseCategory::Method,
        CauseCategory::Environment => pb::CauseCategory::Environment,
        CauseCategory::Measurement => pb::CauseCategory::Measurement,
    }
}

fn measure(m: &Measure) -> pb::Measure {
    let done = m.done.as_ref();
    pb::Measure {
        number: m.number as i32,
        kind: match m.kind {
            MeasureKind::Corrective => pb::MeasureKind::Corrective,
            MeasureKind::Preventive => pb::MeasureKind::Preventive,
        } as i32,
        description: m.description.clone(),
        department: m.department.clone(),
        person: m.person.clone(),
        due_on: m.due_on.format("%Y-%m-%d").to_string(),
        done: done.is_some(),
        done_time: done.map(|d| to_timestamp(d.at)),
        done_by: done.map(|d| d.by.clone()).unwrap_or_default(),
        done_note: done.map(|d| d.note.clone()).unwrap_or_default(),
    }
}

/// The root-cause report.
pub fn root_cause(r: &RootCause) -> pb::RootCause {
    pb::RootCause {
        category: cause(r.category) as i32,
        analysis: r.analysis.clone(),
        measures: r.measures.iter().map(measure).collect(),
        recorded_by: r.by.clone(),
        record_time: Some(to_timestamp(r.at)),
    }
}

/// A responsible party.
pub fn party(p: &Party) -> pb::ResponsibleParty {
    let party = match p {
        Party::Department { department, person } => pb::responsible_party::Party::Department(pb::DepartmentParty {
            department: department.clone(),
            person: person.clone(),
        }),
        Party::Supplier { supplier_id, part_number, batch } => {
            pb::responsible_party::Party::Supplier(pb::SupplierParty {
                supplier_id: supplier_id.to_string(),
                part_number: part_number.clone(),
                batch: batch.clone(),
            })
        }
    };
    pb::ResponsibleParty { party: Some(party) }
}

/// Money on the wire.
pub fn money(m: &Money) -> common::Money {
    aftersales_runtime::to_money(*m)
}

/// Responsibility determination so far.
pub fn responsibility(r: &Responsibility) -> pb::Responsibility {
    pb::Responsibility {
        party: r.party.as_ref().map(party),
        meeting_note: r.meeting_note.clone(),
        disputed: r.disputed,
        recorded_by: r.by.clone(),
        meeting_time: Some(to_timestamp(r.at)),
        investigation: r.investigation.as_ref().map(|i| pb::Investigation {
            evidence: i.evidence.clone(),
            finding: i.finding.clone(),
            investigated_by: i.by.clone(),
            investigate_time: Some(to_timestamp(i.at)),
        }),
        report: r.report.as_ref().map(|k| pb::ResponsibilityReport {
            summary: k.summary.clone(),
            compensation: k.compensation.as_ref().map(|c| money(&c.amount)),
            compensation_note: k.compensation.as_ref().map(|c| c.note.clone()).unwrap_or_default(),
            issued_by: k.issued_by.clone(),
            issue_time: Some(to_timestamp(k.issued_at)),
            review: k.review.as_ref().map(review),
        }),
        determined: r.determined(),
    }
}

/// An urgent case's emergency plan.
pub fn emergency_plan(p: &EmergencyPlan) -> pb::EmergencyPlan {
    pb::EmergencyPlan {
        department_head: p.department_head.clone(),
        experts: p.experts.clone(),
        production_head: p.production_head.clone(),
        resources: p.resources.clone(),
        supplier_coordination: p.supplier_coordination.clone(),
        started_by: p.by.clone(),
        start_time: Some(to_timestamp(p.at)),
    }
}

/// An onsite waiver request with its decision.
pub fn onsite_waiver(w: &OnsiteWaiver) -> pb::OnsiteWaiver {
    let decision = w.decision.as_ref();
    pb::OnsiteWaiver {
        reason: w.reason.clone(),
        requested_by: w.requested_by.clone(),
        request_time: Some(to_timestamp(w.requested_at)),
        severity: super::severity(Some(w.severity)) as i32,
        decided: decision.is_some(),
        approved: decision.is_some_and(|d| d.approved),
        note: decision.map(|d| d.note.clone()).unwrap_or_default(),
        decided_by: decision.map(|d| d.by.clone()).unwrap_or_default(),
        decide_time: decision.map(|d| to_timestamp(d.at)),
    }
}

/// `OnsiteWaiverRequested` for the feed.
pub fn waiver_requested(c: &Case, w: &OnsiteWaiver) -> pb::OnsiteWaiverRequested {
    pb::OnsiteWaiverRequested {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        reason: w.reason.clone(),
        requested_by: w.requested_by.clone(),
    }
}

/// `OnsiteWaiverDecided` for the feed: the request's reason becomes the waived clock's.
pub fn waiver_decided(c: &Case, w: &OnsiteWaiver) -> pb::OnsiteWaiverDecided {
    let decision = w.decision.as_ref();
    pb::OnsiteWaiverDecided {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        approved: decision.is_some_and(|d| d.approved),
        reason: w.reason.clone(),
        note: decision.map(|d| d.note.clone()).unwrap_or_default(),
        decided_by: decision.map(|d| d.by.clone()).unwrap_or_default(),
    }
}

/// `CaseStepRecorded` for the feed.
pub fn step(c: &Case, step: pb::CaseStep, by: &str) -> pb::CaseStepRecorded {
    pb::CaseStepRecorded {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        step: step as i32,
        state: state(c.state) as i32,
        recorded_by: by.to_string(),
    }
}

/// `CaseProgressReported` for the feed, without the report's text.
pub fn progress_reported(c: &Case, customer_told: bool, by: &str) -> pb::CaseProgressReported {
    pb::CaseProgressReported {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        customer_told,
        reported_by: by.to_string(),
    }
}

/// `CaseResolved` for the feed.
pub fn resolved(c: &Case, by: &str) -> pb::CaseResolved {
    pb::CaseResolved {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        resolved_by: by.to_string(),
    }
}

/// `ResponsibilityDetermined` for the feed: no contact, no customer data.
pub fn determined(c: &Case, by: &str) -> pb::ResponsibilityDetermined {
    let found = c.responsibility.as_ref();
    let report = found.and_then(|r| r.report.as_ref());
    pb::ResponsibilityDetermined {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        category: c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_default(),
        model: c.model.clone(),
        serial_or_vin: c.serial_or_vin.to_string(),
        party: found.and_then(|r| r.party.as_ref()).map(party),
        summary: report.map(|r| r.summary.clone()).unwrap_or_default(),
        cause_category: c.root_cause.as_ref().map(|r| cause(r.category) as i32).unwrap_or_default(),
        compensation: report.and_then(|r| r.compensation.as_ref()).map(|k| money(&k.amount)),
        approved_by: by.to_string(),
    }
}

/// `CaseClosed` for the feed.
pub fn closed(c: &Case, by: &str) -> pb::CaseClosed {
    pb::CaseClosed {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        category: c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_default(),
        satisfaction: c.confirmation.as_ref().map(|k| i32::from(k.satisfaction)).unwrap_or_default(),
        closed_by: by.to_string(),
    }
}
