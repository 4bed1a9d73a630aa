//! SLA policies are data (DOMAIN.md, "A policy is data"). A policy names:
//! - the event(s) that start a clock and the field naming its subject (a clock per policy and subject);
//! - an optional condition on the starting event's fields (all must hold);
//! - the due rule: the event's time + a duration, or a time field of the event ± a duration;
//! - the events that meet it and those that stop it, each with its subject field (and optional conditions);
//! - an optional recurrence (a fixed schedule from the start; each period needs its own meeting event);
//! - the pause reasons allowed (none: the clock cannot be paused);
//! - the business calendar (24×7);
//! - the ladder it climbs and how often it climbs again while unmet;
//! - the policies it continues on re-classification (their counted time counts towards its target).
//!
//! A set of policies is published as a whole under a version; a clock keeps the version it started under.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::fields::{FieldValue, Fields};
use super::span::Span;

/// An event and the field of it that names the clock's subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The event's full protobuf name, e.g. `aftersales.reception.v1.AppointmentRequested`.
    pub event: String,
    /// The field holding the subject id, e.g. `appointment_id`.
    pub subject: String,
    /// For a starting event under a time-field due rule: this event's time field, when it is not the rule's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The event counts only when all of these hold on it (e.g. a re-classification stops a clock only when it
    /// raises the severity past the clock's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// =
    Eq,
    /// ≠
    Ne,
    /// >
    Gt,
    /// ≥
    Ge,
    /// <
    Lt,
    /// ≤
    Le,
}

/// A literal a condition compares with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    /// true / false.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string (or an enum value's name).
    Text(String),
}

/// One test on a field of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The field.
    pub field: String,
    /// The comparison.
    pub op: Op,
    /// The value.
    pub value: Literal,
}

impl Condition {
    /// Whether `event` has the field, of the kind of the value compared with.
    fn fits(&self, schema: &dyn Schema, event: &str) -> bool {
        matches!(
            (schema.field(event, &self.field), &self.value),
            (Some(FieldKind::Bool), Literal::Bool(_))
                | (Some(FieldKind::Int), Literal::Int(_))
                | (Some(FieldKind::Text), Literal::Text(_))
        )
    }

    /// Whether the event satisfies it (a missing field or a value of another kind does not).
    pub fn holds(&self, event: &dyn Fields) -> bool {
        let Some(actual) = event.get(&self.field) else { return false };
        let ordering = match (&actual, &self.value) {
            (FieldValue::Bool(a), Literal::Bool(b)) => a.cmp(b),
            (FieldValue::Int(a), Literal::Int(b)) => a.cmp(b),
            (FieldValue::Text(a), Literal::Text(b)) => a.cmp(b),
            _ => return false,
        };
        match self.op {
            Op::Eq => ordering.is_eq(),
            Op::Ne => ordering.is_ne(),
            Op::Gt => ordering.is_gt(),
            Op::Ge => ordering.is_ge(),
            Op::Lt => ordering.is_lt(),
            Op::Le => ordering.is_le(),
        }
    }
}

/// When a clock is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DueRule {
    /// The starting event's time + `after`.
    After {
        /// The duration.
        after: Span,
    },
    /// A time field of the starting event + `offset` (negative: before it).
    AtField {
        /// The field.
        field: String,
        /// The offset.
        #[serde(default)]
        offset: Span,
    },
}

/// The business calendar due times count in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Calendar {
    /// Every hour counts.
    #[default]
    #[serde(rename = "24x7")]
    AllHours,
    /// Only the dealer's opening hours count (from its entry in reception's directory).
    #[serde(rename = "dealer_hours")]
    DealerHours,
}

/// A ladder: who is told at each level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// Its name (`dealer`, `oem`, `supplier`).
    pub name: String,
    /// Level 0 is the assignee; each breach or re-escalation climbs one level.
    pub levels: Vec<String>,
}

/// One policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Unique name, e.g. `appointment_confirmation`.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// What kind of subject its clocks belong to (`appointment`, `repair_order`, ...).
    pub subject_kind: String,
    /// The events that start a clock.
    pub start: Vec<Trigger>,
    /// All must hold on the starting event.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// When it is due.
    pub due: DueRule,
    /// The events that meet it.
    #[serde(default)]
    pub met_by: Vec<Trigger>,
    /// The events that stop it (neither met nor missed).
    #[serde(default)]
    pub stopped_by: Vec<Trigger>,
    /// The events that waive it (special circumstances, approved): their text fields `reason` and `decided_by` are
    /// the waiver's reason and who approved it. Reports count waived clocks apart from on time and late.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waived_by: Vec<Trigger>,
    /// A period: the clock re-arms every period from its start, each needing its own meeting event.
    #[serde(default)]
    pub recurrence: Option<Span>,
    /// A starting event for a subject whose clock runs re-arms it with the new due time (else it is ignored).
    #[serde(default)]
    pub rearm_on_start: bool,
    /// A starting event for a subject whose clock was stopped starts it again (a recurring clock in its next
    /// period): work resumed on the subject resumes its clock (else the event is ignored).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restart_stopped: bool,
    /// The pause reasons allowed; none: no pausing.
    #[serde(default)]
    pub pause_reasons: Vec<String>,
    /// The calendar.
    #[serde(default)]
    pub calendar: Calendar,
    /// The ladder's name.
    pub ladder: String,
    /// While unmet after a breach, climb one more level this often.
    #[serde(default)]
    pub re_escalate_after: Option<Span>,
    /// Re-classification: a clock of this policy starting for a subject whose clock of one of these policies was
    /// stopped continues it — the time that clock counted (paused time excepted) counts towards this one's target.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continues: Vec<String>,
}

