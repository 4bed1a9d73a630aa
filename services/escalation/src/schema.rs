//! The suite's events as policies see them: every event message of the descriptor set, read field by field by name
//! (prost-reflect), so a policy over existing events needs no code.

use aftersales_proto::common::v1::EventEnvelope;
use chrono::{DateTime, Utc};
use prost_reflect::{DescriptorPool, DynamicMessage, Kind, MessageDescriptor, ReflectMessage, Value};

use crate::domain::sla::policy::{FieldKind, Schema};
use crate::domain::sla::{FieldValue, Fields};

/// The descriptor set of every proto package of the suite.
#[derive(Clone, Debug)]
pub struct EventSchema {
    pool: DescriptorPool,
}

/// One event, decoded by its type's descriptor.
pub struct DecodedEvent(DynamicMessage);

impl EventSchema {
    /// The suite's descriptor set (compiled into the proto crate).
    pub fn load() -> anyhow::Result<EventSchema> {
        Ok(EventSchema { pool: DescriptorPool::decode(aftersales_proto::FILE_DESCRIPTOR_SET)? })
    }

    /// Decodes an envelope's payload by its event type; None when the type is not a message of the suite.
    pub fn decode(&self, envelope: &EventEnvelope) -> Option<Result<DecodedEvent, prost::DecodeError>> {
        let descriptor = self.pool.get_message_by_name(&envelope.event_type)?;
        let bytes = envelope.payload.as_ref().map(|any| any.value.as_slice()).unwrap_or_default();
        Some(DynamicMessage::decode(descriptor, bytes).map(DecodedEvent))
    }
}

impl Schema for EventSchema {
    fn field(&self, event: &str, path: &str) -> Option<FieldKind> {
        let mut message = self.pool.get_message_by_name(event)?;
        if path.is_empty() {
            return Some(FieldKind::Other);
        }
        let mut parts = path.split('.').peekable();
        while let Some(name) = parts.next() {
            let field = message.get_field_by_name(name)?;
            if field.is_list() || field.is_map() {
                return Some(FieldKind::Other);
            }
            match field.kind() {
                Kind::Message(inner) if is_timestamp(&inner) && parts.peek().is_none() => return Some(FieldKind::Time),
                Kind::Message(inner) => message = inner,
                _ if parts.peek().is_some() => return None,
                Kind::Bool => return Some(FieldKind::Bool),
                Kind::String => return Some(FieldKind::Text),
                Kind::Int32 | Kind::Int64 | Kind::Sint32 | Kind::Sint64 | Kind::Sfixed32 | Kind::Sfixed64 => {
                    return Some(FieldKind::Int);
                }
                Kind::Uint32 | Kind::Uint64 | Kind::Fixed32 | Kind::Fixed64 | Kind::Enum(_) => {
                    return Some(FieldKind::Int);
                }
                _ => return Some(FieldKind::Other),
            }
        }
        Some(FieldKind::Other)
    }
}

fn is_timestamp(message: &MessageDescriptor) -> bool {
    message.full_name() == "google.protobuf.Timestamp"
}

impl Fields for DecodedEvent {
    fn get(&self, path: &str) -> Option<FieldValue> {
        let mut message = self.0.clone();
        let mut parts = path.split('.').peekable();
        while let Some(name) = parts.next() {
            let field = message.descriptor().get_field_by_name(name)?;
            let value = message.get_field(&field).into_owned();
            let last = parts.peek().is_none();
            match value {
                Value::Message(inner) if last && is_timestamp(&inner.descriptor()) => {
                    if !message.has_field(&field) {
                        return None;
                    }
                    return time_of(&inner).map(FieldValue::Time);
                }
                Value::Message(inner) if !last => message = inner,
                _ if !last => return None,
                Value::Bool(b) => return Some(FieldValue::Bool(b)),
                Value::I32(n) | Value::EnumNumber(n) => return Some(FieldValue::Int(n.into())),
                Value::I64(n) => return Some(FieldValue::Int(n)),
                Value::U32(n) => return Some(FieldValue::Int(n.into())),
                Value::U64(n) => return i64::try_from(n).ok().map(FieldValue::Int),
                Value::String(s) => return Some(FieldValue::Text(s)),
                _ => return None,
            }
        }
        None
    }
}

