//! Appointments (预约, DOMAIN.md Reception 1). The state machine in one place: `requested → confirmed →
//! checked_in | no_show`, `cancelled` from requested or confirmed. A reschedule keeps every earlier slot with its
//! reason; the fast lane (a bay or a technician reserved) is for urgent appointments only, once; reminders carry the
//! advisor's name and contact and what to bring; a no-show only once the slot has begun.

use aftersales_kernel::{DealerId, Vin};
use chrono::{DateTime, Utc};

/// How the appointment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentChannel {
    /// At the dealer.
    Store,
    /// In the app.
    App,
    /// On the phone.
    Hotline,
}

/// Where an appointment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentState {
    /// Waiting for confirmation.
    Requested,
    /// Confirmed.
    Confirmed,
    /// The car came in.
    CheckedIn,
    /// The customer did not come.
    NoShow,
    /// Cancelled.
    Cancelled,
}

impl AppointmentState {
    /// Stable name, stored and shown in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentState::Requested => "requested",
            AppointmentState::Confirmed => "confirmed",
            AppointmentState::CheckedIn => "checked_in",
            AppointmentState::NoShow => "no_show",
            AppointmentState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<AppointmentState> {
        use AppointmentState::*;
        [Requested, Confirmed, CheckedIn, NoShow, Cancelled].into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the state machine allows `self → next`.
    pub fn may_become(self, next: AppointmentState) -> bool {
        use AppointmentState::*;
        match self {
            Requested => matches!(next, Confirmed | Cancelled),
            Confirmed => matches!(next, CheckedIn | NoShow | Cancelled),
            CheckedIn | NoShow | Cancelled => false,
        }
    }

    /// Still ahead of the customer's visit.
    pub fn is_open(self) -> bool {
        matches!(self, AppointmentState::Requested | AppointmentState::Confirmed)
    }
}

/// A slot moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotChange {
    /// Before.
    pub previous: DateTime<Utc>,
    /// After.
    pub new: DateTime<Utc>,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The fast lane arranged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastLane {
    /// A bay, if reserved.
    pub bay: Option<String>,
    /// A technician, if reserved.
    pub technician: Option<String>,
    /// From when.
    pub reserved_from: DateTime<Utc>,
    /// Who arranged it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// How a reminder went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderChannel {
    /// A call.
    Phone,
    /// A text message.
    Sms,
    /// The app.
    App,
}

/// A reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The advisor's name as told.
    pub advisor_name: String,
    /// The advisor's contact as told.
    pub advisor_contact: String,
    /// What to bring.
    pub what_to_bring: String,
    /// How.
    pub channel: ReminderChannel,
    /// Who sent it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// What booking needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    /// The customer.
    pub customer_id: uuid::Uuid,
    /// The vehicle.
    pub vehicle_id: uuid::Uuid,
    /// Its VIN.
    pub vin: Vin,
    /// How it was made.
    pub channel: AppointmentChannel,
    /// The customer's words.
    pub fault_description: String,
    /// Car will not start / safety.
    pub urgent: bool,
    /// The wished slot.
    pub wished_at: DateTime<Utc>,
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentError {
    /// Not from this state.
    #[error("an appointment that is {} cannot be {what}", .state.as_str())]
    WrongState {
        /// The state.
        state: AppointmentState,
        /// What was tried.
        what: &'static str,
    },
    /// A slot in the past or the current one.
    #[error("must be in the future and another slot than the current one")]
    BadSlot,
    /// The fast lane is for urgent appointments.
    #[error("the fast lane is for urgent appointments only")]
    NotUrgent,
    /// The fast lane is arranged once.
    #[error("the fast lane is already arranged")]
    FastLaneArranged,
    /// Neither a bay nor a technician.
    #[error("a bay or a technician must be reserved")]
    NothingReserved,
    /// A no-show before the slot began.
    #[error("the slot has not begun")]
    SlotNotBegun,
}

/// An appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// What was booked.
    pub booking: NewAppointment,
    /// The slot now.
    pub slot_at: DateTime<Utc>,
    /// Where it is.
    pub state: AppointmentState,
    /// Who booked it.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// Who confirmed it, when.
    pub confirmed: Option<(String, DateTime<Utc>)>,
    /// Slot changes.
    pub slot_changes: Vec<SlotChange>,
    /// The fast lane.
    pub fast_lane: Option<FastLane>,
    /// Reminders.
    pub reminders: Vec<Reminder>,
    /// Why cancelled.
    pub cancellation_reason: Option<String>,
    /// Bumped by every change.
    pub revision: i64,
}

