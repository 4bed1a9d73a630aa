//! Settlement (结算单, DOMAIN.md Reception 8): what the customer pays for an order, computed from what was consented
//! and what was done, exactly.
//!
//! Rules:
//! - only consented lines are charged (declined lines and refused additional work never are); labour at the hours
//!   workshop clocked × the line's rate, parts at the quantity parts issued less what came back × unit price;
//! - each line is charged at most its consented amount: charging more needs a new consent;
//! - where the actual quantity differs from the estimate the advisor must give a reason before the customer signs;
//! - discounts are explicit lines with a reason, never more than the charged lines;
//! - tax is computed once per invoice on the net amount at the dealer's rate, rounded half-up to the minor unit;
//! - the settlement is a draft until the job is ready and parts has closed the order's requisitions (the part
//!   lines are final); the customer signs it and it gets the dealer's next invoice
//!   number; after that it never changes — a correction is a credit note, never more than what is left uncredited.

mod invoice;

pub use invoice::{CreditError, CreditNote, Invoice, InvoiceNumber};

use std::collections::HashMap;

use aftersales_kernel::{Currency, Hundredths, Money, MoneyError};
use chrono::{DateTime, Utc};

use super::{LineId, LineItem, RepairOrder, RepairOrderState};

/// What the dealer directory says settlement needs of a dealer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealerTerms {
    /// Tax rate, basis points.
    pub tax_rate_bp: i64,
    /// Prefix of the dealer's invoice numbers.
    pub invoice_prefix: String,
    /// The currency the dealer invoices in.
    pub currency: Currency,
}

/// A consented line as charged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    /// The order line.
    pub line_id: LineId,
    /// What it is, with its estimated quantity and price.
    pub item: LineItem,
    /// The additional-work request it was approved with, if any.
    pub additional_work_id: Option<uuid::Uuid>,
    /// Hours clocked (labour) or quantity used (parts).
    pub actual: Hundredths,
    /// The estimated amount the customer consented to: the line's cap.
    pub consented_amount: Money,
    /// Actual quantity × price, rounded half-up to the minor unit.
    pub actual_amount: Money,
    /// What is charged: the actual amount, at most the consented amount.
    pub charged_amount: Money,
    /// Why actual and estimate differ, as the advisor explained it.
    pub variance_reason: Option<String>,
}

impl ChargeLine {
    /// The estimated quantity (hours or parts).
    pub fn estimated(&self) -> Hundredths {
        match &self.item {
            LineItem::Labour { hours, .. } => *hours,
            LineItem::Part { quantity, .. } => *quantity,
        }
    }

    /// Whether actual and estimate differ, so a reason is needed before signing.
    pub fn needs_reason(&self) -> bool {
        self.actual != self.estimated() && self.variance_reason.is_none()
    }
}

/// A discount line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    /// Id.
    pub id: uuid::Uuid,
    /// What it is ("loyalty discount").
    pub description: String,
    /// How much is taken off (positive).
    pub amount: Money,
    /// Why it is given.
    pub reason: String,
    /// Staff who gave it.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// The sums of a settlement. `net = subtotal − discounts`, `tax = net × rate` (half-up), `total = net + tax`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Σ charged amounts of the lines.
    pub subtotal: Money,
    /// Σ discounts.
    pub discounts: Money,
    /// Subtotal − discounts.
    pub net: Money,
    /// Net × tax rate, half-up to the minor unit.
    pub tax: Money,
    /// Net + tax: what the customer pays.
    pub total: Money,
}

