//! Amounts of money in integer minor units.

use std::fmt;

use crate::{Currency, Hundredths};

/// An amount of money in integer minor units (cents for EUR) of one
/// currency. Never a float. Negative amounts are allowed for credits and
/// discounts.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    currency: Currency,
    minor: i64,
}

/// Why a money computation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("currencies must match, got {left} and {right}")]
    CurrencyMismatch {
        /// Currency of the left operand (or of the expected total).
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
    /// The result does not fit in 64-bit minor units.
    #[error("amount is too large")]
    Overflow,
}

impl Money {
    /// An amount of `minor` minor units (cents for EUR, yen for JPY).
    pub fn new(currency: Currency, minor: i64) -> Money {
        Money { currency, minor }
    }

    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(currency, 0)
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The amount in minor units.
    pub fn minor_units(&self) -> i64 {
        self.minor
    }

    /// Whether the amount is below zero (a credit or discount).
    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// Sum of two amounts in the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.with_minor(self.minor.checked_add(other.minor))
    }

    /// Difference of two amounts in the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.with_minor(self.minor.checked_sub(other.minor))
    }

    /// The opposite amount (fails only for `i64::MIN` minor units).
    pub fn checked_neg(self) -> Result<Money, MoneyError> {
        self.with_minor(self.minor.checked_neg())
    }

    /// The amount times a fixed-point factor (hours, quantities), rounded
    /// half away from zero to whole minor units: 10.05 × 1.50 = 15.075 gives
    /// 15.08, and -10.05 × 1.50 gives -15.08.
    pub fn checked_mul_hundredths(self, factor: Hundredths) -> Result<Money, MoneyError> {
        let product = i128::from(self.minor) * i128::from(factor.as_hundredths());
        self.with_wide(div_round_half_away_from_zero(product, 100))
    }

    /// The amount times `bp` basis points (1 bp = 0.01 %, so 1900 bp is a
    /// 19 % tax), rounded half away from zero to whole minor units.
    pub fn checked_apply_basis_points(self, bp: i64) -> Result<Money, MoneyError> {
        let product = i128::from(self.minor) * i128::from(bp);
        self.with_wide(div_round_half_away_from_zero(product, 10_000))
    }

    /// The total of `amounts`, all of which must be in `currency`. An empty
    /// iterator gives zero.
    pub fn sum<I: IntoIterator<Item = Money>>(currency: Currency, amounts: I) -> Result<Money, MoneyError> {
        amounts.into_iter().try_fold(Money::zero(currency), Money::checked_add)
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    fn with_minor(self, minor: Option<i64>) -> Result<Money, MoneyError> {
        minor.map(|minor| Money::new(self.currency, minor)).ok_or(MoneyError::Overflow)
    }

    fn with_wide(self, minor: i128) -> Result<Money, MoneyError> {
        self.with_minor(i64::try_from(minor).ok())
    }
}

/// `numerator / denominator` rounded half away from zero; `denominator > 0`.
fn div_round_half_away_from_zero(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator { quotient + numerator.signum() } else { quotient }
}

