//! What the clock's tests start from: a one-off confirmation clock (15 minutes, climbing every 30 minutes, pausable
//! while waiting for the customer) and an hourly progress clock, both on the dealer ladder, started at 08:00; and a
//! case's onsite clocks — 24 h while important (pausable), 1 h once re-classified urgent, continuing the former.

use chrono::{DateTime, TimeZone, Utc};

use super::Clock;
use crate::domain::sla::policy::PolicySet;

/// The policies.
pub const SET: &str = r#"
[[ladder]]
name = "dealer"
levels = ["assignee", "dealer_manager", "support_lead"]

[[policy]]
name = "confirmation"
subject_kind = "appointment"
start = [{ event = "E.Requested", subject = "id" }]
due = { after = "15m" }
met_by = [{ event = "E.Confirmed", subject = "id" }]
stopped_by = [{ event = "E.Cancelled", subject = "id" }]
ladder = "dealer"
re_escalate_after = "30m"
pause_reasons = ["waiting_for_customer"]

[[policy]]
name = "progress"
subject_kind = "repair_order"
start = [{ event = "E.Started", subject = "id" }]
due = { after = "1h" }
met_by = [{ event = "E.Notified", subject = "id" }]
recurrence = "1h"
ladder = "dealer"

[[policy]]
name = "onsite_important"
subject_kind = "case"
start = [{ event = "E.Classified", subject = "id" }]
due = { after = "24h" }
met_by = [{ event = "E.Onsite", subject = "id" }]
stopped_by = [{ event = "E.Reclassified", subject = "id" }]
ladder = "dealer"
pause_reasons = ["waiting_for_customer"]

[[policy]]
name = "onsite_urgent"
subject_kind = "case"
start = [{ event = "E.Reclassified", subject = "id" }]
due = { after = "1h" }
met_by = [{ event = "E.Onsite", subject = "id" }]
continues = ["onsite_important"]
ladder = "dealer"
"#;

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap()
}

/// A clock of the policy `name` of [`SET`], started at [`t0`].
pub fn clock(name: &str) -> Clock {
    clock_at(name, t0())
}

/// A clock of the policy `name` of [`SET`], started at `at`.
pub fn clock_at(name: &str, at: DateTime<Utc>) -> Clock {
    let set = PolicySet::from_toml(SET).unwrap();
    let policy = set.policy(name).unwrap();
    let due = policy.first_due(&policy.start[0], &std::collections::HashMap::new(), at).unwrap();
    Clock::start(policy, 1, set.ladder("dealer").unwrap().levels.clone(), "A-1".into(), "dealer:d".into(), at, due)
}
