//! Workshop's schema: sea-orm entities, the job repository, and migrations.

pub mod entities;
pub mod jobs;
pub mod migrations;

pub use migrations::Migrator;
