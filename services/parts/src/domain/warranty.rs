//! The warranty of a part (质保): how long after fitting the OEM pays for its failure, in months, in km, or
//! both. A limit of 0 does not apply; with both limits 0 the part has no warranty; with both set the warranty
//! ends at whichever is reached first.

/// Longest warranty period, in months (20 years).
pub const MONTHS_MAX: i32 = 240;
/// Longest warranty mileage, in km.
pub const KM_MAX: i64 = 2_000_000;

/// A limit outside its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Months outside `0..=240`.
    Months,
    /// Km outside `0..=2,000,000`.
    Km,
}

/// Warranty limits, each within its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Warranty {
    months: i32,
    km: i64,
}

impl Warranty {
    /// The warranty of `months` and `km` from fitting, or the limits out of range.
    pub fn new(months: i32, km: i64) -> Result<Warranty, Vec<Limit>> {
        let mut out = Vec::new();
        if !(0..=MONTHS_MAX).contains(&months) {
            out.push(Limit::Months);
        }
        if !(0..=KM_MAX).contains(&km) {
            out.push(Limit::Km);
        }
        if out.is_empty() { Ok(Warranty { months, km }) } else { Err(out) }
    }

    /// Months from fitting (0 = no time limit).
    pub fn months(&self) -> i32 {
        self.months
    }

    /// Km from fitting (0 = no mileage limit).
    pub fn km(&self) -> i64 {
        self.km
    }

    /// Whether the part carries any warranty.
    pub fn exists(&self) -> bool {
        self.months > 0 || self.km > 0
    }

    /// Whether a part fitted `months` ago and driven `km` since is still covered: no set limit reached.
    pub fn covers(&self, months: i32, km: i64) -> bool {
        self.exists() && (self.months == 0 || months < self.months) && (self.km == 0 || km < self.km)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warranty_runs_at_most_240_months_and_2_000_000_km() {
        assert!(Warranty::new(240, 2_000_000).is_ok());
        assert_eq!(Warranty::new(241, 2_000_001), Err(vec![Limit::Months, Limit::Km]));
        assert_eq!(Warranty::new(-1, 0), Err(vec![Limit::Months]));
        assert_eq!(Warranty::new(0, -1), Err(vec![Limit::Km]));
    }

    #[test]
    fn a_warranty_ends_at_whichever_limit_is_reached_first() {
        let warranty = Warranty::new(24, 50_000).unwrap();
        assert!(warranty.covers(23, 49_999));
        assert!(!warranty.covers(24, 10), "time ran out first");
        assert!(!warranty.covers(3, 50_000), "mileage ran out first");
    }

    #[test]
    fn a_zero_limit_does_not_apply() {
        assert!(Warranty::new(0, 50_000).unwrap().covers(600, 49_999), "no time limit");
        assert!(Warranty::new(24, 0).unwrap().covers(23, 900_000), "no mileage limit");
    }

    #[test]
    fn two_zero_limits_mean_no_warranty() {
        let none = Warranty::new(0, 0).unwrap();
        assert!(!none.exists());
        assert!(!none.covers(0, 0));
    }
}
