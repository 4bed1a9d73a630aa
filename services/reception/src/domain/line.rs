//! The lines of an estimate: labour (an operation of workshop's catalogue, estimated hours, an hourly rate) or parts
//! (a part number, a quantity, a unit price), each required or optional; a declined line keeps its reason.

use aftersales_kernel::{Hundredths, Money, MoneyError, PartNumber};

use super::OperationCode;

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
    /// The additional-work request the line was approved with; `None` for lines of the first estimate.
    pub additional_work_id: Option<uuid::Uuid>,
    /// What was actually done: labour, the hours workshop clocked on it once the job is ready (`JobReady`);
    /// parts, the quantity parts issued less what came back (`PartsIssued` / `PartsReturned`, final with
    /// `RequisitionsClosed`). `None` until known.
    pub actual: Option<Hundredths>,
}

impl RepairOrderLine {
    /// Whether the customer declined it.
    pub fn is_declined(&self) -> bool {
        self.declined_reason.is_some()
    }
}
