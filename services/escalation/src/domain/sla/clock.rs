//! A clock's life (DOMAIN.md, "How clocks behave"). Rules:
//! - a clock starts at the time its starting event happened and is due by its policy's rule;
//! - a meeting event meets it: a one-off clock is done (late by how much past due, if it was); a recurring clock
//!   has met the current period and runs on to the next (periods are a fixed schedule from the start);
//! - a stopping event stops it, neither met nor missed;
//! - missing the due time breaches it: recorded with the time it fell due, the subject climbs one ladder level;
//!   a one-off clock keeps counting and climbs one more level every `re_escalate_after` while unmet, never past
//!   the ladder's top; a recurring clock's missed period breaches once and the next period begins;
//! - a pause (only for a reason its policy allows) holds the clock: paused time never counts, the due time moves
//!   by it; the clock resumes where it stood;
//! - a waiver (by the OEM, with a reason) ends it, reported apart from met and missed;
//! - on re-classification a clock may continue one that was stopped: the time that one counted (paused time
//!   excepted, and what it carried itself) counts towards the new target, so elapsed time is never lost;
//! - an ended clock changes no more.
//!
//! `next_fire_at` is the only time the scheduler needs: when something happens to the clock unless an event comes
//! first (a breach, a re-escalation, a period's end).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::policy::Policy;

/// Where a clock is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ClockStatus {
    /// Counting.
    Running,
    /// Held since `since` for `reason`.
    Paused {
        /// Since when.
        #[serde(with = "super::stored::micros")]
        since: DateTime<Utc>,
        /// Why.
        reason: String,
    },
    /// Met (a one-off clock).
    Met,
    /// Stopped by an event.
    Stopped,
    /// Waived by the OEM.
    Waived,
}

impl ClockStatus {
    /// Stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClockStatus::Running => "running",
            ClockStatus::Paused { .. } => "paused",
            ClockStatus::Met => "met",
            ClockStatus::Stopped => "stopped",
            ClockStatus::Waived => "waived",
        }
    }

    /// Whether nothing changes it any more.
    pub fn is_final(&self) -> bool {
        matches!(self, ClockStatus::Met | ClockStatus::Stopped | ClockStatus::Waived)
    }
}

/// One thing that happened to a clock, in order: its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// Started (or re-armed) by an event, due then.
    Started {
        /// When the event happened.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
        /// Due.
        #[serde(with = "super::stored::micros")]
        due_at: DateTime<Utc>,
    },
    /// A period (0-based) met.
    Met {
        /// The period.
        period: i32,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
        /// How late (zero when on time).
        late_by_seconds: i64,
    },
    /// A period missed.
    Breached {
        /// The period.
        period: i32,
        /// It was due at.
        #[serde(with = "super::stored::micros")]
        due_at: DateTime<Utc>,
        /// The scheduler fired it at (its firing lateness: fired − due).
        #[serde(with = "super::stored::micros")]
        fired_at: DateTime<Utc>,
    },
    /// Climbed to `level`.
    Escalated {
        /// The level.
        level: i32,
        /// Who is told there.
        role: String,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
    },
    /// Paused.
    Paused {
        /// Why.
        reason: String,
        /// By whom.
        by: String,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
    },
    /// Resumed.
    Resumed {
        /// By whom.
        by: String,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
        /// How long it was paused.
        paused_seconds: i64,
    },
    /// Continues a stopped clock (re-classification): its counted time moved this clock's due time earlier.
    Continued {
        /// The clock continued.
        from_clock: uuid::Uuid,
        /// Its policy.
        from_policy: String,
        /// The time it had counted, seconds.
        counted_seconds: i64,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
    },
    /// Stopped by an event.
    Stopped {
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
    },
    /// Waived.
    Waived {
        /// Why.
        reason: String,
        /// By whom.
        by: String,
        /// When.
        #[serde(with = "super::stored::micros")]
        at: DateTime<Utc>,
    },
}

impl Entry {
    /// When it happened (for a breach: when the period fell due).
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Started { at, .. }
            | Entry::Met { at, .. }
            | Entry::Escalated { at, .. }
            | Entry::Paused { at, .. }
            | Entry::Resumed { at, .. }
            | Entry::Continued { at, .. }
            | Entry::Stopped { at }
            | Entry::Waived { at, .. } => *at,
            Entry::Breached { due_at, .. } => *due_at,
        }
    }
}

