//! What an estimate is checked against when an order opens (DOMAIN.md, Reception 4): reception's read copy of
//! workshop's operation catalogue, the dealer's invoicing currency, and the check-in the order is for. Rules:
//! - a labour line names an operation of the catalogue that is still active (a retired one stays for history only);
//! - when the dealer is in the directory, every price is in its currency (the invoice is, and settlement never
//!   converts);
//! - an order opened for a check-in is for the checked-in car at the checked-in reading: a VIN or reading given
//!   as well must agree with the check-in's.

use std::collections::BTreeMap;

use aftersales_kernel::{Currency, Hundredths, OperationCode, Vin};
use chrono::{DateTime, Utc};

use super::check_in::CheckIn;
use super::{LineItem, NewLine};

/// An operation of workshop's catalogue as reception keeps it (from `OperationCatalogUpdated`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourOperation {
    /// Code, e.g. ENG-0420.
    pub code: OperationCode,
    /// Name.
    pub name: String,
    /// Skill family a technician needs.
    pub skill_family: String,
    /// Minimum level in that family.
    pub minimum_level: i32,
    /// The usual estimate.
    pub standard_hours: Hundredths,
    /// New estimates may use it.
    pub active: bool,
    /// When workshop last changed it.
    pub changed_at: DateTime<Utc>,
}

impl LabourOperation {
    /// Whether a record from the feed replaces this copy: only a later change does, so a redelivered or late
    /// older record never undoes a newer one.
    pub fn is_superseded_by(&self, incoming: &LabourOperation) -> bool {
        incoming.changed_at > self.changed_at
    }
}

/// Which car an order is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderVehicle {
    /// Named at the desk.
    Given {
        /// The VIN.
        vin: Vin,
        /// The odometer, km.
        mileage_km: i64,
    },
    /// The car of a check-in; a VIN or reading given too must agree with it.
    CheckedIn {
        /// The check-in.
        check_in_id: uuid::Uuid,
        /// A VIN given as well.
        vin: Option<Vin>,
        /// A reading given as well.
        mileage_km: Option<i64>,
    },
}

/// What the order's lines and car are checked against; loaded by the use case.
#[derive(Debug, Clone, Default)]
pub struct OpeningTerms {
    /// The catalogue's records of the codes the labour lines name (absent: not in the catalogue).
    pub operations: BTreeMap<OperationCode, LabourOperation>,
    /// The dealer's invoicing currency; `None` while the dealer is not in the directory.
    pub dealer_currency: Option<Currency>,
    /// The check-in named by [`OrderVehicle::CheckedIn`], when it is one of the dealer's.
    pub check_in: Option<CheckIn>,
}

/// Why a line or the car does not fit the terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// A labour line's operation is not in the catalogue.
    #[error("{code} is not an operation of workshop's catalogue")]
    UnknownOperation {
        /// Index of the line.
        line: usize,
        /// The code.
        code: OperationCode,
    },
    /// A labour line's operation is retired.
    #[error("{code} is retired from workshop's catalogue")]
    RetiredOperation {
        /// Index of the line.
        line: usize,
        /// The code.
        code: OperationCode,
    },
    /// A price is not in the dealer's currency.
    #[error("must be in the dealer's currency {expected}")]
    NotDealerCurrency {
        /// Index of the line.
        line: usize,
        /// The dealer's currency.
        expected: Currency,
    },
    /// The check-in is not one of the dealer's.
    #[error("is not a check-in of this dealer")]
    UnknownCheckIn,
    /// The VIN given is not the checked-in car's.
    #[error("is not the VIN of the check-in ({0})")]
    VinDiffersFromCheckIn(Vin),
    /// The reading given is not the check-in's.
    #[error("is not the reading of the check-in ({0} km)")]
    MileageDiffersFromCheckIn(i64),
}

impl OpeningTerms {
    /// Checks every line against the catalogue and the dealer's currency, first failure first.
    pub fn check_lines(&self, lines: &[NewLine]) -> Result<(), TermsError> {
        for (line, new) in lines.iter().enumerate() {
            if let LineItem::Labour { operation_code, .. } = &new.item {
                match self.operations.get(operation_code) {
                    None => return Err(TermsError::UnknownOperation { line, code: operation_code.clone() }),
                    Some(op) if !op.active => {
                        return Err(TermsError::RetiredOperation { line, code: operation_code.clone() });
                    }
                    Some(_) => {}
                }
            }
            if let Some(expected) = self.dealer_currency
                && new.item.price().currency() != expected
            {
                return Err(TermsError::NotDealerCurrency { line, expected });
            }
        }
        Ok(())
    }

    /// The car and reading the order is for.
    pub fn vehicle(&self, vehicle: &OrderVehicle) -> Result<(Vin, i64), TermsError> {
        match vehicle {
            OrderVehicle::Given { vin, mileage_km } => Ok((*vin, *mileage_km)),
            OrderVehicle::CheckedIn { check_in_id, vin, mileage_km } => {
                let check_in =
                    self.check_in.as_ref().filter(|c| c.id == *check_in_id).ok_or(TermsError::UnknownCheckIn)?;
                let reading = check_in.walk_around.mileage_km;
                if vin.as_ref().is_some_and(|v| *v != check_in.vin) {
                    return Err(TermsError::VinDiffersFromCheckIn(check_in.vin));
                }
                if mileage_km.is_some_and(|m| m != reading) {
                    return Err(TermsError::MileageDiffersFromCheckIn(reading));
                }
                Ok((check_in.vin, reading))
            }
        }
    }
}

#[cfg(test)]
mod tests;

/// Terms for the other rules' tests: ENG-0420 and BRK-0100 active in the catalogue, no directory entry, no check-in.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// An active catalogue record of `code`.
    pub(crate) fn operation(code: &str, active: bool) -> LabourOperation {
        LabourOperation {
            code: OperationCode::parse(code).unwrap(),
            name: format!("operation {code}"),
            skill_family: "engine".into(),
            minimum_level: 2,
            standard_hours: Hundredths::from_hundredths(150).unwrap(),
            active,
            changed_at: DateTime::UNIX_EPOCH,
        }
    }

    /// See the module.
    pub(crate) fn opening_terms() -> OpeningTerms {
        let operations = ["ENG-0420", "BRK-0100"].map(|c| (OperationCode::parse(c).unwrap(), operation(c, true)));
        OpeningTerms { operations: operations.into_iter().collect(), ..OpeningTerms::default() }
    }
}
