//! The supplier service's schema: sea-orm entities, the repository of suppliers, and migrations.

pub mod claims;
pub mod entities;
pub mod migrations;
pub mod scorecards;
pub mod suppliers;

pub use migrations::Migrator;