/// What a change asks the service to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A period was missed.
    Breached {
        /// The period.
        period: i32,
        /// Due at.
        due_at: DateTime<Utc>,
    },
    /// The subject climbed to `level`, where `role` is told.
    Escalated {
        /// The level.
        level: i32,
        /// The role.
        role: String,
    },
    /// The clock ended: met, stopped or waived.
    Closed,
}

/// Why a clock refuses a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// It has ended.
    #[error("the clock is {0}")]
    Ended(&'static str),
    /// The policy allows no such pause reason.
    #[error("the policy does not allow pausing for {0:?}")]
    PauseNotAllowed(String),
    /// Pausing a paused clock, or resuming a running one.
    #[error("the clock is {0}")]
    NotInState(&'static str),
}

/// A clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Id.
    pub id: uuid::Uuid,
    /// The policy.
    pub policy: String,
    /// Its version.
    pub version: i32,
    /// The subject's kind.
    pub subject_kind: String,
    /// The subject's id.
    pub subject_id: String,
    /// The tenant: a dealer or supplier id, empty for the OEM.
    pub tenant: String,
    /// The ladder's roles, level 0 first.
    pub ladder: Vec<String>,
    /// When the starting event happened.
    #[serde(with = "super::stored::micros")]
    pub started_at: DateTime<Utc>,
    /// When the current period is due (moved by pauses).
    #[serde(with = "super::stored::micros")]
    pub due_at: DateTime<Utc>,
    /// The current period (0 for a one-off clock).
    pub period: i32,
    /// Where it is.
    pub status: ClockStatus,
    /// When the current period breached (a one-off clock: when it breached).
    #[serde(with = "super::stored::micros_opt")]
    pub breached_at: Option<DateTime<Utc>>,
    /// The ladder level reached.
    pub level: i32,
    /// Recurrence period.
    #[serde(with = "super::stored::seconds_opt")]
    pub recurrence: Option<chrono::Duration>,
    /// Re-escalation interval.
    #[serde(with = "super::stored::seconds_opt")]
    pub re_escalate_after: Option<chrono::Duration>,
    /// The pause reasons allowed.
    pub pause_reasons: Vec<String>,
    /// What happened, in order.
    pub history: Vec<Entry>,
    /// When the scheduler must next look at it.
    #[serde(with = "super::stored::micros_opt")]
    pub next_fire_at: Option<DateTime<Utc>>,
    /// Seconds counted before it started, carried over from the clock it continues.
    #[serde(default)]
    pub carried_seconds: i64,
}

