//! The emergency response to an urgent case (DOMAIN.md, "Complaint and escalation"; seed 001's emergency plan).
//! Rules:
//! - an urgent case starts its emergency plan once: the team — the department head, the experts, the production
//!   head — with the resources committed and how suppliers are coordinated;
//! - under the plan a temporary solution is recorded once, before the case is resolved;
//! - once resolved, a post-incident review is held once: what happened and went well or badly, a revision note on
//!   the plan, and a follow-up period (0..=365 days) watching the engine;
//! - an urgent case closes only after its review and once its follow-up period is over.

use chrono::{DateTime, Utc};

use super::{Case, CaseSeverity, CaseState, StepError};

/// The emergency team and what it has to work with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyPlan {
    /// The department head leading it, 1..=200 characters.
    pub department_head: String,
    /// The experts, 1..=20 names of 1..=200 characters.
    pub experts: Vec<String>,
    /// The production head, 1..=200 characters.
    pub production_head: String,
    /// Resources committed (people, vehicles, spare engines, parts), 1..=4000 characters.
    pub resources: String,
    /// How suppliers are coordinated, ≤ 4000 characters.
    pub supplier_coordination: String,
    /// Who started it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A note with its author and time (the temporary solution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// What, 1..=4000 characters.
    pub text: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The post-incident review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostIncidentReview {
    /// What happened, what went well and what did not, 1..=4000 characters.
    pub review: String,
    /// How the emergency plan is revised, 1..=4000 characters.
    pub plan_revision: String,
    /// The end of the follow-up period watching the engine.
    pub follow_up_until: DateTime<Utc>,
    /// Who held it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl Case {
    /// Starts the emergency plan of an urgent case.
    pub fn start_emergency_plan(&mut self, plan: EmergencyPlan) -> Result<(), StepError> {
        self.urgent("the emergency plan")?;
        if self.state == CaseState::Closed {
            return Err(self.not_now("a closed case needs no plan"));
        }
        if self.emergency_plan.is_some() {
            return Err(StepError::Unchanged("under its emergency plan".into()));
        }
        let at = plan.at;
        self.emergency_plan = Some(plan);
        self.touch(at);
        Ok(())
    }

    /// Records the temporary solution, under the plan and before the case is resolved.
    pub fn record_temporary_solution(&mut self, solution: Recorded) -> Result<(), StepError> {
        self.urgent("a temporary solution")?;
        if self.emergency_plan.is_none() {
            return Err(StepError::NoPlan);
        }
        if self.state > CaseState::Implementation {
            return Err(self.not_now("a temporary solution comes before the case is resolved"));
        }
        if self.temporary_solution.is_some() {
            return Err(StepError::Unchanged("with its temporary solution".into()));
        }
        let at = solution.at;
        self.temporary_solution = Some(solution);
        self.touch(at);
        Ok(())
    }

    /// Holds the post-incident review of a resolved urgent case.
    pub fn review_incident(&mut self, review: PostIncidentReview) -> Result<(), StepError> {
        self.urgent("the post-incident review")?;
        if self.state < CaseState::CustomerConfirmation || self.state == CaseState::Closed {
            return Err(self.not_now("the post-incident review follows the resolution, before closing"));
        }
        if self.incident_review.is_some() {
            return Err(StepError::Unchanged("past its post-incident review".into()));
        }
        let at = review.at;
        self.incident_review = Some(review);
        self.touch(at);
        Ok(())
    }

    /// What an urgent case still needs before it may close at `now`.
    pub(super) fn urgent_close_check(&self, now: DateTime<Utc>) -> Result<(), StepError> {
        if self.severity() != Some(CaseSeverity::Urgent) {
            return Ok(());
        }
        match &self.incident_review {
            None => Err(StepError::NoIncidentReview),
            Some(review) if now < review.follow_up_until => Err(StepError::FollowUpRunning(review.follow_up_until)),
            Some(_) => Ok(()),
        }
    }

    fn urgent(&self, what: &'static str) -> Result<(), StepError> {
        match self.severity() {
            None => Err(self.not_now("it is triaged first")),
            Some(CaseSeverity::Urgent) => Ok(()),
            Some(_) => Err(StepError::UrgentOnly(what)),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::domain::case::fixtures;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
    }

    fn triaged(severity: CaseSeverity) -> Case {
        fixtures::triaged(severity, "power_loss", at(0))
    }

    fn plan() -> EmergencyPlan {
        EmergencyPlan {
            department_head: "Chen Hua".into(),
            experts: vec!["Liu Yang".into(), "Sun Mei".into()],
            production_head: "Zhou Qiang".into(),
            resources: "two service vans, four spare ECUs".into(),
            supplier_coordination: "ECU supplier on call".into(),
            by: "head".into(),
            at: at(0),
        }
    }

    fn review(days: i64) -> PostIncidentReview {
        PostIncidentReview {
            review: "team on site in 50 minutes; spares short".into(),
            plan_revision: "keep six spare ECUs at the regional hub".into(),
            follow_up_until: at(10) + Duration::days(days),
            by: "head".into(),
            at: at(10),
        }
    }

    fn recorded(text: &str, hours: i64) -> Recorded {
        Recorded { text: text.into(), by: "expert".into(), at: at(hours) }
    }

    #[test]
    fn an_urgent_case_starts_its_plan_once_and_records_a_temporary_solution_under_it() {
        let mut case = triaged(CaseSeverity::Urgent);
        assert_eq!(case.record_temporary_solution(recorded("swap ECUs", 1)), Err(StepError::NoPlan));
        case.start_emergency_plan(plan()).unwrap();
        assert!(matches!(case.start_emergency_plan(plan()), Err(StepError::Unchanged(_))));
        case.record_temporary_solution(recorded("swap ECUs", 1)).unwrap();
        assert_eq!(case.temporary_solution.as_ref().unwrap().text, "swap ECUs");
    }

    #[test]
    fn only_an_urgent_case_has_an_emergency_response() {
        let mut case = triaged(CaseSeverity::Important);
        assert_eq!(case.start_emergency_plan(plan()), Err(StepError::UrgentOnly("the emergency plan")));
        assert_eq!(case.review_incident(review(30)), Err(StepError::UrgentOnly("the post-incident review")));
    }

    #[test]
    fn the_review_follows_the_resolution_and_closing_waits_for_the_follow_up_period() {
        let mut case = triaged(CaseSeverity::Urgent);
        assert!(matches!(case.review_incident(review(30)), Err(StepError::NotNow { .. })), "not resolved yet");
        case.state = CaseState::Responsibility;
        assert_eq!(case.urgent_close_check(at(11)), Err(StepError::NoIncidentReview));
        case.review_incident(review(30)).unwrap();
        let until = at(10) + Duration::days(30);
        assert_eq!(case.urgent_close_check(at(11)), Err(StepError::FollowUpRunning(until)));
        assert_eq!(case.urgent_close_check(until), Ok(()), "over at its end");
    }

    #[test]
    fn a_general_or_important_case_needs_no_review_to_close() {
        assert_eq!(triaged(CaseSeverity::Important).urgent_close_check(at(1)), Ok(()));
    }
}
