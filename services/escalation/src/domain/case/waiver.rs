//! Onsite waivers (DOMAIN.md, "How clocks behave": 特殊情况除外). Rules:
//! - the experts' onsite visit of an important or urgent case may be waived for special circumstances (the engine
//!   far away, the site unreachable): support requests it with the reason, before the experts are there;
//! - one request waits at a time; a rejected one may be followed by a new one, an approved one ends the matter for
//!   the severity it was asked at (re-classified urgent, the emergency team's visit is a new matter);
//! - `oem_manager` decides, never on a request of their own (a rejection says why), while the experts are still
//!   not there;
//! - approved, the case's onsite clocks are waived (the policies' `waived_by`): reported apart from on time and late.

use chrono::{DateTime, Utc};

use super::{Case, CaseSeverity, StepError};

/// A request to waive the onsite visit, with its decision once taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnsiteWaiver {
    /// Why the experts cannot or need not go, 1..=4000 characters.
    pub reason: String,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// The case's severity then.
    pub severity: CaseSeverity,
    /// The decision, once taken.
    pub decision: Option<WaiverDecision>,
}

/// `oem_manager`'s decision on a waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverDecision {
    /// Approved (else rejected).
    pub approved: bool,
    /// Why, ≤ 4000 characters (a rejection says why).
    pub note: String,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl OnsiteWaiver {
    /// Requested and not yet decided.
    pub fn pending(&self) -> bool {
        self.decision.is_none()
    }

    /// Decided and approved.
    pub fn approved(&self) -> bool {
        self.decision.as_ref().is_some_and(|d| d.approved)
    }
}

impl Case {
    /// `by` requests at `at` that the onsite visit be waived, for `reason`.
    pub fn request_onsite_waiver(&mut self, reason: String, by: &str, at: DateTime<Utc>) -> Result<(), StepError> {
        self.responding("an onsite waiver")?;
        if self.onsite_at.is_some() {
            return Err(self.not_now("the experts are on site already"));
        }
        match &self.onsite_waiver {
            Some(w) if w.pending() => return Err(StepError::WaiverPending),
            Some(w) if w.approved() && Some(w.severity) == self.severity() => {
                return Err(StepError::Unchanged("waived its onsite visit".into()));
            }
            _ => {}
        }
        let severity = self.severity().expect("a responding case is triaged");
        self.onsite_waiver =
            Some(OnsiteWaiver { reason, requested_by: by.into(), requested_at: at, severity, decision: None });
        self.touch(at);
        Ok(())
    }

