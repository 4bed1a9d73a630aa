//! ISO 3779 vehicle identification numbers.

use std::fmt;
use std::str::FromStr;

/// Number of characters in a VIN.
const LEN: usize = 17;
/// Index of the check digit (position 9).
const CHECK_INDEX: usize = 8;
/// Weight of each position in the check-digit sum.
const WEIGHTS: [u32; LEN] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// An ISO 3779 vehicle identification number: 17 characters, digits and
/// uppercase letters except I, O and Q, with a valid North-American check
/// digit at position 9.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vin([u8; LEN]);

/// Why a text is not a VIN. Positions are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VinError {
    /// The text is not 17 characters long.
    #[error("must be 17 characters, got {len}")]
    WrongLength {
        /// Number of characters found.
        len: usize,
    },
    /// The text contains I, O or Q, which VINs never use.
    #[error("must not contain the letters I, O or Q (found '{ch}' at position {position})")]
    ForbiddenLetter {
        /// The offending character, as written.
        ch: char,
        /// 1-based position of the character.
        position: usize,
    },
    /// The text contains something other than a digit or a letter.
    #[error("must contain only digits and letters (found '{ch}' at position {position})")]
    InvalidCharacter {
        /// The offending character, as written.
        ch: char,
        /// 1-based position of the character.
        position: usize,
    },
    /// The check digit at position 9 does not match the other characters.
    #[error("has check digit '{found}' at position 9, expected '{expected}'")]
    CheckDigitMismatch {
        /// The check digit computed from the other characters.
        expected: char,
        /// The character found at position 9.
        found: char,
    },
}

impl Vin {
    /// Parses a VIN. Lowercase letters are accepted and upper-cased;
    /// surrounding whitespace is not trimmed and is an error.
    pub fn parse(text: &str) -> Result<Vin, VinError> {
        let bytes = normalize(text)?;
        let expected = check_digit(&bytes);
        let found = char::from(bytes[CHECK_INDEX]);
        if found != expected {
            return Err(VinError::CheckDigitMismatch { expected, found });
        }
        Ok(Vin(bytes))
    }

    /// The check digit (`'0'..='9'` or `'X'`) a 17-character candidate needs
    /// at position 9, ignoring whatever is there now. `None` if the candidate
    /// is not 17 characters of the VIN alphabet (its 9th character aside).
    ///
    /// Handy for building valid VINs in tests.
    pub fn check_digit_for(candidate: &str) -> Option<char> {
        // Whatever sits at position 9 has weight 0; replace it so that any
        // character is tolerated there.
        let patched: String =
            candidate.chars().enumerate().map(|(index, ch)| if index == CHECK_INDEX { '0' } else { ch }).collect();
        normalize(&patched).ok().map(|bytes| check_digit(&bytes))
    }

    /// The VIN in uppercase.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("VINs are ASCII by construction")
    }
}

/// Checks length and alphabet, and upper-cases.
fn normalize(text: &str) -> Result<[u8; LEN], VinError> {
    let len = text.chars().count();
    if len != LEN {
        return Err(VinError::WrongLength { len });
    }
    let mut bytes = [0u8; LEN];
    for (index, ch) in text.chars().enumerate() {
        let position = index + 1;
        let upper = ch.to_ascii_uppercase();
        if matches!(upper, 'I' | 'O' | 'Q') {
            return Err(VinError::ForbiddenLetter { ch, position });
        }
        if !upper.is_ascii_digit() && !upper.is_ascii_uppercase() {
            return Err(VinError::InvalidCharacter { ch, position });
        }
        // ASCII checked just above, so the cast is lossless.
        bytes[index] = upper as u8;
    }
    Ok(bytes)
}