impl Clock {
    /// A clock of `policy` (version `version`, climbing `ladder`) for `subject`, started by an event at
    /// `started_at`, first due at `due_at`.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        policy: &Policy,
        version: i32,
        ladder: Vec<String>,
        subject_id: String,
        tenant: String,
        started_at: DateTime<Utc>,
        due_at: DateTime<Utc>,
    ) -> Clock {
        Clock {
            id: uuid::Uuid::now_v7(),
            policy: policy.name.clone(),
            version,
            subject_kind: policy.subject_kind.clone(),
            subject_id,
            tenant,
            ladder,
            started_at,
            due_at,
            period: 0,
            status: ClockStatus::Running,
            breached_at: None,
            level: 0,
            recurrence: policy.recurrence.map(|r| r.duration()),
            re_escalate_after: policy.re_escalate_after.map(|r| r.duration()),
            pause_reasons: policy.pause_reasons.clone(),
            history: vec![Entry::Started { at: started_at, due_at }],
            next_fire_at: Some(due_at),
            carried_seconds: 0,
        }
    }

    /// Continues `earlier`, a stopped clock of the same subject (re-classification at `at`): the time it counted
    /// counts towards this clock's target, whose due time moves earlier by it — into the past, when that time
    /// already exceeds the target, so the scheduler breaches it at once with its true lateness.
    pub fn continue_from(&mut self, earlier: &Clock, at: DateTime<Utc>) {
        let counted = earlier.counted(at);
        self.carried_seconds = counted.num_seconds();
        self.due_at -= counted;
        self.history.push(Entry::Continued {
            from_clock: earlier.id,
            from_policy: earlier.policy.clone(),
            counted_seconds: counted.num_seconds(),
            at,
        });
        self.schedule();
    }

    /// The running time it counted by `until` (or by its end, if earlier): from its start, less paused time, plus
    /// what it carried over.
    pub fn counted(&self, until: DateTime<Utc>) -> chrono::Duration {
        let end = self.ended_at().map_or(until, |ended| ended.min(until));
        let (mut paused, mut paused_since) = (chrono::Duration::zero(), None);
        for entry in &self.history {
            match entry {
                Entry::Paused { at, .. } => paused_since = Some(*at),
                Entry::Resumed { paused_seconds, .. } => {
                    paused += chrono::Duration::seconds(*paused_seconds);
                    paused_since = None;
                }
                _ => {}
            }
        }
        if let Some(since) = paused_since {
            paused += (end - since).max(chrono::Duration::zero());
        }
        (end - self.started_at - paused).max(chrono::Duration::zero()) + chrono::Duration::seconds(self.carried_seconds)
    }

    /// When it ended (met, stopped or waived).
    fn ended_at(&self) -> Option<DateTime<Utc>> {
        if !self.is_final() {
            return None;
        }
        self.history.iter().rev().find_map(|e| match e {
            Entry::Met { at, .. } | Entry::Stopped { at } | Entry::Waived { at, .. } => Some(*at),
            _ => None,
        })
    }

    /// A later starting event re-arms a running clock with a new due time (its breach, if any, stays recorded).
    pub fn rearm(&mut self, at: DateTime<Utc>, due_at: DateTime<Utc>) -> Result<(), ClockError> {
        self.live()?;
        self.due_at = due_at;
        self.breached_at = None;
        self.history.push(Entry::Started { at, due_at });
        self.schedule();
        Ok(())
    }

    /// A starting event for a stopped clock whose policy restarts it (`restart_stopped`): running again from `at`,
    /// due at `due_at` — a recurring clock in a new period, so each window is still met or missed once.
    pub fn restart(&mut self, at: DateTime<Utc>, due_at: DateTime<Utc>) -> Result<(), ClockError> {
        if self.status != ClockStatus::Stopped {
            return Err(ClockError::NotInState(self.status.as_str()));
        }
        self.status = ClockStatus::Running;
        if self.recurrence.is_some() {
            self.period += 1;
        }
        self.due_at = due_at;
        self.breached_at = None;
        self.history.push(Entry::Started { at, due_at });
        self.schedule();
        Ok(())
    }

    /// A meeting event at `at`. Whatever fell due before it fires first (a late meeting event still breached);
    /// a recurring clock counts it for the period it happened in, once.
    pub fn meet(&mut self, at: DateTime<Utc>) -> Result<Vec<Effect>, ClockError> {
        self.live()?;
        let mut effects = self.fire(at);
        match self.recurrence {
            Some(period) => {
                if at < self.due_at - period {
                    // This window was met already: the next period needs its own meeting event.
                    return Ok(effects);
                }
                self.history.push(Entry::Met { period: self.period, at, late_by_seconds: 0 });
                self.next_period(period);
            }
            None => {
                let late_by_seconds = (at - self.due_at).num_seconds().max(0);
                self.history.push(Entry::Met { period: self.period, at, late_by_seconds });
                self.status = ClockStatus::Met;
                self.next_fire_at = None;
                effects.push(Effect::Closed);
            }
        }
        Ok(effects)
    }

    /// A stopping event.
    pub fn stop(&mut self, at: DateTime<Utc>) -> Result<Vec<Effect>, ClockError> {
        self.live()?;
        let mut effects = self.fire(at);
        self.status = ClockStatus::Stopped;
        self.next_fire_at = None;
        self.history.push(Entry::Stopped { at });
        effects.push(Effect::Closed);
        Ok(effects)
    }

    /// The OEM waives it.
    pub fn waive(&mut self, reason: &str, by: &str, at: DateTime<Utc>) -> Result<Vec<Effect>, ClockError> {
        self.live()?;
        let mut effects = self.fire(at);
        self.status = ClockStatus::Waived;
        self.next_fire_at = None;
        self.history.push(Entry::Waived { reason: reason.to_string(), by: by.to_string(), at });
        effects.push(Effect::Closed);
        Ok(effects)
    }

    /// Holds it for an allowed reason.
    pub fn pause(&mut self, reason: &str, by: &str, at: DateTime<Utc>) -> Result<(), ClockError> {
        self.live()?;
        if !self.pause_reasons.iter().any(|r| r == reason) {
            return Err(ClockError::PauseNotAllowed(reason.to_string()));
        }
        if self.status != ClockStatus::Running {
            return Err(ClockError::NotInState(self.status.as_str()));
        }
        self.status = ClockStatus::Paused { since: at, reason: reason.to_string() };
        self.next_fire_at = None;
        self.history.push(Entry::Paused { reason: reason.to_string(), by: by.to_string(), at });
        Ok(())
    }

    /// Resumes a paused clock: the due time moves by the time it was held.
    pub fn resume(&mut self, by: &str, at: DateTime<Utc>) -> Result<(), ClockError> {
        self.live()?;
        let ClockStatus::Paused { since, .. } = &self.status else {
            return Err(ClockError::NotInState(self.status.as_str()));
        };
        let held = (at - *since).max(chrono::Duration::zero());
        if self.breached_at.is_none() {
            self.due_at += held;
        }
        self.status = ClockStatus::Running;
        self.history.push(Entry::Resumed { by: by.to_string(), at, paused_seconds: held.num_seconds() });
        self.schedule();
        Ok(())
    }

    /// The scheduler's turn at `now` (≥ `next_fire_at`): breaches, re-escalations and period ends due by now, in
    /// order, each at its own time.
    pub fn fire(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects = Vec::new();
        while let Some(at) = self.next_fire_at.filter(|at| *at <= now) {
            if self.status != ClockStatus::Running {
                break;
            }
            match (self.breached_at, self.recurrence) {
                (None, _) => {
                    self.breached_at = Some(self.due_at);
                    self.history.push(Entry::Breached { period: self.period, due_at: self.due_at, fired_at: now });
                    effects.push(Effect::Breached { period: self.period, due_at: self.due_at });
                    effects.extend(self.climb(at));
                    match self.recurrence {
                        Some(period) => self.next_period(period),
                        None => self.next_fire_at = self.next_climb(at),
                    }
                }
                (Some(_), None) => {
                    effects.extend(self.climb(at));
                    self.next_fire_at = self.next_climb(at);
                }
                (Some(_), Some(period)) => self.next_period(period),
            }
        }
        effects
    }

    /// Whether it has ended.
    pub fn is_final(&self) -> bool {
        self.status.is_final()
    }

    fn climb(&mut self, at: DateTime<Utc>) -> Option<Effect> {
        let top = self.ladder.len() as i32 - 1;
        if self.level >= top {
            return None;
        }
        self.level += 1;
        let role = self.ladder[self.level as usize].clone();
        self.history.push(Entry::Escalated { level: self.level, role: role.clone(), at });
        Some(Effect::Escalated { level: self.level, role })
    }

    /// When a breached one-off clock climbs again: `re_escalate_after` later, unless it is at the top.
    fn next_climb(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let top = self.ladder.len() as i32 - 1;
        self.re_escalate_after.filter(|_| self.level < top).map(|r| at + r)
    }

    fn next_period(&mut self, period: chrono::Duration) {
        self.period += 1;
        self.due_at += period;
        self.breached_at = None;
        self.schedule();
    }

    fn schedule(&mut self) {
        self.next_fire_at = match (&self.status, self.breached_at) {
            (ClockStatus::Running, None) => Some(self.due_at),
            (ClockStatus::Running, Some(breached)) => {
                let top = self.ladder.len() as i32 - 1;
                self.re_escalate_after.filter(|_| self.level < top).map(|r| breached + r * self.level.max(1))
            }
            _ => None,
        };
    }

    fn live(&self) -> Result<(), ClockError> {
        if self.status.is_final() { Err(ClockError::Ended(self.status.as_str())) } else { Ok(()) }
    }
}

mod facts;
pub use facts::ReportFacts;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod model;
#[cfg(test)]
mod tests;
