//! A supplier's claim stream, read from this service's own feed: the claim events of one supplier after a cursor,
//! in feed order. The feed's sequence is gap-free and in commit order (the outbox relay), so the cursor — the
//! sequence of the last change delivered — resumes a stream exactly: nothing missed, nothing twice, on any
//! replica. Drafts, revisions of drafts and withdrawn drafts are the OEM's and never on a supplier's stream.

use aftersales_kernel::SupplierId;
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::TenantKind;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::db::{Db, from_micros};
use aftersales_runtime::sql::{corrupt, placeholders, query};
use aftersales_runtime::{AppResult, to_timestamp};
use prost::Message;
use sea_orm::Value;

use super::claim_steps::AGGREGATE;

/// Decodes an event's payload and takes the claim it carries.
type Snapshot = fn(&[u8]) -> Result<Option<pb::Claim>, prost::DecodeError>;

macro_rules! visible {
    ($($event:ident => $kind:ident),* $(,)?) => {
        /// The events a supplier sees, with the change each is and how to take its claim.
        const VISIBLE: &[(&str, pb::ClaimChangeKind, Snapshot)] = &[
            $((
                <pb::$event as EventMessage>::TYPE_NAME,
                pb::ClaimChangeKind::$kind,
                |bytes| pb::$event::decode(bytes).map(|event| event.claim),
            )),*
        ];
    };
}

visible! {
    ClaimSent => Sent,
    ClaimAcknowledged => Acknowledged,
    SolutionProposed => SolutionProposed,
    ContainmentRecorded => ContainmentRecorded,
    EightDSubmitted => EightDSubmitted,
    ClaimAccepted => Accepted,
    ClaimRejected => Rejected,
    ChargebackAgreed => CostAgreed,
    ChargebackDisputed => CostDisputed,
    ClaimChargedBack => ChargedBack,
    ClaimClosed => Closed,
}

/// Up to `limit` changes to `supplier`'s claims after the cursor `after`, oldest first.
pub async fn changes_after(db: &Db, supplier: SupplierId, after: i64, limit: u64) -> AppResult<Vec<pb::ClaimChange>> {
    let types: Vec<Value> = VISIBLE.iter().map(|(name, _, _)| Value::from(*name)).collect();
    let mut values = vec![
        Value::from(TenantKind::Supplier as i32 as i16),
        Value::from(supplier.to_string()),
        Value::from(AGGREGATE),
        Value::from(after),
        Value::from(limit as i64),
    ];
    let sql = format!(
        "SELECT sequence, event_type, occurred_at_us, payload FROM outbox_events \
         WHERE tenant_kind = $1 AND tenant_id = $2 AND sequence > $4 AND aggregate_type = $3 \
         AND event_type IN ({}) ORDER BY sequence LIMIT $5",
        placeholders(6, types.len())
    );
    values.extend(types);
    let rows = query(db.reader(), &sql, values).await?;
    rows.iter()
        .map(|row| {
            let event_type: String = row.try_get("", "event_type")?;
            let payload: Vec<u8> = row.try_get("", "payload")?;
            let (_, kind, snapshot) =
                VISIBLE.iter().find(|(name, _, _)| *name == event_type).ok_or_else(|| corrupt("outbox", "type"))?;
            let claim = snapshot(&payload).map_err(|_| corrupt("outbox", "payload"))?;
            Ok(pb::ClaimChange {
                cursor: row.try_get("", "sequence")?,
                kind: *kind as i32,
                claim,
                change_time: Some(to_timestamp(from_micros(row.try_get("", "occurred_at_us")?))),
            })
        })
        .collect()
}
