//! The catalogue's skill families (the operation code itself is the kernel's `OperationCode`).

/// Shortest skill family, in characters.
pub const SKILL_FAMILY_MIN: usize = 2;
/// Longest skill family, in characters.
pub const SKILL_FAMILY_MAX: usize = 40;

/// A skill family, e.g. `engine`, `electrical`, `body`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SkillFamily(String);

/// Why a text is not a skill family.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkillFamilyError {
    /// Too short or too long.
    #[error("must be 2 to 40 characters")]
    Length,
    /// Something other than a-z, 0-9 and '_', or not starting with a letter.
    #[error("must be a lower-case identifier: a-z, 0-9 and '_', starting with a letter")]
    Character,
    /// A '_' at the end or doubled.
    #[error("must not end with '_' or contain '__'")]
    Separator,
}

impl SkillFamily {
    /// Parses a family name.
    pub fn parse(text: &str) -> Result<SkillFamily, SkillFamilyError> {
        if !(SKILL_FAMILY_MIN..=SKILL_FAMILY_MAX).contains(&text.len()) {
            return Err(SkillFamilyError::Length);
        }
        let starts_with_letter = text.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if !starts_with_letter || !text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(SkillFamilyError::Character);
        }
        if text.ends_with('_') || text.contains("__") {
            return Err(SkillFamilyError::Separator);
        }
        Ok(SkillFamily(text.to_string()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
