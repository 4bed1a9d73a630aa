//! What a case is about: an engine serial number (an engine plant's cases) or a vehicle's VIN (a carmaker's).
//!
//! The same engine or vehicle coming back with the same category inside the policy's window is a *repeat*, so the
//! text must compare equal however it was typed: a VIN is stored in its normalised (upper-case) form, and a serial
//! is accepted only in the plant's own upper-case spelling rather than guessed at.

use aftersales_kernel::Vin;

/// Longest serial or VIN, in characters.
const MAX_LEN: usize = 40;
/// Characters in a VIN.
const VIN_LEN: usize = 17;

/// An engine serial number or a VIN, 1..=40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SerialOrVin(Kind);

// Private, so that only `parse` decides which of the two a text is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Kind {
    Vin(Vin),
    Serial(String),
}

/// Why a text is neither an engine serial nor a VIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SerialOrVinError {
    /// Nothing given.
    #[error("is required")]
    Empty,
    /// Longer than 40 characters.
    #[error("must be at most {MAX_LEN} characters")]
    TooLong,
    /// Not a VIN, and not in a serial's alphabet.
    #[error("must be an engine serial (upper-case letters, digits and '-') or a valid VIN")]
    Character,
}

impl SerialOrVin {
    /// Parses a serial or VIN. A 17-character text that is a valid VIN (any case, check digit right) is a VIN and
    /// is upper-cased; anything else must be upper-case letters, digits and '-', and is kept as written.
    pub fn parse(text: &str) -> Result<SerialOrVin, SerialOrVinError> {
        let length = text.chars().count();
        if length == 0 {
            return Err(SerialOrVinError::Empty);
        }
        if length > MAX_LEN {
            return Err(SerialOrVinError::TooLong);
        }
        if length == VIN_LEN
            && let Ok(vin) = Vin::parse(text)
        {
            return Ok(SerialOrVin(Kind::Vin(vin)));
        }
        if text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-') {
            Ok(SerialOrVin(Kind::Serial(text.to_string())))
        } else {
            Err(SerialOrVinError::Character)
        }
    }

    /// The VIN, when it is one.
    pub fn vin(&self) -> Option<Vin> {
        match &self.0 {
            Kind::Vin(vin) => Some(*vin),
            Kind::Serial(_) => None,
        }
    }

    /// The text as stored and shown.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Kind::Vin(vin) => vin.as_str(),
            Kind::Serial(serial) => serial,
        }
    }
}

impl std::fmt::Display for SerialOrVin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIN: &str = "1M8GDM9AXKP042788";

    #[test]
    fn a_valid_vin_in_lower_case_is_stored_upper_case() {
        let parsed = SerialOrVin::parse(&VIN.to_ascii_lowercase()).unwrap();
        assert_eq!(parsed.as_str(), VIN);
        assert!(parsed.vin().is_some());
    }

    #[test]
    fn an_engine_serial_is_kept_as_written() {
        let parsed = SerialOrVin::parse("WP10-2024-000917").unwrap();
        assert_eq!(parsed.as_str(), "WP10-2024-000917");
        assert_eq!(parsed.vin(), None);
    }

    #[test]
    fn seventeen_characters_with_a_wrong_check_digit_are_a_serial_not_a_vin() {
        let parsed = SerialOrVin::parse("1M8GDM9A1KP042788").unwrap();
        assert_eq!(parsed.vin(), None, "only a valid VIN is treated as a VIN");
    }

    #[test]
    fn lower_case_serials_spaces_and_symbols_are_refused() {
        for text in ["wp10-000917", "WP10 000917", "WP10/000917", "发动机"] {
            assert_eq!(SerialOrVin::parse(text), Err(SerialOrVinError::Character), "{text}");
        }
    }

    #[test]
    fn empty_and_over_forty_characters_are_refused() {
        assert_eq!(SerialOrVin::parse(""), Err(SerialOrVinError::Empty));
        assert_eq!(SerialOrVin::parse(&"A".repeat(41)), Err(SerialOrVinError::TooLong));
        assert!(SerialOrVin::parse(&"A".repeat(40)).is_ok());
    }

    #[test]
    fn a_stored_value_parses_back_to_itself() {
        for text in [VIN, "WP10-2024-000917"] {
            let parsed = SerialOrVin::parse(text).unwrap();
            assert_eq!(SerialOrVin::parse(parsed.as_str()), Ok(parsed), "{text}");
        }
    }
}
