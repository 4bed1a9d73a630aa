//! Non-negative fixed-point amounts with two decimals (hours, quantities).

use std::fmt;
use std::str::FromStr;

/// A non-negative fixed-point amount counted in hundredths: 1.25 is stored as
/// 125.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hundredths(i64);

/// Labour time in hours, with two decimals (1.25 h = 125 hundredths).
pub type Hours = Hundredths;

/// A quantity of parts or material, with two decimals (2.5 l = 250
/// hundredths).
pub type Quantity = Hundredths;

/// Why a value is not a valid [`Hundredths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HundredthsError {
    /// The value is below zero.
    #[error("must not be negative")]
    Negative,
    /// The text is not a decimal number.
    #[error("must be a decimal number such as 1.25")]
    NotANumber,
    /// The text has more than two decimals.
    #[error("must have at most 2 decimal places")]
    TooPrecise,
    /// The value does not fit.
    #[error("is too large")]
    Overflow,
}

impl Hundredths {
    /// Zero.
    pub const ZERO: Hundredths = Hundredths(0);

    /// Builds from a count of hundredths (125 is 1.25).
    pub fn from_hundredths(hundredths: i64) -> Result<Hundredths, HundredthsError> {
        if hundredths < 0 { Err(HundredthsError::Negative) } else { Ok(Hundredths(hundredths)) }
    }

    /// Builds from a whole number (3 is 3.00).
    pub fn whole(units: i64) -> Result<Hundredths, HundredthsError> {
        if units < 0 {
            return Err(HundredthsError::Negative);
        }
        units.checked_mul(100).map(Hundredths).ok_or(HundredthsError::Overflow)
    }

