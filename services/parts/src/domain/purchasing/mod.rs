//! Purchasing (采购计划 / 入库验收, DOMAIN.md Parts 4–5): who a part may be bought from, purchase orders and what a
//! delivery does to them, and what a purchase plan suggests.

pub mod order;
pub mod plan;
pub mod supplier;

pub use order::{Delivered, OrderError, OrderLine, OrderState, PurchaseOrder, Received};
pub use plan::{Figures, PlanError, PlanLine, PlanReason, PurchasePlan, Suggestion, suggest};
pub use supplier::{SUPPLIER_SERVICE, SupplierRefusal, SupplierStatus, may_order};
