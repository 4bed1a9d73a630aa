//! Check-ins on the wire.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::check_in::CheckIn;

/// A check-in on the wire.
pub fn check_in(c: &CheckIn) -> pb::CheckInRecord {
    let w = &c.walk_around;
    pb::CheckInRecord {
        id: c.id.to_string(),
        dealer_id: c.dealer_id.to_string(),
        appointment_id: c.appointment_id.map(|a| a.to_string()).unwrap_or_default(),
        customer_id: c.customer_id.to_string(),
        vehicle_id: c.vehicle_id.to_string(),
        vin: c.vin.to_string(),
        mileage_km: w.mileage_km,
        fuel_level_percent: w.fuel_level_percent,
        exterior_damage: w
            .exterior_damage
            .iter()
            .map(|d| pb::PanelDamage { panel: d.panel.clone(), description: d.description.clone() })
            .collect(),
        interior_notes: w.interior_notes.clone(),
        belongings: w.belongings.clone(),
        fault_symptoms: w.fault_symptoms.clone(),
        could_not_reproduce: w.could_not_reproduce,
        photo_references: w.photo_references.clone(),
        checked_in_by: c.by.clone(),
        checked_in_at: Some(to_timestamp(c.at)),
    }
}
