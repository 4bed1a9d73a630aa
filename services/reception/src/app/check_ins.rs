//! Check-in at the desk: the vehicle's reading, the appointment kept and the walk-around stored in one transaction
//! with `VehicleCheckedIn`.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult, to_timestamp};

use super::Reception;
use crate::convert::check_ins as render;
use crate::domain::appointment::AppointmentError;
use crate::domain::check_in::{CheckIn, CheckInError, WalkAround};
use crate::store::{appointments, check_ins, vehicles};

/// What a check-in names.
#[derive(Debug, Clone)]
pub struct CheckInSubject {
    /// The appointment kept, if any.
    pub appointment: Option<uuid::Uuid>,
    /// The customer.
    pub customer: uuid::Uuid,
    /// The vehicle.
    pub vehicle: uuid::Uuid,
    /// Identity checked.
    pub identity_checked: bool,
}

impl Reception {
    /// Checks a car in; publishes `VehicleCheckedIn`.
    pub async fn check_in(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        subject: CheckInSubject,
        walk_around: WalkAround,
    ) -> AppResult<pb::CheckInRecord> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = vehicles::find(&*txn, subject.vehicle, true).await?;
        let mut vehicle = found.filter(|v| v.dealer_id == dealer).ok_or(AppError::NotFound("vehicle"))?;
        let (stored, vehicle_revision) = (vehicle.readings.len(), vehicle.revision);
        let mut appointment = match subject.appointment {
            Some(id) => {
                let found = appointments::find(&*txn, id, true).await?;
                Some(found.filter(|a| a.dealer_id == dealer).ok_or(AppError::NotFound("appointment"))?)
            }
            None => None,
        };
        let appointment_revision = appointment.as_ref().map(|a| a.revision);
        let check_in = CheckIn::record(
            subject.customer,
            &mut vehicle,
            appointment.as_mut(),
            subject.identity_checked,
            walk_around,
            &caller.subject,
            now,
        )
        .map_err(check_in_error)?;
        vehicles::save(&*txn, &vehicle, stored, vehicle_revision).await?;
        if let (Some(a), Some(revision)) = (&appointment, appointment_revision) {
            appointments::save(&*txn, a, revision).await?;
        }
        check_ins::insert(&*txn, &check_in).await?;
        let event = pb::VehicleCheckedIn {
            check_in_id: check_in.id.to_string(),
            dealer_id: dealer.to_string(),
            appointment_id: check_in.appointment_id.map(|a| a.to_string()).unwrap_or_default(),
            vin: check_in.vin.to_string(),
            mileage_km: check_in.walk_around.mileage_km,
            checked_in_by: caller.subject.clone(),
            checked_in_at: Some(to_timestamp(now)),
        };
        let tenant = EventTenant::Dealer(dealer.to_string());
        outbox::append(&mut txn, NewEvent::new(&event, now, tenant, "check_in", check_in.id.to_string())).await?;
        let answer = render::check_in(&check_in);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A check-in the caller may see.
    pub async fn check_in_record(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<CheckIn> {
        let found = check_ins::find(self.db.reader(), id).await?;
        found.filter(|c| caller.can_see_dealer(&c.dealer_id)).ok_or(AppError::NotFound("check-in"))
    }

    /// A page of check-ins.
    pub async fn check_ins(
        &self,
        scope: &DealerScope,
        vehicle: Option<uuid::Uuid>,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<CheckIn>> {
        check_ins::list(self.db.reader(), scope, vehicle, after, limit).await
    }
}

fn check_in_error(error: CheckInError) -> AppError {
    match &error {
        CheckInError::IdentityNotChecked => AppError::invalid("identity_checked", error.to_string()),
        CheckInError::NotTheCustomersVehicle => AppError::invalid("vehicle_id", error.to_string()),
        CheckInError::OtherAppointment => AppError::invalid("appointment_id", error.to_string()),
        CheckInError::Appointment(AppointmentError::WrongState { state, .. }) => {
            AppError::precondition("APPOINTMENT_STATE", state.as_str(), error.to_string())
        }
        CheckInError::Appointment(_) => AppError::precondition("APPOINTMENT_STATE", "unknown", error.to_string()),
        CheckInError::Mileage(below) => {
            AppError::precondition("MILEAGE_BELOW_LAST_READING", format!("{} km", below.last), error.to_string())
        }
    }
}
