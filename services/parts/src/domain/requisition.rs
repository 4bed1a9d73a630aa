//! Requisitions (领用单, DOMAIN.md Parts 3). Rules:
//! - a technician asks for a part and a quantity for a job; the job names the repair order and the car, so parts
//!   knows which order line (the order's consented line of that part, if any), which VIN and which mileage;
//! - the service advisor approves or refuses it; only an approved requisition is issued, in one or more issues
//!   (partial allowed), never beyond what was asked;
//! - unused parts go back: a return names a batch issued for this requisition and never exceeds what of it is
//!   still out;
//! - an order's requisitions are closed once its job is ready and none is outstanding (asked and undecided, or
//!   approved and not fully issued); then what was issued less what came back is what the customer is charged
//!   for, per order line, and nothing changes any more.

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId, Vin};
use chrono::{DateTime, Utc};

use super::stock::{BatchCode, BinCode};

/// Where a requisition is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequisitionState {
    /// Asked for; waits for the advisor.
    Requested,
    /// Approved; issued in part or not yet.
    Approved,
    /// Refused by the advisor.
    Refused,
    /// Fully issued.
    Issued,
}

impl RequisitionState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequisitionState::Requested => "requested",
            RequisitionState::Approved => "approved",
            RequisitionState::Refused => "refused",
            RequisitionState::Issued => "issued",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<RequisitionState> {
        use RequisitionState::*;
        [Requested, Approved, Refused, Issued].into_iter().find(|s| s.as_str() == name)
    }
}

/// The job a requisition is for, as parts knows it from the feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLink {
    /// The job.
    pub job_id: uuid::Uuid,
    /// Its dealer.
    pub dealer_id: DealerId,
    /// Its repair order.
    pub order_id: RepairOrderId,
    /// The car.
    pub vin: Vin,
    /// The odometer at check-in.
    pub mileage_km: i64,
}

/// A repair order as parts knows it from reception's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownOrder {
    /// The order.
    pub order_id: RepairOrderId,
    /// Its dealer.
    pub dealer_id: DealerId,
    /// The car.
    pub vin: Vin,
    /// The odometer at check-in.
    pub mileage_km: i64,
    /// Cancelled before work started.
    pub cancelled: bool,
    /// When its requisitions were closed (RequisitionsClosed published).
    pub closed_at: Option<DateTime<Utc>>,
    /// Its consented part lines: (line, part, quantity).
    pub part_lines: Vec<(uuid::Uuid, PartNumber, i64)>,
}

impl KnownOrder {
    /// The order line a requisition of `part` is charged to: the first consented line of that part.
    pub fn line_for(&self, part: &PartNumber) -> Option<uuid::Uuid> {
        self.part_lines.iter().find(|(_, p, _)| p == part).map(|(line, _, _)| *line)
    }
}

/// A job as parts knows it from workshop's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownJob {
    /// The job.
    pub job_id: uuid::Uuid,
    /// Its dealer.
    pub dealer_id: DealerId,
    /// Its order.
    pub order_id: RepairOrderId,
    /// The car.
    pub vin: Vin,
    /// Ready (inspected, washed).
    pub ready: bool,
}

/// One issue or return of one batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMove {
    /// The movement of the ledger.
    pub movement_id: uuid::Uuid,
    /// Where.
    pub warehouse_id: uuid::Uuid,
    /// The bin.
    pub bin: BinCode,
    /// The batch.
    pub batch: BatchCode,
    /// How much (positive), hundredths.
    pub quantity: i64,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A requisition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requisition {
    /// Id.
    pub id: uuid::Uuid,
    /// The job, order, car.
    pub job: JobLink,
    /// The order line it is charged to (the order's consented line of this part), if any.
    pub line_id: Option<uuid::Uuid>,
    /// The part.
    pub part_number: PartNumber,
    /// Asked, hundredths.
    pub quantity: i64,
    /// Where it is.
    pub state: RequisitionState,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// Who approved or refused, and when.
    pub decided: Option<(String, DateTime<Utc>)>,
    /// Why it was refused.
    pub refusal_reason: Option<String>,
    /// What was issued.
    pub issues: Vec<BatchMove>,
    /// What came back.
    pub returns: Vec<BatchMove>,
}

/// Why a requisition cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequisitionError {
    /// Not in the state the change needs.
    #[error("a {} requisition cannot be {what}", .state.as_str())]
    WrongState {
        /// Its state.
        state: RequisitionState,
        /// What was tried.
        what: &'static str,
    },
    /// More than is still to issue.
    #[error("only {outstanding} hundredths are still to issue")]
    BeyondOutstanding {
        /// What is left.
        outstanding: i64,
    },
    /// A return beyond what of the batch is out.
    #[error("only {out} hundredths of batch {batch} issued for this requisition are out")]
    BeyondIssued {
        /// The batch.
        batch: BatchCode,
        /// What of it is out.
        out: i64,
    },
    /// The order's requisitions are closed.
    #[error("the order's requisitions are closed")]
    Closed,
}

