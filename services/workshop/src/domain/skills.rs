//! A technician's skills, read from their training and certification records.
//!
//! Rules (DOMAIN.md, Workshop 2): skills are held **per skill family** (engine, brakes, electrical, ...) at a level
//! from 1 (basic) to 5 (master). Nobody types a level in: it comes from the technician's training records. Each
//! record is a course that certifies one family at one level, with the date it was completed and the assessment
//! result.
//!
//! - A **passed** assessment earns the level the course certifies.
//! - A **failed** assessment earns nothing: it means retraining, not a level. It also never takes away a level
//!   already earned (failing the level-4 engine course leaves a level-3 engine technician at level 3).
//! - Per family, the technician holds the **highest** level among their passed assessments, whatever the order the
//!   courses were taken in.
//! - A record whose level is outside 1..=5, or whose skill family is blank, certifies nothing (the write side refuses
//!   such records with [`TrainingRecord::check`]).
//! - Certificates do **not** expire here: an expiry date on a certificate is not modelled, so a level once earned is
//!   kept. If the OEM starts expiring certificates, `from_records` is the one place that changes.
//!
//! A job's operations each need a family at a minimum level (from the operation catalogue); a technician
//! [`covers`](Skills::covers) the job only when they hold **every** family it needs at or above its minimum.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// The lowest skill level a course can certify.
pub const MIN_LEVEL: u8 = 1;
/// The highest skill level a course can certify.
pub const MAX_LEVEL: u8 = 5;

/// How an assessment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssessmentResult {
    /// Passed: the course's level is earned.
    Passed,
    /// Failed: retraining is needed; no level is earned.
    Failed,
}

/// One training or certification course a technician took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingRecord {
    /// The course's name or code.
    pub course: String,
    /// The skill family the course certifies (a catalogue skill family, e.g. `engine`).
    pub skill_family: String,
    /// The level the course certifies, 1..=5.
    pub level: u8,
    /// When the course was completed.
    pub completed_on: NaiveDate,
    /// The assessment's result.
    pub result: AssessmentResult,
}

/// Why a training record cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainingRecordError {
    /// The level is outside 1..=5.
    #[error("level must be between {MIN_LEVEL} and {MAX_LEVEL}, got {0}")]
    LevelOutOfRange(u8),
    /// The skill family is blank.
    #[error("skill family must not be blank")]
    BlankSkillFamily,
}

impl TrainingRecord {
    /// Whether this record can certify anything: a level in 1..=5 and a non-blank skill family.
    pub fn check(&self) -> Result<(), TrainingRecordError> {
        if !(MIN_LEVEL..=MAX_LEVEL).contains(&self.level) {
            return Err(TrainingRecordError::LevelOutOfRange(self.level));
        }
        if self.skill_family.trim().is_empty() {
            return Err(TrainingRecordError::BlankSkillFamily);
        }
        Ok(())
    }

    /// The family and level this record earns, if any: only a valid, passed record earns a level.
    pub fn earned(&self) -> Option<(&str, u8)> {
        match (self.result, self.check()) {
            (AssessmentResult::Passed, Ok(())) => Some((self.skill_family.as_str(), self.level)),
            _ => None,
        }
    }
}

/// A technician's skill levels, by skill family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skills {
    levels: BTreeMap<String, u8>,
}

impl Skills {
    /// No skills at all (a technician with no passed assessment yet).
    pub fn none() -> Skills {
        Skills::default()
    }

    /// The skills a technician's training records earn: per family, the highest level among passed assessments.
    pub fn from_records(records: &[TrainingRecord]) -> Skills {
        let mut levels: BTreeMap<String, u8> = BTreeMap::new();
        for (family, level) in records.iter().filter_map(TrainingRecord::earned) {
            let held = levels.entry(family.to_owned()).or_insert(level);
            *held = (*held).max(level);
        }
        Skills { levels }
    }

    /// Skills given level by level (for tests and benchmarks; technicians' skills come from their records).
    pub fn from_levels<F: Into<String>>(levels: impl IntoIterator<Item = (F, u8)>) -> Skills {
        Skills { levels: levels.into_iter().map(|(family, level)| (family.into(), level)).collect() }
    }

    /// The level held in a skill family, if any.
    pub fn level(&self, family: &str) -> Option<u8> {
        self.levels.get(family).copied()
    }

    /// Whether these skills meet every `(skill family, minimum level)` of a requirement. A family not held at all
    /// never meets a requirement; an empty requirement (nothing to qualify for) is always met.
    pub fn covers<F: AsRef<str>>(&self, requirement: &[(F, u8)]) -> bool {
        requirement.iter().all(|(family, min_level)| self.level(family.as_ref()).is_some_and(|held| held >= *min_level))
    }

