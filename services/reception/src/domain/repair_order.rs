//! The repair order (维修工单): what the customer asked for, the estimate of what it costs, and the customer's
//! consent to one version of that estimate.
//!
//! Rules (DOMAIN.md, Reception 4–5):
//! - an order has at least one line; every line is labour (an operation, estimated hours, an hourly rate) or parts
//!   (a part number, a quantity, a unit price); all lines are in one currency;
//! - each line is *required* or *optional*; the customer may decline optional lines with a reason, never required
//!   ones; a declined line stays on the order with its reason;
//! - no work without consent: consent names the estimate version the customer saw, who consented, how and when;
//! - the state machine `draft → estimated → approved → in_workshop ⇄ awaiting_additional_consent → ready →
//!   settled → delivered → followed_up`, with `cancelled` possible until the job starts; any other move is refused
//!   naming the current state.

use aftersales_kernel::{DealerId, Money, MoneyError, RepairOrderId, Vin};
use chrono::{DateTime, Utc};

use super::opening::{OpeningTerms, OrderVehicle, TermsError};
use super::{AdditionalWork, Consent, LineId, LineRequirement, NewLine, RepairOrderLine, RepairOrderState};

pub mod additional;
pub mod hand_over;
mod inform;

/// What opening an order needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRepairOrder {
    /// The dealer.
    pub dealer_id: DealerId,
    /// The car, named or of a check-in.
    pub vehicle: OrderVehicle,
    /// Will not start / unsafe.
    pub urgent: bool,
    /// The customer's words.
    pub fault_description: String,
    /// Promised back at.
    pub promised_at: DateTime<Utc>,
    /// The estimate.
    pub lines: Vec<NewLine>,
    /// The staff member opening it.
    pub created_by: String,
}

/// Why an order cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// No lines.
    #[error("an estimate needs at least one line")]
    NoLines,
    /// Lines priced in different currencies (index of the first odd one).
    #[error("all lines must be in {expected}")]
    MixedCurrency {
        /// Index of the line.
        line: usize,
        /// The first line's currency.
        expected: String,
    },
    /// A negative price (index of the line).
    #[error("prices must not be negative")]
    NegativePrice {
        /// Index of the line.
        line: usize,
    },
    /// A line's amount or the total overflows.
    #[error("amount too large")]
    Overflow {
        /// Index of the line.
        line: usize,
    },
    /// The promise lies in the past.
    #[error("must be in the future")]
    PromisedInThePast,
    /// A line or the car does not fit the catalogue, the dealer's currency or the check-in.
    #[error(transparent)]
    Terms(#[from] TermsError),
}

/// Why consent cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApproveError {
    /// Only an estimated order can be approved.
    #[error("only an estimated order can be approved")]
    NotEstimated(RepairOrderState),
    /// The customer saw another version than the current one.
    #[error("the customer must consent to the current estimate version {current}")]
    StaleVersion {
        /// The current version.
        current: i32,
    },
    /// A declined line id is not on the order (index in the request).
    #[error("is not a line of this order")]
    UnknownLine(usize),
    /// A required line cannot be declined (index in the request).
    #[error("is a required line and cannot be declined")]
    RequiredLine(usize),
    /// The same line declined twice (index in the request).
    #[error("is declined twice")]
    DuplicateDecline(usize),
}

/// Why an order cannot be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {} cannot be cancelled: the job has started or the order is closed", .0.as_str())]
pub struct NotCancellable(pub RepairOrderState);

/// A repair order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOrder {
    /// Id.
    pub id: RepairOrderId,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The vehicle.
    pub vin: Vin,
    /// Odometer at check-in, km.
    pub mileage_km: i64,
    /// Will not start / unsafe.
    pub urgent: bool,
    /// The customer's words.
    pub fault_description: String,
    /// Promised back at.
    pub promised_at: DateTime<Utc>,
    /// Where it is.
    pub state: RepairOrderState,
    /// Current estimate version.
    pub estimate_version: i32,
    /// Lines of the current estimate.
    pub lines: Vec<RepairOrderLine>,
    /// Consent, once given.
    pub consent: Option<Consent>,
    /// Who opened it.
    pub created_by: String,
    /// When opened.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the etag).
    pub revision: i64,
    /// Why it was cancelled; `None` unless cancelled.
    pub cancellation_reason: Option<String>,
    /// Workshop's additional-work requests, oldest first, with the customer's decisions.
    pub additional_work: Vec<AdditionalWork>,
    /// The hand-over, once delivered.
    pub delivery: Option<super::Delivery>,
    /// The follow-up visit, once recorded.
    pub follow_up: Option<super::FollowUp>,
    /// The check-in it was opened for.
    pub check_in_id: Option<uuid::Uuid>,
    /// When parts closed the order's requisitions (`RequisitionsClosed`): its part lines are final and the
    /// settlement may be signed.
    pub requisitions_closed_at: Option<DateTime<Utc>>,
}

