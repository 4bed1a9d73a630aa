//! The feeds the supplier service follows:
//! - escalation's `ResponsibilityDetermined` naming a supplier's part → a claim draft linked to the case;
//! - parts' `PartWarrantyFailure` of a part with a designated supplier → a claim draft linked to the dealer, the
//!   repair order and the part issue that fitted it;
//! - parts' `CatalogueEntryCreated` naming a supplier → the part numbers on the supplier's record;
//! - escalation's `ClockBreached` and `ClockClosed` of a claim's acknowledgement and solution clocks → the engine's
//!   verdicts the scorecard counts.
//!
//! Neither copies the vehicle (VIN or serial) or anything about its owner: a claim never carries customer data.
//! Each source drafts at most one claim (the claim's `source`), so a redelivered event drafts nothing.

use std::sync::Arc;

use aftersales_kernel::{CaseId, DealerId, RepairOrderId, SupplierId};
use aftersales_proto::EventMessage;
use aftersales_proto::common::v1::EventEnvelope;
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::escalation::v1::responsible_party::Party;
use aftersales_proto::parts::v1 as parts;
use aftersales_runtime::AppResult;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::from_timestamp;
use aftersales_runtime::outbox::consumer::EventHandler;
use aftersales_runtime::outbox::decode_payload;

use crate::app::Suppliers;
use crate::app::claims::{AutoDraft, Claims};
use crate::app::scorecards::{ClockWord, Scorecards};
use crate::domain::claim::{Failure, Origin};
use crate::domain::scorecard::ClockVerdict;

/// Applies one producer's events to suppliers, claims and scorecards.
pub struct Feed {
    suppliers: Suppliers,
    claims: Claims,
    scorecards: Scorecards,
    handled: &'static [&'static str],
}

/// The escalation events the supplier service acts on.
const ESCALATION: [&str; 3] = [
    <escalation::ResponsibilityDetermined as EventMessage>::TYPE_NAME,
    <escalation::ClockBreached as EventMessage>::TYPE_NAME,
    <escalation::ClockClosed as EventMessage>::TYPE_NAME,
];

/// The parts events the supplier service acts on.
const PARTS: [&str; 2] = [
    <parts::PartWarrantyFailure as EventMessage>::TYPE_NAME,
    <parts::CatalogueEntryCreated as EventMessage>::TYPE_NAME,
];

impl Feed {
    /// Escalation's feed.
    pub fn escalation(suppliers: Suppliers, claims: Claims, scorecards: Scorecards) -> Arc<Feed> {
        Arc::new(Feed { suppliers, claims, scorecards, handled: &ESCALATION })
    }

    /// Parts' feed.
    pub fn parts(suppliers: Suppliers, claims: Claims, scorecards: Scorecards) -> Arc<Feed> {
        Arc::new(Feed { suppliers, claims, scorecards, handled: &PARTS })
    }
}

#[tonic::async_trait]
impl EventHandler for Feed {
    fn handles(&self, event_type: &str) -> bool {
        self.handled.contains(&event_type)
    }

    async fn apply(&self, txn: &mut WriteTxn, event: &EventEnvelope) -> AppResult<()> {
        // A payload this service cannot read will not get better by retrying: logged and passed over.
        let unusable = |reason: String| {
            tracing::error!(event_id = %event.event_id, sequence = event.sequence, %reason, event_type = %event.event_type, "unusable event skipped");
        };
        match draft_of(event) {
            Some(Ok(draft)) => {
                self.claims.draft_from_event(txn, draft).await?;
            }
            Some(Err(reason)) => unusable(reason),
            None => {}
        }
        if let Some(decoded) = decode_payload::<parts::CatalogueEntryCreated>(event) {
            match decoded.map_err(|e| e.to_string()).and_then(|e| designation(&e)) {
                Ok(Some((supplier, part))) => self.suppliers.part_designated(txn, supplier, &part).await?,
                Ok(None) => {}
                Err(reason) => unusable(reason),
            }
        }
        match clock_word_of(event) {
            Some(Ok(word)) if self.scorecards.counts(&word.policy) => self.scorecards.clock_word(txn, word).await?,
            Some(Err(reason)) => unusable(reason),
            _ => {}
        }
        Ok(())
    }
}

/// The supplier a new catalogue entry designates, with its part number; None for a part with no supplier.
fn designation(e: &parts::CatalogueEntryCreated) -> Result<Option<(SupplierId, String)>, String> {
    if e.supplier_id.is_empty() {
        return Ok(None);
    }
    Ok(Some((parse("supplier_id", SupplierId::parse(&e.supplier_id))?, e.part_number.clone())))
}

