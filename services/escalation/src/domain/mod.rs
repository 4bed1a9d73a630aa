//! Escalation's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`case`]: the case (投诉 / 售后问题) — where it came from, how serious it is, and its life cycle from receipt
//!   to closure, in one state machine.
//! - [`contact`]: whom to call about a case (customer personal data: never on the feed).
//! - [`report`]: case reports' periods, rates, means, p90 and Pareto rows.
//! - [`routing`]: case categories and the support groups that handle them (configuration).
//! - [`sla`]: the SLA engine — policies as data, clocks, breaches and ladders.
//! - [`serial_or_vin`]: the engine serial number or VIN a case is about, the key of repeat detection.

pub mod case;
pub mod contact;
pub mod report;
pub mod routing;
pub mod serial_or_vin;
pub mod sla;

pub use case::{
    Case, CaseSeverity, CaseSource, CaseState, CauseCategory, Classification, Compensation, Confirmation,
    DissatisfiedFollowUp, Done, EmergencyPlan, Investigation, Measure, MeasureKind, Meeting, NewCase, Note, NoteKind,
    OnsiteWaiver, Party, PostIncidentReview, ReceiveError, Recorded, RepeatWindow, Responsibility,
    ResponsibilityReport, Review, RootCause, Solution, StepError, WaiverDecision,
};
pub use contact::{Contact, Email, EmailError, Phone, PhoneError};
pub use serial_or_vin::{SerialOrVin, SerialOrVinError};
