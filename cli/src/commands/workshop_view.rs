//! How a dealer's workshop settings and the operation catalogue look: readable text, and JSON shaped like the
//! proto messages.
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::{Operation, WorkshopSettings};
use serde_json::{Value, json};

use crate::output;

/// A dealer's settings.
pub fn settings_text(s: &WorkshopSettings) -> String {
    let changed =
        if s.update_time.is_some() { output::time(s.update_time.as_ref()) } else { "never (defaults)".into() };
    format!(
        "workshop settings of dealer {}\n  automatic assignment  {}\n  changed               {changed}\n  etag                  {}",
        s.dealer_id,
        if s.automatic_assignment { "on" } else { "off" },
        s.etag
    )
}

/// A dealer's settings as JSON.
pub fn settings_json(s: &WorkshopSettings) -> Value {
    json!({
        "dealer_id": s.dealer_id,
        "automatic_assignment": s.automatic_assignment,
        "update_time": output::time(s.update_time.as_ref()),
        "etag": s.etag,
    })
}

/// One operation of the catalogue.
pub fn operation_text(op: &Operation) -> String {
    format!(
        "operation {}  {}\n  name      {}\n  skill     {} ≥ {}\n  standard  {} h\n  changed   {}",
        op.code,
        if op.active { "ACTIVE" } else { "RETIRED" },
        op.name,
        op.skill_family,
        op.minimum_level,
        output::hundredths(op.standard_hours_hundredths),
        output::time(op.update_time.as_ref())
    )
}

/// The catalogue, in code order.
pub fn operations_table(operations: &[Operation]) -> String {
    let mut text = format!("{:<20}  {:<16}  {:>5}  {:>7}  {:<7}  NAME", "CODE", "SKILL", "LEVEL", "HOURS", "ACTIVE");
    for op in operations {
        text += &format!(
            "\n{:<20}  {:<16}  {:>5}  {:>7}  {:<7}  {}",
            op.code,
            op.skill_family,
            op.minimum_level,
            output::hundredths(op.standard_hours_hundredths),
            if op.active { "yes" } else { "retired" },
            op.name
        );
    }
    if operations.is_empty() {
        text += "\n(no operations)";
    }
    text
}

/// One operation as JSON.
pub fn operation_json(op: &Operation) -> Value {
    json!({
        "code": op.code,
        "name": op.name,
        "skill_family": op.skill_family,
        "minimum_level": op.minimum_level,
        "standard_hours_hundredths": op.standard_hours_hundredths,
        "active": op.active,
        "create_time": output::time(op.create_time.as_ref()),
        "update_time": output::time(op.update_time.as_ref()),
        "etag": op.etag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_settings_say_so() {
        let s = WorkshopSettings { dealer_id: "d".into(), etag: "0".into(), ..WorkshopSettings::default() };
        let text = settings_text(&s);
        assert!(text.contains("automatic assignment  off") && text.contains("never (defaults)"), "{text}");
    }
}
