//! Appointments on the wire.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::appointment::{Appointment, AppointmentChannel, AppointmentState, ReminderChannel};

/// A channel on the wire.
pub fn channel(c: AppointmentChannel) -> pb::AppointmentChannel {
    match c {
        AppointmentChannel::Store => pb::AppointmentChannel::Store,
        AppointmentChannel::App => pb::AppointmentChannel::App,
        AppointmentChannel::Hotline => pb::AppointmentChannel::Hotline,
    }
}

/// A reminder channel on the wire.
pub fn reminder_channel(c: ReminderChannel) -> pb::ReminderChannel {
    match c {
        ReminderChannel::Phone => pb::ReminderChannel::Phone,
        ReminderChannel::Sms => pb::ReminderChannel::Sms,
        ReminderChannel::App => pb::ReminderChannel::App,
    }
}

/// A state on the wire.
pub fn state(s: AppointmentState) -> pb::AppointmentState {
    match s {
        AppointmentState::Requested => pb::AppointmentState::Requested,
        AppointmentState::Confirmed => pb::AppointmentState::Confirmed,
        AppointmentState::CheckedIn => pb::AppointmentState::CheckedIn,
        AppointmentState::NoShow => pb::AppointmentState::NoShow,
        AppointmentState::Cancelled => pb::AppointmentState::Cancelled,
    }
}

/// An appointment on the wire.
pub fn appointment(a: &Appointment) -> pb::Appointment {
    let b = &a.booking;
    pb::Appointment {
        id: a.id.to_string(),
        dealer_id: a.dealer_id.to_string(),
        customer_id: b.customer_id.to_string(),
        vehicle_id: b.vehicle_id.to_string(),
        vin: b.vin.to_string(),
        channel: channel(b.channel) as i32,
        fault_description: b.fault_description.clone(),
        urgent: b.urgent,
        wished_at: Some(to_timestamp(b.wished_at)),
        slot_at: Some(to_timestamp(a.slot_at)),
        state: state(a.state) as i32,
        requested_by: a.requested_by.clone(),
        requested_at: Some(to_timestamp(a.requested_at)),
        confirmed_by: a.confirmed.as_ref().map(|(by, _)| by.clone()).unwrap_or_default(),
        confirmed_at: a.confirmed.as_ref().map(|(_, at)| to_timestamp(*at)),
        slot_changes: a
            .slot_changes
            .iter()
            .map(|c| pb::SlotChange {
                previous_slot_at: Some(to_timestamp(c.previous)),
                new_slot_at: Some(to_timestamp(c.new)),
                reason: c.reason.clone(),
                changed_by: c.by.clone(),
                at: Some(to_timestamp(c.at)),
            })
            .collect(),
        fast_lane: a.fast_lane.as_ref().map(|l| pb::FastLane {
            bay: l.bay.clone().unwrap_or_default(),
            technician_subject: l.technician.clone().unwrap_or_default(),
            reserved_from: Some(to_timestamp(l.reserved_from)),
            arranged_by: l.by.clone(),
            arranged_at: Some(to_timestamp(l.at)),
        }),
        reminders: a
            .reminders
            .iter()
            .map(|r| pb::Reminder {
                advisor_name: r.advisor_name.clone(),
                advisor_contact: r.advisor_contact.clone(),
                what_to_bring: r.what_to_bring.clone(),
                channel: reminder_channel(r.channel) as i32,
                sent_by: r.by.clone(),
                sent_at: Some(to_timestamp(r.at)),
            })
            .collect(),
        cancellation_reason: a.cancellation_reason.clone().unwrap_or_default(),
        etag: format!("\"{}\"", a.revision),
    }
}
