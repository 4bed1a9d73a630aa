//! Field checks at the API edge: collect every violation of a request, then fail once naming them all.
//!
//! Limits follow ARCHITECTURE.md ("Errors and limits"): names 200 characters, free text 4,000, references and
//! URLs 1,000. Lengths count characters, not bytes.

use std::fmt::Display;

use crate::errors::{AppError, FieldViolation};

/// Longest name (person, part, model), in characters.
pub const NAME_MAX: usize = 200;
/// Longest free text (fault description, reasons, notes), in characters.
pub const TEXT_MAX: usize = 4000;
/// Longest reference or URL (signature, photo, document), in characters.
pub const REFERENCE_MAX: usize = 1000;

/// Collects the violations of one request.
#[derive(Debug, Default)]
pub struct Check {
    violations: Vec<FieldViolation>,
}

impl Check {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation.
    pub fn fail(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.violations.push(FieldViolation { field: field.into(), description: description.into() });
    }

    /// Text of `min..=max` characters (`min = 0` makes it optional). Returns it on success.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> Option<String> {
        let length = value.chars().count();
        if length < min {
            self.fail(
                field,
                if min == 1 { "is required".to_string() } else { format!("must be at least {min} characters") },
            );
            None
        } else if length > max {
            self.fail(field, format!("must be at most {max} characters"));
            None
        } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            self.fail(field, "must not contain control characters");
            None
        } else {
            Some(value.to_string())
        }
    }

    /// A value parsed by a kernel type (or anything returning `Result`); the error text becomes the description.
    pub fn parse<T, E: Display>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(field, error.to_string());
                None
            }
        }
    }

    /// A message field that must be present.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fail(field, "is required");
        }
        value
    }

    /// An integer within `min..=max`.
    pub fn range<T: PartialOrd + Display + Copy>(&mut self, field: &str, value: T, min: T, max: T) -> Option<T> {
        if value < min || value > max {
            self.fail(field, format!("must be between {min} and {max}"));
            None
        } else {
            Some(value)
        }
    }

    /// A required amount of money, not negative: its currency checked (`{field}.currency_code`) and its sign
    /// (`{field}.units_minor`).
    pub fn money(
        &mut self,
        field: &str,
        value: Option<&aftersales_proto::common::v1::Money>,
    ) -> Option<aftersales_kernel::Money> {
        let value = self.required(field, value)?;
        let currency =
            self.parse(&format!("{field}.currency_code"), aftersales_kernel::Currency::parse(&value.currency_code))?;
        if value.units_minor < 0 {
            self.fail(format!("{field}.units_minor"), "must not be negative");
            return None;
        }
        Some(aftersales_kernel::Money::new(currency, value.units_minor))
    }

    /// The idempotency key of a create or transition: a UUID.
    pub fn request_id(&mut self, field: &str, value: &str) -> Option<uuid::Uuid> {
        if value.is_empty() {
            self.fail(field, "is required (a UUID that makes the call idempotent)");
            return None;
        }
        match uuid::Uuid::try_parse(value) {
            Ok(id) if !id.is_nil() => Some(id),
            _ => {
                self.fail(field, "must be a UUID");
                None
            }
        }
    }

    /// An enum value that must be set (not its `_UNSPECIFIED` zero) and known to this build.
    pub fn enum_value<E: TryFrom<i32>>(&mut self, field: &str, raw: i32) -> Option<E> {
        if raw == 0 {
            self.fail(field, "is required");
            return None;
        }
        match E::try_from(raw) {
            Ok(value) => Some(value),
            Err(_) => {
                self.fail(field, format!("unknown value {raw}"));
                None
            }
        }
    }

    /// Whether anything failed so far.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// `Ok(())` when nothing failed, else INVALID_ARGUMENT naming every field.
    pub fn finish(self) -> Result<(), AppError> {
        if self.violations.is_empty() { Ok(()) } else { Err(AppError::InvalidArgument(self.violations)) }
    }

    /// `Ok(value)` when nothing failed (the value was built from checked parts), else the violations.
    pub fn finish_with<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, AppError> {
        if !self.violations.is_empty() {
            return Err(AppError::InvalidArgument(self.violations));
        }
        build().ok_or_else(|| AppError::internal(anyhow::anyhow!("validated request could not be assembled")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_the_limit_names_the_field() {
        let mut check = Check::new();
        assert!(check.text("fault_description", &"x".repeat(TEXT_MAX + 1), 1, TEXT_MAX).is_none());
        let Err(AppError::InvalidArgument(v)) = check.finish() else { panic!("expected violations") };
        assert_eq!(v[0].field, "fault_description");
        assert!(v[0].description.contains("4000"));
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        let mut check = Check::new();
        assert!(check.text("name", &"维".repeat(NAME_MAX), 1, NAME_MAX).is_some());
        assert!(check.finish().is_ok());
    }

    #[test]
    fn request_id_must_be_a_uuid() {
        let mut check = Check::new();
        assert!(check.request_id("request_id", "not-a-uuid").is_none());
        assert!(check.request_id("request_id", "00000000-0000-0000-0000-000000000000").is_none());
        assert!(check.request_id("request_id", &uuid::Uuid::now_v7().to_string()).is_some());
        let Err(AppError::InvalidArgument(v)) = check.finish() else { panic!("expected violations") };
        assert_eq!(v.len(), 2);
    }
}
