//! The OEM's response to an important or urgent case (DOMAIN.md, "The engine-plant timers"). Rules:
//! - the department head holds an analysis meeting and records its initial measures — once, for an important or
//!   urgent case that is triaged and not closed;
//! - the experts (for an urgent case, the emergency team) arrive on site — once, on the same terms;
//! - a general case needs neither: re-classify it first.
//!
//! The clocks (meeting 30 min, onsite 24 h, urgent onsite 1 h continuing the important one) are policies over the
//! events these steps publish.

use chrono::{DateTime, Utc};

use super::{Case, CaseSeverity, CaseState, StepError};

/// An analysis meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// When it was held.
    pub held_at: DateTime<Utc>,
    /// Who chaired it (token subject).
    pub chaired_by: String,
    /// The initial measures decided, 1..=4000 characters.
    pub initial_measures: String,
}

impl Case {
    /// Records the analysis meeting.
    pub fn hold_meeting(&mut self, meeting: Meeting) -> Result<(), StepError> {
        self.responding("the analysis meeting")?;
        if self.meeting.is_some() {
            return Err(StepError::Unchanged("past its analysis meeting".into()));
        }
        self.touch(meeting.held_at);
        self.meeting = Some(meeting);
        Ok(())
    }

    /// Records the experts' (or emergency team's) arrival on site.
    pub fn arrive_onsite(&mut self, at: DateTime<Utc>) -> Result<(), StepError> {
        self.responding("experts on site")?;
        if self.onsite_at.is_some() {
            return Err(StepError::Unchanged("with its experts on site".into()));
        }
        self.onsite_at = Some(at);
        self.touch(at);
        Ok(())
    }

    /// An important or urgent case, triaged and not closed.
    pub(super) fn responding(&self, what: &'static str) -> Result<(), StepError> {
        match (self.state, &self.classification) {
            (CaseState::Received, _) | (_, None) => Err(self.not_now("it is triaged first")),
            (CaseState::Closed, _) => Err(self.not_now("a closed case takes no more steps")),
            (_, Some(k)) if k.severity == CaseSeverity::General => Err(StepError::NotForSeverity(what)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::domain::Classification;
    use crate::domain::case::fixtures;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn triaged(severity: CaseSeverity) -> Case {
        let mut case = fixtures::received(at(0));
        case.classify(Classification { severity, category: "power_loss".into() }, at(5)).unwrap();
        case
    }

    fn meeting(minutes: i64) -> Meeting {
        Meeting { held_at: at(minutes), chaired_by: "head".into(), initial_measures: "swap the ECU".into() }
    }

    #[test]
    fn an_important_case_has_its_meeting_and_its_experts_on_site_once_each() {
        let mut case = triaged(CaseSeverity::Important);
        case.hold_meeting(meeting(25)).unwrap();
        assert_eq!(case.meeting.as_ref().unwrap().initial_measures, "swap the ECU");
        assert!(matches!(case.hold_meeting(meeting(30)), Err(StepError::Unchanged(_))));
        case.arrive_onsite(at(600)).unwrap();
        assert_eq!(case.onsite_at, Some(at(600)));
        assert!(case.arrive_onsite(at(700)).is_err(), "once");
        assert_eq!(case.state, CaseState::Triaged, "the state line is not these steps' business");
    }

    #[test]
    fn a_general_case_needs_no_meeting_nor_experts() {
        let mut case = triaged(CaseSeverity::General);
        assert_eq!(case.hold_meeting(meeting(25)), Err(StepError::NotForSeverity("the analysis meeting")));
        assert_eq!(case.arrive_onsite(at(30)), Err(StepError::NotForSeverity("experts on site")));
        assert_eq!(case.revision, 2, "nothing changed");
    }

    #[test]
    fn an_urgent_case_has_its_emergency_team_on_site() {
        let mut case = triaged(CaseSeverity::Urgent);
        assert!(case.arrive_onsite(at(50)).is_ok());
    }
}
