//! The feeds parts follows: reception's — approved orders (their car, reading and consented part lines), part lines
//! of approved additional work, cancelled orders —, workshop's — a queued job names its order, a ready job may
//! close the order's requisitions — and the supplier service's — every registered supplier and status change
//! (`SupplierStatusChanged`) is copied onto parts' approved-supplier list, which purchasing checks orders against.

use std::sync::Arc;

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId, SupplierId, Vin};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::validate::NAME_MAX;
use aftersales_runtime::{AppResult, from_timestamp};

use crate::app::Parts;
use crate::domain::purchasing::{SUPPLIER_SERVICE, SupplierStatus};
use crate::domain::requisition::{KnownJob, KnownOrder};
use crate::store::purchasing::ListedSupplier;

/// What a handled event tells parts.
enum Fact {
    Approved(KnownOrder),
    LinesAdded(RepairOrderId, Vec<(uuid::Uuid, PartNumber, i64)>),
    Cancelled(RepairOrderId),
    Queued(KnownJob),
    Ready(uuid::Uuid, RepairOrderId),
    SupplierStanding(ListedSupplier),
}

/// Applies reception's, workshop's and the supplier service's events.
pub struct Feed {
    app: Parts,
    handled: &'static [&'static str],
}

/// The reception events parts acts on.
const RECEPTION: [&str; 3] = [
    <reception::RepairOrderApproved as EventMessage>::TYPE_NAME,
    <reception::AdditionalWorkApproved as EventMessage>::TYPE_NAME,
    <reception::RepairOrderCancelled as EventMessage>::TYPE_NAME,
];

/// The workshop events parts acts on.
const WORKSHOP: [&str; 2] =
    [<workshop::JobQueued as EventMessage>::TYPE_NAME, <workshop::JobReady as EventMessage>::TYPE_NAME];

/// The supplier service's events parts acts on.
const SUPPLIER: [&str; 1] = [<supplier::SupplierStatusChanged as EventMessage>::TYPE_NAME];

impl Feed {
    /// Reception's feed.
    pub fn reception(app: Parts) -> Arc<Feed> {
        Arc::new(Feed { app, handled: &RECEPTION })
    }

    /// Workshop's feed.
    pub fn workshop(app: Parts) -> Arc<Feed> {
        Arc::new(Feed { app, handled: &WORKSHOP })
    }

    /// The supplier service's feed.
    pub fn supplier(app: Parts) -> Arc<Feed> {
        Arc::new(Feed { app, handled: &SUPPLIER })
    }
}

#[tonic::async_trait]
impl EventHandler for Feed {
    fn handles(&self, event_type: &str) -> bool {
        self.handled.contains(&event_type)
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload parts cannot read will not get better by retrying: logged and passed over.
        match fact(event) {
            Some(Ok(Fact::Approved(order))) => self.app.order_approved(txn, order).await?,
            Some(Ok(Fact::LinesAdded(order, lines))) => self.app.lines_added(txn, order, lines).await?,
            Some(Ok(Fact::Cancelled(order))) => self.app.order_cancelled(txn, order).await?,
            Some(Ok(Fact::Queued(job))) => self.app.job_queued(txn, job).await?,
            Some(Ok(Fact::Ready(job, order))) => self.app.job_ready(txn, job, order).await?,
            Some(Ok(Fact::SupplierStanding(listed))) => self.app.supplier_standing_published(txn, listed).await?,
            Some(Err(reason)) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable event skipped");
            }
            None => {}
        }
        Ok(())
    }
}

