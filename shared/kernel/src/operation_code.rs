//! An operation code of workshop's catalogue, e.g. `ENG-0420`: the key of an operation, and what a repair order's
//! labour line names.

/// 2..=20 characters: upper-case letters, digits and single '-' (not first or last).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationCode(String);

/// Why a text is not an operation code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperationCodeError {
    /// Too short or too long.
    #[error("must be 2 to 20 characters")]
    Length,
    /// Something other than A-Z, 0-9 and '-'.
    #[error("may contain only upper-case letters, digits and '-'")]
    Character,
    /// A '-' at either end or doubled.
    #[error("must not start or end with '-' or contain '--'")]
    Separator,
}

impl OperationCode {
    /// Parses a code.
    pub fn parse(text: &str) -> Result<OperationCode, OperationCodeError> {
        if !(2..=20).contains(&text.len()) {
            return Err(OperationCodeError::Length);
        }
        if !text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
            return Err(OperationCodeError::Character);
        }
        if text.starts_with('-') || text.ends_with('-') || text.contains("--") {
            return Err(OperationCodeError::Separator);
        }
        Ok(OperationCode(text.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for OperationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_style_codes_are_accepted() {
        assert!(OperationCode::parse("ENG-0420").is_ok());
        assert!(OperationCode::parse("B1").is_ok());
    }

    #[test]
    fn lower_case_spaces_and_loose_dashes_are_rejected() {
        assert_eq!(OperationCode::parse("eng-1"), Err(OperationCodeError::Character));
        assert_eq!(OperationCode::parse("ENG 1"), Err(OperationCodeError::Character));
        assert_eq!(OperationCode::parse("-ENG"), Err(OperationCodeError::Separator));
        assert_eq!(OperationCode::parse("E"), Err(OperationCodeError::Length));
    }
}
