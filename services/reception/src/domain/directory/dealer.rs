//! A dealer and its terms. Rules: a region and invoice prefix are short upper-case codes; the tax rate is 0..=100 %;
//! opening hours are intervals of local time, opening before closing, never overlapping on a day; whether the dealer
//! is open at an instant is read in its own time zone (daylight saving included) — the business calendar the
//! escalation service's dealer-side clocks use.

use aftersales_kernel::{Currency, DealerId};
use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// Longest invoice prefix.
const PREFIX_MAX: usize = 10;
/// Longest region code.
const REGION_MAX: usize = 50;
/// Most opening intervals (four a day).
pub const INTERVALS_MAX: usize = 28;

/// A time the dealer is open on one weekday, local.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningInterval {
    /// The day.
    pub day: Weekday,
    /// Opens at.
    pub opens: NaiveTime,
    /// Closes at (after `opens`).
    pub closes: NaiveTime,
}

/// What the OEM keeps about a dealer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealerProfile {
    /// Name.
    pub name: String,
    /// Region code.
    pub region: String,
    /// Time zone.
    pub time_zone: Tz,
    /// When open.
    pub opening_hours: Vec<OpeningInterval>,
    /// Invoicing currency.
    pub currency: Currency,
    /// Tax rate, basis points.
    pub tax_rate_bp: i64,
    /// Invoice number prefix.
    pub invoice_prefix: String,
    /// Still in the network.
    pub active: bool,
}

/// Why a profile is refused (the field it is about).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DealerError {
    /// A region that is not a short upper-case code.
    #[error("must be 1 to {REGION_MAX} upper-case letters, digits or '-'")]
    Region,
    /// A tax rate outside 0..=10000 basis points.
    #[error("must be 0 to 10000 basis points")]
    TaxRate,
    /// An invoice prefix that is not a short upper-case code.
    #[error("must be 1 to {PREFIX_MAX} upper-case letters, digits or '-'")]
    InvoicePrefix,
    /// An interval closing before it opens (its index).
    #[error("must close after it opens")]
    ClosesBeforeOpening(usize),
    /// An interval overlapping an earlier one on the same day (its index).
    #[error("overlaps another interval of the same day")]
    Overlap(usize),
    /// Too many intervals.
    #[error("must have at most {INTERVALS_MAX} intervals")]
    TooManyIntervals,
}

impl DealerError {
    /// The request field the error names.
    pub fn field(&self) -> String {
        match self {
            DealerError::Region => "region".into(),
            DealerError::TaxRate => "tax_rate_basis_points".into(),
            DealerError::InvoicePrefix => "invoice_prefix".into(),
            DealerError::ClosesBeforeOpening(i) | DealerError::Overlap(i) => format!("opening_hours[{i}]"),
            DealerError::TooManyIntervals => "opening_hours".into(),
        }
    }
}

fn is_code(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.chars().count() <= max
        && text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

impl DealerProfile {
    /// Checks the rules of a profile.
    pub fn check(&self) -> Result<(), DealerError> {
        if !is_code(&self.region, REGION_MAX) {
            return Err(DealerError::Region);
        }
        if !(0..=10_000).contains(&self.tax_rate_bp) {
            return Err(DealerError::TaxRate);
        }
        if !is_code(&self.invoice_prefix, PREFIX_MAX) {
            return Err(DealerError::InvoicePrefix);
        }
        if self.opening_hours.len() > INTERVALS_MAX {
            return Err(DealerError::TooManyIntervals);
        }
        for (index, interval) in self.opening_hours.iter().enumerate() {
            if interval.closes <= interval.opens {
                return Err(DealerError::ClosesBeforeOpening(index));
            }
            let overlaps = self.opening_hours[..index].iter().any(|other| {
                other.day == interval.day && other.opens < interval.closes && interval.opens < other.closes
            });
            if overlaps {
                return Err(DealerError::Overlap(index));
            }
        }
        Ok(())
    }
}

/// A dealer of the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dealer {
    /// Id, as in its staff's tokens.
    pub id: DealerId,
    /// Its terms.
    pub profile: DealerProfile,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the etag).
    pub revision: i64,
}

