//! Reception's schema: sea-orm entities, the repository of repair orders, and migrations.

pub mod entities;
pub mod migrations;
pub mod notices;
pub mod repair_orders;

pub use migrations::Migrator;
