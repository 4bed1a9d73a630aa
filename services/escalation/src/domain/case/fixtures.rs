//! What the case rules' tests start from: a hotline case about one engine, received or triaged at a given time.

use chrono::{DateTime, Utc};

use super::{Case, CaseSeverity, CaseSource, Classification, NewCase};
use crate::domain::{Contact, SerialOrVin};

/// A hotline case about engine `serial`, tied to no dealer, received at `at`.
pub fn received_about(serial: &str, at: DateTime<Utc>) -> Case {
    let new = NewCase {
        dealer_id: None,
        region: "North China".into(),
        source: CaseSource::Hotline,
        model: "WP10.336E53".into(),
        serial_or_vin: SerialOrVin::parse(serial).unwrap(),
        symptom: "white smoke at cold start".into(),
        usage_scenario: String::new(),
        contact: Contact { name: "Li Wei".into(), phone: None, email: None },
        created_by: "support-1".into(),
        repair_order_id: None,
    };
    Case::receive(new, at).unwrap()
}

/// A hotline case about engine WP10-2024-000917 received at `at`.
pub fn received(at: DateTime<Utc>) -> Case {
    received_about("WP10-2024-000917", at)
}

/// The same, triaged at once with `severity` and `category`.
pub fn triaged(severity: CaseSeverity, category: &str, at: DateTime<Utc>) -> Case {
    let mut case = received(at);
    case.classify(Classification { severity, category: category.into() }, at).unwrap();
    case
}
