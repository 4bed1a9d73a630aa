//! Workshop's gRPC services: check the caller, parse the request, call the use case, render.
//!
//! - [`jobs`]: the `JobService`.
//! - [`operations`]: the `OperationCatalogueService`, the OEM operation catalogue.

pub mod jobs;
pub mod operations;

pub use jobs::JobApi;
pub use operations::OperationCatalogueApi;
