//! Customers and vehicles on the wire.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::customer::{ContactChannel, Customer};
use crate::domain::vehicle::{MileageSource, Vehicle};

/// A contact channel on the wire.
pub fn channel(c: ContactChannel) -> pb::ContactChannel {
    match c {
        ContactChannel::Phone => pb::ContactChannel::Phone,
        ContactChannel::Sms => pb::ContactChannel::Sms,
        ContactChannel::App => pb::ContactChannel::App,
        ContactChannel::Email => pb::ContactChannel::Email,
    }
}

/// A customer on the wire.
pub fn customer(c: &Customer) -> pb::Customer {
    let d = &c.details;
    pb::Customer {
        id: c.id.to_string(),
        dealer_id: c.dealer_id.to_string(),
        name: d.name.clone(),
        phone: d.phone.as_str().to_string(),
        email: d.email.clone().unwrap_or_default(),
        address: d.address.clone().unwrap_or_default(),
        preferred_channel: channel(d.preferred_channel) as i32,
        create_time: Some(to_timestamp(c.created_at)),
        update_time: Some(to_timestamp(c.updated_at)),
        etag: format!("\"{}\"", c.revision),
    }
}

fn source(s: MileageSource) -> pb::MileageSource {
    match s {
        MileageSource::Appointment => pb::MileageSource::Appointment,
        MileageSource::CheckIn => pb::MileageSource::CheckIn,
        MileageSource::Manual => pb::MileageSource::Manual,
        MileageSource::Correction => pb::MileageSource::Correction,
    }
}

/// A vehicle on the wire.
pub fn vehicle(v: &Vehicle) -> pb::Vehicle {
    pb::Vehicle {
        id: v.id.to_string(),
        dealer_id: v.dealer_id.to_string(),
        vin: v.vin.to_string(),
        model: v.model.clone(),
        model_year: v.model_year,
        plate: v.plate.clone().unwrap_or_default(),
        owner_customer_id: v.owner.to_string(),
        mileage_km: v.mileage_km(),
        mileage_history: v
            .readings
            .iter()
            .map(|r| pb::MileageReading {
                km: r.km,
                source: source(r.source) as i32,
                recorded_by: r.recorded_by.clone(),
                recorded_at: Some(to_timestamp(r.recorded_at)),
                corrected_from_km: r.correction.as_ref().map_or(0, |(from, _)| *from),
                reason: r.correction.as_ref().map(|(_, why)| why.clone()).unwrap_or_default(),
            })
            .collect(),
        create_time: Some(to_timestamp(v.created_at)),
        etag: format!("\"{}\"", v.revision),
    }
}
