//! An operation of the OEM catalogue (工时目录): what a labour line does, which skill it needs at what level, and
//! how long it takes by the book.
//!
//! Rules (workshop/v1/operations.proto, DOMAIN.md Workshop 1):
//! - the code is the operation's natural key and never changes: 2..=20 characters, A-Z, 0-9 and single '-' (not
//!   first or last) — the same rules as reception's operation codes;
//! - the name has 1..=200 characters on one line;
//! - the skill family is a lower-case identifier of 2..=40 characters: a-z, 0-9 and single '_', starting with a
//!   letter and not ending with '_';
//! - the minimum level is 1..=5 and the standard hours 1..=100,000 hundredths;
//! - a new operation is active; retiring one (inactive) keeps it for history, new orders may not use it;
//! - an update replaces every mutable field at once, only against the current version (its etag); an update that
//!   changes nothing leaves the version (and the update time) as they were; every real change bumps the version.

use aftersales_kernel::text::{self, Lines, TextRule};
use chrono::{DateTime, Utc};

mod names;

pub use aftersales_kernel::{OperationCode, OperationCodeError};
pub use names::{SkillFamily, SkillFamilyError};

/// Longest operation name, in characters.
pub const NAME_MAX: usize = 200;
/// Lowest minimum skill level.
pub const LEVEL_MIN: i32 = 1;
/// Highest minimum skill level.
pub const LEVEL_MAX: i32 = 5;
/// Least standard hours, in hundredths.
pub const HOURS_MIN: i64 = 1;
/// Most standard hours, in hundredths (1,000 h).
pub const HOURS_MAX: i64 = 100_000;

/// The mutable fields as asked for (create or update), before the catalogue's rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Name.
    pub name: String,
    /// Skill family.
    pub skill_family: String,
    /// Minimum level.
    pub minimum_level: i32,
    /// Standard hours in hundredths.
    pub standard_hours_hundredths: i64,
}

/// The field a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationField {
    /// The name.
    Name,
    /// The skill family.
    SkillFamily,
    /// The minimum level.
    MinimumLevel,
    /// The standard hours.
    StandardHours,
}

/// A broken rule, as a sentence the caller reads after the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rule {
    /// A text rule.
    #[error(transparent)]
    Text(#[from] TextRule),
    /// Not a skill family.
    #[error(transparent)]
    SkillFamily(#[from] SkillFamilyError),
    /// A number outside `min..=max`.
    #[error("must be between {0} and {1}")]
    OutOfRange(i64, i64),
}

/// One rule a draft broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where.
    pub field: OperationField,
    /// What.
    pub rule: Rule,
}

/// The mutable fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    name: String,
    skill_family: SkillFamily,
    minimum_level: i32,
    standard_hours_hundredths: i64,
}

impl Fields {
    /// Checks a draft against the catalogue's rules, naming every broken one.
    pub fn parse(draft: Draft) -> Result<Fields, Vec<Violation>> {
        let mut violations = Vec::new();
        if let Err(rule) = text::check(&draft.name, 1, NAME_MAX, Lines::One) {
            violations.push(Violation { field: OperationField::Name, rule: rule.into() });
        }
        let skill_family = SkillFamily::parse(&draft.skill_family)
            .map_err(|e| violations.push(Violation { field: OperationField::SkillFamily, rule: e.into() }))
            .ok();
        if !(LEVEL_MIN..=LEVEL_MAX).contains(&draft.minimum_level) {
            let rule = Rule::OutOfRange(LEVEL_MIN.into(), LEVEL_MAX.into());
            violations.push(Violation { field: OperationField::MinimumLevel, rule });
        }
        if !(HOURS_MIN..=HOURS_MAX).contains(&draft.standard_hours_hundredths) {
            let rule = Rule::OutOfRange(HOURS_MIN, HOURS_MAX);
            violations.push(Violation { field: OperationField::StandardHours, rule });
        }
        match skill_family {
            Some(skill_family) if violations.is_empty() => Ok(Fields {
                name: draft.name,
                skill_family,
                minimum_level: draft.minimum_level,
                standard_hours_hundredths: draft.standard_hours_hundredths,
            }),
            _ => Err(violations),
        }
    }
}

/// The caller's etag is not the operation's current one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operation {code} changed since it was read (current etag {current}); read it again")]
pub struct Stale {
    /// The operation.
    pub code: String,
    /// Its current etag.
    pub current: String,
}

/// An operation of the catalogue. Only [`Operation::create`] and [`Operation::restore`] make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    code: OperationCode,
    fields: Fields,
    active: bool,
    revision: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Operation {
    /// A new, active operation entered at `now` (revision 1).
    pub fn create(code: OperationCode, fields: Fields, now: DateTime<Utc>) -> Operation {
        Operation { code, fields, active: true, revision: 1, created_at: now, updated_at: now }
    }

    /// An operation read back from storage.
    pub fn restore(
        code: OperationCode,
        fields: Fields,
        active: bool,
        revision: i64,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Operation {
        Operation { code, fields, active, revision, created_at, updated_at }
    }

    /// Whether `etag` names the current version.
    pub fn check_etag(&self, etag: i64) -> Result<(), Stale> {
        if etag == self.revision { Ok(()) } else { Err(Stale { code: self.code.to_string(), current: self.etag() }) }
    }

    /// Replaces every mutable field at `now`. `true` when something changed (the revision and update time move);
    /// `false` leaves the operation exactly as it was.
    pub fn update(&mut self, fields: Fields, active: bool, now: DateTime<Utc>) -> bool {
        if self.fields == fields && self.active == active {
            return false;
        }
        self.fields = fields;
        self.active = active;
        self.revision += 1;
        self.updated_at = now;
        true
    }

    /// The code (the key).
    pub fn code(&self) -> &OperationCode {
        &self.code
    }

    /// Name.
    pub fn name(&self) -> &str {
        &self.fields.name
    }

    /// Skill family needed.
    pub fn skill_family(&self) -> &SkillFamily {
        &self.fields.skill_family
    }

    /// Minimum level in the family, 1..=5.
    pub fn minimum_level(&self) -> i32 {
        self.fields.minimum_level
    }

    /// Standard hours in hundredths.
    pub fn standard_hours_hundredths(&self) -> i64 {
        self.fields.standard_hours_hundredths
    }

    /// Whether new orders may use it.
    pub fn active(&self) -> bool {
        self.active
    }

    /// Bumped by every change.
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// The revision as the wire's etag.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.revision)
    }

    /// When it entered the catalogue.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// Parses a wire etag (`"<revision>"`, quotes optional) into the revision it names.
pub fn parse_etag(etag: &str) -> Option<i64> {
    let inner = etag.strip_prefix('"').and_then(|e| e.strip_suffix('"')).unwrap_or(etag);
    inner.parse::<i64>().ok().filter(|r| *r >= 1)
}

#[cfg(test)]
mod tests;
