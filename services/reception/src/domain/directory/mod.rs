//! The dealer directory (DOMAIN.md Reception 0): dealers with their terms — time zone, opening hours, currency, tax
//! rate, invoice prefix — kept by the OEM, and each dealer's staff kept by its manager.

mod dealer;
mod staff;

pub use dealer::{Dealer, DealerError, DealerProfile, INTERVALS_MAX, OpeningInterval};
pub use staff::{StaffMember, StaffProfile, StaffRole};
