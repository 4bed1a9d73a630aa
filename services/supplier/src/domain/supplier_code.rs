//! The supplier code (供应商代码), e.g. `BOSCH-CN`: how the parts catalogue and purchase plans name a supplier.
//! Unique among suppliers and never changed, so it is also the order suppliers are listed in.

use std::fmt;

/// Fewest characters in a code.
const MIN: usize = 2;
/// Most characters in a code.
const MAX: usize = 40;

/// 2..=40 characters: upper-case letters A-Z, digits and '-'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SupplierCode(String);

/// Why a text is not a supplier code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupplierCodeError {
    /// Too short or too long.
    #[error("must be {MIN} to {MAX} characters")]
    Length,
    /// Something other than A-Z, 0-9 and '-' (lower case included: codes are written one way only).
    #[error("may contain only upper-case letters, digits and '-'")]
    Character,
}

impl SupplierCode {
    /// Parses a code.
    pub fn parse(text: &str) -> Result<SupplierCode, SupplierCodeError> {
        if !(MIN..=MAX).contains(&text.chars().count()) {
            return Err(SupplierCodeError::Length);
        }
        if !text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
            return Err(SupplierCodeError::Character);
        }
        Ok(SupplierCode(text.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SupplierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_upper_case_letters_digits_and_dashes_are_accepted() {
        for code in ["BOSCH-CN", "ZF", "A1", &"X".repeat(40)] {
            assert_eq!(SupplierCode::parse(code).map(|c| c.to_string()).as_deref(), Ok(code));
        }
    }

    #[test]
    fn a_code_has_2_to_40_characters() {
        assert_eq!(SupplierCode::parse("B"), Err(SupplierCodeError::Length));
        assert_eq!(SupplierCode::parse(&"X".repeat(41)), Err(SupplierCodeError::Length));
    }

    #[test]
    fn lower_case_spaces_and_other_punctuation_are_refused() {
        for code in ["bosch", "BOSCH CN", "BOSCH_CN", "BOSCH.CN", "BÖSCH"] {
            assert_eq!(SupplierCode::parse(code), Err(SupplierCodeError::Character), "{code}");
        }
    }
}
