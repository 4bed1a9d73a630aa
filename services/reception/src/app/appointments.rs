//! Appointments at the desk: booked for a customer's vehicle, confirmed, moved, cancelled, missed, fast-laned and
//! reminded; each change one transaction with its event (escalation's confirmation and fast-lane clocks).

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use chrono::{DateTime, Utc};

use super::Reception;
use crate::convert::appointments as render;
use crate::domain::appointment::{Appointment, AppointmentError, AppointmentState, NewAppointment};
use crate::store::{appointments, customers, vehicles};

/// A change to an appointment.
#[derive(Debug, Clone)]
pub enum AppointmentChange {
    /// Confirm at this slot (or the wished one).
    Confirm(Option<DateTime<Utc>>),
    /// Move to a slot, with a reason.
    Reschedule(DateTime<Utc>, String),
    /// Cancel, with a reason.
    Cancel(String),
    /// The customer did not come.
    NoShow,
    /// Reserve a bay and/or a technician from a time.
    FastLane { bay: Option<String>, technician: Option<String>, reserved_from: DateTime<Utc> },
    /// A reminder went out.
    Remind {
        advisor_name: String,
        advisor_contact: String,
        what_to_bring: String,
        channel: crate::domain::appointment::ReminderChannel,
    },
}

impl Reception {
    /// Books an appointment for one of `dealer`'s customers and their vehicle; publishes `AppointmentRequested`.
    pub async fn request_appointment(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        customer: uuid::Uuid,
        vehicle: uuid::Uuid,
        complete: impl FnOnce(aftersales_kernel::Vin) -> NewAppointment,
    ) -> AppResult<pb::Appointment> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let owner = customers::find(&*txn, customer).await?;
        if owner.is_none_or(|c| c.dealer_id != dealer) {
            return Err(AppError::NotFound("customer"));
        }
        let car = vehicles::find(&*txn, vehicle, false).await?;
        let car = car.filter(|v| v.dealer_id == dealer).ok_or(AppError::NotFound("vehicle"))?;
        if car.owner != customer {
            return Err(AppError::invalid("vehicle_id", "is not a vehicle of this customer"));
        }
        let appointment =
            Appointment::request(dealer, complete(car.vin), &caller.subject, now).map_err(|e| match e {
                AppointmentError::BadSlot => AppError::invalid("wished_at", e.to_string()),
                other => appointment_error(other),
            })?;
        appointments::insert(&*txn, &appointment).await?;
        let b = &appointment.booking;
        let event = pb::AppointmentRequested {
            appointment_id: appointment.id.to_string(),
            dealer_id: dealer.to_string(),
            customer_id: b.customer_id.to_string(),
            vin: b.vin.to_string(),
            channel: render::channel(b.channel) as i32,
            urgent: b.urgent,
            wished_at: Some(to_timestamp(b.wished_at)),
            requested_at: Some(to_timestamp(now)),
        };
        outbox::append(&mut txn, appointment_event(&appointment, &event, now)).await?;
        let answer = render::appointment(&appointment);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Applies `change` to an appointment the caller may see; publishes the matching event.
    pub async fn change_appointment(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        change: AppointmentChange,
    ) -> AppResult<pb::Appointment> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = appointments::find(&*txn, id, true).await?;
        let mut a = found.filter(|a| caller.can_see_dealer(&a.dealer_id)).ok_or(AppError::NotFound("appointment"))?;
        let revision = a.revision;
        let event = apply(&mut a, change, &caller.subject, now).map_err(appointment_error)?;
        appointments::save(&*txn, &a, revision).await?;
        outbox::append(&mut txn, event).await?;
        let answer = render::appointment(&a);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// An appointment the caller may see.
    pub async fn appointment(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Appointment> {
        let found = appointments::find(self.db.reader(), id, false).await?;
        found.filter(|a| caller.can_see_dealer(&a.dealer_id)).ok_or(AppError::NotFound("appointment"))
    }

    /// A page of appointments.
    pub async fn appointments(
        &self,
        scope: &DealerScope,
        state: Option<AppointmentState>,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Appointment>> {
        appointments::list(self.db.reader(), scope, state, after, limit).await
    }
}

/// The domain step and the event it publishes.
fn apply(
    a: &mut Appointment,
    change: AppointmentChange,
    by: &str,
    now: DateTime<Utc>,
) -> Result<NewEvent, AppointmentError> {
    let (id, dealer) = (a.id.to_string(), a.dealer_id.to_string());
    let stamp = Some(to_timestamp(now));
    Ok(match change {
        AppointmentChange::Confirm(slot) => {
            a.confirm(slot, by, now)?;
            let e = pb::AppointmentConfirmed {
                appointment_id: id,
                dealer_id: dealer,
                slot_at: Some(to_timestamp(a.slot_at)),
                confirmed_by: by.to_string(),
                confirmed_at: stamp,
            };
            appointment_event(a, &e, now)
        }
        AppointmentChange::Reschedule(slot, reason) => {
            let previous = a.slot_at;
            a.reschedule(slot, &reason, by, now)?;
            let e = pb::AppointmentRescheduled {
                appointment_id: id,
                dealer_id: dealer,
                previous_slot_at: Some(to_timestamp(previous)),
                slot_at: Some(to_timestamp(slot)),
                reason,
            };
            appointment_event(a, &e, now)
        }
        AppointmentChange::Cancel(reason) => {
            a.cancel(&reason)?;
            let e = pb::AppointmentCancelled { appointment_id: id, dealer_id: dealer, reason, cancelled_at: stamp };
            appointment_event(a, &e, now)
        }
        AppointmentChange::NoShow => {
            a.no_show(now)?;
            let e =
                pb::AppointmentNoShow { appointment_id: id, dealer_id: dealer, slot_at: Some(to_timestamp(a.slot_at)) };
            appointment_event(a, &e, now)
        }
        AppointmentChange::FastLane { bay, technician, reserved_from } => {
            let lane = crate::domain::appointment::FastLane {
                bay: bay.clone(),
                technician: technician.clone(),
                reserved_from,
                by: by.to_string(),
                at: now,
            };
            a.arrange_fast_lane(lane)?;
            let e = pb::FastLaneArranged {
                appointment_id: id,
                dealer_id: dealer,
                bay: bay.unwrap_or_default(),
                technician_subject: technician.unwrap_or_default(),
                reserved_from: Some(to_timestamp(reserved_from)),
                arranged_at: stamp,
            };
            appointment_event(a, &e, now)
        }
        AppointmentChange::Remind { advisor_name, advisor_contact, what_to_bring, channel } => {
            let reminder = crate::domain::appointment::Reminder {
                advisor_name,
                advisor_contact,
                what_to_bring,
                channel,
                by: by.to_string(),
                at: now,
            };
            a.remind(reminder)?;
            let e = pb::AppointmentReminderSent {
                appointment_id: id,
                dealer_id: dealer,
                channel: render::reminder_channel(channel) as i32,
                sent_at: stamp,
            };
            appointment_event(a, &e, now)
        }
    })
}

fn appointment_event<E: aftersales_proto::EventMessage>(a: &Appointment, event: &E, now: DateTime<Utc>) -> NewEvent {
    NewEvent::new(event, now, EventTenant::Dealer(a.dealer_id.to_string()), "appointment", a.id.to_string())
}

fn appointment_error(error: AppointmentError) -> AppError {
    match &error {
        AppointmentError::WrongState { state, .. } => {
            AppError::precondition("APPOINTMENT_STATE", state.as_str(), error.to_string())
        }
        AppointmentError::BadSlot => AppError::invalid("slot_at", error.to_string()),
        AppointmentError::NotUrgent | AppointmentError::FastLaneArranged => {
            AppError::precondition("FAST_LANE", "requested_or_confirmed", error.to_string())
        }
        AppointmentError::NothingReserved => AppError::invalid("bay", error.to_string()),
        AppointmentError::SlotNotBegun => AppError::precondition("SLOT_NOT_BEGUN", "confirmed", error.to_string()),
    }
}