impl Dealer {
    /// A dealer added now with `profile` (checked).
    pub fn add(id: DealerId, profile: DealerProfile, now: DateTime<Utc>) -> Result<Dealer, DealerError> {
        profile.check()?;
        Ok(Dealer { id, profile, created_at: now, updated_at: now, revision: 1 })
    }

    /// Replaces the profile (checked).
    pub fn update(&mut self, profile: DealerProfile, now: DateTime<Utc>) -> Result<(), DealerError> {
        profile.check()?;
        self.profile = profile;
        self.updated_at = now;
        self.revision += 1;
        Ok(())
    }

    /// Whether the dealer is open at `at`, read on its own clock.
    pub fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.profile.time_zone);
        let (day, time) = (local.weekday(), local.time());
        self.profile.opening_hours.iter().any(|i| i.day == day && i.opens <= time && time < i.closes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn profile(hours: Vec<OpeningInterval>) -> DealerProfile {
        DealerProfile {
            name: "Berlin Mitte".into(),
            region: "DE-EAST".into(),
            time_zone: chrono_tz::Europe::Berlin,
            opening_hours: hours,
            currency: Currency::EUR,
            tax_rate_bp: 1900,
            invoice_prefix: "BER1".into(),
            active: true,
        }
    }

    fn weekdays_8_to_18() -> Vec<OpeningInterval> {
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
            .into_iter()
            .map(|day| OpeningInterval { day, opens: t(8, 0), closes: t(18, 0) })
            .collect()
    }

    #[test]
    fn opening_hours_are_read_on_the_dealers_clock_across_a_daylight_saving_change() {
        let dealer = Dealer::add(DealerId::new(), profile(weekdays_8_to_18()), Utc::now()).unwrap();
        // Berlin moves to summer time on 2026-03-29: 07:30 UTC is 08:30 local the day before, 09:30 on the day.
        let winter = Utc.with_ymd_and_hms(2026, 3, 28, 6, 30, 0).unwrap(); // 07:30 CET: closed
        let summer = Utc.with_ymd_and_hms(2026, 3, 29, 6, 30, 0).unwrap(); // 08:30 CEST: open
        assert!(!dealer.is_open_at(winter));
        assert!(dealer.is_open_at(summer));
        let closing = Utc.with_ymd_and_hms(2026, 3, 30, 16, 0, 0).unwrap(); // 18:00 CEST: closed
        assert!(!dealer.is_open_at(closing));
    }

    #[test]
    fn a_day_may_have_a_lunch_break_but_intervals_never_overlap() {
        let split = vec![
            OpeningInterval { day: Weekday::Mon, opens: t(8, 0), closes: t(12, 0) },
            OpeningInterval { day: Weekday::Mon, opens: t(13, 0), closes: t(18, 0) },
        ];
        assert_eq!(profile(split.clone()).check(), Ok(()));
        let mut overlapping = split;
        overlapping.push(OpeningInterval { day: Weekday::Mon, opens: t(11, 0), closes: t(14, 0) });
        assert_eq!(profile(overlapping).check(), Err(DealerError::Overlap(2)));
        let backwards = vec![OpeningInterval { day: Weekday::Tue, opens: t(18, 0), closes: t(8, 0) }];
        assert_eq!(profile(backwards).check(), Err(DealerError::ClosesBeforeOpening(0)));
    }

    #[test]
    fn codes_and_the_tax_rate_are_checked() {
        let mut p = profile(vec![]);
        p.tax_rate_bp = 10_001;
        assert_eq!(p.check(), Err(DealerError::TaxRate));
        let mut p = profile(vec![]);
        p.invoice_prefix = "bj01".into();
        assert_eq!(p.check(), Err(DealerError::InvoicePrefix));
        let mut p = profile(vec![]);
        p.region = String::new();
        assert_eq!(p.check(), Err(DealerError::Region));
    }

    #[test]
    fn an_update_replaces_the_profile_and_moves_the_etag() {
        let mut dealer = Dealer::add(DealerId::new(), profile(vec![]), Utc::now()).unwrap();
        let mut changed = profile(vec![]);
        changed.tax_rate_bp = 700;
        dealer.update(changed.clone(), Utc::now()).unwrap();
        assert_eq!((dealer.revision, dealer.profile.tax_rate_bp), (2, 700));
    }
}
