//! Proto → domain for escalation's requests: every field checked, every violation named.

use aftersales_kernel::{CaseId, DealerId};
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::validate::{Check, NAME_MAX, TEXT_MAX};

use crate::domain::{CaseSeverity, CaseSource, CaseState, Classification, Contact, Email, NewCase, Phone, SerialOrVin};

/// An optional dealer id: empty means none.
fn dealer(check: &mut Check, field: &str, text: &str) -> Option<Option<DealerId>> {
    if text.is_empty() {
        return Some(None);
    }
    check.parse(field, DealerId::parse(text)).map(Some)
}

fn source(check: &mut Check, raw: i32) -> Option<CaseSource> {
    match check.enum_value::<pb::CaseSource>("source", raw)? {
        pb::CaseSource::Hotline => Some(CaseSource::Hotline),
        pb::CaseSource::Online => Some(CaseSource::Online),
        pb::CaseSource::FieldStaff => Some(CaseSource::FieldStaff),
        pb::CaseSource::DealerComplaint => Some(CaseSource::DealerComplaint),
        pb::CaseSource::FollowUp => Some(CaseSource::FollowUp),
        // `enum_value` already refused 0; named here so the match stays exhaustive without a catch-all.
        pb::CaseSource::Unspecified => {
            check.fail("source", "is required");
            None
        }
    }
}

fn contact(check: &mut Check, value: Option<&pb::Contact>) -> Option<Contact> {
    let value = check.required("contact", value)?;
    let name = check.text("contact.name", &value.name, 1, NAME_MAX);
    let phone = check.parse("contact.phone", Phone::parse_optional(&value.phone));
    let email = check.parse("contact.email", Email::parse_optional(&value.email));
    Some(Contact { name: name?, phone: phone?, email: email? })
}

/// `CreateCaseRequest` → the idempotency key and what the domain needs. `dealer_id` is the dealer the request
/// names (if any); the caller's tenancy decides the case's dealer afterwards.
pub fn new_case(request: &pb::CreateCaseRequest, created_by: &str) -> Result<(uuid::Uuid, NewCase), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let dealer_id = dealer(&mut check, "dealer_id", &request.dealer_id);
    let region = check.text("region", &request.region, 0, NAME_MAX);
    let source = source(&mut check, request.source);
    let model = check.text("model", &request.model, 1, NAME_MAX);
    let serial_or_vin = check.parse("serial_or_vin", SerialOrVin::parse(&request.serial_or_vin));
    let symptom = check.text("symptom", &request.symptom, 1, TEXT_MAX);
    let usage_scenario = check.text("usage_scenario", &request.usage_scenario, 0, TEXT_MAX);
    let contact = contact(&mut check, request.contact.as_ref());
    check.finish_with(|| {
        Some((
            request_id?,
            NewCase {
                dealer_id: dealer_id?,
                region: region?,
                source: source?,
                model: model?,
                serial_or_vin: serial_or_vin?,
                symptom: symptom?,
                usage_scenario: usage_scenario?,
                contact: contact?,
                created_by: created_by.to_string(),
                repair_order_id: None,
            },
        ))
    })
}

/// State filter: UNSPECIFIED lists every state.
fn state(check: &mut Check, raw: i32) -> Option<CaseState> {
    let Ok(state) = pb::CaseState::try_from(raw) else {
        check.fail("state", format!("unknown value {raw}"));
        return None;
    };
    match state {
        pb::CaseState::Unspecified => None,
        pb::CaseState::Received => Some(CaseState::Received),
        pb::CaseState::Triaged => Some(CaseState::Triaged),
        pb::CaseState::Assigned => Some(CaseState::Assigned),
        pb::CaseState::Contacted => Some(CaseState::Contacted),
        pb::CaseState::Diagnosis => Some(CaseState::Diagnosis),
        pb::CaseState::Solution => Some(CaseState::Solution),
        pb::CaseState::Implementation => Some(CaseState::Implementation),
        pb::CaseState::CustomerConfirmation => Some(CaseState::CustomerConfirmation),
        pb::CaseState::Responsibility => Some(CaseState::Responsibility),
        pb::CaseState::Closed => Some(CaseState::Closed),
    }
}

/// The filters of `ListCasesRequest`: the dealer named (if any) and the state (if any).
pub fn list_filter(request: &pb::ListCasesRequest) -> Result<(Option<DealerId>, Option<CaseState>), AppError> {
    let mut check = Check::new();
    let dealer = dealer(&mut check, "dealer_id", &request.dealer_id).flatten();
    let state = state(&mut check, request.state);
    check.finish()?;
    Ok((dealer, state))
}

/// Longest support group name.
const GROUP_MAX: usize = 100;

fn case_id(check: &mut Check, text: &str) -> Option<CaseId> {
    check.parse("case_id", CaseId::parse(text))
}

fn severity(check: &mut Check, raw: i32) -> Option<CaseSeverity> {
    match check.enum_value::<pb::CaseSeverity>("severity", raw)? {
        pb::CaseSeverity::General => Some(CaseSeverity::General),
        pb::CaseSeverity::Important => Some(CaseSeverity::Important),
        pb::CaseSeverity::Urgent => Some(CaseSeverity::Urgent),
        pb::CaseSeverity::Unspecified => {
            check.fail("severity", "is required");
            None
        }
    }
}