fn time_of(timestamp: &DynamicMessage) -> Option<DateTime<Utc>> {
    let seconds = match timestamp.get_field_by_name("seconds")?.into_owned() {
        Value::I64(s) => s,
        _ => return None,
    };
    let nanos = match timestamp.get_field_by_name("nanos")?.into_owned() {
        Value::I32(n) => n,
        _ => return None,
    };
    DateTime::from_timestamp(seconds, u32::try_from(nanos).ok()?)
}

#[cfg(test)]
mod tests {
    use aftersales_proto::EventMessage;
    use aftersales_proto::reception::v1 as reception;
    use aftersales_proto::workshop::v1 as workshop;

    use super::*;

    fn envelope<E: EventMessage>(event: &E) -> EventEnvelope {
        EventEnvelope {
            event_type: E::TYPE_NAME.to_string(),
            payload: Some(prost_types::Any { type_url: String::new(), value: event.encode_to_vec() }),
            ..Default::default()
        }
    }

    #[test]
    fn every_field_a_default_policy_reads_is_found_with_its_kind() {
        let schema = EventSchema::load().unwrap();
        let requested = "aftersales.reception.v1.AppointmentRequested";
        assert_eq!(schema.field(requested, "urgent"), Some(FieldKind::Bool));
        assert_eq!(schema.field(requested, "appointment_id"), Some(FieldKind::Text));
        assert_eq!(schema.field(requested, "wished_at"), Some(FieldKind::Time));
        assert_eq!(schema.field(requested, "channel"), Some(FieldKind::Int), "an enum compares by number");
        assert_eq!(schema.field(requested, "nope"), None);
        assert_eq!(schema.field("aftersales.reception.v1.Nope", ""), None);
        let delay = "aftersales.workshop.v1.DelayReported";
        assert_eq!(schema.field(delay, "report.new_promised_at"), Some(FieldKind::Time), "a nested path");
    }

    #[test]
    fn the_default_policies_name_only_events_and_fields_that_exist() {
        let schema = EventSchema::load().unwrap();
        let set = crate::policies::defaults().unwrap();
        assert_eq!(set.check(&schema), Ok(()));
        assert!(set.policies.len() >= 9, "every dealer-side clock of DOMAIN.md");
    }

    #[test]
    fn an_events_fields_are_read_by_name() {
        let schema = EventSchema::load().unwrap();
        let started = workshop::JobStarted {
            repair_order_id: "R-1".into(),
            estimated_hours_hundredths: 250,
            urgent: true,
            promised_at: Some(prost_types::Timestamp { seconds: 1_800_000_000, nanos: 0 }),
            ..Default::default()
        };
        let event = schema.decode(&envelope(&started)).unwrap().unwrap();
        assert_eq!(event.get("repair_order_id"), Some(FieldValue::Text("R-1".into())));
        assert_eq!(event.get("estimated_hours_hundredths"), Some(FieldValue::Int(250)));
        assert_eq!(event.get("urgent"), Some(FieldValue::Bool(true)));
        assert_eq!(
            event.get("promised_at"),
            Some(FieldValue::Time(DateTime::from_timestamp(1_800_000_000, 0).unwrap()))
        );
        assert_eq!(event.get("started_at"), None, "an unset time is no time");
        let requested = reception::AppointmentRequested { appointment_id: "A-1".into(), ..Default::default() };
        let event = schema.decode(&envelope(&requested)).unwrap().unwrap();
        assert_eq!(event.get("urgent"), Some(FieldValue::Bool(false)));
    }
}
