//! The directory on the wire.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;
use chrono::Weekday;

use crate::domain::directory::{Dealer, StaffMember, StaffRole};

/// A weekday on the wire.
pub fn weekday(day: Weekday) -> pb::Weekday {
    match day {
        Weekday::Mon => pb::Weekday::Monday,
        Weekday::Tue => pb::Weekday::Tuesday,
        Weekday::Wed => pb::Weekday::Wednesday,
        Weekday::Thu => pb::Weekday::Thursday,
        Weekday::Fri => pb::Weekday::Friday,
        Weekday::Sat => pb::Weekday::Saturday,
        Weekday::Sun => pb::Weekday::Sunday,
    }
}

/// A staff role on the wire.
pub fn staff_role(role: StaffRole) -> pb::StaffRole {
    match role {
        StaffRole::ServiceAdvisor => pb::StaffRole::ServiceAdvisor,
        StaffRole::Foreman => pb::StaffRole::Foreman,
        StaffRole::Technician => pb::StaffRole::Technician,
        StaffRole::QcInspector => pb::StaffRole::QcInspector,
        StaffRole::PartsClerk => pb::StaffRole::PartsClerk,
        StaffRole::DealerManager => pb::StaffRole::DealerManager,
    }
}

/// A dealer on the wire.
pub fn dealer(d: &Dealer) -> pb::Dealer {
    let p = &d.profile;
    pb::Dealer {
        dealer_id: d.id.to_string(),
        name: p.name.clone(),
        region: p.region.clone(),
        time_zone: p.time_zone.name().to_string(),
        opening_hours: p
            .opening_hours
            .iter()
            .map(|i| pb::OpeningHours {
                day: weekday(i.day) as i32,
                opens: i.opens.format("%H:%M").to_string(),
                closes: i.closes.format("%H:%M").to_string(),
            })
            .collect(),
        currency_code: p.currency.to_string(),
        tax_rate_basis_points: p.tax_rate_bp,
        invoice_prefix: p.invoice_prefix.clone(),
        active: p.active,
        create_time: Some(to_timestamp(d.created_at)),
        update_time: Some(to_timestamp(d.updated_at)),
        etag: format!("\"{}\"", d.revision),
    }
}

/// A staff member on the wire.
pub fn staff_member(m: &StaffMember) -> pb::StaffMember {
    pb::StaffMember {
        subject: m.subject.clone(),
        dealer_id: m.dealer_id.to_string(),
        name: m.profile.name.clone(),
        role: staff_role(m.profile.role) as i32,
        contact: m.profile.contact.clone(),
        active: m.profile.active,
        create_time: Some(to_timestamp(m.created_at)),
        update_time: Some(to_timestamp(m.updated_at)),
        etag: format!("\"{}\"", m.revision),
    }
}