impl Appointment {
    /// Books `booking` now; the wished slot must lie ahead.
    pub fn request(
        dealer_id: DealerId,
        booking: NewAppointment,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Appointment, AppointmentError> {
        if booking.wished_at <= now {
            return Err(AppointmentError::BadSlot);
        }
        Ok(Appointment {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            slot_at: booking.wished_at,
            booking,
            state: AppointmentState::Requested,
            requested_by: by.to_string(),
            requested_at: now,
            confirmed: None,
            slot_changes: Vec::new(),
            fast_lane: None,
            reminders: Vec::new(),
            cancellation_reason: None,
            revision: 1,
        })
    }

    fn become_(&mut self, next: AppointmentState, what: &'static str) -> Result<(), AppointmentError> {
        if !self.state.may_become(next) {
            return Err(AppointmentError::WrongState { state: self.state, what });
        }
        self.state = next;
        self.revision += 1;
        Ok(())
    }

    fn require_open(&self, what: &'static str) -> Result<(), AppointmentError> {
        if self.state.is_open() { Ok(()) } else { Err(AppointmentError::WrongState { state: self.state, what }) }
    }

    /// The dealer confirms, at `slot` (the wished one if `None`).
    pub fn confirm(
        &mut self,
        slot: Option<DateTime<Utc>>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppointmentError> {
        let slot = slot.unwrap_or(self.slot_at);
        if slot <= now {
            return Err(AppointmentError::BadSlot);
        }
        self.become_(AppointmentState::Confirmed, "confirmed")?;
        self.slot_at = slot;
        self.confirmed = Some((by.to_string(), now));
        Ok(())
    }

    /// Moves the slot, keeping the old one.
    pub fn reschedule(
        &mut self,
        slot: DateTime<Utc>,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppointmentError> {
        self.require_open("rescheduled")?;
        if slot <= now || slot == self.slot_at {
            return Err(AppointmentError::BadSlot);
        }
        let previous = std::mem::replace(&mut self.slot_at, slot);
        self.slot_changes.push(SlotChange { previous, new: slot, reason: reason.into(), by: by.into(), at: now });
        self.revision += 1;
        Ok(())
    }

    /// Cancels, with a reason.
    pub fn cancel(&mut self, reason: &str) -> Result<(), AppointmentError> {
        self.become_(AppointmentState::Cancelled, "cancelled")?;
        self.cancellation_reason = Some(reason.to_string());
        Ok(())
    }

    /// The customer did not come, once the slot began.
    pub fn no_show(&mut self, now: DateTime<Utc>) -> Result<(), AppointmentError> {
        if self.state == AppointmentState::Confirmed && now < self.slot_at {
            return Err(AppointmentError::SlotNotBegun);
        }
        self.become_(AppointmentState::NoShow, "marked a no-show")
    }

    /// The car came in (check-in).
    pub fn check_in(&mut self) -> Result<(), AppointmentError> {
        self.become_(AppointmentState::CheckedIn, "checked in")
    }

    /// Reserves a bay or a technician for an urgent appointment.
    pub fn arrange_fast_lane(&mut self, lane: FastLane) -> Result<(), AppointmentError> {
        self.require_open("given a fast lane")?;
        if !self.booking.urgent {
            return Err(AppointmentError::NotUrgent);
        }
        if self.fast_lane.is_some() {
            return Err(AppointmentError::FastLaneArranged);
        }
        if lane.bay.is_none() && lane.technician.is_none() {
            return Err(AppointmentError::NothingReserved);
        }
        self.fast_lane = Some(lane);
        self.revision += 1;
        Ok(())
    }

    /// Records a reminder sent.
    pub fn remind(&mut self, reminder: Reminder) -> Result<(), AppointmentError> {
        self.require_open("reminded")?;
        self.reminders.push(reminder);
        self.revision += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn booking(urgent: bool) -> NewAppointment {
        NewAppointment {
            customer_id: uuid::Uuid::now_v7(),
            vehicle_id: uuid::Uuid::now_v7(),
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            channel: AppointmentChannel::App,
            fault_description: "will not start".into(),
            urgent,
            wished_at: now() + chrono::Duration::hours(3),
        }
    }

    fn lane() -> FastLane {
        FastLane { bay: Some("Bay 2".into()), technician: None, reserved_from: now(), by: "a".into(), at: now() }
    }

    #[test]
    fn a_booking_is_confirmed_at_the_wished_slot_or_another() {
        let mut a = Appointment::request(DealerId::new(), booking(false), "advisor", now()).unwrap();
        assert_eq!(a.state, AppointmentState::Requested);
        a.confirm(None, "advisor", now()).unwrap();
        assert_eq!((a.state, a.slot_at), (AppointmentState::Confirmed, now() + chrono::Duration::hours(3)));
        assert!(matches!(a.confirm(None, "advisor", now()), Err(AppointmentError::WrongState { .. })));
    }

    #[test]
    fn a_wish_in_the_past_is_refused() {
        let mut past = booking(false);
        past.wished_at = now() - chrono::Duration::minutes(1);
        assert_eq!(Appointment::request(DealerId::new(), past, "a", now()), Err(AppointmentError::BadSlot));
    }

    #[test]
    fn a_reschedule_keeps_the_earlier_slot_and_its_reason() {
        let mut a = Appointment::request(DealerId::new(), booking(false), "a", now()).unwrap();
        let later = now() + chrono::Duration::days(1);
        a.reschedule(later, "customer travels", "a", now()).unwrap();
        assert_eq!(a.slot_changes[0].previous, now() + chrono::Duration::hours(3));
        assert_eq!(a.reschedule(later, "again", "a", now()), Err(AppointmentError::BadSlot), "the same slot");
    }

    #[test]
    fn the_fast_lane_is_for_urgent_appointments_once() {
        let mut calm = Appointment::request(DealerId::new(), booking(false), "a", now()).unwrap();
        assert_eq!(calm.arrange_fast_lane(lane()), Err(AppointmentError::NotUrgent));
        let mut urgent = Appointment::request(DealerId::new(), booking(true), "a", now()).unwrap();
        let empty = FastLane { bay: None, ..lane() };
        assert_eq!(urgent.arrange_fast_lane(empty), Err(AppointmentError::NothingReserved));
        urgent.arrange_fast_lane(lane()).unwrap();
        assert_eq!(urgent.arrange_fast_lane(lane()), Err(AppointmentError::FastLaneArranged));
    }

    #[test]
    fn a_no_show_only_once_the_slot_began_and_closed_appointments_take_nothing_more() {
        let mut a = Appointment::request(DealerId::new(), booking(false), "a", now()).unwrap();
        a.confirm(None, "a", now()).unwrap();
        assert_eq!(a.no_show(now()), Err(AppointmentError::SlotNotBegun));
        a.no_show(a.slot_at).unwrap();
        assert!(matches!(a.cancel("x"), Err(AppointmentError::WrongState { state: AppointmentState::NoShow, .. })));
        assert!(matches!(a.check_in(), Err(AppointmentError::WrongState { .. })));
    }

    #[test]
    fn cancelled_is_final() {
        let mut a = Appointment::request(DealerId::new(), booking(true), "a", now()).unwrap();
        a.cancel("sold the car").unwrap();
        assert!(a.arrange_fast_lane(lane()).is_err());
        assert!(a.confirm(None, "a", now()).is_err());
    }
}
