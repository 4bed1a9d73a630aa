//! Workshop's schema: sea-orm entities, the repositories of jobs, catalogue operations, technicians and settings, and migrations.

pub mod entities;
pub mod jobs;
pub mod migrations;
pub mod operations;
pub mod settings;
pub mod technicians;

pub use migrations::Migrator;