impl fmt::Display for Money {
    /// `EUR 12.34`, `EUR -0.05`, `JPY 1200`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.is_negative() { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        let digits = self.currency.minor_digits();
        if digits == 0 {
            return write!(f, "{} {sign}{magnitude}", self.currency);
        }
        let scale = 10u64.pow(digits);
        write!(
            f,
            "{} {sign}{}.{:0width$}",
            self.currency,
            magnitude / scale,
            magnitude % scale,
            width = digits as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EUR: Currency = Currency::EUR;
    const USD: Currency = Currency::USD;

    fn eur(minor: i64) -> Money {
        Money::new(EUR, minor)
    }

    fn h(hundredths: i64) -> Hundredths {
        Hundredths::from_hundredths(hundredths).unwrap()
    }

    #[test]
    fn money_keeps_currency_and_minor_units() {
        let m = eur(1234);
        assert_eq!(m.currency(), EUR);
        assert_eq!(m.minor_units(), 1234);
    }

    #[test]
    fn zero_is_zero_minor_units() {
        assert_eq!(Money::zero(USD), Money::new(USD, 0));
    }

    #[test]
    fn negative_amounts_are_allowed_for_credits() {
        assert!(eur(-1).is_negative());
        assert!(!eur(0).is_negative());
    }

    #[test]
    fn add_sums_minor_units() {
        assert_eq!(eur(1000).checked_add(eur(234)), Ok(eur(1234)));
    }

    #[test]
    fn add_is_rejected_when_currencies_differ() {
        assert_eq!(eur(1).checked_add(Money::new(USD, 1)), Err(MoneyError::CurrencyMismatch { left: EUR, right: USD }));
    }

    #[test]
    fn add_is_rejected_when_it_overflows() {
        assert_eq!(eur(i64::MAX).checked_add(eur(1)), Err(MoneyError::Overflow));
    }

    #[test]
    fn sub_subtracts_minor_units() {
        assert_eq!(eur(1000).checked_sub(eur(1234)), Ok(eur(-234)));
    }

    #[test]
    fn sub_is_rejected_when_currencies_differ() {
        assert!(matches!(eur(1).checked_sub(Money::new(USD, 1)), Err(MoneyError::CurrencyMismatch { .. })));
    }

    #[test]
    fn sub_is_rejected_when_it_overflows() {
        assert_eq!(eur(i64::MIN).checked_sub(eur(1)), Err(MoneyError::Overflow));
    }

    #[test]
    fn neg_flips_the_sign() {
        assert_eq!(eur(5).checked_neg(), Ok(eur(-5)));
    }

    #[test]
    fn neg_is_rejected_for_the_smallest_amount() {
        assert_eq!(eur(i64::MIN).checked_neg(), Err(MoneyError::Overflow));
    }

    #[test]
    fn mul_hundredths_rounds_half_away_from_zero() {
        assert_eq!(eur(1005).checked_mul_hundredths(h(150)), Ok(eur(1508)));
        assert_eq!(eur(-1005).checked_mul_hundredths(h(150)), Ok(eur(-1508)));
    }

    #[test]
    fn mul_hundredths_rounds_below_half_toward_zero() {
        // 10.01 × 1.25 = 12.5125 → 12.51
        assert_eq!(eur(1001).checked_mul_hundredths(h(125)), Ok(eur(1251)));
        assert_eq!(eur(-1001).checked_mul_hundredths(h(125)), Ok(eur(-1251)));
    }

    #[test]
    fn mul_hundredths_by_one_is_identity() {
        assert_eq!(eur(-777).checked_mul_hundredths(h(100)), Ok(eur(-777)));
    }

    #[test]
    fn mul_hundredths_is_rejected_when_it_overflows() {
        assert_eq!(eur(i64::MAX).checked_mul_hundredths(h(200)), Err(MoneyError::Overflow));
    }

    #[test]
    fn mul_hundredths_uses_wide_intermediates() {
        // minor × factor overflows i64, the result does not.
        assert_eq!(eur(i64::MAX / 2).checked_mul_hundredths(h(150)), Ok(eur(6_917_529_027_641_081_855)));
    }

    #[test]
    fn basis_points_apply_a_tax_rate() {
        // 19 % of 10.00 is 1.90.
        assert_eq!(eur(1000).checked_apply_basis_points(1900), Ok(eur(190)));
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        // 19 % of 0.50 = 0.095 → 0.10; of -0.50 → -0.10.
        assert_eq!(eur(50).checked_apply_basis_points(1900), Ok(eur(10)));
        assert_eq!(eur(-50).checked_apply_basis_points(1900), Ok(eur(-10)));
        // 19 % of 0.49 = 0.0931 → 0.09.
        assert_eq!(eur(49).checked_apply_basis_points(1900), Ok(eur(9)));
    }

    #[test]
    fn basis_points_may_be_negative() {
        assert_eq!(eur(1000).checked_apply_basis_points(-500), Ok(eur(-50)));
    }

    #[test]
    fn basis_points_are_rejected_when_they_overflow() {
        assert_eq!(eur(i64::MAX).checked_apply_basis_points(20_000), Err(MoneyError::Overflow));
    }

    #[test]
    fn sum_of_nothing_is_zero() {
        assert_eq!(Money::sum(EUR, []), Ok(eur(0)));
    }

    #[test]
    fn sum_adds_all_amounts() {
        assert_eq!(Money::sum(EUR, [eur(1), eur(2), eur(-4)]), Ok(eur(-1)));
    }

    #[test]
    fn sum_is_rejected_when_an_amount_has_another_currency() {
        assert_eq!(
            Money::sum(EUR, [eur(1), Money::new(USD, 2)]),
            Err(MoneyError::CurrencyMismatch { left: EUR, right: USD })
        );
    }

    #[test]
    fn sum_is_rejected_when_it_overflows() {
        assert_eq!(Money::sum(EUR, [eur(i64::MAX), eur(1)]), Err(MoneyError::Overflow));
    }

    #[test]
    fn display_uses_the_currency_minor_digits() {
        assert_eq!(eur(1234).to_string(), "EUR 12.34");
        assert_eq!(eur(-5).to_string(), "EUR -0.05");
        assert_eq!(eur(0).to_string(), "EUR 0.00");
        assert_eq!(Money::new(Currency::JPY, 1200).to_string(), "JPY 1200");
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::new(kwd, -1234).to_string(), "KWD -1.234");
    }

    #[test]
    fn display_handles_the_extremes() {
        assert_eq!(eur(i64::MIN).to_string(), "EUR -92233720368547758.08");
        assert_eq!(eur(i64::MAX).to_string(), "EUR 92233720368547758.07");
    }

    #[test]
    fn currency_mismatch_message_names_both_currencies() {
        let error = MoneyError::CurrencyMismatch { left: EUR, right: USD };
        assert_eq!(error.to_string(), "currencies must match, got EUR and USD");
    }

