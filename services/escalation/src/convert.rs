//! Domain → proto: how cases look on the wire and on the feed. (Proto → domain, with validation, is in
//! `api::parse`.)

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::{Case, CaseSeverity, CaseSource, CaseState, Classification};

pub mod clocks;
pub mod records;

/// Source on the wire.
pub fn source(s: CaseSource) -> pb::CaseSource {
    match s {
        CaseSource::Hotline => pb::CaseSource::Hotline,
        CaseSource::Online => pb::CaseSource::Online,
        CaseSource::FieldStaff => pb::CaseSource::FieldStaff,
        CaseSource::DealerComplaint => pb::CaseSource::DealerComplaint,
        CaseSource::FollowUp => pb::CaseSource::FollowUp,
    }
}

/// Severity on the wire; `None` (not yet triaged) is UNSPECIFIED.
pub fn severity(s: Option<CaseSeverity>) -> pb::CaseSeverity {
    match s {
        None => pb::CaseSeverity::Unspecified,
        Some(CaseSeverity::General) => pb::CaseSeverity::General,
        Some(CaseSeverity::Important) => pb::CaseSeverity::Important,
        Some(CaseSeverity::Urgent) => pb::CaseSeverity::Urgent,
    }
}

/// State on the wire.
pub fn state(s: CaseState) -> pb::CaseState {
    match s {
        CaseState::Received => pb::CaseState::Received,
        CaseState::Triaged => pb::CaseState::Triaged,
        CaseState::Assigned => pb::CaseState::Assigned,
        CaseState::Contacted => pb::CaseState::Contacted,
        CaseState::Diagnosis => pb::CaseState::Diagnosis,
        CaseState::Solution => pb::CaseState::Solution,
        CaseState::Implementation => pb::CaseState::Implementation,
        CaseState::CustomerConfirmation => pb::CaseState::CustomerConfirmation,
        CaseState::Responsibility => pb::CaseState::Responsibility,
        CaseState::Closed => pb::CaseState::Closed,
    }
}

/// A case on the wire, contact included (only callers who may see the case get here).
pub fn case(c: &Case) -> pb::Case {
    pb::Case {
        id: c.id.to_string(),
        dealer_id: c.dealer_id.map(|d| d.to_string()).unwrap_or_default(),
        region: c.region.clone(),
        source: source(c.source) as i32,
        model: c.model.clone(),
        serial_or_vin: c.serial_or_vin.to_string(),
        symptom: c.symptom.clone(),
        usage_scenario: c.usage_scenario.clone(),
        contact: Some(pb::Contact {
            name: c.contact.name.clone(),
            phone: c.contact.phone.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default(),
            email: c.contact.email.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default(),
        }),
        state: state(c.state) as i32,
        severity: severity(c.classification.as_ref().map(|k| k.severity)) as i32,
        category: c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_default(),
        created_by: c.created_by.clone(),
        received_at: Some(to_timestamp(c.received_at)),
        update_time: Some(to_timestamp(c.updated_at)),
        support_group: c.support_group.clone().unwrap_or_default(),
        contact_note: c.contact_note.clone().unwrap_or_default(),
        meeting_time: c.meeting.as_ref().map(|m| to_timestamp(m.held_at)),
        initial_measures: c.meeting.as_ref().map(|m| m.initial_measures.clone()).unwrap_or_default(),
        onsite_time: c.onsite_at.map(to_timestamp),
        notes: c.notes.iter().map(records::note).collect(),
        solution: c.solution.as_ref().map(records::solution),
        resolve_time: c.resolved_at.map(to_timestamp),
        confirmation: c.confirmation.as_ref().map(records::confirmation),
        root_cause: c.root_cause.as_ref().map(records::root_cause),
        responsibility: c.responsibility.as_ref().map(records::responsibility),
        close_time: c.closed_at.map(to_timestamp),
        repair_order_id: c.repair_order_id.map(|id| id.to_string()).unwrap_or_default(),
        emergency_plan: c.emergency_plan.as_ref().map(records::emergency_plan),
        temporary_solution: c.temporary_solution.as_ref().map(|t| pb::TemporarySolution {
            text: t.text.clone(),
            recorded_by: t.by.clone(),
            record_time: Some(to_timestamp(t.at)),
        }),
        repeat_of_case_id: c.repeat_of.map(|id| id.to_string()).unwrap_or_default(),
        incident_review: c.incident_review.as_ref().map(|r| pb::PostIncidentReview {
            review: r.review.clone(),
            plan_revision: r.plan_revision.clone(),
            follow_up_end_time: Some(to_timestamp(r.follow_up_until)),
            reviewed_by: r.by.clone(),
            review_time: Some(to_timestamp(r.at)),
        }),
        onsite_waiver: c.onsite_waiver.as_ref().map(records::onsite_waiver),
    }
}

/// `AnalysisMeetingHeld` for the feed, without the measures' text.
pub fn meeting_held(c: &Case) -> pb::AnalysisMeetingHeld {
    pb::AnalysisMeetingHeld {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        chaired_by: c.meeting.as_ref().map(|m| m.chaired_by.clone()).unwrap_or_default(),
    }
}

/// `ExpertsOnsite` for the feed.
pub fn experts_onsite(c: &Case, by: &str) -> pb::ExpertsOnsite {
    pb::ExpertsOnsite {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        recorded_by: by.to_string(),
    }
}

fn dealer_of(c: &Case) -> String {
    c.dealer_id.map(|d| d.to_string()).unwrap_or_default()
}

fn severity_now(c: &Case) -> i32 {
    severity(c.classification.as_ref().map(|k| k.severity)) as i32
}

/// `CaseClassified` for the feed: the classification now and before.
pub fn case_classified(c: &Case, before: Option<&Classification>, reason: &str, by: &str) -> pb::CaseClassified {
    pb::CaseClassified {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        category: c.classification.as_ref().map(|k| k.category.clone()).unwrap_or_default(),
        previous_severity: severity(before.map(|k| k.severity)) as i32,
        previous_category: before.map(|k| k.category.clone()).unwrap_or_default(),
        reason: reason.to_string(),
        classified_by: by.to_string(),
        repeat_of_case_id: c.repeat_of.map(|id| id.to_string()).unwrap_or_default(),
        experts_onsite: c.onsite_at.is_some(),
    }
}

/// `CaseAssigned` for the feed.
pub fn case_assigned(c: &Case, previous_group: Option<String>) -> pb::CaseAssigned {
    pb::CaseAssigned {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        support_group: c.support_group.clone().unwrap_or_default(),
        previous_group: previous_group.unwrap_or_default(),
        severity: severity_now(c),
    }
}

/// `CustomerContacted` for the feed, without the note (it may carry personal data).
pub fn customer_contacted(c: &Case, by: &str) -> pb::CustomerContacted {
    pb::CustomerContacted {
        case_id: c.id.to_string(),
        dealer_id: dealer_of(c),
        severity: severity_now(c),
        contacted_by: by.to_string(),
    }
}

/// `CaseOpened` for the feed. Deliberately without the contact: every OEM role and service reads the feed, and the
/// contact is customer personal data.
pub fn case_opened(c: &Case) -> pb::CaseOpened {
    pb::CaseOpened {
        case_id: c.id.to_string(),
        dealer_id: c.dealer_id.map(|d| d.to_string()).unwrap_or_default(),
        region: c.region.clone(),
        source: source(c.source) as i32,
        model: c.model.clone(),
        serial_or_vin: c.serial_or_vin.to_string(),
        received_at: Some(to_timestamp(c.received_at)),
    }
}
