//! Parts' feed as reception follows it: what was issued and taken back on each part line (the settlement draft
//! shows the running figure) and, once parts closes an order's requisitions, the final quantities — after which the
//! settlement may be signed.

use aftersales_kernel::{DealerId, Hundredths, RepairOrderId};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::parts::v1 as parts;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;

use crate::app::Reception;
use crate::domain::LineId;

/// Applies parts' events.
pub struct PartsFeed {
    app: Reception,
}

impl PartsFeed {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

/// What a parts event tells reception.
enum Fact {
    /// A part line moved by this much (issued > 0, returned < 0).
    Moved(LineId, i64),
    /// The requisitions are closed with these quantities per line.
    Closed(Vec<(LineId, Hundredths)>),
    /// A part not on the order: nothing to settle.
    Unlined,
}

#[tonic::async_trait]
impl EventHandler for PartsFeed {
    fn handles(&self, event_type: &str) -> bool {
        [
            <parts::PartsIssued as EventMessage>::TYPE_NAME,
            <parts::PartsReturned as EventMessage>::TYPE_NAME,
            <parts::RequisitionsClosed as EventMessage>::TYPE_NAME,
        ]
        .contains(&event_type)
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload parts wrote but reception cannot read will not get better by retrying: logged and passed over.
        match fact(event) {
            Some(Ok((dealer, order, Fact::Moved(line, delta)))) => {
                self.app.parts_moved(txn, dealer, order, line, delta).await?
            }
            Some(Ok((dealer, order, Fact::Closed(used)))) => {
                self.app.requisitions_closed(txn, dealer, order, &used).await?
            }
            Some(Ok((_, _, Fact::Unlined))) | None => {}
            Some(Err(reason)) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable parts event skipped");
            }
        }
        Ok(())
    }
}

type Parsed = Result<(DealerId, RepairOrderId, Fact), String>;

fn fact(event: &EventEnvelope) -> Option<Parsed> {
    if let Some(decoded) = decode_payload::<parts::PartsIssued>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| moved(&e.dealer_id, &e.repair_order_id, &e.line_id, e.quantity_hundredths)),
        );
    }
    if let Some(decoded) = decode_payload::<parts::PartsReturned>(event) {
        return Some(
            decoded
                .map_err(|e| e.to_string())
                .and_then(|e| moved(&e.dealer_id, &e.repair_order_id, &e.line_id, -e.quantity_hundredths)),
        );
    }
    if let Some(decoded) = decode_payload::<parts::RequisitionsClosed>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            let (dealer, order) = ids(&e.dealer_id, &e.repair_order_id)?;
            let used = e
                .used
                .iter()
                .filter(|u| !u.line_id.is_empty())
                .map(|u| {
                    let line = uuid::Uuid::parse_str(&u.line_id).map_err(|e| format!("used.line_id: {e}"))?;
                    let quantity = Hundredths::from_hundredths(u.quantity_hundredths)
                        .map_err(|e| format!("used.quantity_hundredths: {e}"))?;
                    Ok((LineId(line), quantity))
                })
                .collect::<Result<_, String>>()?;
            Ok((dealer, order, Fact::Closed(used)))
        }));
    }
    None
}

fn moved(dealer: &str, order: &str, line: &str, delta: i64) -> Parsed {
    let (dealer, order) = ids(dealer, order)?;
    if line.is_empty() {
        return Ok((dealer, order, Fact::Unlined));
    }
    let line = uuid::Uuid::parse_str(line).map_err(|e| format!("line_id: {e}"))?;
    Ok((dealer, order, Fact::Moved(LineId(line), delta)))
}

fn ids(dealer: &str, order: &str) -> Result<(DealerId, RepairOrderId), String> {
    let dealer = DealerId::parse(dealer).map_err(|e| format!("dealer_id: {e}"))?;
    let order = RepairOrderId::parse(order).map_err(|e| format!("repair_order_id: {e}"))?;
    Ok((dealer, order))
}
