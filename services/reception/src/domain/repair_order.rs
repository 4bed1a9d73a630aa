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

use aftersales_kernel::{DealerId, Hundredths, Money, MoneyError, PartNumber, RepairOrderId, Vin};
use chrono::{DateTime, Utc};

use super::OperationCode;

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairOrderState {
    /// Being written; no estimate yet.
    Draft,
    /// An estimate waits for consent.
    Estimated,
    /// The customer consented; the workshop queues the job.
    Approved,
    /// The job started.
    InWorkshop,
    /// Extra work waits for the customer's decision.
    AwaitingAdditionalConsent,
    /// Work and inspection done.
    Ready,
    /// Settlement signed.
    Settled,
    /// Car handed back.
    Delivered,
    /// Follow-up recorded.
    FollowedUp,
    /// Cancelled before the job started.
    Cancelled,
}

impl RepairOrderState {
    /// Stable name, stored and shown in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairOrderState::Draft => "draft",
            RepairOrderState::Estimated => "estimated",
            RepairOrderState::Approved => "approved",
            RepairOrderState::InWorkshop => "in_workshop",
            RepairOrderState::AwaitingAdditionalConsent => "awaiting_additional_consent",
            RepairOrderState::Ready => "ready",
            RepairOrderState::Settled => "settled",
            RepairOrderState::Delivered => "delivered",
            RepairOrderState::FollowedUp => "followed_up",
            RepairOrderState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<RepairOrderState> {
        use RepairOrderState::*;
        [
            Draft,
            Estimated,
            Approved,
            InWorkshop,
            AwaitingAdditionalConsent,
            Ready,
            Settled,
            Delivered,
            FollowedUp,
            Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether the state machine allows `self → next`. The one place transitions are decided.
    pub fn may_become(self, next: RepairOrderState) -> bool {
        use RepairOrderState::*;
        match self {
            Draft => matches!(next, Estimated | Cancelled),
            Estimated => matches!(next, Estimated | Approved | Cancelled),
            Approved => matches!(next, InWorkshop | Cancelled),
            InWorkshop => matches!(next, AwaitingAdditionalConsent | Ready),
            AwaitingAdditionalConsent => matches!(next, InWorkshop),
            Ready => matches!(next, Settled),
            Settled => matches!(next, Delivered),
            Delivered => matches!(next, FollowedUp),
            FollowedUp | Cancelled => false,
        }
    }
}

/// Id of a line, stable across estimate versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineId(pub uuid::Uuid);

/// Whether the customer may decline a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRequirement {
    /// Needed for the complaint.
    Required,
    /// Recommended.
    Optional,
}

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineItem {
    /// An operation of workshop's catalogue.
    Labour {
        /// Catalogue code.
        operation_code: OperationCode,
        /// Estimated hours (hundredths), > 0.
        hours: Hundredths,
        /// Price of one hour.
        hourly_rate: Money,
    },
    /// A part.
    Part {
        /// OEM part number.
        part_number: PartNumber,
        /// Quantity (hundredths), > 0.
        quantity: Hundredths,
        /// Price of one unit.
        unit_price: Money,
    },
}

impl LineItem {
    /// The price the line is computed from.
    pub fn price(&self) -> Money {
        match self {
            LineItem::Labour { hourly_rate, .. } => *hourly_rate,
            LineItem::Part { unit_price, .. } => *unit_price,
        }
    }

    /// Hours × rate or quantity × price, rounded half away from zero to the minor unit.
    pub fn amount(&self) -> Result<Money, MoneyError> {
        match self {
            LineItem::Labour { hours, hourly_rate, .. } => hourly_rate.checked_mul_hundredths(*hours),
            LineItem::Part { quantity, unit_price, .. } => unit_price.checked_mul_hundredths(*quantity),
        }
    }
}

/// A line as requested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLine {
    /// What it is.
    pub item: LineItem,
    /// Whether it may be declined.
    pub requirement: LineRequirement,
}