/// Why a settlement cannot be computed, changed or signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// Only a ready order's settlement can be signed; only an unsigned one changed.
    #[error("the settlement of an order that is {} cannot be {what}", .state.as_str())]
    WrongState {
        /// The order's state.
        state: RepairOrderState,
        /// What was tried.
        what: &'static str,
    },
    /// Lines whose actual differs from the estimate have no reason yet.
    #[error("a reason is needed on every line where actual and estimate differ: {}", .0.iter().map(|l| l.0.to_string()).collect::<Vec<_>>().join(", "))]
    ReasonsMissing(Vec<LineId>),
    /// Not a consented line of the order.
    #[error("is not a charged line of this order")]
    UnknownLine,
    /// Not a discount of this settlement.
    #[error("is not a discount of this settlement")]
    UnknownDiscount,
    /// A discount in another currency, not positive, or more than what is left to discount.
    #[error("must be positive, in {currency}, and at most what the lines leave: {left}")]
    DiscountTooLarge {
        /// The order's currency.
        currency: Currency,
        /// Subtotal minus the discounts already given.
        left: Money,
    },
    /// An amount overflows.
    #[error("amount too large")]
    Overflow,
    /// The discounts exceed what the lines actually charge.
    #[error("the discounts exceed what the lines charge ({charged}): reduce or remove one")]
    DiscountsExceedCharges {
        /// What the lines charge.
        charged: Money,
    },
    /// Parts has not closed the order's requisitions: what the part lines used is not final.
    #[error("parts has not closed the order's requisitions yet: the part lines are not final")]
    RequisitionsOpen,
    /// The order is priced in another currency than the dealer invoices in (the dealer's currency changed after
    /// the order was opened); settlement never converts.
    #[error("the order is priced in {order} but the dealer invoices in {dealer}")]
    ForeignCurrency {
        /// The order's currency.
        order: Currency,
        /// The dealer's.
        dealer: Currency,
    },
}

impl From<MoneyError> for SettlementError {
    fn from(_: MoneyError) -> Self {
        SettlementError::Overflow
    }
}

/// An order's settlement before the customer signs: derived from the order each time it is read (its lines and
/// actuals can still change until the job is ready), with the advisor's reasons and discounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The currency (the order's).
    pub currency: Currency,
    /// The charged lines, in order.
    pub lines: Vec<ChargeLine>,
    /// The discounts, in the order given.
    pub discounts: Vec<Discount>,
    /// The dealer's tax rate in basis points.
    pub tax_rate_bp: i64,
}

impl Draft {
    /// The draft of `order` with the advisor's `reasons` (by line) and `discounts`, taxed at `tax_rate_bp`.
    pub fn of(
        order: &RepairOrder,
        reasons: &HashMap<LineId, String>,
        discounts: Vec<Discount>,
        tax_rate_bp: i64,
    ) -> Result<Draft, SettlementError> {
        let lines = order
            .consented_lines()
            .map(|line| {
                let actual = match &line.item {
                    // Labour at the hours clocked, parts at what parts issued less returned; nothing yet is 0.
                    LineItem::Labour { .. } | LineItem::Part { .. } => line.actual.unwrap_or(Hundredths::ZERO),
                };
                let consented_amount = line.item.amount()?;
                let actual_amount = line.item.price().checked_mul_hundredths(actual)?;
                let charged_amount = if actual_amount.minor_units() > consented_amount.minor_units() {
                    consented_amount
                } else {
                    actual_amount
                };
                Ok(ChargeLine {
                    line_id: line.id,
                    item: line.item.clone(),
                    additional_work_id: line.additional_work_id,
                    actual,
                    consented_amount,
                    actual_amount,
                    charged_amount,
                    variance_reason: reasons.get(&line.id).cloned(),
                })
            })
            .collect::<Result<Vec<_>, SettlementError>>()?;
        Ok(Draft { currency: order.currency(), lines, discounts, tax_rate_bp })
    }

    /// The sums.
    pub fn totals(&self) -> Result<Totals, SettlementError> {
        totals(self.currency, &self.lines, &self.discounts, self.tax_rate_bp)
    }

    /// The lines that still need a reason.
    pub fn reasons_missing(&self) -> Vec<LineId> {
        self.lines.iter().filter(|l| l.needs_reason()).map(|l| l.line_id).collect()
    }

