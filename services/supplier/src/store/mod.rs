//! The supplier service's schema: sea-orm entities, the repository of suppliers, and migrations.

pub mod entities;
pub mod migrations;
pub mod suppliers;

pub use migrations::Migrator;
