//! Reception's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`repair_order`]: the repair order (维修工单), its lines, its estimate and the customer's consent, and the
//!   state machine of DOMAIN.md in one place.
//! - [`operation_code`]: the code of a labour operation of workshop's catalogue.

pub mod operation_code;
pub mod repair_order;

pub use operation_code::OperationCode;
pub use repair_order::{
    ApproveError, Consent, ConsentChannel, LineId, LineItem, LineRequirement, NewLine, NewRepairOrder, OpenError,
    RepairOrder, RepairOrderLine, RepairOrderState,
};