/// A line of the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairOrderLine {
    /// Id.
    pub id: LineId,
    /// What it is.
    pub item: LineItem,
    /// Whether it may be declined.
    pub requirement: LineRequirement,
    /// The customer's reason, when declined.
    pub declined_reason: Option<String>,
}

impl RepairOrderLine {
    /// Whether the customer declined it.
    pub fn is_declined(&self) -> bool {
        self.declined_reason.is_some()
    }
}

/// How consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentChannel {
    /// Signed at the desk.
    InPerson,
    /// On the phone.
    Phone,
    /// In the app.
    App,
}

/// The customer's consent to one estimate version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The version consented to.
    pub estimate_version: i32,
    /// Who consented.
    pub consented_by: String,
    /// How.
    pub channel: ConsentChannel,
    /// Signature or call reference.
    pub signature_reference: String,
    /// Staff who recorded it.
    pub recorded_by: String,
    /// When.
    pub consented_at: DateTime<Utc>,
}

/// What opening an order needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRepairOrder {
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
}

impl RepairOrder {
    /// Opens an order with its first estimate (version 1, state `estimated`).
    pub fn open(new: NewRepairOrder, now: DateTime<Utc>) -> Result<RepairOrder, OpenError> {
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
        if new.promised_at <= now {
            return Err(OpenError::PromisedInThePast);
        }
        let order = RepairOrder {
            id: RepairOrderId::new(),
            dealer_id: new.dealer_id,
            vin: new.vin,
            mileage_km: new.mileage_km,
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
                })
                .collect(),
            consent: None,
            created_by: new.created_by,
            created_at: now,
            updated_at: now,
            revision: 1,
        };
        order.estimate_total().map_err(|_| OpenError::Overflow { line: order.lines.len() - 1 })?;
        Ok(order)
    }

    /// Sum of the lines not declined.
    pub fn estimate_total(&self) -> Result<Money, MoneyError> {
        let currency =
            self.lines.first().map(|l| l.item.price().currency()).unwrap_or(aftersales_kernel::Currency::EUR);
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

    /// The lines the customer consented to (declined ones left out).
    pub fn consented_lines(&self) -> impl Iterator<Item = &RepairOrderLine> {
        self.lines.iter().filter(|l| !l.is_declined())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftersales_kernel::Currency;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn eur(minor: i64) -> Money {
        Money::new(Currency::EUR, minor)
    }

    fn labour(hours: i64, rate: Money, requirement: LineRequirement) -> NewLine {
        NewLine {
            item: LineItem::Labour {
                operation_code: OperationCode::parse("ENG-0420").unwrap(),
                hours: Hundredths::from_hundredths(hours).unwrap(),
                hourly_rate: rate,
            },
            requirement,
        }
    }

    fn part(quantity: i64, price: Money, requirement: LineRequirement) -> NewLine {
        NewLine {
            item: LineItem::Part {
                part_number: PartNumber::parse("A-1001").unwrap(),
                quantity: Hundredths::from_hundredths(quantity).unwrap(),
                unit_price: price,
            },
            requirement,
        }
    }

    fn new_order(lines: Vec<NewLine>) -> NewRepairOrder {
        NewRepairOrder {
            dealer_id: DealerId::new(),
            vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
            mileage_km: 42_000,
            urgent: false,
            fault_description: "rattle from the front left wheel".into(),
            promised_at: now() + chrono::Duration::hours(8),
            lines,
            created_by: "advisor-1".into(),
        }
    }

    fn consent(version: i32) -> Consent {
        Consent {
            estimate_version: version,
            consented_by: "Li Wei".into(),
            channel: ConsentChannel::InPerson,
            signature_reference: "sig://1".into(),
            recorded_by: "advisor-1".into(),
            consented_at: now(),
        }
    }

    #[test]
    fn an_opened_order_is_estimated_at_version_one_with_its_total() {
        let order = RepairOrder::open(
            new_order(vec![
                labour(150, eur(8000), LineRequirement::Required), // 1.5 h × 80.00 = 120.00
                part(200, eur(1999), LineRequirement::Optional),   // 2 × 19.99 = 39.98
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(order.state, RepairOrderState::Estimated);
        assert_eq!(order.estimate_version, 1);
        assert_eq!(order.estimate_total().unwrap(), eur(15998));
    }

    #[test]
    fn line_amounts_round_half_up_to_the_cent() {
        // 0.33 h × 10.05 = 3.3165 → 3.32
        let line = labour(33, eur(1005), LineRequirement::Required);
        assert_eq!(line.item.amount().unwrap(), eur(332));
    }

    #[test]
    fn an_order_without_lines_cannot_be_opened() {
        assert_eq!(RepairOrder::open(new_order(vec![]), now()), Err(OpenError::NoLines));
    }

    #[test]
    fn lines_in_two_currencies_are_refused() {
        let usd = Money::new(Currency::USD, 100);
        let result = RepairOrder::open(
            new_order(vec![
                labour(100, eur(100), LineRequirement::Required),
                part(100, usd, LineRequirement::Required),
            ]),
            now(),
        );
        assert!(matches!(result, Err(OpenError::MixedCurrency { line: 1, .. })));
    }

    #[test]
    fn a_promise_in_the_past_is_refused() {
        let mut new = new_order(vec![labour(100, eur(100), LineRequirement::Required)]);
        new.promised_at = now() - chrono::Duration::minutes(1);
        assert_eq!(RepairOrder::open(new, now()), Err(OpenError::PromisedInThePast));
    }

    #[test]
    fn consent_approves_and_keeps_declined_optional_lines_with_their_reason() {
        let mut order = RepairOrder::open(
            new_order(vec![
                labour(100, eur(5000), LineRequirement::Required),
                part(100, eur(2000), LineRequirement::Optional),
            ]),
            now(),
        )
        .unwrap();
        let optional = order.lines[1].id;
        order.approve(consent(1), &[(optional, "only fix the noise".into())], now()).unwrap();
        assert_eq!(order.state, RepairOrderState::Approved);
        assert_eq!(order.lines.len(), 2, "a declined line stays on the order");
        assert_eq!(order.lines[1].declined_reason.as_deref(), Some("only fix the noise"));
        assert_eq!(order.consented_lines().count(), 1);
        assert_eq!(order.estimate_total().unwrap(), eur(5000));
    }

    #[test]
    fn a_required_line_cannot_be_declined() {
        let mut order =
            RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), now()).unwrap();
        let required = order.lines[0].id;
        assert_eq!(order.approve(consent(1), &[(required, "no".into())], now()), Err(ApproveError::RequiredLine(0)));
        assert_eq!(order.state, RepairOrderState::Estimated, "nothing changed");
    }

    #[test]
    fn consent_to_an_old_version_is_refused() {
        let mut order =
            RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), now()).unwrap();
        assert_eq!(order.approve(consent(2), &[], now()), Err(ApproveError::StaleVersion { current: 1 }));
    }

    #[test]
    fn an_approved_order_cannot_be_approved_again() {
        let mut order =
            RepairOrder::open(new_order(vec![labour(100, eur(5000), LineRequirement::Required)]), now()).unwrap();
        order.approve(consent(1), &[], now()).unwrap();
        assert_eq!(order.approve(consent(1), &[], now()), Err(ApproveError::NotEstimated(RepairOrderState::Approved)));
    }

    #[test]
    fn cancellation_is_possible_only_until_the_job_starts() {
        use RepairOrderState::*;
        for state in [Draft, Estimated, Approved] {
            assert!(state.may_become(Cancelled), "{state:?}");
        }
        for state in [InWorkshop, AwaitingAdditionalConsent, Ready, Settled, Delivered, FollowedUp, Cancelled] {
            assert!(!state.may_become(Cancelled), "{state:?}");
        }
    }

    #[test]
    fn every_state_name_round_trips() {
        use RepairOrderState::*;
        for state in [
            Draft,
            Estimated,
            Approved,
            InWorkshop,
            AwaitingAdditionalConsent,
            Ready,
            Settled,
            Delivered,
            FollowedUp,
            Cancelled,
        ] {
            assert_eq!(RepairOrderState::parse(state.as_str()), Some(state));
        }
    }
}
