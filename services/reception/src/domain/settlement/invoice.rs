//! The signed settlement: an invoice with a gap-free number of its dealer, never edited; corrections are credit
//! notes, each with its own number, together never more than the invoice's total.

use aftersales_kernel::{Currency, Money};
use chrono::{DateTime, Utc};

use super::{ChargeLine, Discount, Totals};

/// A number of the dealer's invoice or credit-note series: the dealer's prefix and the next number of the series,
/// e.g. `BJ01-000042`, `BJ01-CN-000003`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceNumber {
    /// Position in the series, from 1, without gaps.
    pub sequence: i64,
    /// As printed.
    pub text: String,
}

impl InvoiceNumber {
    /// Invoice `sequence` of a dealer with `prefix`.
    pub fn invoice(prefix: &str, sequence: i64) -> InvoiceNumber {
        InvoiceNumber { sequence, text: format!("{prefix}-{sequence:06}") }
    }

    /// Credit note `sequence` of a dealer with `prefix`.
    pub fn credit_note(prefix: &str, sequence: i64) -> InvoiceNumber {
        InvoiceNumber { sequence, text: format!("{prefix}-CN-{sequence:06}") }
    }
}

/// A credit note against an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNote {
    /// Its number.
    pub number: InvoiceNumber,
    /// How much is credited, tax included (positive).
    pub amount: Money,
    /// Why.
    pub reason: String,
    /// Staff who issued it.
    pub issued_by: String,
    /// When.
    pub issued_at: DateTime<Utc>,
}

/// Why a credit note cannot be issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditError {
    /// Not positive, another currency, or more than is left uncredited.
    #[error("must be positive, in {currency}, and at most the {left} not yet credited")]
    TooLarge {
        /// The invoice's currency.
        currency: Currency,
        /// Total minus what was credited.
        left: Money,
    },
}

/// A signed settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Its number.
    pub number: InvoiceNumber,
    /// Currency.
    pub currency: Currency,
    /// The lines as signed.
    pub lines: Vec<ChargeLine>,
    /// The discounts as signed.
    pub discounts: Vec<Discount>,
    /// Tax rate applied, basis points.
    pub tax_rate_bp: i64,
    /// The sums as signed.
    pub totals: Totals,
    /// The customer who signed.
    pub signed_by: String,
    /// The signature's reference.
    pub signature_reference: String,
    /// When.
    pub signed_at: DateTime<Utc>,
    /// Corrections, oldest first.
    pub credit_notes: Vec<CreditNote>,
}

impl Invoice {
    /// What has been credited so far.
    pub fn credited(&self) -> Money {
        Money::sum(self.currency, self.credit_notes.iter().map(|c| c.amount)).unwrap_or(Money::zero(self.currency))
    }

    /// Checks a credit of `amount` fits what is left uncredited.
    pub fn check_credit(&self, amount: Money) -> Result<(), CreditError> {
        let left = self.totals.total.checked_sub(self.credited()).unwrap_or(Money::zero(self.currency));
        if amount.currency() != self.currency || amount.minor_units() <= 0 || amount.minor_units() > left.minor_units()
        {
            return Err(CreditError::TooLarge { currency: self.currency, left });
        }
        Ok(())
    }

    /// Issues a credit note `number` of `amount` for `reason`.
    pub fn credit(
        &mut self,
        number: InvoiceNumber,
        amount: Money,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<&CreditNote, CreditError> {
        self.check_credit(amount)?;
        self.credit_notes.push(CreditNote {
            number,
            amount,
            reason: reason.to_string(),
            issued_by: by.to_string(),
            issued_at: now,
        });
        Ok(self.credit_notes.last().expect("just pushed"))
    }
}
