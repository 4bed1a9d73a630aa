//! Parts' schema: sea-orm entities, the repository of catalogue entries, and migrations.

pub mod catalogue;
pub mod entities;
pub mod migrations;

pub use migrations::Migrator;