/// The fields a waiving event carries: why, and who approved it.
pub const WAIVER_FIELDS: [&str; 2] = ["reason", "decided_by"];

/// The type of a field as the event's schema declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// bool.
    Bool,
    /// An integer or an enum.
    Int,
    /// A string or an enum.
    Text,
    /// A timestamp.
    Time,
    /// Anything else (messages, lists, bytes, floats).
    Other,
}

/// What policies may name: the events and their fields.
pub trait Schema {
    /// The kind of `path` in `event`; None when the event or the field does not exist.
    fn field(&self, event: &str, path: &str) -> Option<FieldKind>;
}

/// Why a policy set cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    /// Where, e.g. `policy[2].met_by[0].event`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A version's policies and ladders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PolicySet {
    /// The ladders.
    #[serde(default, rename = "ladder")]
    pub ladders: Vec<Ladder>,
    /// The policies.
    #[serde(default, rename = "policy")]
    pub policies: Vec<Policy>,
}

impl PolicySet {
    /// Parses the TOML form (`[[ladder]]` and `[[policy]]` tables).
    pub fn from_toml(text: &str) -> Result<PolicySet, PolicyError> {
        toml::from_str(text).map_err(|e| PolicyError { path: "policies".into(), message: e.message().to_string() })
    }

    /// Adds another file's ladders and policies.
    pub fn merge(&mut self, other: PolicySet) {
        self.ladders.extend(other.ladders);
        self.policies.extend(other.policies);
    }

    /// The ladder named `name`.
    pub fn ladder(&self, name: &str) -> Option<&Ladder> {
        self.ladders.iter().find(|l| l.name == name)
    }

    /// The policy named `name`.
    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.name == name)
    }

    /// Checks every rule of the form against the events' schema; the first problem found.
    pub fn check(&self, schema: &dyn Schema) -> Result<(), PolicyError> {
        let fail = |path: String, message: &str| Err(PolicyError { path, message: message.to_string() });
        let mut ladders = BTreeSet::new();
        for (i, ladder) in self.ladders.iter().enumerate() {
            if !ladders.insert(ladder.name.as_str()) {
                return fail(format!("ladder[{i}].name"), "names a ladder twice");
            }
            if ladder.levels.len() < 2 {
                return fail(format!("ladder[{i}].levels"), "needs the assignee and at least one level above");
            }
        }
        let mut names = BTreeSet::new();
        for (i, p) in self.policies.iter().enumerate() {
            let at = |what: &str| format!("policy[{i}].{what}");
            if p.name.is_empty() || !p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                return fail(at("name"), "must be lower-case letters, digits and '_'");
            }
            if !names.insert(p.name.as_str()) {
                return fail(at("name"), "names a policy twice");
            }
            if p.subject_kind.is_empty() {
                return fail(at("subject_kind"), "is required");
            }
            if p.start.is_empty() {
                return fail(at("start"), "needs at least one starting event");
            }
            if p.met_by.is_empty() && p.recurrence.is_none() {
                return fail(at("met_by"), "needs at least one meeting event");
            }
            let lists = [
                ("start", &p.start),
                ("met_by", &p.met_by),
                ("stopped_by", &p.stopped_by),
                ("waived_by", &p.waived_by),
            ];
            for (list, triggers) in lists {
                for (j, t) in triggers.iter().enumerate() {
                    for (k, c) in t.conditions.iter().enumerate() {
                        if !c.fits(schema, &t.event) {
                            return fail(
                                format!("policy[{i}].{list}[{j}].conditions[{k}]"),
                                "names no field of that kind in the event",
                            );
                        }
                    }
                    match schema.field(&t.event, &t.subject) {
                        None if schema.field(&t.event, "").is_none() => {
                            return fail(format!("policy[{i}].{list}[{j}].event"), "is not an event of the suite");
                        }
                        Some(FieldKind::Text) => {}
                        _ => {
                            return fail(
                                format!("policy[{i}].{list}[{j}].subject"),
                                "is not a text field of the event",
                            );
                        }
                    }
                }
            }
            for (j, t) in p.waived_by.iter().enumerate() {
                for field in WAIVER_FIELDS {
                    if schema.field(&t.event, field) != Some(FieldKind::Text) {
                        return fail(
                            format!("policy[{i}].waived_by[{j}].event"),
                            "needs the text fields `reason` and `decided_by`",
                        );
                    }
                }
            }
            for (j, c) in p.conditions.iter().enumerate() {
                if !p.start.iter().all(|t| c.fits(schema, &t.event)) {
                    return fail(
                        at(&format!("conditions[{j}]")),
                        "names no field of that kind in every starting event",
                    );
                }
            }
            match &p.due {
                DueRule::After { after } if !after.is_positive() => return fail(at("due.after"), "must be positive"),
                DueRule::AtField { field, .. } => {
                    let time = |t: &Trigger| schema.field(&t.event, t.time.as_deref().unwrap_or(field));
                    if !p.start.iter().all(|t| time(t) == Some(FieldKind::Time)) {
                        return fail(at("due.field"), "is not a time field of every starting event");
                    }
                }
                DueRule::After { .. } => {}
            }
            if p.calendar == Calendar::DealerHours
                && (p.recurrence.is_some() || !matches!(p.due, DueRule::After { .. }))
            {
                return fail(
                    at("calendar"),
                    "dealer hours count only a duration after the event (not a time field or a recurrence)",
                );
            }
            if p.recurrence.is_some_and(|r| !r.is_positive()) {
                return fail(at("recurrence"), "must be positive");
            }
            if p.re_escalate_after.is_some_and(|r| !r.is_positive()) {
                return fail(at("re_escalate_after"), "must be positive");
            }
            if self.ladder(&p.ladder).is_none() {
                return fail(at("ladder"), "names no ladder of the set");
            }
        }
        for (i, p) in self.policies.iter().enumerate() {
            for (j, name) in p.continues.iter().enumerate() {
                if name == &p.name || self.policy(name).is_none_or(|other| other.subject_kind != p.subject_kind) {
                    return fail(
                        format!("policy[{i}].continues[{j}]"),
                        "names no other policy of the set with the same subject kind",
                    );
                }
            }
        }
        Ok(())
    }
}