fn fact(event: &EventEnvelope) -> Option<Result<Fact, String>> {
    if let Some(decoded) = decode_payload::<reception::RepairOrderApproved>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            Ok(Fact::Approved(KnownOrder {
                order_id: order_id(&e.repair_order_id)?,
                dealer_id: dealer_id(&e.dealer_id)?,
                vin: Vin::parse(&e.vin).map_err(|e| format!("vin: {e}"))?,
                mileage_km: e.mileage_km,
                cancelled: false,
                closed_at: None,
                part_lines: part_lines(&e.lines)?,
            }))
        }));
    }
    if let Some(decoded) = decode_payload::<reception::AdditionalWorkApproved>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| Ok(Fact::LinesAdded(order_id(&e.repair_order_id)?, part_lines(&e.lines)?))),
        );
    }
    if let Some(decoded) = decode_payload::<reception::RepairOrderCancelled>(event) {
        return Some(
            decoded.map_err(|e| e.to_string()).and_then(|e| Ok(Fact::Cancelled(order_id(&e.repair_order_id)?))),
        );
    }
    if let Some(decoded) = decode_payload::<workshop::JobQueued>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            Ok(Fact::Queued(KnownJob {
                job_id: job_id(&e.job_id)?,
                dealer_id: dealer_id(&e.dealer_id)?,
                order_id: order_id(&e.repair_order_id)?,
                vin: Vin::parse(&e.vin).map_err(|e| format!("vin: {e}"))?,
                ready: false,
            }))
        }));
    }
    if let Some(decoded) = decode_payload::<workshop::JobReady>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| Ok(Fact::Ready(job_id(&e.job_id)?, order_id(&e.repair_order_id)?))),
        );
    }
    if let Some(decoded) = decode_payload::<supplier::SupplierStatusChanged>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| listed_supplier(event, e)));
    }
    None
}

/// The list's row for a supplier as the supplier service published it: its name, status and reason (empty for a
/// newly registered supplier), set by the supplier service when the change happened. The status before and the
/// supplier's code are not kept: purchasing needs only the standing now.
fn listed_supplier(event: &EventEnvelope, e: supplier::SupplierStatusChanged) -> Result<Fact, String> {
    let status = match supplier::SupplierStatus::try_from(e.status) {
        Ok(supplier::SupplierStatus::Approved) => SupplierStatus::Approved,
        Ok(supplier::SupplierStatus::Probation) => SupplierStatus::Probation,
        Ok(supplier::SupplierStatus::Blocked) => SupplierStatus::Blocked,
        Ok(supplier::SupplierStatus::Unspecified) | Err(_) => {
            return Err(format!("status: {} is no standing", e.status));
        }
    };
    let name_length = e.name.chars().count();
    if name_length == 0 || name_length > NAME_MAX {
        return Err(format!("name: {name_length} characters, not 1..={NAME_MAX}"));
    }
    Ok(Fact::SupplierStanding(ListedSupplier {
        supplier_id: SupplierId::parse(&e.supplier_id).map_err(|e| format!("supplier_id: {e}"))?,
        name: e.name,
        status,
        reason: e.reason,
        updated_by: SUPPLIER_SERVICE.to_string(),
        updated_at: from_timestamp(event.occurred_at.as_ref()).ok_or("occurred_at missing")?,
    }))
}

/// The part lines of an order's (consented) lines: (line, part, quantity).
fn part_lines(lines: &[reception::RepairOrderLine]) -> Result<Vec<(uuid::Uuid, PartNumber, i64)>, String> {
    lines
        .iter()
        .filter(|line| !line.declined)
        .filter_map(|line| match &line.item {
            Some(reception::repair_order_line::Item::Part(part)) => Some((line, part)),
            _ => None,
        })
        .map(|(line, part)| {
            Ok((
                uuid::Uuid::parse_str(&line.line_id).map_err(|e| format!("line_id: {e}"))?,
                PartNumber::parse(&part.part_number).map_err(|e| format!("part_number: {e}"))?,
                part.quantity_hundredths,
            ))
        })
        .collect()
}

fn dealer_id(text: &str) -> Result<DealerId, String> {
    DealerId::parse(text).map_err(|e| format!("dealer_id: {e}"))
}

fn order_id(text: &str) -> Result<RepairOrderId, String> {
    RepairOrderId::parse(text).map_err(|e| format!("repair_order_id: {e}"))
}

fn job_id(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text).map_err(|e| format!("job_id: {e}"))
}

#[cfg(test)]
mod tests {
    use aftersales_runtime::to_timestamp;
    use prost::Message;

    use super::*;