/// `ClassifyCaseRequest` → key, case, classification, reason.
pub fn classify(request: &pb::ClassifyCaseRequest) -> Result<(uuid::Uuid, CaseId, Classification, String), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = case_id(&mut check, &request.case_id);
    let severity = severity(&mut check, request.severity);
    let category = check.text("category", &request.category, 1, NAME_MAX);
    let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
    check.finish_with(|| Some((request_id?, id?, Classification { severity: severity?, category: category? }, reason?)))
}

/// `AssignCaseRequest` → key, case, group (None: the one its category routes to).
pub fn assign(request: &pb::AssignCaseRequest) -> Result<(uuid::Uuid, CaseId, Option<String>), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = case_id(&mut check, &request.case_id);
    let group = check.text("support_group", &request.support_group, 0, GROUP_MAX);
    if group.as_deref().is_some_and(|g| !g.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')) {
        check.fail("support_group", "must be lower-case letters, digits and '_'");
    }
    check.finish_with(|| Some((request_id?, id?, group.map(|g| Some(g).filter(|g| !g.is_empty()))?)))
}

/// `RecordCustomerContactRequest` → key, case, note.
pub fn contact_note(request: &pb::RecordCustomerContactRequest) -> Result<(uuid::Uuid, CaseId, String), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = case_id(&mut check, &request.case_id);
    let note = check.text("note", &request.note, 1, TEXT_MAX);
    check.finish_with(|| Some((request_id?, id?, note?)))
}

/// `RecordAnalysisMeetingRequest` → key, case, initial measures.
pub fn meeting(request: &pb::RecordAnalysisMeetingRequest) -> Result<(uuid::Uuid, CaseId, String), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = case_id(&mut check, &request.case_id);
    let measures = check.text("initial_measures", &request.initial_measures, 1, TEXT_MAX);
    check.finish_with(|| Some((request_id?, id?, measures?)))
}

/// `RecordOnsiteRequest` → key, case.
pub fn onsite(request: &pb::RecordOnsiteRequest) -> Result<(uuid::Uuid, CaseId), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let id = case_id(&mut check, &request.case_id);
    check.finish_with(|| Some((request_id?, id?)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftersales_runtime::errors::FieldViolation;

    fn valid() -> pb::CreateCaseRequest {
        pb::CreateCaseRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            dealer_id: String::new(),
            region: "North China".into(),
            source: pb::CaseSource::Hotline as i32,
            model: "WP10.336E53".into(),
            serial_or_vin: "1m8gdm9axkp042788".into(),
            symptom: "white smoke at cold start".into(),
            usage_scenario: String::new(),
            contact: Some(pb::Contact {
                name: "Li Wei".into(),
                phone: "+86 138 0013 8000".into(),
                email: String::new(),
            }),
        }
    }

    fn violated_fields(request: &pb::CreateCaseRequest) -> Vec<String> {
        match new_case(request, "support-1") {
            Err(AppError::InvalidArgument(v)) => v.into_iter().map(|FieldViolation { field, .. }| field).collect(),
            other => panic!("expected INVALID_ARGUMENT, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_request_parses_with_its_vin_normalised() {
        let (_, new) = new_case(&valid(), "support-1").unwrap();
        assert_eq!(new.serial_or_vin.as_str(), "1M8GDM9AXKP042788");
        assert_eq!(new.dealer_id, None);
        assert_eq!(new.contact.email, None);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut request = valid();
        request.request_id = "nope".into();
        request.dealer_id = "not-a-dealer".into();
        request.source = pb::CaseSource::Unspecified as i32;
        request.model = String::new();
        request.serial_or_vin = "wp10 917".into();
        request.symptom = "x".repeat(TEXT_MAX + 1);
        request.contact = Some(pb::Contact { name: String::new(), phone: "call me".into(), email: "li.wei".into() });
        assert_eq!(
            violated_fields(&request),
            [
                "request_id",
                "dealer_id",
                "source",
                "model",
                "serial_or_vin",
                "symptom",
                "contact.name",
                "contact.phone",
                "contact.email"
            ]
        );
    }

    #[test]
    fn a_missing_contact_and_an_unknown_source_are_named() {
        let mut request = valid();
        request.contact = None;
        request.source = 99;
        assert_eq!(violated_fields(&request), ["source", "contact"]);
    }

    #[test]
    fn overlong_region_and_usage_scenario_are_named() {
        let mut request = valid();
        request.region = "r".repeat(NAME_MAX + 1);
        request.usage_scenario = "u".repeat(TEXT_MAX + 1);
        assert_eq!(violated_fields(&request), ["region", "usage_scenario"]);
    }

    #[test]
    fn an_unknown_state_filter_is_refused_and_unspecified_lists_all() {
        let request = pb::ListCasesRequest { state: 42, ..Default::default() };
        assert!(matches!(list_filter(&request), Err(AppError::InvalidArgument(_))));
        assert_eq!(list_filter(&pb::ListCasesRequest::default()).unwrap(), (None, None));
    }
}