impl Requisition {
    /// A technician asks for `quantity` of `part` for `job`, charged to `line_id` if the order has one.
    pub fn request(
        job: JobLink,
        line_id: Option<uuid::Uuid>,
        part_number: PartNumber,
        quantity: i64,
        by: &str,
        now: DateTime<Utc>,
    ) -> Requisition {
        Requisition {
            id: uuid::Uuid::now_v7(),
            job,
            line_id,
            part_number,
            quantity,
            state: RequisitionState::Requested,
            requested_by: by.to_string(),
            requested_at: now,
            decided: None,
            refusal_reason: None,
            issues: Vec::new(),
            returns: Vec::new(),
        }
    }

    /// The advisor approves.
    pub fn approve(&mut self, by: &str, now: DateTime<Utc>) -> Result<(), RequisitionError> {
        self.decide(by, now, "approved")?;
        self.state = RequisitionState::Approved;
        Ok(())
    }

    /// The advisor refuses, with a reason.
    pub fn refuse(&mut self, reason: &str, by: &str, now: DateTime<Utc>) -> Result<(), RequisitionError> {
        self.decide(by, now, "refused")?;
        self.state = RequisitionState::Refused;
        self.refusal_reason = Some(reason.to_string());
        Ok(())
    }

    fn decide(&mut self, by: &str, now: DateTime<Utc>, what: &'static str) -> Result<(), RequisitionError> {
        if self.state != RequisitionState::Requested {
            return Err(RequisitionError::WrongState { state: self.state, what });
        }
        self.decided = Some((by.to_string(), now));
        Ok(())
    }

    /// Issued so far, hundredths.
    pub fn issued(&self) -> i64 {
        self.issues.iter().map(|m| m.quantity).sum()
    }

    /// Returned so far, hundredths.
    pub fn returned(&self) -> i64 {
        self.returns.iter().map(|m| m.quantity).sum()
    }

    /// Still to issue: all of it while asked, the rest once approved, nothing otherwise.
    pub fn outstanding(&self) -> i64 {
        match self.state {
            RequisitionState::Requested => self.quantity,
            RequisitionState::Approved => self.quantity - self.issued(),
            RequisitionState::Refused | RequisitionState::Issued => 0,
        }
    }

    /// Whether `quantity` may be issued now.
    pub fn check_issue(&self, quantity: i64) -> Result<(), RequisitionError> {
        if self.state != RequisitionState::Approved {
            return Err(RequisitionError::WrongState { state: self.state, what: "issued" });
        }
        let outstanding = self.outstanding();
        if quantity > outstanding {
            return Err(RequisitionError::BeyondOutstanding { outstanding });
        }
        Ok(())
    }

    /// Records issues (checked with [`check_issue`](Self::check_issue)); fully issued, it is `issued`.
    pub fn record_issues(&mut self, moves: Vec<BatchMove>) {
        self.issues.extend(moves);
        if self.issued() >= self.quantity {
            self.state = RequisitionState::Issued;
        }
    }

    /// What of `batch` issued for this requisition is still out.
    pub fn out_of(&self, batch: &BatchCode) -> i64 {
        let of = |moves: &[BatchMove]| moves.iter().filter(|m| m.batch == *batch).map(|m| m.quantity).sum::<i64>();
        of(&self.issues) - of(&self.returns)
    }

    /// Records a return of `quantity` of `batch`.
    pub fn record_return(&mut self, back: BatchMove) -> Result<(), RequisitionError> {
        let out = self.out_of(&back.batch);
        if back.quantity > out {
            return Err(RequisitionError::BeyondIssued { batch: back.batch, out });
        }
        self.returns.push(back);
        Ok(())
    }
}

/// What an order's closed requisitions charge, per order line (or part, for parts not on the order): issued less
/// returned, only non-zero.
pub fn actuals(requisitions: &[Requisition]) -> Vec<(Option<uuid::Uuid>, PartNumber, i64)> {
    let mut out: Vec<(Option<uuid::Uuid>, PartNumber, i64)> = Vec::new();
    for r in requisitions {
        let used = r.issued() - r.returned();
        match out.iter_mut().find(|(line, part, _)| *line == r.line_id && *part == r.part_number) {
            Some(entry) => entry.2 += used,
            None => out.push((r.line_id, r.part_number.clone(), used)),
        }
    }
    out.retain(|(_, _, used)| *used != 0);
    out
}

/// Whether nothing of an order's requisitions is outstanding.
pub fn nothing_outstanding(requisitions: &[Requisition]) -> bool {
    requisitions.iter().all(|r| r.outstanding() == 0)
}

#[cfg(test)]
mod tests;
