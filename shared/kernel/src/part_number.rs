//! OEM part numbers.

use std::fmt;
use std::str::FromStr;

/// Fewest characters in a part number.
const MIN: usize = 3;
/// Most characters in a part number.
const MAX: usize = 40;

/// An OEM part number such as `8W0-615-301.A`: 3 to 40 characters, uppercase
/// letters and digits, with single `-` or `.` separators that are neither
/// first, last, nor next to another separator.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartNumber(String);

/// Why a text is not a part number. Positions are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PartNumberError {
    /// The text is empty.
    #[error("must not be empty")]
    Empty,
    /// The text is longer than allowed.
    #[error("must be at most {max} characters")]
    TooLong {
        /// Most characters allowed.
        max: usize,
    },
    /// The text is shorter than allowed.
    #[error("must be at least {min} characters")]
    TooShort {
        /// Fewest characters allowed.
        min: usize,
    },
    /// The text contains something other than a letter, digit, `-` or `.`.
    #[error("must contain only letters, digits, '-' and '.' (found '{ch}' at position {position})")]
    InvalidCharacter {
        /// The offending character, as written.
        ch: char,
        /// 1-based position of the character.
        position: usize,
    },
    /// A separator is first, last, or next to another separator.
    #[error("must not start or end with a separator or repeat one (misplaced separator at position {position})")]
    MisplacedSeparator {
        /// 1-based position of the separator.
        position: usize,
    },
}

impl PartNumber {
    /// Parses a part number. Lowercase letters are accepted and upper-cased;
    /// whitespace is never accepted, not even around the text.
    pub fn parse(text: &str) -> Result<PartNumber, PartNumberError> {
        let len = text.chars().count();
        if len == 0 {
            return Err(PartNumberError::Empty);
        }
        if len > MAX {
            return Err(PartNumberError::TooLong { max: MAX });
        }
        if len < MIN {
            return Err(PartNumberError::TooShort { min: MIN });
        }
        let mut normalized = String::with_capacity(len);
        let mut previous_was_separator = false;
        for (index, ch) in text.chars().enumerate() {
            let position = index + 1;
            if is_separator(ch) {
                if position == 1 || position == len || previous_was_separator {
                    return Err(PartNumberError::MisplacedSeparator { position });
                }
                previous_was_separator = true;
            } else if ch.is_ascii_alphanumeric() {
                previous_was_separator = false;
            } else {
                return Err(PartNumberError::InvalidCharacter { ch, position });
            }
            normalized.push(ch.to_ascii_uppercase());
        }
        Ok(PartNumber(normalized))
    }

    /// The part number in uppercase.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_separator(ch: char) -> bool {
    ch == '-' || ch == '.'
}

impl fmt::Display for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PartNumber {
    type Err = PartNumberError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PartNumber::parse(text)
    }
}