impl Policy {
    /// Whether `event` (of type `event_type`) starts one of this policy's clocks: its subject and when it is first
    /// due (None when the event lacks the time its due rule reads).
    pub fn starts(
        &self,
        event_type: &str,
        event: &dyn Fields,
        occurred_at: chrono::DateTime<chrono::Utc>,
    ) -> Option<(String, chrono::DateTime<chrono::Utc>)> {
        let trigger = self.start.iter().find(|t| t.fires(event_type, event))?;
        if !self.conditions.iter().all(|c| c.holds(event)) {
            return None;
        }
        Some((subject_of(trigger, event)?, self.first_due(trigger, event, occurred_at)?))
    }

    /// The subject a meeting event of this type meets, if it is one.
    pub fn meets(&self, event_type: &str, event: &dyn Fields) -> Option<String> {
        self.met_by.iter().find(|t| t.fires(event_type, event)).and_then(|t| subject_of(t, event))
    }

    /// The subject a waiving event of this type waives, if it is one.
    pub fn waives(&self, event_type: &str, event: &dyn Fields) -> Option<String> {
        self.waived_by.iter().find(|t| t.fires(event_type, event)).and_then(|t| subject_of(t, event))
    }

    /// The subject a stopping event of this type stops, if it is one.
    pub fn stops(&self, event_type: &str, event: &dyn Fields) -> Option<String> {
        self.stopped_by.iter().find(|t| t.fires(event_type, event)).and_then(|t| subject_of(t, event))
    }

    /// When a clock started by `event` (through `trigger`) at `occurred_at` is first due; None when the time field is
    /// missing.
    pub fn first_due(
        &self,
        trigger: &Trigger,
        event: &dyn Fields,
        occurred_at: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        if let Some(period) = self.recurrence {
            return Some(occurred_at + period.duration());
        }
        match &self.due {
            DueRule::After { after } => Some(occurred_at + after.duration()),
            DueRule::AtField { field, offset } => match event.get(trigger.time.as_deref().unwrap_or(field)) {
                Some(FieldValue::Time(at)) => Some(at + offset.duration()),
                _ => None,
            },
        }
    }
}

impl Policy {
    /// On the dealer's calendar: when a clock started at `at` is due, counting only `hours`' open time; None when
    /// the policy counts every hour (or the dealer is never open).
    pub fn due_in_hours(
        &self,
        hours: &super::calendar::BusinessHours,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        match (&self.calendar, &self.due) {
            (Calendar::DealerHours, DueRule::After { after }) => hours.add(at, after.duration()),
            _ => None,
        }
    }
}

impl Trigger {
    /// Whether `event`, of type `event_type`, is this trigger's event with its conditions holding.
    fn fires(&self, event_type: &str, event: &dyn Fields) -> bool {
        self.event == event_type && self.conditions.iter().all(|c| c.holds(event))
    }
}

fn subject_of(trigger: &Trigger, event: &dyn Fields) -> Option<String> {
    match event.get(&trigger.subject) {
        Some(FieldValue::Text(id)) if !id.is_empty() => Some(id),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
