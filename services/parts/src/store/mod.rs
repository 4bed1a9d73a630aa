//! Parts' schema: sea-orm entities, the repository of catalogue entries, warehouses, the stock ledger, and
//! migrations.

pub mod catalogue;
pub mod counts;
pub mod entities;
pub mod ledger;
pub mod migrations;
pub mod purchase_orders;
pub mod purchasing;
pub mod requisitions;
pub mod reservations;
pub mod transfers;
pub mod warehouses;

pub use migrations::Migrator;
