//! Jobs in each state, for the rules' tests.

use aftersales_kernel::{DealerId, Hundredths, RepairOrderId, Vin};
use chrono::{DateTime, TimeZone, Utc};

use super::assign::Decision;
use super::{ApprovedOperation, ApprovedOrder, Job, TechnicianRef};

/// 2026-03-02 09:00 UTC, when the fixtures' orders are approved.
pub fn nine_am() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// An approved order with labour lines of these estimated hundredths.
pub fn approved(urgent: bool, hours: &[i64]) -> ApprovedOrder {
    let at = nine_am();
    ApprovedOrder {
        repair_order_id: RepairOrderId::new(),
        dealer_id: DealerId::new(),
        vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
        urgent,
        promised_at: at + chrono::Duration::hours(6),
        approved_at: at,
        operations: hours
            .iter()
            .map(|h| ApprovedOperation {
                line_id: uuid::Uuid::now_v7(),
                operation_code: "ENG-0420".into(),
                estimated_hours: Hundredths::from_hundredths(*h).unwrap(),
            })
            .collect(),
    }
}

/// A queued job.
pub fn queued(hours: &[i64]) -> Job {
    Job::queue(approved(false, hours), nine_am()).unwrap()
}

/// A job assigned (by an accepted suggestion) to a new technician, who is returned.
pub fn assigned(hours: &[i64]) -> (Job, TechnicianRef, DateTime<Utc>) {
    let mut job = queued(hours);
    let technician = uuid::Uuid::now_v7();
    let at = nine_am() + chrono::Duration::minutes(5);
    job.assign(
        Decision::accepting(technician, "foreman-1", "least remaining work"),
        at + chrono::Duration::hours(2),
        at,
    )
    .unwrap();
    (job, technician, at)
}

/// A started job, its technician and when it started.
pub fn started(hours: &[i64]) -> (Job, TechnicianRef, DateTime<Utc>) {
    let (mut job, technician, at) = assigned(hours);
    let at = at + chrono::Duration::minutes(5);
    job.start(super::work::Actor::Technician(technician), at).unwrap();
    (job, technician, at)
}

/// A started job with every operation clocked for an hour, its technician and the time the last clock closed.
pub fn worked(hours: &[i64]) -> (Job, TechnicianRef, DateTime<Utc>) {
    let (mut job, technician, mut at) = started(hours);
    for line in job.operations.iter().map(|op| op.line_id).collect::<Vec<_>>() {
        job.clock_on(technician, line, at).unwrap();
        at += chrono::Duration::hours(1);
        job.clock_off(at, false).unwrap();
    }
    (job, technician, at)
}

/// A self-checked job waiting for inspection.
pub fn awaiting_inspection(hours: &[i64]) -> (Job, TechnicianRef, DateTime<Utc>) {
    let (mut job, technician, at) = worked(hours);
    job.complete_self_check(technician, "torques checked", at).unwrap();
    (job, technician, at)
}
