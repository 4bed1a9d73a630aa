//! Workshop's schema: sea-orm entities, the repositories of jobs and catalogue operations, and migrations.

pub mod entities;
pub mod jobs;
pub mod migrations;
pub mod operations;
pub mod technicians;

pub use migrations::Migrator;
