//! A dealer's vehicle and its mileage history (DOMAIN.md Reception 3): the odometer never goes backwards without an
//! explicit correction, which the dealer's manager makes with a reason and which the history keeps (who, when, from
//! what, to what) — readings are appended, never changed or deleted.

use aftersales_kernel::{DealerId, Vin};
use chrono::{DateTime, Utc};

/// Where a reading came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MileageSource {
    /// Given with an appointment.
    Appointment,
    /// Read at check-in.
    CheckIn,
    /// Recorded by hand.
    Manual,
    /// A manager's correction.
    Correction,
}

impl MileageSource {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MileageSource::Appointment => "appointment",
            MileageSource::CheckIn => "check_in",
            MileageSource::Manual => "manual",
            MileageSource::Correction => "correction",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<MileageSource> {
        [MileageSource::Appointment, MileageSource::CheckIn, MileageSource::Manual, MileageSource::Correction]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// An odometer reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MileageReading {
    /// km.
    pub km: i64,
    /// Where it came from.
    pub source: MileageSource,
    /// Staff who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// Corrections: the last reading before, and why.
    pub correction: Option<(i64, String)>,
}

/// A reading below the last one, not a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{km} km is below the last reading of {last} km; only the dealer's manager corrects mileage, with a reason")]
pub struct BelowLastReading {
    /// The reading refused.
    pub km: i64,
    /// The last reading.
    pub last: i64,
}

/// A vehicle of a dealer's customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// VIN.
    pub vin: Vin,
    /// Model.
    pub model: String,
    /// Model year.
    pub model_year: i32,
    /// Plate, if any.
    pub plate: Option<String>,
    /// Owner (a customer of the dealer).
    pub owner: uuid::Uuid,
    /// Readings, oldest first (never empty).
    pub readings: Vec<MileageReading>,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// Bumped by every change.
    pub revision: i64,
}

/// What registering a vehicle needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVehicle {
    /// VIN.
    pub vin: Vin,
    /// Model.
    pub model: String,
    /// Model year.
    pub model_year: i32,
    /// Plate, if any.
    pub plate: Option<String>,
    /// Owner.
    pub owner: uuid::Uuid,
    /// The odometer now.
    pub mileage_km: i64,
}

impl Vehicle {
    /// A vehicle registered now by `by` with its first reading.
    pub fn register(dealer_id: DealerId, new: NewVehicle, by: &str, now: DateTime<Utc>) -> Vehicle {
        let first = MileageReading {
            km: new.mileage_km,
            source: MileageSource::Manual,
            recorded_by: by.to_string(),
            recorded_at: now,
            correction: None,
        };
        Vehicle {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            vin: new.vin,
            model: new.model,
            model_year: new.model_year,
            plate: new.plate,
            owner: new.owner,
            readings: vec![first],
            created_at: now,
            revision: 1,
        }
    }

    /// The last reading, km.
    pub fn mileage_km(&self) -> i64 {
        self.readings.last().map_or(0, |r| r.km)
    }

    /// Appends a reading; refused below the last one.
    pub fn record_mileage(
        &mut self,
        km: i64,
        source: MileageSource,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), BelowLastReading> {
        let last = self.mileage_km();
        if km < last {
            return Err(BelowLastReading { km, last });
        }
        self.readings.push(MileageReading {
            km,
            source,
            recorded_by: by.to_string(),
            recorded_at: now,
            correction: None,
        });
        self.revision += 1;
        Ok(())
    }

    /// The manager's correction to `km`, any value, with `reason`; the history keeps what it corrected.
    pub fn correct_mileage(&mut self, km: i64, reason: &str, by: &str, now: DateTime<Utc>) {
        let last = self.mileage_km();
        self.readings.push(MileageReading {
            km,
            source: MileageSource::Correction,
            recorded_by: by.to_string(),
            recorded_at: now,
            correction: Some((last, reason.to_string())),
        });
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vehicle() -> Vehicle {
        let new = NewVehicle {
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            model: "Sedan 2.0".into(),
            model_year: 2022,
            plate: None,
            owner: uuid::Uuid::now_v7(),
            mileage_km: 42_000,
        };
        Vehicle::register(DealerId::new(), new, "advisor-1", Utc::now())
    }

    #[test]
    fn mileage_never_goes_backwards_without_a_correction() {
        let mut v = vehicle();
        v.record_mileage(42_500, MileageSource::CheckIn, "advisor-1", Utc::now()).unwrap();
        assert_eq!(
            v.record_mileage(4_250, MileageSource::Manual, "advisor-1", Utc::now()),
            Err(BelowLastReading { km: 4_250, last: 42_500 })
        );
        assert_eq!(v.readings.len(), 2, "the refused reading left nothing behind");
    }

    #[test]
    fn a_correction_is_kept_with_what_it_corrected_and_why() {
        let mut v = vehicle();
        v.record_mileage(425_000, MileageSource::CheckIn, "advisor-1", Utc::now()).unwrap();
        v.correct_mileage(42_500, "a zero too many at check-in", "manager-1", Utc::now());
        assert_eq!(v.mileage_km(), 42_500);
        let last = v.readings.last().unwrap();
        assert_eq!(last.correction, Some((425_000, "a zero too many at check-in".to_string())));
        assert_eq!(v.readings.len(), 3, "nothing is deleted");
        v.record_mileage(42_600, MileageSource::Manual, "advisor-1", Utc::now()).unwrap();
    }
}
