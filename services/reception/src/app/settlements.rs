//! Settlement at the desk: the draft read from the order each time (so it follows additional work and the hours
//! clocked until the job is ready), the advisor's reasons and discounts, the customer's signature with the dealer's
//! next invoice number, and credit notes after.

use aftersales_kernel::{Money, RepairOrderId};
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox;
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use sea_orm::ConnectionTrait;

use super::{Reception, order_event, visible};
use crate::convert::settlement as render;
use crate::domain::settlement::{CreditError, DealerTerms, Discount, Draft, InvoiceNumber, SettlementError};
use crate::domain::{LineId, RepairOrder, RepairOrderState};
use crate::store::settlements::{self, Series};
use crate::store::{dealer_terms, repair_orders};

/// A change to a draft settlement.
#[derive(Debug, Clone)]
pub enum DraftChange {
    /// Why a line's actual differs from its estimate.
    Explain {
        /// The line.
        line: LineId,
        /// The advisor's reason.
        reason: String,
    },
    /// A discount line.
    AddDiscount {
        /// What it is.
        description: String,
        /// How much.
        amount: Money,
        /// Why.
        reason: String,
    },
    /// A discount taken back.
    RemoveDiscount(uuid::Uuid),
}

impl Reception {
    /// The settlement of an order the caller may see: the invoice once signed, else the draft.
    pub async fn settlement(&self, caller: &Principal, id: RepairOrderId) -> AppResult<pb::Settlement> {
        let conn = self.db.read().await?;
        let order = visible(repair_orders::find(&conn, id).await?, caller)?;
        let answer = current(&conn, &order).await?;
        conn.commit().await?;
        Ok(answer)
    }

    /// Changes a draft settlement: a variance reason, a discount added or removed.
    pub async fn change_draft(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        change: DraftChange,
    ) -> AppResult<pb::Settlement> {
        let now = self.clock.now();
        let txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        // The order is locked, so a signature cannot slip in between.
        let order = visible(repair_orders::find_for_update(&*txn, id).await?, caller)?;
        if !matches!(
            order.state,
            RepairOrderState::Approved
                | RepairOrderState::InWorkshop
                | RepairOrderState::AwaitingAdditionalConsent
                | RepairOrderState::Ready
        ) {
            let message = format!("the settlement of an order that is {} cannot change", order.state.as_str());
            return Err(AppError::precondition("SETTLEMENT_CLOSED", order.state.as_str(), message));
        }
        let tax = dealer_terms::terms(&*txn, order.dealer_id).await?.map_or(0, |t| t.tax_rate_bp);
        let before = draft(&*txn, &order, tax).await?;
        match change {
            DraftChange::Explain { line, reason } => {
                before.explain(line).map_err(|e| AppError::invalid("line_id", e.to_string()))?;
                settlements::explain(&*txn, order.id, line, &reason, &caller.subject, now).await?;
            }
            DraftChange::AddDiscount { description, amount, reason } => {
                before.check_discount(amount).map_err(|e| AppError::invalid("amount", e.to_string()))?;
                let discount = Discount {
                    id: uuid::Uuid::now_v7(),
                    description,
                    amount,
                    reason,
                    added_by: caller.subject.clone(),
                    added_at: now,
                };
                settlements::add_discount(&*txn, order.id, &discount).await?;
            }
            DraftChange::RemoveDiscount(discount) => {
                if !settlements::remove_discount(&*txn, order.id, discount).await? {
                    return Err(AppError::NotFound("discount"));
                }
            }
        }
        let answer = current(&*txn, &order).await?;
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The customer signs: the invoice with the dealer's next number, the order settled; publishes
    /// `SettlementSigned`.
    pub async fn sign_settlement(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        signed_by: &str,
        signature_reference: &str,
    ) -> AppResult<pb::Settlement> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let before = visible(repair_orders::find_for_update(&*txn, id).await?, caller)?;
        let mut order = before.clone();
        let terms = terms_of(&*txn, &order).await?;
        let draft = draft(&*txn, &order, terms.tax_rate_bp).await?;
        draft.check_currency(&terms).map_err(settlement_error)?;
        // Checked before a number is taken; the number is taken last so the series row is locked briefly.
        let unsigned = draft.clone().sign(&order, InvoiceNumber::invoice(&terms.invoice_prefix, 0), signed_by, "", now);
        unsigned.map_err(settlement_error)?;
        let number = settlements::next_number(&*txn, order.dealer_id, Series::Invoice).await?;
        let invoice = draft
            .sign(&order, InvoiceNumber::invoice(&terms.invoice_prefix, number), signed_by, signature_reference, now)
            .map_err(settlement_error)?;
        order.settle(now).map_err(|e| AppError::precondition("REPAIR_ORDER_STATE", e.state.as_str(), e.to_string()))?;
        repair_orders::save(&*txn, &order, &before).await?;
        settlements::insert_invoice(&*txn, order.id, order.dealer_id, &invoice).await?;
        let event = pb::SettlementSigned {
            repair_order_id: order.id.to_string(),
            dealer_id: order.dealer_id.to_string(),
            invoice_number: invoice.number.text.clone(),
            net: Some(crate::convert::money(invoice.totals.net)),
            tax: Some(crate::convert::money(invoice.totals.tax)),
            total: Some(crate::convert::money(invoice.totals.total)),
            signed_at: Some(to_timestamp(now)),
        };
        outbox::append(&mut txn, order_event(&order, &event, now)).await?;
        let answer = render::signed(&order, &invoice);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        tracing::info!(repair_order_id = %order.id, invoice = %invoice.number.text, "settlement signed");
        Ok(answer)
    }