    /// Checks a reason is for a charged line of the order.
    pub fn explain(&self, line: LineId) -> Result<(), SettlementError> {
        self.lines.iter().any(|l| l.line_id == line).then_some(()).ok_or(SettlementError::UnknownLine)
    }

    /// Checks a new discount fits: positive, in the order's currency, and at most what the consented lines could
    /// charge after the discounts already given (while the job runs, actuals are not known yet; signing checks the
    /// discounts against what is actually charged).
    pub fn check_discount(&self, amount: Money) -> Result<(), SettlementError> {
        let ceiling = Money::sum(self.currency, self.lines.iter().map(|l| l.consented_amount))?;
        let given = Money::sum(self.currency, self.discounts.iter().map(|d| d.amount))?;
        let left = ceiling.checked_sub(given)?;
        if amount.currency() != self.currency || amount.minor_units() <= 0 || amount.minor_units() > left.minor_units()
        {
            return Err(SettlementError::DiscountTooLarge { currency: self.currency, left });
        }
        Ok(())
    }

    /// The discounts never exceed what the lines actually charge (they were checked against the consented amounts
    /// while the job ran).
    pub fn check_discounts_fit(&self) -> Result<(), SettlementError> {
        let charged = Money::sum(self.currency, self.lines.iter().map(|l| l.charged_amount))?;
        let given = Money::sum(self.currency, self.discounts.iter().map(|d| d.amount))?;
        if given.minor_units() > charged.minor_units() {
            return Err(SettlementError::DiscountsExceedCharges { charged });
        }
        Ok(())
    }

    /// The invoice is in the dealer's currency: an order priced in another cannot be signed.
    pub fn check_currency(&self, terms: &DealerTerms) -> Result<(), SettlementError> {
        if self.currency != terms.currency {
            return Err(SettlementError::ForeignCurrency { order: self.currency, dealer: terms.currency });
        }
        Ok(())
    }

    /// The customer signs the draft of `order` (which must be ready, with every variance explained): the invoice
    /// with `number`, fixed from now on.
    pub fn sign(
        self,
        order: &RepairOrder,
        number: InvoiceNumber,
        signed_by: &str,
        signature_reference: &str,
        now: DateTime<Utc>,
    ) -> Result<Invoice, SettlementError> {
        if order.state != RepairOrderState::Ready {
            return Err(SettlementError::WrongState { state: order.state, what: "signed" });
        }
        if order.requisitions_closed_at.is_none() {
            return Err(SettlementError::RequisitionsOpen);
        }
        let missing = self.reasons_missing();
        if !missing.is_empty() {
            return Err(SettlementError::ReasonsMissing(missing));
        }
        self.check_discounts_fit()?;
        let totals = self.totals()?;
        Ok(Invoice {
            number,
            currency: self.currency,
            lines: self.lines,
            discounts: self.discounts,
            tax_rate_bp: self.tax_rate_bp,
            totals,
            signed_by: signed_by.to_string(),
            signature_reference: signature_reference.to_string(),
            signed_at: now,
            credit_notes: Vec::new(),
        })
    }
}

/// `net = Σ charged − Σ discounts`, `tax = net × rate` half-up, `total = net + tax`.
fn totals(
    currency: Currency,
    lines: &[ChargeLine],
    discounts: &[Discount],
    tax_rate_bp: i64,
) -> Result<Totals, SettlementError> {
    let subtotal = Money::sum(currency, lines.iter().map(|l| l.charged_amount))?;
    let discounted = Money::sum(currency, discounts.iter().map(|d| d.amount))?;
    let net = subtotal.checked_sub(discounted)?;
    let tax = net.checked_apply_basis_points(tax_rate_bp)?;
    Ok(Totals { subtotal, discounts: discounted, net, tax, total: net.checked_add(tax)? })
}

#[cfg(test)]
mod tests;
