//! Escalation's schema: sea-orm entities, the repository of cases, and migrations.

mod case_rows;
pub mod cases;
pub mod dealer_hours;
pub mod entities;
pub mod migrations;
pub mod report_cache;
pub mod reports;
pub mod sla;

pub use migrations::Migrator;