/// Value of a character in the check-digit sum.
fn transliterate(byte: u8) -> u32 {
    match byte {
        b'0'..=b'9' => u32::from(byte - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        // `normalize` lets nothing else through.
        _ => 0,
    }
}

/// The North-American check digit of normalized VIN bytes.
fn check_digit(bytes: &[u8; LEN]) -> char {
    let sum: u32 = bytes.iter().zip(WEIGHTS).map(|(&byte, weight)| transliterate(byte) * weight).sum();
    match sum % 11 {
        10 => 'X',
        digit => char::from_digit(digit, 10).unwrap_or('X'),
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vin({})", self.as_str())
    }
}

impl FromStr for Vin {
    type Err = VinError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Vin::parse(text)
    }
}

impl AsRef<str> for Vin {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // "5YJ3E1EA7KF317000" was also proposed as a known-valid VIN, but its
    // check digit does not match (the weighted sum is 288, 288 mod 11 = 2,
    // while position 9 holds 7), so it is used as a rejection case instead.
    const VALID: [&str; 3] = ["1M8GDM9AXKP042788", "11111111111111111", "1HGCM82633A004352"];

    #[test]
    fn vin_accepts_known_valid_numbers() {
        for text in VALID {
            assert_eq!(Vin::parse(text).map(|vin| vin.to_string()), Ok(text.into()));
        }
    }

    #[test]
    fn vin_accepts_check_digit_x() {
        assert_eq!(Vin::parse("1M8GDM9AXKP042788").unwrap().as_str().as_bytes()[8], b'X');
    }

    #[test]
    fn vin_is_upper_cased_when_given_in_lowercase() {
        let vin = Vin::parse("1hgcm82633a004352").unwrap();
        assert_eq!(vin.as_str(), "1HGCM82633A004352");
        assert_eq!(vin, Vin::parse("1HGCM82633A004352").unwrap());
    }

    #[test]
    fn vin_is_rejected_when_shorter_than_17_characters() {
        assert_eq!(Vin::parse("1HGCM82633A00435"), Err(VinError::WrongLength { len: 16 }));
    }

    #[test]
    fn vin_is_rejected_when_longer_than_17_characters() {
        assert_eq!(Vin::parse("1HGCM82633A0043521"), Err(VinError::WrongLength { len: 18 }));
    }

    #[test]
    fn vin_is_rejected_when_empty() {
        assert_eq!(Vin::parse(""), Err(VinError::WrongLength { len: 0 }));
    }

