//! Raw SQL helpers (the runtime's), for reception's tables kept without sea-orm entities.

pub use aftersales_runtime::sql::{corrupt, execute, lock_suffix, placeholders, query};
