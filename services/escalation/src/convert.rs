//! Domain → proto: how cases look on the wire and on the feed. (Proto → domain, with validation, is in
//! `api::parse`.)

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::{Case, CaseSeverity, CaseSource, CaseState};

pub mod clocks;

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
