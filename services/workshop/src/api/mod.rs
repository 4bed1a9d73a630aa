//! Workshop's gRPC services: check the caller, parse the request, call the use case, render.
//!
//! - [`jobs`]: the `JobService`.
//! - [`operations`]: the `OperationCatalogueService`, the OEM operation catalogue.
//! - [`settings`]: the `WorkshopSettingsService`, a dealer's workshop settings.
//! - [`technicians`]: the `TechnicianService`, a dealer's workshop technicians.

pub mod jobs;
pub mod operations;
pub mod settings;
pub mod technicians;

pub use jobs::JobApi;
pub use operations::OperationCatalogueApi;
pub use settings::WorkshopSettingsApi;
pub use technicians::TechnicianApi;
