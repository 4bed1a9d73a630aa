//! ISO 4217 alphabetic currency codes.

use std::fmt;
use std::str::FromStr;

/// An ISO 4217 alphabetic currency code such as `EUR`.
///
/// Any three ASCII uppercase letters are accepted; the kernel does not carry
/// the ISO list of active currencies.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

/// Why a text is not a currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    /// The code is not exactly three characters long.
    #[error("must be 3 letters, got {len} characters")]
    WrongLength {
        /// Number of characters found.
        len: usize,
    },
    /// A character is not an uppercase letter A-Z.
    #[error("must contain only uppercase letters A-Z (found '{ch}' at position {position})")]
    InvalidCharacter {
        /// The offending character.
        ch: char,
        /// 1-based position of the character.
        position: usize,
    },
}

/// Currencies without minor units.
const ZERO_DIGITS: [&str; 8] = ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"];
/// Currencies with three minor digits.
const THREE_DIGITS: [&str; 7] = ["BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"];

impl Currency {
    /// Chinese yuan renminbi.
    pub const CNY: Currency = Currency(*b"CNY");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// US dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");
    /// Japanese yen (no minor units).
    pub const JPY: Currency = Currency(*b"JPY");

    /// Parses a code made of exactly three ASCII uppercase letters.
    pub fn parse(text: &str) -> Result<Currency, CurrencyError> {
        let len = text.chars().count();
        if len != 3 {
            return Err(CurrencyError::WrongLength { len });
        }
        let mut code = [0u8; 3];
        for (index, ch) in text.chars().enumerate() {
            if !ch.is_ascii_uppercase() {
                return Err(CurrencyError::InvalidCharacter { ch, position: index + 1 });
            }
            // ASCII checked just above, so the cast is lossless.
            code[index] = ch as u8;
        }
        Ok(Currency(code))
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("currency codes are ASCII by construction")
    }

    /// Number of decimal digits of the minor unit (2 for EUR cents, 0 for
    /// JPY, 3 for KWD fils).
    pub fn minor_digits(&self) -> u32 {
        let code = self.as_str();
        if ZERO_DIGITS.contains(&code) {
            0
        } else if THREE_DIGITS.contains(&code) {
            3
        } else {
            2
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl FromStr for Currency {
    type Err = CurrencyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Currency::parse(text)
    }
}

impl AsRef<str> for Currency {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn currency_accepts_three_uppercase_letters() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(eur.as_str(), "EUR");
        assert_eq!(eur, Currency::EUR);
    }

    #[test]
    fn currency_is_rejected_when_shorter_than_three_letters() {
        assert_eq!(Currency::parse("EU"), Err(CurrencyError::WrongLength { len: 2 }));
    }

    #[test]
    fn currency_is_rejected_when_longer_than_three_letters() {
        assert_eq!(Currency::parse("EURO"), Err(CurrencyError::WrongLength { len: 4 }));
    }

    #[test]
    fn currency_is_rejected_when_empty() {
        assert_eq!(Currency::parse(""), Err(CurrencyError::WrongLength { len: 0 }));
    }

    #[test]
    fn currency_is_rejected_when_lowercase() {
        assert_eq!(Currency::parse("eur"), Err(CurrencyError::InvalidCharacter { ch: 'e', position: 1 }));
    }

    #[test]
    fn currency_is_rejected_when_it_contains_a_digit() {
        assert_eq!(Currency::parse("EU1"), Err(CurrencyError::InvalidCharacter { ch: '1', position: 3 }));
    }

    #[test]
    fn currency_is_rejected_when_it_contains_surrounding_spaces() {
        assert!(Currency::parse(" EUR").is_err());
        assert!(Currency::parse("EUR ").is_err());
    }

    #[test]
    fn currency_length_counts_characters_not_bytes() {
        assert_eq!(Currency::parse("ÄBC"), Err(CurrencyError::InvalidCharacter { ch: 'Ä', position: 1 }));
    }

    #[test]
    fn currency_has_zero_minor_digits_for_yen_and_friends() {
        for code in ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"] {
            assert_eq!(Currency::parse(code).unwrap().minor_digits(), 0, "{code}");
        }
    }

    #[test]
    fn currency_has_three_minor_digits_for_dinars_and_rials() {
        for code in ["BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"] {
            assert_eq!(Currency::parse(code).unwrap().minor_digits(), 3, "{code}");
        }
    }

    #[test]
    fn currency_has_two_minor_digits_otherwise() {
        for code in ["EUR", "USD", "GBP", "CHF", "ZZZ"] {
            assert_eq!(Currency::parse(code).unwrap().minor_digits(), 2, "{code}");
        }
    }

    #[test]
    fn currency_displays_as_its_code() {
        assert_eq!(Currency::USD.to_string(), "USD");
        assert_eq!(format!("{:?}", Currency::USD), "Currency(USD)");
    }

    #[test]
    fn currency_error_messages_are_sentences() {
        assert_eq!(CurrencyError::WrongLength { len: 2 }.to_string(), "must be 3 letters, got 2 characters");
    }

    proptest! {
        #[test]
        fn currency_round_trips_through_display(code in "[A-Z]{3}") {
            let currency: Currency = code.parse().unwrap();
            prop_assert_eq!(currency.to_string(), code);
        }

        #[test]
        fn currency_rejects_anything_not_three_uppercase_letters(text in "\\PC{0,6}") {
            let valid = text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase());
            prop_assert_eq!(Currency::parse(&text).is_ok(), valid);
        }

        #[test]
        fn currency_order_matches_code_order(a in "[A-Z]{3}", b in "[A-Z]{3}") {
            let (ca, cb) = (Currency::parse(&a).unwrap(), Currency::parse(&b).unwrap());
            prop_assert_eq!(ca.cmp(&cb), a.cmp(&b));
        }
    }
}