    /// Corrects the signed invoice with a credit note; publishes `CreditNoteIssued`.
    pub async fn issue_credit_note(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: RepairOrderId,
        amount: Money,
        reason: &str,
    ) -> AppResult<pb::Settlement> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let order = visible(repair_orders::find_for_update(&*txn, id).await?, caller)?;
        let mut invoice = settlements::invoice(&*txn, order.id).await?.ok_or_else(|| {
            AppError::precondition("SETTLEMENT_NOT_SIGNED", order.state.as_str(), "only a signed invoice is credited")
        })?;
        invoice.check_credit(amount).map_err(credit_error)?;
        let terms = terms_of(&*txn, &order).await?;
        let number = settlements::next_number(&*txn, order.dealer_id, Series::CreditNote).await?;
        let number = InvoiceNumber::credit_note(&terms.invoice_prefix, number);
        let note = invoice.credit(number, amount, reason, &caller.subject, now).map_err(credit_error)?.clone();
        settlements::insert_credit_note(&*txn, order.id, order.dealer_id, &note).await?;
        let event = pb::CreditNoteIssued {
            repair_order_id: order.id.to_string(),
            dealer_id: order.dealer_id.to_string(),
            invoice_number: invoice.number.text.clone(),
            credit_note_number: note.number.text.clone(),
            amount: Some(crate::convert::money(amount)),
            reason: reason.to_string(),
            issued_at: Some(to_timestamp(now)),
        };
        outbox::append(&mut txn, order_event(&order, &event, now)).await?;
        let answer = render::signed(&order, &invoice);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        tracing::info!(repair_order_id = %order.id, credit_note = %note.number.text, "credit note issued");
        Ok(answer)
    }
}

/// The settlement as it stands: the invoice if signed, else the draft with what blocks signing.
async fn current(conn: &impl ConnectionTrait, order: &RepairOrder) -> AppResult<pb::Settlement> {
    if let Some(invoice) = settlements::invoice(conn, order.id).await? {
        return Ok(render::signed(order, &invoice));
    }
    let terms = dealer_terms::terms(conn, order.dealer_id).await?;
    let draft = draft(conn, order, terms.as_ref().map_or(0, |t| t.tax_rate_bp)).await?;
    let mut blockers = Vec::new();
    if order.state != RepairOrderState::Ready {
        blockers.push(format!("the order is {}: the settlement is signed once the job is ready", order.state.as_str()));
    }
    if let Err(error) = draft.check_discounts_fit() {
        blockers.push(error.to_string());
    }
    if order.requisitions_closed_at.is_none() {
        blockers.push("parts has not closed the order's requisitions yet: the part lines are not final".to_string());
    }
    for line in draft.reasons_missing() {
        blockers.push(format!("a reason is missing on line {}: actual and estimate differ", line.0));
    }
    match &terms {
        None => blockers.push("the dealer is not in the directory: no tax rate or invoice prefix".to_string()),
        Some(terms) => {
            if let Err(error) = draft.check_currency(terms) {
                blockers.push(error.to_string());
            }
        }
    }
    render::draft(order, &draft, blockers)
}

async fn draft(conn: &impl ConnectionTrait, order: &RepairOrder, tax_rate_bp: i64) -> AppResult<Draft> {
    let reasons = settlements::reasons(conn, order.id).await?;
    let discounts = settlements::discounts(conn, order.id).await?;
    Draft::of(order, &reasons, discounts, tax_rate_bp).map_err(settlement_error)
}

/// The dealer's tax rate and invoice prefix; FAILED_PRECONDITION while the dealer is not in the directory.
async fn terms_of(conn: &impl ConnectionTrait, order: &RepairOrder) -> AppResult<DealerTerms> {
    dealer_terms::terms(conn, order.dealer_id).await?.ok_or_else(|| {
        AppError::precondition(
            "DEALER_NOT_IN_DIRECTORY",
            order.state.as_str(),
            "the dealer is not in the directory: no tax rate or invoice prefix to invoice with",
        )
    })
}

fn settlement_error(error: SettlementError) -> AppError {
    match &error {
        SettlementError::WrongState { state, .. } => {
            AppError::precondition("REPAIR_ORDER_STATE", state.as_str(), error.to_string())
        }
        SettlementError::ReasonsMissing(_) => {
            AppError::precondition("VARIANCE_REASONS_MISSING", RepairOrderState::Ready.as_str(), error.to_string())
        }
        SettlementError::UnknownLine => AppError::invalid("line_id", error.to_string()),
        SettlementError::UnknownDiscount => AppError::NotFound("discount"),
        SettlementError::DiscountTooLarge { .. } => AppError::invalid("amount", error.to_string()),
        SettlementError::Overflow => AppError::invalid("amount", error.to_string()),
        SettlementError::DiscountsExceedCharges { .. } => {
            AppError::precondition("DISCOUNTS_EXCEED_CHARGES", RepairOrderState::Ready.as_str(), error.to_string())
        }
        SettlementError::RequisitionsOpen => {
            AppError::precondition("REQUISITIONS_OPEN", RepairOrderState::Ready.as_str(), error.to_string())
        }
        SettlementError::ForeignCurrency { .. } => {
            AppError::precondition("SETTLEMENT_CURRENCY", RepairOrderState::Ready.as_str(), error.to_string())
        }
    }
}

fn credit_error(error: CreditError) -> AppError {
    AppError::invalid("amount", error.to_string())
}
