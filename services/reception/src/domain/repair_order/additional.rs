//! The order's side of additional work: a request from the workshop puts the order in
//! `awaiting_additional_consent`; the customer's approval adds the priced lines as a new estimate version, a refusal
//! keeps the reason; once no request waits, the order is back `in_workshop`.

use aftersales_kernel::Money;
use chrono::{DateTime, Utc};

use super::RepairOrder;
use crate::domain::{
    AdditionalWork, AdditionalWorkRequest, AnswerError, CustomerAnswer, Decision, LineId, LineItem, LineRequirement,
    Pricing, RepairOrderLine, RepairOrderState,
};

/// The workshop asked for additional work while the order is not in the workshop (its job cannot be running).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {} cannot receive additional work", .0.as_str())]
pub struct NotInWorkshop(pub RepairOrderState);

impl RepairOrder {
    /// Workshop asked for additional work: the order waits for the customer (`awaiting_additional_consent`).
    /// `Ok(false)` when the request is already known (a redelivered event): nothing changes.
    pub fn additional_work_requested(
        &mut self,
        request: AdditionalWorkRequest,
        now: DateTime<Utc>,
    ) -> Result<bool, NotInWorkshop> {
        if self.additional_work.iter().any(|w| w.request.id == request.id) {
            return Ok(false);
        }
        let waiting = RepairOrderState::AwaitingAdditionalConsent;
        if self.state != waiting && !self.state.may_become(waiting) {
            return Err(NotInWorkshop(self.state));
        }
        self.additional_work.push(AdditionalWork { request, decision: Decision::Pending });
        self.state = waiting;
        self.touch(now);
        Ok(true)
    }

    /// The customer approved request `id` at the advisor's `pricing`: its operations and parts join the order as
    /// required lines of a new estimate version, which the answer consents to. Returns the new lines' ids.
    pub fn approve_additional_work(
        &mut self,
        id: uuid::Uuid,
        pricing: &Pricing,
        answer: CustomerAnswer,
        now: DateTime<Utc>,
    ) -> Result<Vec<LineId>, AnswerError> {
        let request = self.pending_request(id)?.request.clone();
        let lines = self.priced_lines(&request, pricing)?;
        let ids = lines.iter().map(|l| l.id).collect();
        self.lines.extend(lines);
        self.estimate_total().map_err(|_| AnswerError::Overflow)?;
        self.estimate_version += 1;
        let version = self.estimate_version;
        self.decide(id, Decision::Approved { version, answer }, now);
        Ok(ids)
    }

    /// The customer refused request `id` with `reason`: it is kept and never done.
    pub fn refuse_additional_work(
        &mut self,
        id: uuid::Uuid,
        reason: &str,
        answer: CustomerAnswer,
        now: DateTime<Utc>,
    ) -> Result<(), AnswerError> {
        self.pending_request(id)?;
        self.decide(id, Decision::Refused { reason: reason.to_string(), answer }, now);
        Ok(())
    }

    /// The lines approved with request `id` (empty unless approved).
    pub fn lines_of_request(&self, id: uuid::Uuid) -> impl Iterator<Item = &RepairOrderLine> {
        self.lines.iter().filter(move |l| l.additional_work_id == Some(id))
    }

    /// The request `id`, if it still waits for the customer.
    fn pending_request(&self, id: uuid::Uuid) -> Result<&AdditionalWork, AnswerError> {
        let work = self.additional_work.iter().find(|w| w.request.id == id).ok_or(AnswerError::UnknownRequest)?;
        if !work.is_pending() {
            return Err(AnswerError::AlreadyDecided(work.decision.as_str()));
        }
        Ok(work)
    }

    /// Records the decision; with no request left waiting, the job goes on (`in_workshop`).
    fn decide(&mut self, id: uuid::Uuid, decision: Decision, now: DateTime<Utc>) {
        if let Some(work) = self.additional_work.iter_mut().find(|w| w.request.id == id) {
            work.decision = decision;
        }
        if !self.additional_work.iter().any(AdditionalWork::is_pending) {
            self.state = RepairOrderState::InWorkshop;
        }
        self.touch(now);
    }

    /// The request priced as order lines, after checking the pricing against it and the order's currency.
    fn priced_lines(
        &self,
        request: &AdditionalWorkRequest,
        pricing: &Pricing,
    ) -> Result<Vec<RepairOrderLine>, AnswerError> {
        let currency = self.currency();
        let same_currency = |field: String, price: Money| {
            if price.currency() == currency {
                Ok(price)
            } else {
                Err(AnswerError::Currency { field, expected: currency.to_string() })
            }
        };
        if pricing.part_unit_prices.len() != request.parts.len() {
            return Err(AnswerError::PartPriceCount { expected: request.parts.len() });
        }
        let rate = match (request.operations.is_empty(), pricing.hourly_rate) {
            (false, None) => return Err(AnswerError::RateMissing),
            (_, Some(rate)) => Some(same_currency("hourly_rate".into(), rate)?),
            (true, None) => None,
        };
        let labour = request.operations.iter().filter_map(|(code, hours)| {
            rate.map(|hourly_rate| LineItem::Labour { operation_code: code.clone(), hours: *hours, hourly_rate })
        });
        let mut items: Vec<LineItem> = labour.collect();
        for (index, ((part_number, quantity), price)) in request.parts.iter().zip(&pricing.part_unit_prices).enumerate()
        {
            let unit_price = same_currency(format!("part_unit_prices[{index}]"), *price)?;
            items.push(LineItem::Part { part_number: part_number.clone(), quantity: *quantity, unit_price });
        }
        items
            .into_iter()
            .map(|item| {
                item.amount().map_err(|_| AnswerError::Overflow)?;
                Ok(RepairOrderLine {
                    id: LineId(uuid::Uuid::now_v7()),
                    item,
                    requirement: LineRequirement::Required,
                    declined_reason: None,
                    additional_work_id: Some(request.id),
                    actual: None,
                })
            })
            .collect()
    }
}