    /// Every family held, with its level, in family order.
    pub fn families(&self) -> impl Iterator<Item = (&str, u8)> {
        self.levels.iter().map(|(family, level)| (family.as_str(), *level))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(family: &str, level: u8, result: AssessmentResult, day: u32) -> TrainingRecord {
        TrainingRecord {
            course: format!("{family}-L{level}"),
            skill_family: family.into(),
            level,
            completed_on: NaiveDate::from_ymd_opt(2025, 1, day).unwrap(),
            result,
        }
    }

    use AssessmentResult::{Failed, Passed};

    #[test]
    fn a_passed_assessment_earns_the_level_the_course_certifies() {
        let skills = Skills::from_records(&[record("engine", 3, Passed, 1)]);
        assert_eq!(skills.level("engine"), Some(3));
    }

    #[test]
    fn a_failed_assessment_earns_no_level() {
        let skills = Skills::from_records(&[record("engine", 3, Failed, 1)]);
        assert_eq!(skills.level("engine"), None);
    }

    #[test]
    fn a_failed_assessment_never_lowers_a_level_already_earned() {
        let skills = Skills::from_records(&[record("engine", 3, Passed, 1), record("engine", 4, Failed, 2)]);
        assert_eq!(skills.level("engine"), Some(3));
        let retaken_lower = Skills::from_records(&[record("engine", 3, Passed, 1), record("engine", 2, Failed, 2)]);
        assert_eq!(retaken_lower.level("engine"), Some(3));
    }

    #[test]
    fn the_highest_passed_level_counts_whatever_the_order_of_courses() {
        let forwards = [record("engine", 2, Passed, 1), record("engine", 4, Passed, 2), record("engine", 3, Passed, 3)];
        let mut backwards = forwards.clone();
        backwards.reverse();
        assert_eq!(Skills::from_records(&forwards).level("engine"), Some(4));
        assert_eq!(Skills::from_records(&backwards), Skills::from_records(&forwards));
    }

    #[test]
    fn each_skill_family_is_held_separately() {
        let skills = Skills::from_records(&[record("engine", 4, Passed, 1), record("brakes", 2, Passed, 2)]);
        assert_eq!(skills.level("engine"), Some(4));
        assert_eq!(skills.level("brakes"), Some(2));
        assert_eq!(skills.level("electrical"), None);
        assert_eq!(skills.families().collect::<Vec<_>>(), vec![("brakes", 2), ("engine", 4)]);
    }

    #[test]
    fn a_record_outside_levels_one_to_five_certifies_nothing() {
        let skills = Skills::from_records(&[record("engine", 0, Passed, 1), record("brakes", 6, Passed, 2)]);
        assert_eq!(skills, Skills::none());
        assert_eq!(record("engine", 0, Passed, 1).check(), Err(TrainingRecordError::LevelOutOfRange(0)));
        assert_eq!(record("engine", 6, Passed, 1).check(), Err(TrainingRecordError::LevelOutOfRange(6)));
        assert_eq!(record("engine", 5, Passed, 1).check(), Ok(()));
    }

    #[test]
    fn a_record_with_a_blank_skill_family_certifies_nothing() {
        let blank = record(" ", 3, Passed, 1);
        assert_eq!(blank.check(), Err(TrainingRecordError::BlankSkillFamily));
        assert_eq!(Skills::from_records(&[blank]), Skills::none());
    }

    #[test]
    fn skills_cover_a_requirement_met_at_or_above_every_minimum() {
        let skills = Skills::from_records(&[record("engine", 3, Passed, 1), record("brakes", 2, Passed, 2)]);
        assert!(skills.covers(&[("engine", 3), ("brakes", 1)]));
        assert!(skills.covers(&[("engine", 2)]));
    }

    #[test]
    fn skills_do_not_cover_a_requirement_when_one_family_is_below_its_minimum() {
        let skills = Skills::from_records(&[record("engine", 3, Passed, 1), record("brakes", 2, Passed, 2)]);
        assert!(!skills.covers(&[("engine", 3), ("brakes", 3)]));
    }

    #[test]
    fn skills_do_not_cover_a_family_not_held_at_all() {
        let skills = Skills::from_records(&[record("engine", 5, Passed, 1)]);
        assert!(!skills.covers(&[("electrical", 1)]));
        assert!(!skills.covers(&[("electrical", 0)]));
    }

    #[test]
    fn an_empty_requirement_is_covered_by_anyone() {
        assert!(Skills::none().covers::<&str>(&[]));
    }
}
