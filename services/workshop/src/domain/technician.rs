//! A technician of one dealer's workshop: who they are (the staff member's token subject), the training records
//! their skills come from, and their shift.
//!
//! Rules (DOMAIN.md, Workshop 2; workshop/v1/technicians.proto):
//! - a technician is keyed by the staff member's token subject, unique within the dealer; subject and name are
//!   1..=200 characters on one line;
//! - training records are history: they are only ever appended, never edited or removed;
//! - skills are never typed in: they are derived from the records by [`Skills::from_records`] after every append
//!   (a failed assessment earns nothing and takes nothing away);
//! - a record names a catalogue skill family ([`SkillFamily`]), a level 1..=5, a course of 1..=200 characters and
//!   the day it was completed;
//! - a new technician is off shift; going on shift records the moment (`on_shift_since`, also the time they are
//!   idle since for assignment); going off shift clears it; setting the state they are already in changes nothing
//!   (no update time, no event).

use aftersales_kernel::DealerId;
use aftersales_kernel::text::{self, Lines, TextRule};
use chrono::{DateTime, NaiveDate, Utc};

use super::operation::SkillFamily;
use super::skills::{AssessmentResult, MAX_LEVEL, MIN_LEVEL, Skills, TrainingRecord};

/// Longest subject, name or course, in characters.
pub const TEXT_MAX: usize = 200;

/// A training record as asked for, before the rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTraining {
    /// Course name or code.
    pub course: String,
    /// Skill family.
    pub skill_family: SkillFamily,
    /// Level certified.
    pub level: i32,
    /// Day completed.
    pub completed_on: NaiveDate,
    /// Result.
    pub result: AssessmentResult,
}

/// Why a technician or a record cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TechnicianError {
    /// The subject breaks a text rule.
    #[error("subject {0}")]
    Subject(TextRule),
    /// The name breaks a text rule.
    #[error("name {0}")]
    Name(TextRule),
    /// The course breaks a text rule.
    #[error("course {0}")]
    Course(TextRule),
    /// The level is outside 1..=5.
    #[error("level must be between {MIN_LEVEL} and {MAX_LEVEL}")]
    Level,
}

