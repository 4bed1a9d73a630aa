//! The transactional outbox and the feed it becomes.
//!
//! A use case appends its events with [`append`] inside the same [`WriteTxn`] as its state change, so a fact is
//! published if and only if the change committed. Rows are inserted without a feed sequence; the [`relay`]
//! numbers committed rows afterwards, one at a time per database, which makes the sequence gap-free and in commit
//! order (a sequence handed out at insert time would let a reader skip a row that commits late). The
//! [`feed_service`] serves numbered rows; [`consumer`] follows another service's feed.

pub mod consumer;
pub mod feed_service;
pub mod relay;

use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::{EventEnvelope, TenantKind};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::db::{Db, WriteTxn, from_micros, to_micros};
use crate::errors::AppResult;

/// Whose data an event belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventTenant {
    /// A dealer (its id).
    Dealer(String),
    /// A supplier (its id).
    Supplier(String),
    /// OEM-wide reference data.
    Oem,
}

impl EventTenant {
    /// The envelope's tenant kind and id (empty for the OEM).
    pub fn kind_and_id(&self) -> (TenantKind, String) {
        match self {
            EventTenant::Dealer(id) => (TenantKind::Dealer, id.clone()),
            EventTenant::Supplier(id) => (TenantKind::Supplier, id.clone()),
            EventTenant::Oem => (TenantKind::Oem, String::new()),
        }
    }
}

/// An event about to be appended.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// Full proto name of the payload.
    pub event_type: &'static str,
    /// Encoded payload.
    pub payload: Vec<u8>,
    /// When it happened (the service clock's now, normally).
    pub occurred_at: DateTime<Utc>,
    /// Whose data it is.
    pub tenant: EventTenant,
    /// Kind of the aggregate, e.g. "repair_order".
    pub aggregate_type: &'static str,
    /// Id of the aggregate.
    pub aggregate_id: String,
}

impl NewEvent {
    /// Wraps a typed event message.
    pub fn new<E: EventMessage>(
        event: &E,
        occurred_at: DateTime<Utc>,
        tenant: EventTenant,
        aggregate_type: &'static str,
        aggregate_id: impl Into<String>,
    ) -> NewEvent {
        NewEvent {
            event_type: E::TYPE_NAME,
            payload: event.encode_to_vec(),
            occurred_at,
            tenant,
            aggregate_type,
            aggregate_id: aggregate_id.into(),
        }
    }
}

/// Appends an event to the outbox inside `txn`; the trace context of the current span travels with it.
pub async fn append(txn: &mut WriteTxn, event: NewEvent) -> AppResult<uuid::Uuid> {
    let event_id = uuid::Uuid::now_v7();
    let (traceparent, tracestate) = crate::telemetry::current_trace_context();
    let (kind, tenant_id) = event.tenant.kind_and_id();
    let statement = txn.statement(
        "INSERT INTO outbox_events (event_id, event_type, occurred_at_us, tenant_kind, tenant_id, aggregate_type, \
         aggregate_id, traceparent, tracestate, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            Value::from(event_id.to_string()),
            Value::from(event.event_type),
            Value::from(to_micros(event.occurred_at)),
            Value::from(kind as i32 as i16),
            Value::from(tenant_id),
            Value::from(event.aggregate_type),
            Value::from(event.aggregate_id),
            Value::from(traceparent),
            Value::from(tracestate),
            Value::from(event.payload),
        ],
    );
    txn.execute_raw(statement).await?;
    txn.mark_appended();
    Ok(event_id)
}

/// Numbered events after `after`, oldest first, at most `limit`.
pub async fn read_events(db: &Db, after: u64, limit: u64) -> AppResult<Vec<EventEnvelope>> {
    let statement = db.statement(
        "SELECT sequence, event_id, event_type, occurred_at_us, tenant_kind, tenant_id, aggregate_type, \
         aggregate_id, traceparent, tracestate, payload FROM outbox_events \
         WHERE sequence > $1 ORDER BY sequence LIMIT $2",
        [Value::from(after as i64), Value::from(limit as i64)],
    );
    let rows = db.reader().query_all_raw(statement).await?;
    rows.iter().map(envelope_from_row).collect()
}

/// The newest numbered sequence (0 when none).
pub async fn head_sequence(db: &impl ConnectionTrait) -> AppResult<u64> {
    let statement = sea_orm::Statement::from_string(
        db.get_database_backend(),
        "SELECT COALESCE(MAX(sequence), 0) AS head FROM outbox_events",
    );
    let row = db.query_one_raw(statement).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "head")).transpose()?.unwrap_or(0) as u64)
}

fn envelope_from_row(row: &QueryResult) -> AppResult<EventEnvelope> {
    let event_type: String = row.try_get("", "event_type")?;
    let occurred = from_micros(row.try_get("", "occurred_at_us")?);
    Ok(EventEnvelope {
        sequence: row.try_get::<i64>("", "sequence")? as u64,
        event_id: row.try_get("", "event_id")?,
        occurred_at: Some(prost_types::Timestamp {
            seconds: occurred.timestamp(),
            nanos: occurred.timestamp_subsec_nanos() as i32,
        }),
        tenant_kind: row.try_get::<i16>("", "tenant_kind")? as i32,
        tenant_id: row.try_get("", "tenant_id")?,
        aggregate_type: row.try_get("", "aggregate_type")?,
        aggregate_id: row.try_get("", "aggregate_id")?,
        traceparent: row.try_get("", "traceparent")?,
        tracestate: row.try_get("", "tracestate")?,
        payload: Some(prost_types::Any {
            type_url: format!("type.googleapis.com/{event_type}"),
            value: row.try_get("", "payload")?,
        }),
        event_type,
    })
}

/// Decodes an envelope's payload as `E`, or `None` when the envelope holds another type.
pub fn decode_payload<E: EventMessage>(envelope: &EventEnvelope) -> Option<Result<E, prost::DecodeError>> {
    if envelope.event_type != E::TYPE_NAME {
        return None;
    }
    let value = envelope.payload.as_ref().map(|any| any.value.as_slice()).unwrap_or_default();
    Some(E::decode(value))
}
