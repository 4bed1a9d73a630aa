//! Clocks and policy versions on the wire.

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::to_timestamp;
use chrono::{DateTime, Utc};

use crate::app::tenant;
use crate::domain::sla::{Clock, ClockStatus, Entry, PolicySet};
use crate::store::sla::PolicyVersion;

/// A published version with its set in TOML form.
pub fn version(v: &PolicyVersion) -> pb::PolicyVersion {
    pb::PolicyVersion {
        version: v.version,
        note: v.note.clone(),
        published_by: v.published_by.clone(),
        publish_time: Some(to_timestamp(v.published_at)),
        policies_toml: toml::to_string(&v.set).unwrap_or_default(),
        policy_names: v.set.policies.iter().map(|p| p.name.clone()).collect(),
    }
}

fn status(s: &ClockStatus) -> pb::ClockStatus {
    match s {
        ClockStatus::Running => pb::ClockStatus::Running,
        ClockStatus::Paused { .. } => pb::ClockStatus::Paused,
        ClockStatus::Met => pb::ClockStatus::Met,
        ClockStatus::Stopped => pb::ClockStatus::Stopped,
        ClockStatus::Waived => pb::ClockStatus::Waived,
    }
}

fn entry(e: &Entry) -> pb::ClockEntry {
    let base = |kind: &str, at: &DateTime<Utc>| pb::ClockEntry {
        kind: kind.to_string(),
        time: Some(to_timestamp(*at)),
        ..Default::default()
    };
    match e {
        Entry::Started { at, due_at } => {
            pb::ClockEntry { due_time: Some(to_timestamp(*due_at)), ..base("started", at) }
        }
        Entry::Met { period, at, late_by_seconds } => {
            pb::ClockEntry { period: *period, late_by_seconds: *late_by_seconds, ..base("met", at) }
        }
        Entry::Breached { period, due_at, fired_at } => {
            pb::ClockEntry { period: *period, fire_time: Some(to_timestamp(*fired_at)), ..base("breached", due_at) }
        }
        Entry::Escalated { level, role, at } => {
            pb::ClockEntry { level: *level, role: role.clone(), ..base("escalated", at) }
        }
        Entry::Paused { reason, by, at } => {
            pb::ClockEntry { reason: reason.clone(), by: by.clone(), ..base("paused", at) }
        }
        Entry::Resumed { by, at, paused_seconds } => {
            pb::ClockEntry { by: by.clone(), paused_seconds: *paused_seconds, ..base("resumed", at) }
        }
        Entry::Continued { from_clock, from_policy, counted_seconds, at } => pb::ClockEntry {
            continued_clock_id: from_clock.to_string(),
            reason: from_policy.clone(),
            counted_seconds: *counted_seconds,
            ..base("continued", at)
        },
        Entry::Stopped { at } => base("stopped", at),
        Entry::Waived { reason, by, at } => {
            pb::ClockEntry { reason: reason.clone(), by: by.clone(), ..base("waived", at) }
        }
    }
}

fn paused_seconds(c: &Clock) -> i64 {
    c.history.iter().map(|e| if let Entry::Resumed { paused_seconds, .. } = e { *paused_seconds } else { 0 }).sum()
}

/// A clock, explained: its rule and everything that happened to it.
pub fn explanation(c: &Clock, set: &PolicySet) -> pb::ClockExplanation {
    pb::ClockExplanation {
        clock_id: c.id.to_string(),
        policy: c.policy.clone(),
        version: c.version,
        rule: set.policy(&c.policy).map(|p| p.description.clone()).unwrap_or_default(),
        subject_kind: c.subject_kind.clone(),
        subject_id: c.subject_id.clone(),
        tenant_id: tenant::id(&c.tenant).to_string(),
        status: status(&c.status) as i32,
        start_time: Some(to_timestamp(c.started_at)),
        due_time: Some(to_timestamp(c.due_at)),
        period: c.period,
        level: c.level,
        next_fire_time: c.next_fire_at.map(to_timestamp),
        history: c.history.iter().map(entry).collect(),
        paused_seconds: paused_seconds(c),
    }
}

/// When the clock climbed to `level`.
pub fn escalated_at(c: &Clock, level: i32) -> Option<DateTime<Utc>> {
    c.history.iter().rev().find_map(|e| match e {
        Entry::Escalated { level: l, at, .. } if *l == level => Some(*at),
        _ => None,
    })
}

/// The event of an ended clock.
pub fn closed(c: &Clock, now: DateTime<Utc>) -> pb::ClockClosed {
    let late_by = c.history.iter().rev().find_map(|e| match e {
        Entry::Met { late_by_seconds, .. } => Some(*late_by_seconds),
        _ => None,
    });
    let outcome = match (&c.status, late_by) {
        (ClockStatus::Met, Some(late)) if late > 0 => pb::ClockOutcome::MetLate,
        (ClockStatus::Met, _) => pb::ClockOutcome::MetOnTime,
        (ClockStatus::Waived, _) => pb::ClockOutcome::Waived,
        _ => pb::ClockOutcome::Stopped,
    };
    pb::ClockClosed {
        clock_id: c.id.to_string(),
        policy: c.policy.clone(),
        version: c.version,
        subject_kind: c.subject_kind.clone(),
        subject_id: c.subject_id.clone(),
        tenant_id: tenant::id(&c.tenant).to_string(),
        outcome: outcome as i32,
        late_by_seconds: late_by.unwrap_or(0),
        breaches: c.history.iter().filter(|e| matches!(e, Entry::Breached { .. })).count() as i32,
        paused_seconds: paused_seconds(c),
        closed_at: Some(to_timestamp(now)),
    }
}
