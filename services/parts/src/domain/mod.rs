//! Parts' business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`catalogue_entry`]: the OEM part catalogue (配件目录) — what a part number is, what it fits, what it costs,
//!   how long its warranty runs and what replaces it.
//! - [`warranty`]: how long after fitting a part is covered, in months and km.
//! - [`fitting`]: which part and batch went into which vehicle, and the warranty verdict on a failed part.
//! - [`purchasing`]: approved suppliers, purchase orders, receiving, and what a purchase plan suggests.
//! - [`requisition`]: technicians' requisitions, approval, partial issues, returns, and when an order closes.
//! - [`reservation`]: stock held for approved orders; what is available to everyone else.
//! - [`stock`]: the stock ledger — lots, immutable movements, never negative, oldest batch first.
//! - [`warehouse`]: a dealer's warehouses and bins.

pub mod catalogue_entry;
pub mod fitting;
pub mod purchasing;
pub mod requisition;
pub mod reservation;
pub mod stock;
pub mod warehouse;
pub mod warranty;

pub use catalogue_entry::{CatalogueEntry, Draft, EntryField, Rule, Violation};
pub use warranty::Warranty;
