//! Reservations (DOMAIN.md Parts 2: "reservations hold stock for approved orders"). Rules:
//! - each consented part line of an approved order (and of approved additional work) reserves its quantity of the
//!   part at the order's dealer — in none of its warehouses in particular;
//! - available = on hand in all the dealer's warehouses − reserved for all its open orders; it may be negative: the
//!   dealer is then short for orders it has promised, and a purchase plan asks for the difference;
//! - an issue for an order line may take that line's reservation and what is available; any other issue (a counter
//!   sale, a requisition for a part not on the order) only what is available — never stock held for another order;
//! - issuing for a line uses up its reservation by what was issued; a return does not restore it (the part is
//!   back on the shelf and available to all);
//! - a cancelled order's reservations are released; what is still reserved when an order's requisitions close was
//!   not needed and is released too.

/// A part's stock at a dealer, as far as reservations are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// On hand in all the dealer's warehouses, hundredths.
    pub on_hand: i64,
    /// Reserved for its open orders, hundredths.
    pub reserved: i64,
}

/// Why an issue would take reserved stock.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReservationError {
    /// More than is free for this issue.
    #[error("only {free} hundredths are free for this issue ({reserved} reserved for approved repair orders)")]
    Reserved {
        /// What this issue may take.
        free: i64,
        /// What is reserved in all.
        reserved: i64,
    },
}

impl Position {
    /// On hand less reserved (negative when the dealer is short for its orders).
    pub fn available(&self) -> i64 {
        self.on_hand - self.reserved
    }

    /// Whether an issue of `quantity` may be made when `own` of the reservations is the issuing line's: it takes its
    /// own reservation and what is available, never what other orders hold. Returns how much of `own` it uses up.
    pub fn check_issue(&self, quantity: i64, own: i64) -> Result<i64, ReservationError> {
        let own = own.clamp(0, self.reserved);
        let free = self.available() + own;
        if quantity > free {
            return Err(ReservationError::Reserved { free: free.max(0), reserved: self.reserved });
        }
        Ok(quantity.min(own))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(on_hand: i64, reserved: i64) -> Position {
        Position { on_hand, reserved }
    }

    #[test]
    fn available_is_on_hand_less_reserved_and_may_be_negative() {
        assert_eq!(position(1000, 300).available(), 700);
        assert_eq!(position(200, 500).available(), -300);
    }

    #[test]
    fn a_counter_issue_takes_only_what_is_available() {
        let p = position(1000, 300);
        assert_eq!(p.check_issue(700, 0), Ok(0));
        assert_eq!(p.check_issue(701, 0), Err(ReservationError::Reserved { free: 700, reserved: 300 }));
    }

    #[test]
    fn nothing_is_free_for_a_counter_issue_while_orders_wait_for_more_than_is_on_hand() {
        assert_eq!(position(200, 500).check_issue(100, 0), Err(ReservationError::Reserved { free: 0, reserved: 500 }));
    }

    #[test]
    fn an_issue_for_a_reserved_line_takes_its_own_reservation_first() {
        // 10 on hand, 4 held for this line and 5 for another order: this line may take its 4 and the 1 free.
        let p = position(1000, 900);
        assert_eq!(p.check_issue(400, 400), Ok(400));
        assert_eq!(p.check_issue(500, 400), Ok(400));
        assert_eq!(p.check_issue(501, 400), Err(ReservationError::Reserved { free: 500, reserved: 900 }));
    }

    #[test]
    fn a_partial_issue_uses_up_only_what_it_issued() {
        assert_eq!(position(1000, 400).check_issue(100, 400), Ok(100));
    }

    #[test]
    fn a_line_reserved_beyond_stock_takes_what_is_there_and_leaves_other_orders_their_share() {
        // 3 on hand, 5 held for this line, 2 for another: this line may take 1 (3 − 2).
        let p = position(300, 700);
        assert_eq!(p.check_issue(100, 500), Ok(100));
        assert_eq!(p.check_issue(101, 500), Err(ReservationError::Reserved { free: 100, reserved: 700 }));
    }
}
