//! The supplier service's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`claim`]: a supplier claim and its way from the draft to the chargeback (8D, verdict, cost settlement).
//! - [`scorecard`]: a supplier's figures over a period from its claims and the engine's clock verdicts; the ranking.
//! - [`supplier`]: the supplier (供应商), its status, and what registering one requires.
//! - [`supplier_code`]: the code the catalogue names a supplier by.
//! - [`contact`]: a person at the supplier and the rules of their name, e-mail and phone.

pub mod claim;
pub mod contact;
pub mod scorecard;
pub mod supplier;
pub mod supplier_code;

pub use contact::{Contact, ContactField, ContactRule};
pub use supplier::{Draft, Rule, Supplier, SupplierField, SupplierStatus, Violation};
pub use supplier_code::{SupplierCode, SupplierCodeError};
