//! The arithmetic of reported figures, one convention for every report of the suite: a rate is in basis points
//! and a mean in whole units, each rounded half up, and 0 over nothing.

/// `part × 10 000 / whole`, rounded half up; 0 when `whole` is 0.
pub fn rate_bp(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { (part * 10_000 * 2 + whole) / (whole * 2) }
}

/// `sum / count`, rounded half up; 0 when `count` is 0.
pub fn mean(sum: i64, count: i64) -> i64 {
    if count == 0 { 0 } else { (sum * 2 + count) / (count * 2) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_means_round_half_up_and_are_zero_over_nothing() {
        assert_eq!(rate_bp(2, 3), 6_667);
        assert_eq!(rate_bp(1, 3), 3_333);
        assert_eq!(rate_bp(1, 8), 1_250);
        assert_eq!(rate_bp(1, 0), 0);
        assert_eq!(mean(7, 2), 4, "3.5 rounds up");
        assert_eq!(mean(10, 4), 3, "2.5 rounds up");
        assert_eq!(mean(5, 3), 2);
        assert_eq!(mean(9, 0), 0);
    }
}