/// The engine's word on a claim's clock, if the event is one.
fn clock_word_of(event: &EventEnvelope) -> Option<Result<ClockWord, String>> {
    let at = from_timestamp(event.occurred_at.as_ref()).unwrap_or_default();
    if let Some(decoded) = decode_payload::<escalation::ClockBreached>(event) {
        return match decoded {
            Ok(e) if e.subject_kind == "claim" => Some(Ok(ClockWord {
                clock_id: e.clock_id,
                claim_id: e.subject_id,
                policy: e.policy,
                verdict: ClockVerdict::Breached,
                at,
            })),
            Ok(_) => None,
            Err(e) => Some(Err(e.to_string())),
        };
    }
    if let Some(decoded) = decode_payload::<escalation::ClockClosed>(event) {
        return match decoded {
            Ok(e) if e.subject_kind == "claim" => {
                let verdict = match escalation::ClockOutcome::try_from(e.outcome) {
                    Ok(escalation::ClockOutcome::MetOnTime) => ClockVerdict::OnTime,
                    Ok(escalation::ClockOutcome::MetLate) => ClockVerdict::MetLate,
                    Ok(escalation::ClockOutcome::Stopped | escalation::ClockOutcome::Waived) => ClockVerdict::Excused,
                    _ => return Some(Err(format!("outcome: unknown value {}", e.outcome))),
                };
                Some(Ok(ClockWord { clock_id: e.clock_id, claim_id: e.subject_id, policy: e.policy, verdict, at }))
            }
            Ok(_) => None,
            Err(e) => Some(Err(e.to_string())),
        };
    }
    None
}

/// The claim an event asks for, if any.
fn draft_of(event: &EventEnvelope) -> Option<Result<AutoDraft, String>> {
    if let Some(decoded) = decode_payload::<escalation::ResponsibilityDetermined>(event) {
        return match decoded {
            Ok(e) => from_case(e).transpose(),
            Err(e) => Some(Err(e.to_string())),
        };
    }
    if let Some(decoded) = decode_payload::<parts::PartWarrantyFailure>(event) {
        return match decoded {
            Ok(e) => from_warranty(e, &event.event_id).transpose(),
            Err(e) => Some(Err(e.to_string())),
        };
    }
    None
}

fn parse<T, E: std::fmt::Display>(field: &str, parsed: Result<T, E>) -> Result<T, String> {
    parsed.map_err(|e| format!("{field}: {e}"))
}

/// A case whose responsibility landed on a supplier's part: one claim per case and supplier part.
fn from_case(e: escalation::ResponsibilityDetermined) -> Result<Option<AutoDraft>, String> {
    let Some(Party::Supplier(party)) = e.party.and_then(|p| p.party) else {
        return Ok(None);
    };
    let case_id = parse("case_id", CaseId::parse(&e.case_id))?;
    let supplier_id = parse("party.supplier.supplier_id", SupplierId::parse(&party.supplier_id))?;
    Ok(Some(AutoDraft {
        supplier_id,
        origin: Origin::Case { case_id },
        source: format!("case:{case_id}:{supplier_id}:{}:{}", party.part_number, party.batch),
        failure: Failure {
            part_number: party.part_number,
            batch: party.batch,
            model: e.model,
            // The approved responsibility report's summary: written by the after-sales department for this.
            symptom: e.summary,
            failed_at: None,
            mileage_km: None,
            evidence: Vec::new(),
        },
        by: "escalation",
    }))
}

/// A part that failed under warranty, when the catalogue names its supplier: one claim per failure reported.
fn from_warranty(e: parts::PartWarrantyFailure, event_id: &str) -> Result<Option<AutoDraft>, String> {
    if e.supplier_id.is_empty() {
        return Ok(None);
    }
    let supplier_id = parse("supplier_id", SupplierId::parse(&e.supplier_id))?;
    let dealer_id = parse("dealer_id", DealerId::parse(&e.dealer_id))?;
    let fitting = e.fitting.unwrap_or_default();
    let optional = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let repair_order_id = optional(&fitting.repair_order_id)
        .map(|id| parse("fitting.repair_order_id", RepairOrderId::parse(&id)))
        .transpose()?;
    let requisition_id = optional(&fitting.requisition_id)
        .map(|id| parse("fitting.requisition_id", uuid::Uuid::try_parse(&id)))
        .transpose()?;
    let fitted = from_timestamp(fitting.fit_time.as_ref()).map(|t| t.format("%Y-%m-%d").to_string());
    let symptom = format!(
        "Part {} (batch {}) failed under warranty at {} km; fitted {} at {} km.",
        e.part_number,
        e.batch,
        e.mileage_km,
        fitted.as_deref().unwrap_or("on an unknown date"),
        fitting.mileage_km
    );
    Ok(Some(AutoDraft {
        supplier_id,
        origin: Origin::Warranty { dealer_id, repair_order_id, requisition_id },
        source: format!("warranty:{event_id}"),
        failure: Failure {
            part_number: e.part_number,
            batch: e.batch,
            // A warranty failure names the vehicle, not its model: quality fills it in when reviewing.
            model: String::new(),
            symptom,
            failed_at: from_timestamp(e.failure_time.as_ref()),
            mileage_km: Some(e.mileage_km),
            evidence: e.evidence_references,
        },
        by: "parts",
    }))
}

