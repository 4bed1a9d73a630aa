//! Workshop's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`job`]: the job (派工单) an approved repair order becomes, its operations and its states.

pub mod job;

pub use job::{ApprovedOperation, ApprovedOrder, Job, JobOperation, JobState, QueueError};