impl AsRef<str> for PartNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn part_number_accepts_letters_digits_and_separators() {
        let part = PartNumber::parse("8W0-615-301.A").unwrap();
        assert_eq!(part.as_str(), "8W0-615-301.A");
    }

    #[test]
    fn part_number_is_upper_cased_when_given_in_lowercase() {
        assert_eq!(PartNumber::parse("8w0-615-301.a").unwrap().as_str(), "8W0-615-301.A");
    }

    #[test]
    fn part_number_is_rejected_when_empty() {
        assert_eq!(PartNumber::parse(""), Err(PartNumberError::Empty));
    }

    #[test]
    fn part_number_is_rejected_when_shorter_than_three_characters() {
        assert_eq!(PartNumber::parse("AB"), Err(PartNumberError::TooShort { min: 3 }));
    }

    #[test]
    fn part_number_accepts_exactly_three_characters() {
        assert!(PartNumber::parse("A1B").is_ok());
        assert!(PartNumber::parse("A-B").is_ok());
    }

    #[test]
    fn part_number_accepts_exactly_forty_characters() {
        assert!(PartNumber::parse(&"A".repeat(40)).is_ok());
    }

    #[test]
    fn part_number_is_rejected_when_longer_than_forty_characters() {
        assert_eq!(PartNumber::parse(&"A".repeat(41)), Err(PartNumberError::TooLong { max: 40 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_contains_whitespace() {
        assert_eq!(PartNumber::parse("8W0 615"), Err(PartNumberError::InvalidCharacter { ch: ' ', position: 4 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_has_surrounding_spaces() {
        assert_eq!(PartNumber::parse(" 8W0"), Err(PartNumberError::InvalidCharacter { ch: ' ', position: 1 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_contains_other_punctuation() {
        assert_eq!(PartNumber::parse("8W0/615"), Err(PartNumberError::InvalidCharacter { ch: '/', position: 4 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_contains_non_ascii_letters() {
        assert_eq!(PartNumber::parse("ÄBC"), Err(PartNumberError::InvalidCharacter { ch: 'Ä', position: 1 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_starts_with_a_separator() {
        assert_eq!(PartNumber::parse("-8W0"), Err(PartNumberError::MisplacedSeparator { position: 1 }));
    }

    #[test]
    fn part_number_is_rejected_when_it_ends_with_a_separator() {
        assert_eq!(PartNumber::parse("8W0."), Err(PartNumberError::MisplacedSeparator { position: 4 }));
    }

    #[test]
    fn part_number_is_rejected_when_a_separator_is_doubled() {
        assert_eq!(PartNumber::parse("8W0--615"), Err(PartNumberError::MisplacedSeparator { position: 5 }));
        assert_eq!(PartNumber::parse("8W0.-615"), Err(PartNumberError::MisplacedSeparator { position: 5 }));
    }

    #[test]
    fn part_number_parses_with_from_str_and_displays_as_text() {
        let part: PartNumber = "a1b".parse().unwrap();
        assert_eq!(part.to_string(), "A1B");
        let text: &str = part.as_ref();
        assert_eq!(text, "A1B");
    }

    #[test]
    fn part_number_error_messages_are_sentences() {
        assert_eq!(PartNumberError::TooShort { min: 3 }.to_string(), "must be at least 3 characters");
    }

    /// Segments of alphanumerics joined by single separators, at most 40
    /// characters and at least 3.
    fn valid_part_number() -> impl Strategy<Value = String> {
        ("[A-Za-z0-9]{1,8}", proptest::collection::vec(("[-.]", "[A-Za-z0-9]{1,8}"), 0..4))
            .prop_map(|(head, tail)| {
                let mut text = head;
                for (separator, segment) in tail {
                    text.push_str(&separator);
                    text.push_str(&segment);
                }
                text
            })
            .prop_filter("3..=40 characters", |text| (MIN..=MAX).contains(&text.len()))
    }

    proptest! {
        #[test]
        fn valid_part_numbers_parse_to_their_uppercase(text in valid_part_number()) {
            let part = PartNumber::parse(&text).unwrap();
            prop_assert_eq!(part.as_str(), text.to_ascii_uppercase());
        }

        #[test]
        fn display_then_parse_round_trips(text in valid_part_number()) {
            let part = PartNumber::parse(&text).unwrap();
            prop_assert_eq!(part.to_string().parse::<PartNumber>(), Ok(part));
        }

        #[test]
        fn parsed_part_numbers_obey_every_rule(text in "[A-Za-z0-9 ./_-]{0,45}") {
            if let Ok(part) = PartNumber::parse(&text) {
                let s = part.as_str();
                prop_assert!((MIN..=MAX).contains(&s.len()));
                prop_assert!(s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'.'));
                prop_assert!(!s.starts_with(is_separator) && !s.ends_with(is_separator));
                prop_assert!(!s.as_bytes().windows(2).any(|w| is_separator(w[0] as char) && is_separator(w[1] as char)));
            }
        }
    }
}