#[cfg(test)]
mod tests {
    use aftersales_proto::escalation::v1::{ResponsibleParty, SupplierParty};
    use prost::Message;

    use super::*;
    use crate::domain::claim::{Claim, ClaimedCost};

    const VIN: &str = "LFV3A23C5K3012345";

    fn envelope<E: EventMessage>(event: &E) -> EventEnvelope {
        EventEnvelope {
            event_id: uuid::Uuid::now_v7().to_string(),
            event_type: E::TYPE_NAME.into(),
            payload: Some(prost_types::Any { type_url: String::new(), value: event.encode_to_vec() }),
            ..Default::default()
        }
    }

    /// The stored and supplier-visible claim drafted from `event`, encoded.
    fn drafted_bytes(draft: AutoDraft) -> Vec<u8> {
        let cost = ClaimedCost::zero(aftersales_kernel::Currency::parse("CNY").unwrap());
        let claim = Claim::draft(draft.supplier_id, draft.origin, draft.failure, cost, draft.by, chrono::Utc::now());
        crate::convert::claims::claim(&claim.unwrap()).encode_to_vec()
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn a_warranty_failure_of_a_supplied_part_drafts_a_claim_without_the_vehicle() {
        let supplier = SupplierId::new();
        let failure = parts::PartWarrantyFailure {
            dealer_id: DealerId::new().to_string(),
            vin: VIN.into(),
            part_number: "INJ-4410".into(),
            batch: "B2026-07".into(),
            supplier_id: supplier.to_string(),
            fitting: Some(parts::Fitting {
                vin: VIN.into(),
                repair_order_id: RepairOrderId::new().to_string(),
                requisition_id: uuid::Uuid::now_v7().to_string(),
                mileage_km: 70_000,
                ..Default::default()
            }),
            mileage_km: 81_200,
            evidence_references: vec!["photo-1".into()],
            reported_by: "advisor-7".into(),
            ..Default::default()
        };
        let event = envelope(&failure);
        let draft = draft_of(&event).unwrap().unwrap();
        assert_eq!(draft.supplier_id, supplier);
        assert_eq!(draft.source, format!("warranty:{}", event.event_id), "one claim per failure reported");
        assert!(matches!(draft.origin, Origin::Warranty { repair_order_id: Some(_), requisition_id: Some(_), .. }));
        assert_eq!((draft.failure.mileage_km, draft.failure.evidence.clone()), (Some(81_200), vec!["photo-1".into()]));
        assert!(!contains(&drafted_bytes(draft), VIN), "the claim never names the vehicle");

        let unsupplied = parts::PartWarrantyFailure { supplier_id: String::new(), ..failure };
        assert!(draft_of(&envelope(&unsupplied)).is_none(), "no designated supplier, no claim");
    }

    #[test]
    fn a_responsibility_landing_on_a_supplier_part_drafts_a_claim_without_the_vehicle() {
        let supplier = SupplierId::new();
        let party = |party| Some(ResponsibleParty { party: Some(party) });
        let determined = escalation::ResponsibilityDetermined {
            case_id: CaseId::new().to_string(),
            model: "WP10".into(),
            serial_or_vin: VIN.into(),
            party: party(Party::Supplier(SupplierParty {
                supplier_id: supplier.to_string(),
                part_number: "INJ-4410".into(),
                batch: "B2026-07".into(),
            })),
            summary: "injector spring fatigue".into(),
            ..Default::default()
        };
        let draft = draft_of(&envelope(&determined)).unwrap().unwrap();
        assert_eq!((draft.supplier_id, draft.failure.model.as_str()), (supplier, "WP10"));
        assert!(draft.source.starts_with(&format!("case:{}:{supplier}:INJ-4410:B2026-07", determined.case_id)));
        assert!(!contains(&drafted_bytes(draft), VIN), "the claim never names the vehicle");

        let department =
            escalation::ResponsibilityDetermined { party: party(Party::Department(Default::default())), ..determined };
        assert!(draft_of(&envelope(&department)).is_none(), "a department's responsibility is no claim");
    }
}
