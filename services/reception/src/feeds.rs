//! The feeds reception follows: workshop's — a started job moves its order to `in_workshop` (from then on the order
//! cannot be cancelled), additional work asked for makes it wait for the customer's answer, a ready job (inspected,
//! washed) moves it to `ready` with the hours clocked per labour line, and every catalogue change updates
//! reception's copy of the operation catalogue (which estimates are checked against).

use aftersales_kernel::{DealerId, Hundredths, OperationCode, PartNumber, RepairOrderId};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::{AppResult, from_timestamp};

use crate::app::Reception;
use crate::domain::{AdditionalWorkRequest, LabourOperation, LineId};

/// Applies workshop's events.
pub struct WorkshopFeed {
    app: Reception,
}

impl WorkshopFeed {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

/// What a workshop event tells reception, about which dealer's order.
enum Fact {
    Started,
    AdditionalWork(Box<AdditionalWorkRequest>),
    Ready(Vec<(LineId, Hundredths)>),
}

#[tonic::async_trait]
impl EventHandler for WorkshopFeed {
    fn handles(&self, event_type: &str) -> bool {
        event_type == <workshop::JobStarted as EventMessage>::TYPE_NAME
            || event_type == <workshop::AdditionalWorkRequested as EventMessage>::TYPE_NAME
            || event_type == <workshop::JobReady as EventMessage>::TYPE_NAME
            || event_type == <workshop::OperationCatalogUpdated as EventMessage>::TYPE_NAME
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload workshop wrote but reception cannot read will not get better by retrying: logged and passed over.
        if let Some(decoded) = decode_payload::<workshop::OperationCatalogUpdated>(event) {
            match decoded.map_err(|e| e.to_string()).and_then(catalogue_record) {
                Ok(operation) => self.app.catalogue_updated(txn, operation).await?,
                Err(reason) => {
                    tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, "unusable catalogue record skipped");
                }
            }
            return Ok(());
        }
        match fact(event) {
            Some(Ok((dealer, order, Fact::Started))) => self.app.job_started(txn, dealer, order).await?,
            Some(Ok((dealer, order, Fact::AdditionalWork(request)))) => {
                self.app.additional_work_requested(txn, dealer, order, *request).await?
            }
            Some(Ok((dealer, order, Fact::Ready(hours)))) => self.app.job_ready(txn, dealer, order, &hours).await?,
            Some(Err(reason)) => {
                tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable workshop event skipped");
            }
            None => {}
        }
        Ok(())
    }
}

fn fact(event: &EventEnvelope) -> Option<Result<(DealerId, RepairOrderId, Fact), String>> {
    if let Some(decoded) = decode_payload::<workshop::JobStarted>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            let (dealer, order) = ids(&e.dealer_id, &e.repair_order_id)?;
            Ok((dealer, order, Fact::Started))
        }));
    }
    if let Some(decoded) = decode_payload::<workshop::AdditionalWorkRequested>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            let (dealer, order) = ids(&e.dealer_id, &e.repair_order_id)?;
            let work = e.additional_work.ok_or("additional_work missing")?;
            Ok((dealer, order, Fact::AdditionalWork(Box::new(request(&e.job_id, work)?))))
        }));
    }
    if let Some(decoded) = decode_payload::<workshop::JobReady>(event) {
        return Some(decoded.map_err(|e| e.to_string()).and_then(|e| {
            let (dealer, order) = ids(&e.dealer_id, &e.repair_order_id)?;
            let hours = e
                .operations
                .iter()
                .map(|op| {
                    let line = uuid::Uuid::parse_str(&op.line_id).map_err(|e| format!("line_id: {e}"))?;
                    let hours = Hundredths::from_hundredths(op.actual_hours_hundredths)
                        .map_err(|e| format!("actual_hours_hundredths: {e}"))?;
                    Ok((LineId(line), hours))
                })
                .collect::<Result<_, String>>()?;
            Ok((dealer, order, Fact::Ready(hours)))
        }));
    }
    None
}

/// A catalogue record as reception keeps it.
fn catalogue_record(event: workshop::OperationCatalogUpdated) -> Result<LabourOperation, String> {
    let op = event.operation.ok_or("operation missing")?;
    Ok(LabourOperation {
        code: OperationCode::parse(&op.code).map_err(|e| format!("operation.code: {e}"))?,
        name: op.name,
        skill_family: op.skill_family,
        minimum_level: op.minimum_level,
        standard_hours: Hundredths::from_hundredths(op.standard_hours_hundredths)
            .map_err(|e| format!("operation.standard_hours_hundredths: {e}"))?,
        active: op.active,
        changed_at: from_timestamp(op.update_time.as_ref()).ok_or("operation.update_time missing")?,
    })
}

fn ids(dealer: &str, order: &str) -> Result<(DealerId, RepairOrderId), String> {
    let dealer = DealerId::parse(dealer).map_err(|e| format!("dealer_id: {e}"))?;
    let order = RepairOrderId::parse(order).map_err(|e| format!("repair_order_id: {e}"))?;
    Ok((dealer, order))
}

/// Workshop's request as reception keeps it.
fn request(job_id: &str, work: workshop::AdditionalWork) -> Result<AdditionalWorkRequest, String> {
    let hundredths = |value: i64, field: &str| Hundredths::from_hundredths(value).map_err(|e| format!("{field}: {e}"));
    Ok(AdditionalWorkRequest {
        id: uuid::Uuid::parse_str(&work.id).map_err(|e| format!("additional_work.id: {e}"))?,
        job_id: uuid::Uuid::parse_str(job_id).map_err(|e| format!("job_id: {e}"))?,
        finding: work.finding,
        operations: work
            .operations
            .iter()
            .map(|op| {
                let code = OperationCode::parse(&op.operation_code).map_err(|e| format!("operation_code: {e}"))?;
                Ok((code, hundredths(op.estimated_hours_hundredths, "estimated_hours_hundredths")?))
            })
            .collect::<Result<_, String>>()?,
        parts: work
            .parts
            .iter()
            .map(|part| {
                let number = PartNumber::parse(&part.part_number).map_err(|e| format!("part_number: {e}"))?;
                Ok((number, hundredths(part.quantity_hundredths, "quantity_hundredths")?))
            })
            .collect::<Result<_, String>>()?,
        media_references: work.media_references,
        requested_by: work.requested_by,
        requested_at: from_timestamp(work.requested_at.as_ref()).ok_or("requested_at missing")?,
    })
}
