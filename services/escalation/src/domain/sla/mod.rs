//! The SLA engine's rules (DOMAIN.md, "How clocks behave"): policies are data; a clock starts when its policy's
//! starting event happened, is met, stopped, paused, waived, or breaches and climbs its ladder.
//!
//! - [`span`]: durations as policies write them ("15m", "2h", "-30m").
//! - [`policy`]: a policy — its events, condition, due rule, recurrence, pauses, ladder — and how it is checked.
//! - [`fields`]: what a policy reads of an event: named fields with plain values.
//! - [`calendar`]: a dealer's opening hours, for clocks that count only open time.
//! - [`clock`]: a clock's life: due, pauses, periods, breach, escalation, outcome.

pub mod calendar;
pub mod clock;
pub mod fields;
pub mod policy;
pub mod span;
mod stored;

pub use clock::{Clock, ClockError, ClockStatus, Effect, Entry, ReportFacts};
pub use fields::{FieldValue, Fields};
pub use policy::{Condition, DueRule, Ladder, Op, Policy, PolicyError, PolicySet, Trigger};
pub use span::Span;