impl RepairOrder {
    /// Opens an order with its first estimate (version 1, state `estimated`).
    pub fn open(new: NewRepairOrder, terms: &OpeningTerms, now: DateTime<Utc>) -> Result<RepairOrder, OpenError> {
        let first = new.lines.first().ok_or(OpenError::NoLines)?;
        let currency = first.item.price().currency();
        for (index, line) in new.lines.iter().enumerate() {
            let price = line.item.price();
            if price.currency() != currency {
                return Err(OpenError::MixedCurrency { line: index, expected: currency.to_string() });
            }
            if price.is_negative() {
                return Err(OpenError::NegativePrice { line: index });
            }
            line.item.amount().map_err(|_| OpenError::Overflow { line: index })?;
        }
        terms.check_lines(&new.lines)?;
        let (vin, mileage_km) = terms.vehicle(&new.vehicle)?;
        if new.promised_at <= now {
            return Err(OpenError::PromisedInThePast);
        }
        let check_in_id = match new.vehicle {
            OrderVehicle::CheckedIn { check_in_id, .. } => Some(check_in_id),
            OrderVehicle::Given { .. } => None,
        };
        let order = RepairOrder {
            id: RepairOrderId::new(),
            dealer_id: new.dealer_id,
            vin,
            mileage_km,
            check_in_id,
            requisitions_closed_at: None,
            urgent: new.urgent,
            fault_description: new.fault_description,
            promised_at: new.promised_at,
            state: RepairOrderState::Estimated,
            estimate_version: 1,
            lines: new
                .lines
                .into_iter()
                .map(|line| RepairOrderLine {
                    id: LineId(uuid::Uuid::now_v7()),
                    item: line.item,
                    requirement: line.requirement,
                    declined_reason: None,
                    additional_work_id: None,
                    actual: None,
                })
                .collect(),
            consent: None,
            created_by: new.created_by,
            created_at: now,
            updated_at: now,
            revision: 1,
            cancellation_reason: None,
            additional_work: Vec::new(),
            delivery: None,
            follow_up: None,
        };
        order.estimate_total().map_err(|_| OpenError::Overflow { line: order.lines.len() - 1 })?;
        Ok(order)
    }

    /// The currency the order is priced in (its first line's).
    pub fn currency(&self) -> aftersales_kernel::Currency {
        self.lines.first().map(|l| l.item.price().currency()).unwrap_or(aftersales_kernel::Currency::EUR)
    }

    /// Sum of the lines not declined.
    pub fn estimate_total(&self) -> Result<Money, MoneyError> {
        let currency = self.currency();
        let amounts =
            self.lines.iter().filter(|l| !l.is_declined()).map(|l| l.item.amount()).collect::<Result<Vec<_>, _>>()?;
        Money::sum(currency, amounts)
    }

    /// Records the customer's consent to the current estimate, declining the given optional lines.
    pub fn approve(
        &mut self,
        consent: Consent,
        declined: &[(LineId, String)],
        now: DateTime<Utc>,
    ) -> Result<(), ApproveError> {
        if !self.state.may_become(RepairOrderState::Approved) {
            return Err(ApproveError::NotEstimated(self.state));
        }
        if consent.estimate_version != self.estimate_version {
            return Err(ApproveError::StaleVersion { current: self.estimate_version });
        }
        for (index, (line_id, _)) in declined.iter().enumerate() {
            if declined[..index].iter().any(|(earlier, _)| earlier == line_id) {
                return Err(ApproveError::DuplicateDecline(index));
            }
            let line = self.lines.iter().find(|l| l.id == *line_id).ok_or(ApproveError::UnknownLine(index))?;
            if line.requirement == LineRequirement::Required {
                return Err(ApproveError::RequiredLine(index));
            }
        }
        for (line_id, reason) in declined {
            if let Some(line) = self.lines.iter_mut().find(|l| l.id == *line_id) {
                line.declined_reason = Some(reason.clone());
            }
        }
        self.state = RepairOrderState::Approved;
        self.consent = Some(consent);
        self.updated_at = now;
        self.revision += 1;
        Ok(())
    }