    /// Parses decimal text with at most two decimals: `"1"`, `"1.5"`,
    /// `"1.25"`.
    ///
    /// No sign, exponent, whitespace or digit grouping is accepted, and both
    /// sides of the decimal point need at least one digit. A leading `-` is
    /// reported as [`HundredthsError::Negative`] (even for `"-0"`).
    pub fn parse(text: &str) -> Result<Hundredths, HundredthsError> {
        if let Some(rest) = text.strip_prefix('-') {
            // Tell "negative" apart from "garbage" so the caller gets the
            // more useful message.
            return match Hundredths::parse(rest) {
                Ok(_) | Err(HundredthsError::TooPrecise) | Err(HundredthsError::Overflow) => {
                    Err(HundredthsError::Negative)
                }
                Err(error) => Err(error),
            };
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (text, ""),
        };
        let is_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !is_digits(whole) || !is_digits(fraction) || (text.contains('.') && fraction.is_empty())
        {
            return Err(HundredthsError::NotANumber);
        }
        if fraction.len() > 2 {
            return Err(HundredthsError::TooPrecise);
        }
        let whole: i64 = whole.parse().map_err(|_| HundredthsError::Overflow)?;
        let fraction: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| HundredthsError::NotANumber)? * 10,
            _ => fraction.parse().map_err(|_| HundredthsError::NotANumber)?,
        };
        whole.checked_mul(100).and_then(|w| w.checked_add(fraction)).map(Hundredths).ok_or(HundredthsError::Overflow)
    }

    /// The count of hundredths (1.25 gives 125).
    pub fn as_hundredths(&self) -> i64 {
        self.0
    }

    /// Sum, failing on overflow.
    pub fn checked_add(self, other: Hundredths) -> Result<Hundredths, HundredthsError> {
        self.0.checked_add(other.0).map(Hundredths).ok_or(HundredthsError::Overflow)
    }

    /// Difference, failing when the result would be negative.
    pub fn checked_sub(self, other: Hundredths) -> Result<Hundredths, HundredthsError> {
        // Both operands are non-negative, so the difference cannot overflow.
        Hundredths::from_hundredths(self.0 - other.0)
    }
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Hundredths {
    type Err = HundredthsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Hundredths::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h(hundredths: i64) -> Hundredths {
        Hundredths::from_hundredths(hundredths).unwrap()
    }

    #[test]
    fn hundredths_are_rejected_when_negative() {
        assert_eq!(Hundredths::from_hundredths(-1), Err(HundredthsError::Negative));
    }

    #[test]
    fn hundredths_accept_zero() {
        assert_eq!(Hundredths::from_hundredths(0), Ok(Hundredths::ZERO));
        assert_eq!(Hundredths::default(), Hundredths::ZERO);
    }

    #[test]
    fn whole_multiplies_by_one_hundred() {
        assert_eq!(Hundredths::whole(3).unwrap().as_hundredths(), 300);
    }

    #[test]
    fn whole_is_rejected_when_negative() {
        assert_eq!(Hundredths::whole(-3), Err(HundredthsError::Negative));
    }

    #[test]
    fn whole_is_rejected_when_it_overflows() {
        assert_eq!(Hundredths::whole(i64::MAX), Err(HundredthsError::Overflow));
    }

    #[test]
    fn parse_accepts_an_integer() {
        assert_eq!(Hundredths::parse("1"), Ok(h(100)));
    }

    #[test]
    fn parse_accepts_one_decimal() {
        assert_eq!(Hundredths::parse("1.5"), Ok(h(150)));
    }

    #[test]
    fn parse_accepts_two_decimals() {
        assert_eq!(Hundredths::parse("1.25"), Ok(h(125)));
        assert_eq!(Hundredths::parse("0.05"), Ok(h(5)));
    }

    #[test]
    fn parse_is_rejected_when_more_than_two_decimals() {
        assert_eq!(Hundredths::parse("1.255"), Err(HundredthsError::TooPrecise));
        assert_eq!(Hundredths::parse("1.250"), Err(HundredthsError::TooPrecise));
    }

    #[test]
    fn parse_is_rejected_when_negative() {
        assert_eq!(Hundredths::parse("-1"), Err(HundredthsError::Negative));
        assert_eq!(Hundredths::parse("-0"), Err(HundredthsError::Negative));
        assert_eq!(Hundredths::parse("-1.255"), Err(HundredthsError::Negative));
    }

    #[test]
    fn parse_is_rejected_when_empty() {
        assert_eq!(Hundredths::parse(""), Err(HundredthsError::NotANumber));
    }

    #[test]
    fn parse_is_rejected_when_not_a_number() {
        for text in ["abc", "-abc", "-", "1,5", "1e2", "+1", " 1", "1 ", "1.2.3"] {
            assert_eq!(Hundredths::parse(text), Err(HundredthsError::NotANumber), "{text}");
        }
    }

    #[test]
    fn parse_is_rejected_when_a_side_of_the_point_is_empty() {
        assert_eq!(Hundredths::parse(".5"), Err(HundredthsError::NotANumber));
        assert_eq!(Hundredths::parse("1."), Err(HundredthsError::NotANumber));
        assert_eq!(Hundredths::parse("."), Err(HundredthsError::NotANumber));
    }

    #[test]
    fn parse_is_rejected_when_too_large() {
        assert_eq!(Hundredths::parse("99999999999999999999"), Err(HundredthsError::Overflow));
        assert_eq!(Hundredths::parse("92233720368547758.08"), Err(HundredthsError::Overflow));
        assert_eq!(Hundredths::parse("92233720368547758.07"), Ok(h(i64::MAX)));
    }

    #[test]
    fn display_always_shows_two_decimals() {
        assert_eq!(h(125).to_string(), "1.25");
        assert_eq!(h(200).to_string(), "2.00");
        assert_eq!(h(5).to_string(), "0.05");
        assert_eq!(Hundredths::ZERO.to_string(), "0.00");
    }

    #[test]
    fn checked_add_sums() {
        assert_eq!(h(125).checked_add(h(75)), Ok(h(200)));
    }

    #[test]
    fn checked_add_is_rejected_when_it_overflows() {
        assert_eq!(h(i64::MAX).checked_add(h(1)), Err(HundredthsError::Overflow));
    }

    #[test]
    fn checked_sub_is_rejected_when_the_result_is_negative() {
        assert_eq!(h(100).checked_sub(h(101)), Err(HundredthsError::Negative));
        assert_eq!(h(100).checked_sub(h(100)), Ok(Hundredths::ZERO));
    }

    #[test]
    fn hours_and_quantity_are_hundredths() {
        let hours: Hours = Hours::parse("1.25").unwrap();
        let quantity: Quantity = Quantity::whole(2).unwrap();
        assert_eq!(hours.as_hundredths(), 125);
        assert_eq!(quantity.as_hundredths(), 200);
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(n in 0..=i64::MAX) {
            let value = h(n);
            prop_assert_eq!(value.to_string().parse::<Hundredths>(), Ok(value));
        }

        #[test]
        fn add_then_sub_is_identity(a in 0..=i64::MAX / 2, b in 0..=i64::MAX / 2) {
            let sum = h(a).checked_add(h(b)).unwrap();
            prop_assert_eq!(sum.checked_sub(h(b)), Ok(h(a)));
        }

        #[test]
        fn add_is_commutative(a in 0..=i64::MAX, b in 0..=i64::MAX) {
            prop_assert_eq!(h(a).checked_add(h(b)), h(b).checked_add(h(a)));
        }

        #[test]
        fn sub_succeeds_exactly_when_not_going_below_zero(a in 0..=i64::MAX, b in 0..=i64::MAX) {
            prop_assert_eq!(h(a).checked_sub(h(b)).is_ok(), a >= b);
        }

        #[test]
        fn order_follows_the_amount(a in 0..=i64::MAX, b in 0..=i64::MAX) {
            prop_assert_eq!(h(a).cmp(&h(b)), a.cmp(&b));
        }

        #[test]
        fn parse_never_yields_a_negative_value(text in "\\PC{0,24}") {
            if let Ok(value) = Hundredths::parse(&text) {
                prop_assert!(value.as_hundredths() >= 0);
            }
        }
    }
}