/// A technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technician {
    /// Id (UUIDv7).
    pub id: uuid::Uuid,
    /// Dealer.
    pub dealer_id: DealerId,
    /// The staff member's token subject.
    pub subject: String,
    /// Display name.
    pub name: String,
    /// Training records, in the order recorded.
    training: Vec<TrainingRecord>,
    /// Skills derived from `training`.
    skills: Skills,
    /// When they came on shift; `None` when off shift.
    on_shift_since: Option<DateTime<Utc>>,
    /// Registered at.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Technician {
    /// Registers a staff member: off shift, no training, no skills.
    pub fn register(
        dealer_id: DealerId,
        subject: &str,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Technician, TechnicianError> {
        text::check(subject, 1, TEXT_MAX, Lines::One).map_err(TechnicianError::Subject)?;
        text::check(name, 1, TEXT_MAX, Lines::One).map_err(TechnicianError::Name)?;
        Ok(Technician {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            subject: subject.to_string(),
            name: name.to_string(),
            training: Vec::new(),
            skills: Skills::none(),
            on_shift_since: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// A stored technician back (skills derived again from the records).
    #[allow(clippy::too_many_arguments)]
    pub fn restore(
        id: uuid::Uuid,
        dealer_id: DealerId,
        subject: String,
        name: String,
        training: Vec<TrainingRecord>,
        on_shift_since: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Technician {
        let skills = Skills::from_records(&training);
        Technician { id, dealer_id, subject, name, training, skills, on_shift_since, created_at, updated_at }
    }

    /// Appends a training record and derives the skills again. Returns the record appended.
    pub fn record_training(
        &mut self,
        new: NewTraining,
        now: DateTime<Utc>,
    ) -> Result<&TrainingRecord, TechnicianError> {
        text::check(&new.course, 1, TEXT_MAX, Lines::One).map_err(TechnicianError::Course)?;
        let level = u8::try_from(new.level)
            .ok()
            .filter(|l| (MIN_LEVEL..=MAX_LEVEL).contains(l))
            .ok_or(TechnicianError::Level)?;
        self.training.push(TrainingRecord {
            course: new.course,
            skill_family: new.skill_family.as_str().to_string(),
            level,
            completed_on: new.completed_on,
            result: new.result,
        });
        self.skills = Skills::from_records(&self.training);
        self.updated_at = now;
        Ok(self.training.last().expect("just appended"))
    }

    /// Puts the technician on or off shift. `true` when the state changed (save and publish); `false` when they
    /// already were in that state (nothing changes).
    pub fn set_shift(&mut self, on_shift: bool, now: DateTime<Utc>) -> bool {
        if self.on_shift() == on_shift {
            return false;
        }
        self.on_shift_since = on_shift.then_some(now);
        self.updated_at = now;
        true
    }

    /// Whether on shift now.
    pub fn on_shift(&self) -> bool {
        self.on_shift_since.is_some()
    }

    /// When they came on shift (the time they are idle since, for assignment), if on shift.
    pub fn on_shift_since(&self) -> Option<DateTime<Utc>> {
        self.on_shift_since
    }

    /// Training records, in the order recorded.
    pub fn training(&self) -> &[TrainingRecord] {
        &self.training
    }

    /// Skills earned.
    pub fn skills(&self) -> &Skills {
        &self.skills
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 8, minute, 0).unwrap()
    }

    fn technician() -> Technician {
        Technician::register(DealerId::new(), "tech-1", "Zhang San", at(0)).unwrap()
    }

    fn training(level: i32, result: AssessmentResult) -> NewTraining {
        NewTraining {
            course: format!("ENG-L{level}"),
            skill_family: SkillFamily::parse("engine").unwrap(),
            level,
            completed_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            result,
        }
    }

    #[test]
    fn a_new_technician_is_off_shift_with_no_training_and_no_skills() {
        let t = technician();
        assert!(!t.on_shift());
        assert_eq!(t.on_shift_since(), None);
        assert!(t.training().is_empty());
        assert_eq!(t.skills(), &Skills::none());
        assert_eq!(t.created_at, t.updated_at);
    }

    #[test]
    fn subject_and_name_must_be_one_line_of_one_to_two_hundred_characters() {
        let dealer = DealerId::new();
        assert!(matches!(Technician::register(dealer, "", "n", at(0)), Err(TechnicianError::Subject(_))));
        assert!(matches!(Technician::register(dealer, "s", &"n".repeat(201), at(0)), Err(TechnicianError::Name(_))));
        assert!(matches!(Technician::register(dealer, "s", "a\nb", at(0)), Err(TechnicianError::Name(_))));
        assert!(Technician::register(dealer, &"s".repeat(200), "n", at(0)).is_ok());
    }

    #[test]
    fn training_records_are_appended_in_order_and_never_replaced() {
        let mut t = technician();
        t.record_training(training(3, AssessmentResult::Failed), at(1)).unwrap();
        t.record_training(training(3, AssessmentResult::Passed), at(2)).unwrap();
        let results: Vec<_> = t.training().iter().map(|r| r.result).collect();
        assert_eq!(results, [AssessmentResult::Failed, AssessmentResult::Passed]);
        assert_eq!(t.updated_at, at(2));
    }

    #[test]
    fn skills_are_derived_from_the_records_and_a_failed_assessment_earns_nothing() {
        let mut t = technician();
        t.record_training(training(4, AssessmentResult::Failed), at(1)).unwrap();
        assert_eq!(t.skills().level("engine"), None);
        t.record_training(training(2, AssessmentResult::Passed), at(2)).unwrap();
        assert_eq!(t.skills().level("engine"), Some(2));
    }

    #[test]
    fn a_record_outside_levels_one_to_five_or_with_a_bad_course_is_refused_and_nothing_is_appended() {
        let mut t = technician();
        assert_eq!(t.record_training(training(0, AssessmentResult::Passed), at(1)), Err(TechnicianError::Level));
        assert_eq!(t.record_training(training(6, AssessmentResult::Passed), at(1)), Err(TechnicianError::Level));
        let blank = NewTraining { course: String::new(), ..training(2, AssessmentResult::Passed) };
        assert!(matches!(t.record_training(blank, at(1)), Err(TechnicianError::Course(_))));
        assert!(t.training().is_empty());
        assert_eq!(t.updated_at, at(0));
    }

    #[test]
    fn going_on_shift_records_the_moment_and_going_off_clears_it() {
        let mut t = technician();
        assert!(t.set_shift(true, at(5)));
        assert_eq!(t.on_shift_since(), Some(at(5)));
        assert!(t.set_shift(false, at(9)));
        assert_eq!(t.on_shift_since(), None);
        assert_eq!(t.updated_at, at(9));
    }

    #[test]
    fn setting_the_same_shift_state_again_changes_nothing() {
        let mut t = technician();
        assert!(!t.set_shift(false, at(1)));
        assert_eq!((t.on_shift(), t.updated_at), (false, at(0)));
        assert!(t.set_shift(true, at(5)));
        let before = t.clone();
        assert!(!t.set_shift(true, at(7)));
        assert_eq!(t, before);
        assert_eq!(t.on_shift_since(), Some(at(5)));
    }
}
