//! Reception's schema: sea-orm entities, the repository of repair orders, and migrations.

pub mod appointments;
pub mod check_ins;
pub mod customers;
pub mod dealer_terms;
pub mod directory;
pub mod entities;
pub mod inquiries;
pub mod kpis;
pub mod labour_operations;
pub mod migrations;
pub mod notices;
pub mod repair_orders;
pub mod settlements;
pub mod sql;
pub mod vehicles;

pub use migrations::Migrator;