    /// Cancels the order with `reason`, possible until the job starts.
    pub fn cancel(&mut self, reason: &str, now: DateTime<Utc>) -> Result<(), NotCancellable> {
        if !self.state.may_become(RepairOrderState::Cancelled) {
            return Err(NotCancellable(self.state));
        }
        self.state = RepairOrderState::Cancelled;
        self.cancellation_reason = Some(reason.to_string());
        self.updated_at = now;
        self.revision += 1;
        Ok(())
    }

    /// The workshop started the job (`JobStarted`): `approved → in_workshop`. `false` when the order is not
    /// approved (already further on, or a redelivered event): nothing changes.
    pub fn job_started(&mut self, now: DateTime<Utc>) -> bool {
        if self.state != RepairOrderState::Approved {
            return false;
        }
        self.state = RepairOrderState::InWorkshop;
        self.updated_at = now;
        self.revision += 1;
        true
    }

    /// The workshop made the car ready (`JobReady`: inspected and washed): `in_workshop → ready`, with the hours
    /// clocked on each labour line (`actual_hours`: line → hours; lines workshop does not name keep none). `false`
    /// when the order is not in the workshop (a redelivered event, or one already further on): nothing changes.
    pub fn job_ready(&mut self, actual_hours: &[(LineId, aftersales_kernel::Hundredths)], now: DateTime<Utc>) -> bool {
        if self.state != RepairOrderState::InWorkshop {
            return false;
        }
        for line in &mut self.lines {
            if let Some((_, hours)) = actual_hours.iter().find(|(id, _)| *id == line.id) {
                line.actual = Some(*hours);
            }
        }
        self.state = RepairOrderState::Ready;
        self.updated_at = now;
        self.revision += 1;
        true
    }

    /// Parts issued (`delta` > 0) or took back (`delta` < 0) on a part line: its running actual moves. `false` —
    /// nothing changes — for a line that is not a consented part line of the order, or once the requisitions are
    /// closed (their final figures win).
    pub fn parts_moved(&mut self, line: LineId, delta: i64, now: DateTime<Utc>) -> bool {
        if self.requisitions_closed_at.is_some() {
            return false;
        }
        let Some(line) = self.lines.iter_mut().find(|l| l.id == line && !l.is_declined()) else { return false };
        if !matches!(line.item, super::LineItem::Part { .. }) {
            return false;
        }
        let before = line.actual.map_or(0, |q| q.as_hundredths());
        let Ok(after) = aftersales_kernel::Hundredths::from_hundredths((before + delta).max(0)) else { return false };
        line.actual = Some(after);
        self.touch(now);
        true
    }

    /// Parts closed the order's requisitions with what each part line used: those figures are final (a part line
    /// parts does not name used nothing). `false` for a redelivery: nothing changes.
    pub fn requisitions_closed(
        &mut self,
        used: &[(LineId, aftersales_kernel::Hundredths)],
        now: DateTime<Utc>,
    ) -> bool {
        if self.requisitions_closed_at.is_some() {
            return false;
        }
        for line in self.lines.iter_mut().filter(|l| matches!(l.item, super::LineItem::Part { .. })) {
            let total = used.iter().filter(|(id, _)| *id == line.id).map(|(_, q)| q.as_hundredths()).sum::<i64>();
            line.actual = aftersales_kernel::Hundredths::from_hundredths(total).ok();
        }
        self.requisitions_closed_at = Some(now);
        self.touch(now);
        true
    }

    /// Marks a change: new update time and revision (the etag).
    fn touch(&mut self, now: DateTime<Utc>) {
        self.updated_at = now;
        self.revision += 1;
    }

    /// The lines the customer consented to (declined ones left out).
    pub fn consented_lines(&self) -> impl Iterator<Item = &RepairOrderLine> {
        self.lines.iter().filter(|l| !l.is_declined())
    }
}

#[cfg(test)]
mod tests;