    fn any_currency() -> impl Strategy<Value = Currency> {
        prop_oneof![
            Just(Currency::EUR),
            Just(Currency::JPY),
            "[A-Z]{3}".prop_map(|code| Currency::parse(&code).unwrap()),
        ]
    }

    /// Amounts small enough that a handful of them never overflow.
    fn amount() -> impl Strategy<Value = i64> {
        -(1i64 << 60)..(1i64 << 60)
    }

    /// Amounts small enough to be scaled by up to 10,000× (±2.8 trillion
    /// EUR).
    fn scalable_amount() -> impl Strategy<Value = i64> {
        -(1i64 << 48)..(1i64 << 48)
    }

    proptest! {
        #[test]
        fn add_is_commutative(a in any::<i64>(), b in any::<i64>()) {
            prop_assert_eq!(eur(a).checked_add(eur(b)), eur(b).checked_add(eur(a)));
        }

        #[test]
        fn add_is_associative(a in amount(), b in amount(), c in amount()) {
            let left = eur(a).checked_add(eur(b)).and_then(|ab| ab.checked_add(eur(c)));
            let right = eur(b).checked_add(eur(c)).and_then(|bc| eur(a).checked_add(bc));
            prop_assert_eq!(left, right);
        }

        #[test]
        fn zero_is_the_additive_identity(a in any::<i64>()) {
            prop_assert_eq!(eur(a).checked_add(Money::zero(EUR)), Ok(eur(a)));
        }

        #[test]
        fn sub_undoes_add(a in amount(), b in amount()) {
            let sum = eur(a).checked_add(eur(b)).unwrap();
            prop_assert_eq!(sum.checked_sub(eur(b)), Ok(eur(a)));
        }

        #[test]
        fn add_overflows_exactly_when_i64_does(a in any::<i64>(), b in any::<i64>()) {
            prop_assert_eq!(eur(a).checked_add(eur(b)).is_err(), a.checked_add(b).is_none());
        }

        #[test]
        fn neg_is_an_involution(a in (i64::MIN + 1)..=i64::MAX) {
            let twice = eur(a).checked_neg().and_then(Money::checked_neg);
            prop_assert_eq!(twice, Ok(eur(a)));
        }

        #[test]
        fn mul_hundredths_is_symmetric_in_sign(a in scalable_amount(), f in 0i64..1_000_000) {
            let positive = eur(a).checked_mul_hundredths(h(f)).unwrap();
            let negative = eur(-a).checked_mul_hundredths(h(f)).unwrap();
            prop_assert_eq!(negative.checked_neg(), Ok(positive));
        }

        #[test]
        fn mul_hundredths_by_whole_numbers_is_exact(a in -(1i64 << 40)..(1i64 << 40), n in 0i64..1000) {
            let by_factor = eur(a).checked_mul_hundredths(Hundredths::whole(n).unwrap());
            prop_assert_eq!(by_factor, Ok(eur(a * n)));
        }

        #[test]
        fn mul_hundredths_is_within_half_a_minor_unit(a in scalable_amount(), f in 0i64..1_000_000) {
            let result = eur(a).checked_mul_hundredths(h(f)).unwrap();
            let exact = i128::from(a) * i128::from(f);
            let error = (i128::from(result.minor_units()) * 100 - exact).abs();
            prop_assert!(error <= 50);
        }

        #[test]
        fn full_basis_points_are_identity(a in any::<i64>()) {
            prop_assert_eq!(eur(a).checked_apply_basis_points(10_000), Ok(eur(a)));
        }

        #[test]
        fn basis_points_are_within_half_a_minor_unit(a in scalable_amount(), bp in -100_000i64..100_000) {
            let result = eur(a).checked_apply_basis_points(bp).unwrap();
            let exact = i128::from(a) * i128::from(bp);
            let error = (i128::from(result.minor_units()) * 10_000 - exact).abs();
            prop_assert!(error <= 5_000);
        }

        #[test]
        fn sum_equals_repeated_add(amounts in proptest::collection::vec(amount(), 0..8)) {
            let total = Money::sum(EUR, amounts.iter().map(|&a| eur(a)));
            let expected: i64 = amounts.iter().sum();
            prop_assert_eq!(total, Ok(eur(expected)));
        }

        #[test]
        fn display_shows_the_exact_amount(currency in any_currency(), minor in any::<i64>()) {
            let text = Money::new(currency, minor).to_string();
            let (code, amount) = text.split_once(' ').unwrap();
            prop_assert_eq!(code, currency.as_str());
            let digits = currency.minor_digits() as usize;
            match amount.split_once('.') {
                Some((_, fraction)) => prop_assert_eq!(fraction.len(), digits),
                None => prop_assert_eq!(digits, 0),
            }
            let reparsed: i128 = amount.replace('.', "").parse().unwrap();
            prop_assert_eq!(reparsed, i128::from(minor));
        }
    }
}
