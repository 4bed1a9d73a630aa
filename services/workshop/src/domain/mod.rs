//! Workshop's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`job`]: the job (派工单) an approved repair order becomes, its operations and its states.
//! - [`assignment`]: which technician is suggested for a job (派工), and the order jobs are offered in.
//! - [`skills`]: a technician's skill levels per family, from their training and certification records.
//! - [`technician`]: a workshop technician — training records, derived skills, shift.
//! - [`operation`]: the OEM operation catalogue (工时目录) — codes, skill needed, standard hours.

pub mod assignment;
pub mod job;
pub mod operation;
pub mod skills;
pub mod technician;

pub use job::{ApprovedOperation, ApprovedOrder, Job, JobOperation, JobState, QueueError};
pub use operation::{Draft, Fields, Operation, OperationCode, OperationField, SkillFamily, Violation};
pub use technician::{NewTraining, Technician, TechnicianError};