    /// Decides the waiting request.
    pub fn decide_onsite_waiver(&mut self, decision: WaiverDecision) -> Result<(), StepError> {
        self.responding("an onsite waiver")?;
        if self.onsite_at.is_some() {
            return Err(self.not_now("the experts are on site already"));
        }
        let Some(waiver) = self.onsite_waiver.as_mut().filter(|w| w.pending()) else {
            return Err(StepError::NoWaiverRequest);
        };
        if waiver.requested_by == decision.by {
            return Err(StepError::OwnWaiver);
        }
        let at = decision.at;
        waiver.decision = Some(decision);
        self.touch(at);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::domain::Classification;
    use crate::domain::case::fixtures;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    const REASON: &str = "the engine is on a ship two days out";

    fn decision(approved: bool, by: &str, minutes: i64) -> WaiverDecision {
        WaiverDecision { approved, note: "agreed with the customer".into(), by: by.into(), at: at(minutes) }
    }

    #[test]
    fn support_asks_and_the_manager_approves_before_the_experts_are_there() {
        let mut case = fixtures::triaged(CaseSeverity::Important, "power_loss", at(0));
        case.request_onsite_waiver(REASON.into(), "support", at(10)).unwrap();
        assert!(case.onsite_waiver.as_ref().unwrap().pending());
        case.decide_onsite_waiver(decision(true, "manager", 20)).unwrap();
        assert!(case.onsite_waiver.as_ref().unwrap().approved());
        assert_eq!(case.updated_at, at(20));
        let again = case.request_onsite_waiver(REASON.into(), "support", at(30));
        assert!(matches!(again, Err(StepError::Unchanged(_))), "an approved waiver ends the matter");
    }

    #[test]
    fn re_classified_urgent_the_emergency_teams_visit_is_a_new_matter() {
        let mut case = fixtures::triaged(CaseSeverity::Important, "power_loss", at(0));
        case.request_onsite_waiver(REASON.into(), "support", at(10)).unwrap();
        assert_eq!(
            case.onsite_waiver.as_ref().unwrap().severity,
            CaseSeverity::Important,
            "the case's, not the caller's"
        );
        case.decide_onsite_waiver(decision(true, "manager", 20)).unwrap();
        case.classify(Classification { severity: CaseSeverity::Urgent, category: "power_loss".into() }, at(30))
            .unwrap();
        case.request_onsite_waiver(REASON.into(), "support", at(40)).unwrap();
        let waiver = case.onsite_waiver.as_ref().unwrap();
        assert_eq!((waiver.severity, waiver.pending()), (CaseSeverity::Urgent, true));
    }

    #[test]
    fn a_general_case_has_no_onsite_visit_to_waive() {
        let mut case = fixtures::triaged(CaseSeverity::General, "noise", at(0));
        let refused = case.request_onsite_waiver(REASON.into(), "support", at(10));
        assert_eq!(refused, Err(StepError::NotForSeverity("an onsite waiver")));
        assert_eq!(case.onsite_waiver, None);
    }

    #[test]
    fn nothing_is_waived_once_the_experts_are_there() {
        let mut case = fixtures::triaged(CaseSeverity::Urgent, "fire", at(0));
        case.arrive_onsite(at(5)).unwrap();
        assert!(matches!(case.request_onsite_waiver(REASON.into(), "support", at(10)), Err(StepError::NotNow { .. })));

        let mut case = fixtures::triaged(CaseSeverity::Urgent, "fire", at(0));
        case.request_onsite_waiver(REASON.into(), "support", at(10)).unwrap();
        case.arrive_onsite(at(15)).unwrap();
        let late = case.decide_onsite_waiver(decision(true, "manager", 20));
        assert!(matches!(late, Err(StepError::NotNow { .. })), "a decision after the arrival is moot");
        assert!(case.onsite_waiver.as_ref().unwrap().pending());
    }

    #[test]
    fn one_request_waits_at_a_time_and_a_rejected_one_may_be_asked_again() {
        let mut case = fixtures::triaged(CaseSeverity::Important, "power_loss", at(0));
        case.request_onsite_waiver(REASON.into(), "support", at(10)).unwrap();
        assert_eq!(case.request_onsite_waiver(REASON.into(), "lead", at(11)), Err(StepError::WaiverPending));
        case.decide_onsite_waiver(decision(false, "manager", 20)).unwrap();
        assert!(!case.onsite_waiver.as_ref().unwrap().approved());
        case.request_onsite_waiver(REASON.into(), "lead", at(30)).unwrap();
        let waiver = case.onsite_waiver.as_ref().unwrap();
        assert_eq!((waiver.requested_by.as_str(), waiver.pending()), ("lead", true));
    }

    #[test]
    fn the_manager_decides_no_request_of_their_own_and_none_that_was_not_made() {
        let mut case = fixtures::triaged(CaseSeverity::Important, "power_loss", at(0));
        assert_eq!(case.decide_onsite_waiver(decision(true, "manager", 5)), Err(StepError::NoWaiverRequest));
        case.request_onsite_waiver(REASON.into(), "manager", at(10)).unwrap();
        let revision = case.revision;
        assert_eq!(case.decide_onsite_waiver(decision(true, "manager", 20)), Err(StepError::OwnWaiver));
        assert_eq!(case.revision, revision, "a refused decision changes nothing");
        case.decide_onsite_waiver(decision(true, "another_manager", 20)).unwrap();
    }
}
