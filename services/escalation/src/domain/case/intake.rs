//! A case from a dissatisfied follow-up (reception's `CustomerDissatisfied`: a score of 2 or below, or a
//! complaint). Rules:
//! - the case is the dealer's, from source `follow_up`, about the order's vehicle (its VIN) and model;
//! - its symptom says what the follow-up found — the score, whether the customer complained, their words — and the
//!   order's fault description, so support sees the whole story at triage;
//! - the customer's name and telephone never cross the feed: the contact is the customer of that repair order,
//!   reached through the dealer, which holds their details;
//! - one follow-up opens one case.

use aftersales_kernel::{DealerId, RepairOrderId};
use aftersales_runtime::validate::TEXT_MAX;

use super::{CaseSource, NewCase};
use crate::domain::{Contact, SerialOrVin, SerialOrVinError};

/// What reception reports of a dissatisfied follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DissatisfiedFollowUp {
    /// The dealer.
    pub dealer_id: DealerId,
    /// The order followed up.
    pub repair_order_id: RepairOrderId,
    /// Its vehicle.
    pub vin: String,
    /// The vehicle's model; empty when reception does not know it.
    pub model: String,
    /// The dealer's region; may be empty.
    pub region: String,
    /// Satisfaction 1..=5.
    pub score: i32,
    /// The customer complained.
    pub complaint: bool,
    /// What the customer said.
    pub comments: String,
    /// The order's fault description.
    pub fault_description: String,
}

/// The model recorded when reception does not know the vehicle's.
pub const MODEL_UNKNOWN: &str = "unknown (see the dealer's vehicle record)";

impl DissatisfiedFollowUp {
    /// The case it opens, recorded by `recorded_by` (the feed's producer).
    pub fn into_case(self, recorded_by: &str) -> Result<NewCase, SerialOrVinError> {
        let complained = if self.complaint { ", and complained" } else { "" };
        let said = if self.comments.trim().is_empty() { String::new() } else { format!(": \"{}\"", self.comments) };
        let symptom = format!(
            "Follow-up after repair order {}: satisfaction {}/5{complained}{said}. Fault on the order: {}",
            self.repair_order_id, self.score, self.fault_description
        );
        let model = if self.model.trim().is_empty() { MODEL_UNKNOWN.to_string() } else { self.model };
        Ok(NewCase {
            dealer_id: Some(self.dealer_id),
            region: self.region.chars().take(200).collect(),
            source: CaseSource::FollowUp,
            model: model.chars().take(200).collect(),
            serial_or_vin: SerialOrVin::parse(&self.vin)?,
            symptom: symptom.chars().take(TEXT_MAX).collect(),
            usage_scenario: String::new(),
            contact: Contact {
                name: format!("Customer of repair order {} (through the dealer)", self.repair_order_id),
                phone: None,
                email: None,
            },
            created_by: recorded_by.to_string(),
            repair_order_id: Some(self.repair_order_id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn follow_up() -> DissatisfiedFollowUp {
        DissatisfiedFollowUp {
            dealer_id: DealerId::new(),
            repair_order_id: RepairOrderId::new(),
            vin: "1m8gdm9axkp042788".into(),
            model: "WP10 truck".into(),
            region: "CN-NORTH".into(),
            score: 2,
            complaint: true,
            comments: "still smokes when cold".into(),
            fault_description: "white smoke at cold start".into(),
        }
    }

    #[test]
    fn a_dissatisfied_follow_up_opens_the_dealers_case_about_the_vehicle() {
        let source = follow_up();
        let case = source.clone().into_case("reception").unwrap();
        assert_eq!((case.source, case.dealer_id), (CaseSource::FollowUp, Some(source.dealer_id)));
        assert_eq!(case.serial_or_vin.to_string(), "1M8GDM9AXKP042788");
        assert_eq!((case.model.as_str(), case.region.as_str()), ("WP10 truck", "CN-NORTH"));
        assert_eq!(case.repair_order_id, Some(source.repair_order_id));
        for told in ["satisfaction 2/5", "complained", "still smokes when cold", "white smoke at cold start"] {
            assert!(case.symptom.contains(told), "{told} in {}", case.symptom);
        }
    }

    #[test]
    fn the_customer_is_reached_through_the_dealer() {
        let case = follow_up().into_case("reception").unwrap();
        assert!(case.contact.name.contains("through the dealer"));
        assert_eq!((case.contact.phone, case.contact.email), (None, None));
    }

    #[test]
    fn an_unknown_model_says_where_to_look_and_a_long_story_is_cut_to_fit() {
        let source = DissatisfiedFollowUp { model: String::new(), comments: "x".repeat(5000), ..follow_up() };
        let case = source.into_case("reception").unwrap();
        assert_eq!(case.model, MODEL_UNKNOWN);
        assert_eq!(case.symptom.chars().count(), TEXT_MAX);
    }
}