    #[test]
    fn vin_is_rejected_when_it_has_surrounding_spaces() {
        assert_eq!(Vin::parse(" 1HGCM82633A004352"), Err(VinError::WrongLength { len: 18 }));
        assert_eq!(Vin::parse(" HGCM82633A004352"), Err(VinError::InvalidCharacter { ch: ' ', position: 1 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_the_letter_i() {
        assert_eq!(Vin::parse("1HGCM82633I004352"), Err(VinError::ForbiddenLetter { ch: 'I', position: 11 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_the_letter_o() {
        assert_eq!(Vin::parse("1HGCM82633A0O4352"), Err(VinError::ForbiddenLetter { ch: 'O', position: 13 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_the_letter_q() {
        assert_eq!(Vin::parse("QHGCM82633A004352"), Err(VinError::ForbiddenLetter { ch: 'Q', position: 1 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_a_lowercase_forbidden_letter() {
        assert_eq!(Vin::parse("1HGCM82633A0o4352"), Err(VinError::ForbiddenLetter { ch: 'o', position: 13 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_punctuation() {
        assert_eq!(Vin::parse("1HGCM-2633A004352"), Err(VinError::InvalidCharacter { ch: '-', position: 6 }));
    }

    #[test]
    fn vin_is_rejected_when_it_contains_non_ascii_letters() {
        assert_eq!(Vin::parse("1HGCMÄ2633A004352"), Err(VinError::InvalidCharacter { ch: 'Ä', position: 6 }));
    }

    #[test]
    fn vin_is_rejected_when_the_check_digit_does_not_match() {
        assert_eq!(Vin::parse("1HGCM82643A004352"), Err(VinError::CheckDigitMismatch { expected: '3', found: '4' }));
    }

    #[test]
    fn vin_is_rejected_when_a_plausible_looking_number_has_a_wrong_check_digit() {
        assert_eq!(Vin::parse("5YJ3E1EA7KF317000"), Err(VinError::CheckDigitMismatch { expected: '2', found: '7' }));
    }

    #[test]
    fn vin_is_rejected_when_the_check_digit_is_a_letter_other_than_x() {
        assert_eq!(Vin::parse("1HGCM826A3A004352"), Err(VinError::CheckDigitMismatch { expected: '3', found: 'A' }));
    }

    #[test]
    fn check_digit_for_ignores_the_ninth_character() {
        assert_eq!(Vin::check_digit_for("1M8GDM9A?KP042788"), Some('X'));
        assert_eq!(Vin::check_digit_for("1hgcm826?3a004352"), Some('3'));
    }

    #[test]
    fn check_digit_for_rejects_malformed_candidates() {
        assert_eq!(Vin::check_digit_for("1HGCM82633A00435"), None);
        assert_eq!(Vin::check_digit_for("1HGCM82633A00O352"), None);
    }

    #[test]
    fn vin_parses_with_from_str_and_exposes_as_ref() {
        let vin: Vin = "1HGCM82633A004352".parse().unwrap();
        let text: &str = vin.as_ref();
        assert_eq!(text, "1HGCM82633A004352");
        assert_eq!(format!("{vin:?}"), "Vin(1HGCM82633A004352)");
    }

    #[test]
    fn vin_error_messages_are_sentences() {
        assert_eq!(VinError::WrongLength { len: 16 }.to_string(), "must be 17 characters, got 16");
    }

    /// 17 characters of the VIN alphabet (check digit not yet fixed).
    const CANDIDATE: &str = "[0-9A-HJ-NPR-Z]{17}";
    /// Any number of characters of the VIN alphabet.
    const ANY_LENGTH: &str = "[0-9A-HJ-NPR-Z]{0,40}";

    fn with_check_digit(candidate: &str) -> String {
        let digit = Vin::check_digit_for(candidate).unwrap();
        candidate.chars().enumerate().map(|(index, ch)| if index == CHECK_INDEX { digit } else { ch }).collect()
    }

    proptest! {
        #[test]
        fn any_candidate_with_its_check_digit_fixed_parses(candidate in CANDIDATE) {
            let text = with_check_digit(&candidate);
            let vin = Vin::parse(&text).unwrap();
            prop_assert_eq!(vin.as_str(), text.as_str());
        }

        #[test]
        fn display_then_parse_round_trips(candidate in CANDIDATE) {
            let vin = Vin::parse(&with_check_digit(&candidate)).unwrap();
            prop_assert_eq!(vin.to_string().parse::<Vin>(), Ok(vin));
        }

        #[test]
        fn lowercase_parses_to_the_same_vin(candidate in CANDIDATE) {
            let text = with_check_digit(&candidate);
            prop_assert_eq!(Vin::parse(&text.to_ascii_lowercase()), Vin::parse(&text));
        }

        #[test]
        fn any_other_check_digit_is_rejected(
            candidate in CANDIDATE,
            wrong in "[0-9X]",
        ) {
            let text = with_check_digit(&candidate);
            let right = text.as_bytes()[CHECK_INDEX] as char;
            let wrong = wrong.chars().next().unwrap();
            prop_assume!(wrong != right);
            let tampered: String = text
                .chars()
                .enumerate()
                .map(|(index, ch)| if index == CHECK_INDEX { wrong } else { ch })
                .collect();
            prop_assert_eq!(
                Vin::parse(&tampered),
                Err(VinError::CheckDigitMismatch { expected: right, found: wrong })
            );
        }

        #[test]
        fn wrong_lengths_are_rejected(text in ANY_LENGTH) {
            prop_assume!(text.len() != LEN);
            prop_assert_eq!(Vin::parse(&text), Err(VinError::WrongLength { len: text.len() }));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in "\\PC{0,20}") {
            let _ = Vin::parse(&text);
            let _ = Vin::check_digit_for(&text);
        }
    }
}
