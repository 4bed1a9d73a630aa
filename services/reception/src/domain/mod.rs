//! Reception's business rules, as plain Rust: no I/O, no gRPC, no database.
//!
//! - [`repair_order`]: the repair order (维修工单) and its estimate: opening it, consent, declined lines.
//! - [`state`]: the state machine of DOMAIN.md in one place.
//! - [`line`]: labour and parts lines and their amounts.
//! - [`consent`]: the customer's consent to one estimate version.
//! - [`additional_work`]: extra work the workshop asks for, and the customer's answer.
//! - [`settlement`]: what the customer pays, the invoice and its credit notes.
//! - [`directory`]: dealers and their staff.
//! - [`inquiry`]: first-contact responsibility for inquiries and complaints.
//! - [`customer`], [`vehicle`]: the dealer's customers and vehicles with their mileage history.
//! - [`appointment`]: appointments, their confirmation, fast lane and reminders.
//! - [`check_in`]: the walk-around at check-in.
//! - [`kpi`]: the service advisors' monthly KPIs.
//! - [`delivery`]: handing the car back, and the follow-up visit.
//! - [`notice`]: progress and delay notices given to the customer.
//! - [`opening`]: what an estimate is checked against: the catalogue copy, the dealer's currency, the check-in.

pub mod additional_work;
pub mod appointment;
pub mod check_in;
pub mod consent;
pub mod customer;
pub mod delivery;
pub mod directory;
pub mod inquiry;
pub mod kpi;
pub mod line;
pub mod notice;
pub mod opening;
pub mod repair_order;
pub mod settlement;
pub mod state;
pub mod vehicle;

pub use additional_work::{AdditionalWork, AdditionalWorkRequest, AnswerError, CustomerAnswer, Decision, Pricing};
pub use aftersales_kernel::OperationCode;
pub use consent::{Consent, ConsentChannel};
pub use delivery::{Delivery, FollowUp, FollowUpChannel, OldParts, Score};
pub use line::{LineId, LineItem, LineRequirement, NewLine, RepairOrderLine};
pub use notice::{CustomerNotice, NoticeChannel, NoticeContent, NoticeError};
pub use opening::{LabourOperation, OpeningTerms, OrderVehicle, TermsError};
pub use repair_order::additional::NotInWorkshop;
pub use repair_order::hand_over::WrongState;
pub use repair_order::{ApproveError, NewRepairOrder, NotCancellable, OpenError, RepairOrder};
pub use state::RepairOrderState;
