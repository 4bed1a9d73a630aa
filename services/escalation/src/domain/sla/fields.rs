//! What a policy reads of an event: fields by name (a dotted path into nested messages) with plain values. The
//! service reads them from the event's protobuf descriptor; tests give them directly.

use chrono::{DateTime, Utc};

/// A field's value as policies compare it.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// A bool.
    Bool(bool),
    /// Any integer (and an enum's number).
    Int(i64),
    /// A string (and an enum's name).
    Text(String),
    /// A timestamp.
    Time(DateTime<Utc>),
}

/// The fields of one event.
pub trait Fields: Send + Sync {
    /// The value at `path` (e.g. `urgent`, `report.new_promised_at`), if the event has it.
    fn get(&self, path: &str) -> Option<FieldValue>;
}

impl Fields for std::collections::HashMap<&str, FieldValue> {
    fn get(&self, path: &str) -> Option<FieldValue> {
        std::collections::HashMap::get(self, path).cloned()
    }
}
