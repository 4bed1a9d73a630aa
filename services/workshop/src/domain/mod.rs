//! Workshop's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`job`]: the job (派工单) an approved repair order becomes, its operations and its states.
//! - [`assignment`]: which technician is suggested for a job (派工), and the order jobs are offered in.
//! - [`kpi`]: rework rate and on-time ready, per technician and dealer.
//! - [`settings`]: a dealer's workshop settings (automatic assignment).
//! - [`skills`]: a technician's skill levels per family, from their training and certification records.
//! - [`technician`]: a workshop technician — training records, derived skills, shift.
//! - [`operation`]: the OEM operation catalogue (工时目录) — codes, skill needed, standard hours.

pub mod assignment;
pub mod job;
pub mod kpi;
pub mod operation;
pub mod settings;
pub mod skills;
pub mod technician;

pub use job::{ApprovedOperation, ApprovedOrder, Job, JobError, JobOperation, JobState, QueueError, TechnicianRef};
pub use operation::{Draft, Fields, Operation, OperationCode, OperationField, SkillFamily, Violation};
pub use technician::{NewTraining, Technician, TechnicianError};
