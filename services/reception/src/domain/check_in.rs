//! Check-in (接车, DOMAIN.md Reception 3): identity and appointment double-checked, the walk-around recorded. Rules:
//! - the advisor must have checked the customer's identity;
//! - an appointment, if the customer had one, is this customer's for this vehicle, confirmed, and becomes checked in;
//! - the reading joins the vehicle's mileage history and never goes below the last one (a correction is the
//!   manager's, apart from check-in).

use aftersales_kernel::{DealerId, Vin};
use chrono::{DateTime, Utc};

use super::appointment::{Appointment, AppointmentError};
use super::vehicle::{BelowLastReading, MileageSource, Vehicle};

/// Damage on one panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelDamage {
    /// The panel.
    pub panel: String,
    /// What is wrong with it.
    pub description: String,
}

/// The walk-around as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkAround {
    /// Odometer, km.
    pub mileage_km: i64,
    /// Fuel level, percent.
    pub fuel_level_percent: i32,
    /// Damage by panel.
    pub exterior_damage: Vec<PanelDamage>,
    /// Interior notes.
    pub interior_notes: String,
    /// Belongings in the car.
    pub belongings: Vec<String>,
    /// The fault as described.
    pub fault_symptoms: String,
    /// Could not be reproduced: to be observed.
    pub could_not_reproduce: bool,
    /// Photo references.
    pub photo_references: Vec<String>,
}

/// A check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The appointment kept, if any.
    pub appointment_id: Option<uuid::Uuid>,
    /// The customer.
    pub customer_id: uuid::Uuid,
    /// The vehicle.
    pub vehicle_id: uuid::Uuid,
    /// Its VIN.
    pub vin: Vin,
    /// The walk-around.
    pub walk_around: WalkAround,
    /// The advisor.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Why a check-in is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckInError {
    /// Identity not checked.
    #[error("the customer's identity must be checked")]
    IdentityNotChecked,
    /// The vehicle is not the customer's.
    #[error("is not a vehicle of this customer")]
    NotTheCustomersVehicle,
    /// The appointment is another customer's or vehicle's.
    #[error("is an appointment of another customer or vehicle")]
    OtherAppointment,
    /// The appointment cannot be checked in.
    #[error(transparent)]
    Appointment(#[from] AppointmentError),
    /// The reading is below the last one.
    #[error(transparent)]
    Mileage(#[from] BelowLastReading),
}

impl CheckIn {
    /// Checks `customer`'s `vehicle` in now, keeping `appointment` if there is one.
    pub fn record(
        customer: uuid::Uuid,
        vehicle: &mut Vehicle,
        appointment: Option<&mut Appointment>,
        identity_checked: bool,
        walk_around: WalkAround,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<CheckIn, CheckInError> {
        if !identity_checked {
            return Err(CheckInError::IdentityNotChecked);
        }
        if vehicle.owner != customer {
            return Err(CheckInError::NotTheCustomersVehicle);
        }
        let appointment_id = match appointment {
            Some(a) => {
                if a.booking.customer_id != customer || a.booking.vehicle_id != vehicle.id {
                    return Err(CheckInError::OtherAppointment);
                }
                a.check_in()?;
                Some(a.id)
            }
            None => None,
        };
        vehicle.record_mileage(walk_around.mileage_km, MileageSource::CheckIn, by, now)?;
        Ok(CheckIn {
            id: uuid::Uuid::now_v7(),
            dealer_id: vehicle.dealer_id,
            appointment_id,
            customer_id: customer,
            vehicle_id: vehicle.id,
            vin: vehicle.vin,
            walk_around,
            by: by.to_string(),
            at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointment::{AppointmentChannel, AppointmentState, NewAppointment};
    use crate::domain::vehicle::NewVehicle;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn vehicle(owner: uuid::Uuid) -> Vehicle {
        let new = NewVehicle {
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            model: "Sedan".into(),
            model_year: 2022,
            plate: None,
            owner,
            mileage_km: 42_000,
        };
        Vehicle::register(DealerId::new(), new, "a", now())
    }

    fn walk_around(km: i64) -> WalkAround {
        WalkAround {
            mileage_km: km,
            fuel_level_percent: 40,
            exterior_damage: vec![PanelDamage { panel: "front bumper".into(), description: "scratch 10 cm".into() }],
            interior_notes: "clean".into(),
            belongings: vec!["child seat".into()],
            fault_symptoms: "rattle at 60 km/h".into(),
            could_not_reproduce: true,
            photo_references: vec!["photo://bumper".into()],
        }
    }

    fn confirmed(customer: uuid::Uuid, vehicle: &Vehicle) -> Appointment {
        let booking = NewAppointment {
            customer_id: customer,
            vehicle_id: vehicle.id,
            vin: vehicle.vin,
            channel: AppointmentChannel::App,
            fault_description: "rattle".into(),
            urgent: false,
            wished_at: now() + chrono::Duration::hours(1),
        };
        let mut a = Appointment::request(vehicle.dealer_id, booking, "a", now()).unwrap();
        a.confirm(None, "a", now()).unwrap();
        a
    }

    #[test]
    fn a_check_in_keeps_the_appointment_and_adds_the_reading() {
        let customer = uuid::Uuid::now_v7();
        let mut car = vehicle(customer);
        let mut appointment = confirmed(customer, &car);
        let check_in =
            CheckIn::record(customer, &mut car, Some(&mut appointment), true, walk_around(42_800), "a", now()).unwrap();
        assert_eq!(appointment.state, AppointmentState::CheckedIn);
        assert_eq!(check_in.appointment_id, Some(appointment.id));
        assert_eq!(car.mileage_km(), 42_800);
    }

    #[test]
    fn identity_must_be_checked_and_the_reading_must_not_go_back() {
        let customer = uuid::Uuid::now_v7();
        let mut car = vehicle(customer);
        assert_eq!(
            CheckIn::record(customer, &mut car, None, false, walk_around(42_800), "a", now()),
            Err(CheckInError::IdentityNotChecked)
        );
        assert!(matches!(
            CheckIn::record(customer, &mut car, None, true, walk_around(41_000), "a", now()),
            Err(CheckInError::Mileage(_))
        ));
        assert_eq!(car.readings.len(), 1, "nothing recorded");
    }

    #[test]
    fn another_customers_car_or_appointment_is_refused() {
        let customer = uuid::Uuid::now_v7();
        let mut car = vehicle(customer);
        let stranger = uuid::Uuid::now_v7();
        assert_eq!(
            CheckIn::record(stranger, &mut car, None, true, walk_around(42_800), "a", now()),
            Err(CheckInError::NotTheCustomersVehicle)
        );
        let other_car = vehicle(customer);
        let mut theirs = confirmed(customer, &other_car);
        assert_eq!(
            CheckIn::record(customer, &mut car, Some(&mut theirs), true, walk_around(42_800), "a", now()),
            Err(CheckInError::OtherAppointment)
        );
    }
}
