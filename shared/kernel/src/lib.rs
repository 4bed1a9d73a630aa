//! Value types every after-sales domain speaks.
//!
//! The kernel follows "parse, don't validate": every type is a newtype with
//! private fields that can only be built through a parsing (or otherwise
//! checked) constructor returning `Result`. Once you hold a [`Vin`], a
//! [`PartNumber`] or a [`Money`], it is valid; no code downstream has to check
//! it again.
//!
//! Error messages are short human sentences (for example "must be 17
//! characters, got 16") because the API layer shows them to callers as the
//! reason for a field violation.
//!
//! The crate does no I/O and knows nothing about gRPC or databases.
//!
//! # Layout
//!
//! - [`currency`]: [`Currency`], an ISO 4217 alphabetic code, and its number
//!   of minor digits.
//! - [`money`]: [`Money`], an amount in integer minor units of one currency,
//!   with checked arithmetic.
//! - [`hundredths`]: [`Hundredths`], a non-negative fixed-point amount with two
//!   decimals, aliased as [`Hours`] and [`Quantity`].
//! - [`vin`]: [`Vin`], an ISO 3779 vehicle identification number with its
//!   North-American check digit.
//! - [`part_number`]: [`PartNumber`], an OEM part number.
//! - [`ids`]: the [`typed_id!`] macro and the typed UUIDv7 identifiers built
//!   with it ([`DealerId`], [`RepairOrderId`], ...).
//! - [`operation_code`]: [`OperationCode`], the key of an operation of workshop's catalogue.
//! - [`text`]: the length and line rules of names and free text, counted in characters.
#![forbid(unsafe_code)]

pub mod currency;
pub mod figures;
pub mod hundredths;
pub mod ids;
pub mod money;
pub mod operation_code;
pub mod part_number;
pub mod text;
pub mod vin;

/// Re-exported so that [`typed_id!`] works in crates that do not depend on
/// `uuid` themselves.
pub use uuid;

pub use currency::{Currency, CurrencyError};
pub use hundredths::{Hours, Hundredths, HundredthsError, Quantity};
pub use ids::{
    CaseId, ClaimId, CustomerId, DealerId, EventId, IdError, JobId, PartId, RepairOrderId, SupplierId, VehicleId,
};
pub use money::{Money, MoneyError};
pub use operation_code::{OperationCode, OperationCodeError};
pub use part_number::{PartNumber, PartNumberError};
pub use vin::{Vin, VinError};
