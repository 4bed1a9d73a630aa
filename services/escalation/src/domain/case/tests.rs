//! The case's rules, one test each.

use super::*;
use crate::domain::{Contact, Phone};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn new_case(source: CaseSource, dealer_id: Option<DealerId>) -> NewCase {
    NewCase {
        dealer_id,
        region: "North China".into(),
        source,
        model: "WP10.336E53".into(),
        serial_or_vin: SerialOrVin::parse("WP10-2024-000917").unwrap(),
        symptom: "white smoke at cold start".into(),
        usage_scenario: "long-haul truck, -20 °C mornings".into(),
        contact: Contact { name: "Li Wei".into(), phone: Phone::parse_optional("13800138000").unwrap(), email: None },
        created_by: "support-1".into(),
        repair_order_id: None,
    }
}

#[test]
fn a_received_case_waits_for_triage_with_its_clock_starting_at_receipt() {
    let case = Case::receive(new_case(CaseSource::Hotline, None), now()).unwrap();
    assert_eq!(case.state, CaseState::Received);
    assert_eq!(case.classification, None, "severity and category are set at triage, not before");
    assert_eq!(case.received_at, now());
    assert_eq!(case.updated_at, now());
    assert_eq!(case.revision, 1);
}

#[test]
fn a_hotline_online_or_field_case_may_concern_no_dealer() {
    for source in [CaseSource::Hotline, CaseSource::Online, CaseSource::FieldStaff] {
        assert!(Case::receive(new_case(source, None), now()).is_ok(), "{source:?}");
    }
}

#[test]
fn a_dealer_complaint_or_follow_up_without_its_dealer_is_refused() {
    for source in [CaseSource::DealerComplaint, CaseSource::FollowUp] {
        assert_eq!(
            Case::receive(new_case(source, None), now()),
            Err(ReceiveError::DealerRequired(source)),
            "{source:?}"
        );
        assert!(Case::receive(new_case(source, Some(DealerId::new())), now()).is_ok(), "{source:?}");
    }
}

#[test]
fn each_received_case_gets_its_own_id() {
    let first = Case::receive(new_case(CaseSource::Hotline, None), now()).unwrap();
    let second = Case::receive(new_case(CaseSource::Hotline, None), now()).unwrap();
    assert_ne!(first.id, second.id);
}

#[test]
fn the_life_cycle_moves_one_step_at_a_time_from_received_to_closed() {
    for pair in CaseState::ALL.windows(2) {
        assert!(pair[0].may_become(pair[1]), "{:?} → {:?}", pair[0], pair[1]);
    }
}

#[test]
fn no_state_skips_a_step_or_stays_put_and_only_an_unconfirmed_solution_goes_back() {
    let rework = (CaseState::CustomerConfirmation, CaseState::Implementation);
    for (i, from) in CaseState::ALL.into_iter().enumerate() {
        for (j, to) in CaseState::ALL.into_iter().enumerate() {
            if j != i + 1 && (from, to) != rework {
                assert!(!from.may_become(to), "{from:?} → {to:?} must be refused");
            }
        }
    }
    assert!(rework.0.may_become(rework.1), "the customer does not confirm: back to implementation");
}

#[test]
fn a_closed_case_never_changes() {
    for to in CaseState::ALL {
        assert!(!CaseState::Closed.may_become(to), "closed → {to:?}");
    }
}

#[test]
fn every_state_source_and_severity_name_round_trips() {
    for state in CaseState::ALL {
        assert_eq!(CaseState::parse(state.as_str()), Some(state));
    }
    for source in CaseSource::ALL {
        assert_eq!(CaseSource::parse(source.as_str()), Some(source));
    }
    for severity in [CaseSeverity::General, CaseSeverity::Important, CaseSeverity::Urgent] {
        assert_eq!(CaseSeverity::parse(severity.as_str()), Some(severity));
    }
    assert_eq!(CaseState::parse("RECEIVED"), None, "stored names are lower case");
}

#[test]
fn severity_is_ordered_general_then_important_then_urgent() {
    assert!(CaseSeverity::General < CaseSeverity::Important);
    assert!(CaseSeverity::Important < CaseSeverity::Urgent);
}