    fn changed(
        status: supplier::SupplierStatus,
        previous: supplier::SupplierStatus,
    ) -> supplier::SupplierStatusChanged {
        supplier::SupplierStatusChanged {
            supplier_id: SupplierId::new().to_string(),
            code: "MANN-NJ".into(),
            name: "Mann+Hummel Nanjing".into(),
            status: status as i32,
            previous_status: previous as i32,
            reason: "acknowledgement on-time rate 62 % in Q3".into(),
        }
    }

    fn envelope(event: &supplier::SupplierStatusChanged, at: chrono::DateTime<chrono::Utc>) -> EventEnvelope {
        let name = <supplier::SupplierStatusChanged as EventMessage>::TYPE_NAME;
        EventEnvelope {
            sequence: 7,
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: name.into(),
            occurred_at: Some(to_timestamp(at)),
            payload: Some(prost_types::Any {
                type_url: format!("type.googleapis.com/{name}"),
                value: event.encode_to_vec(),
            }),
            ..Default::default()
        }
    }

    fn listed(envelope: &EventEnvelope) -> Result<ListedSupplier, String> {
        match fact(envelope) {
            Some(Ok(Fact::SupplierStanding(listed))) => Ok(listed),
            Some(Ok(_)) => panic!("another fact"),
            Some(Err(reason)) => Err(reason),
            None => panic!("not recognised"),
        }
    }

    #[test]
    fn a_status_change_is_listed_as_set_by_the_supplier_service_at_the_events_time() {
        use supplier::SupplierStatus as Published;
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:15:00.123456Z").unwrap().to_utc();
        for (published, standing) in [
            (Published::Approved, SupplierStatus::Approved),
            (Published::Probation, SupplierStatus::Probation),
            (Published::Blocked, SupplierStatus::Blocked),
        ] {
            let event = changed(published, Published::Approved);
            let row = listed(&envelope(&event, at)).unwrap();
            assert_eq!(
                row,
                ListedSupplier {
                    supplier_id: SupplierId::parse(&event.supplier_id).unwrap(),
                    name: "Mann+Hummel Nanjing".into(),
                    status: standing,
                    reason: "acknowledgement on-time rate 62 % in Q3".into(),
                    updated_by: "supplier-service".into(),
                    updated_at: at,
                },
                "{published:?}"
            );
        }
    }

    #[test]
    fn a_newly_registered_supplier_is_listed_without_a_reason() {
        use supplier::SupplierStatus as Published;
        let event = supplier::SupplierStatusChanged {
            reason: String::new(),
            ..changed(Published::Probation, Published::Unspecified)
        };
        let row = listed(&envelope(&event, chrono::Utc::now())).unwrap();
        assert_eq!((row.status, row.reason.as_str()), (SupplierStatus::Probation, ""));
    }

    #[test]
    fn the_same_change_twice_gives_the_same_row() {
        // The consumer applies an event id once; should a change still arrive twice, the row written is the same.
        let event = changed(supplier::SupplierStatus::Blocked, supplier::SupplierStatus::Probation);
        let envelope = envelope(&event, chrono::Utc::now());
        assert_eq!(listed(&envelope), listed(&envelope.clone()));
    }

    #[test]
    fn an_event_is_unusable_when_parts_cannot_list_it() {
        use supplier::SupplierStatus as Published;
        type Mutation = fn(&mut supplier::SupplierStatusChanged);
        let cases: [(&str, Mutation); 5] = [
            ("no status", |e| e.status = Published::Unspecified as i32),
            ("an unknown status", |e| e.status = 42),
            ("no name", |e| e.name.clear()),
            ("a name over 200 characters", |e| e.name = "n".repeat(201)),
            ("not a supplier id", |e| e.supplier_id = "MANN-NJ".into()),
        ];
        for (case, mutate) in cases {
            let mut event = changed(Published::Approved, Published::Unspecified);
            mutate(&mut event);
            assert!(listed(&envelope(&event, chrono::Utc::now())).is_err(), "{case}");
        }
        let mut no_time = envelope(&changed(Published::Approved, Published::Unspecified), chrono::Utc::now());
        no_time.occurred_at = None;
        assert!(listed(&no_time).is_err(), "no time");
    }
}
