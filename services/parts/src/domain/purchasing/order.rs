//! Purchase orders and receiving. Rules:
//! - an order is placed with a supplier for one or more parts, each part on one line; it is open while ordered or
//!   partially received;
//! - a delivery is received only against an open order; per line, what is delivered is accepted or rejected (a
//!   rejection carries a reason); only accepted quantity enters stock, and only up to what is still outstanding on
//!   the line; accepted quantity beyond that is held — it is neither put into stock nor silently added to the order;
//! - held over-delivery is decided by the dealer's manager: accepted, it enters stock and the line's ordered
//!   quantity grows by it; or sent back;
//! - once every line is received the order is received; the manager may end an open order: cancelled if nothing was
//!   received, else closed short.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use chrono::{DateTime, Utc};

use crate::domain::stock::{BatchCode, BinCode};

/// Where an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    /// Placed; nothing received.
    Ordered,
    /// Some received, some outstanding.
    PartiallyReceived,
    /// All received.
    Received,
    /// Ended before anything was received.
    Cancelled,
    /// Ended short.
    Closed,
}

impl OrderState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Ordered => "ordered",
            OrderState::PartiallyReceived => "partially_received",
            OrderState::Received => "received",
            OrderState::Cancelled => "cancelled",
            OrderState::Closed => "closed",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<OrderState> {
        use OrderState::*;
        [Ordered, PartiallyReceived, Received, Cancelled, Closed].into_iter().find(|s| s.as_str() == name)
    }

    /// Whether deliveries are still expected.
    pub fn is_open(self) -> bool {
        matches!(self, OrderState::Ordered | OrderState::PartiallyReceived)
    }
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// Id.
    pub line_id: uuid::Uuid,
    /// The part.
    pub part_number: PartNumber,
    /// Ordered, hundredths.
    pub ordered: i64,
    /// Received into stock, hundredths.
    pub received: i64,
}

impl OrderLine {
    /// Still expected.
    pub fn outstanding(&self) -> i64 {
        (self.ordered - self.received).max(0)
    }
}

/// A delivered line as the clerk records it (quantities checked positive, rejected ≤ delivered, reason given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// The order line.
    pub line_id: uuid::Uuid,
    /// Into which bin.
    pub bin: BinCode,
    /// The batch.
    pub batch: BatchCode,
    /// Delivered, hundredths.
    pub delivered: i64,
    /// Rejected of it.
    pub rejected: i64,
    /// Why.
    pub rejection_reason: String,
}

/// What receiving a delivered line did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The line as delivered.
    pub delivered: Delivered,
    /// The part.
    pub part_number: PartNumber,
    /// Put into stock.
    pub entered: i64,
    /// Accepted beyond what was outstanding: held.
    pub held: i64,
}

/// A purchase order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrder {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The supplier.
    pub supplier_id: SupplierId,
    /// The plan it came from.
    pub plan_id: Option<uuid::Uuid>,
    /// Where it is.
    pub state: OrderState,
    /// Its lines.
    pub lines: Vec<OrderLine>,
    /// Who placed it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Why it was ended.
    pub close_reason: Option<String>,
}

/// Why an order cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// No longer open.
    #[error("the purchase order is {}", .0.as_str())]
    NotOpen(OrderState),
    /// A line the order does not have.
    #[error("the purchase order has no line {0}")]
    UnknownLine(uuid::Uuid),
}

impl PurchaseOrder {
    /// A new order (lines: part and quantity, each part once).
    pub fn place(
        dealer_id: DealerId,
        supplier_id: SupplierId,
        plan_id: Option<uuid::Uuid>,
        lines: Vec<(PartNumber, i64)>,
        by: &str,
        now: DateTime<Utc>,
    ) -> PurchaseOrder {
        PurchaseOrder {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            supplier_id,
            plan_id,
            state: OrderState::Ordered,
            lines: lines
                .into_iter()
                .map(|(part_number, ordered)| OrderLine {
                    line_id: uuid::Uuid::now_v7(),
                    part_number,
                    ordered,
                    received: 0,
                })
                .collect(),
            created_by: by.to_string(),
            created_at: now,
            close_reason: None,
        }
    }

    /// Receives a delivery (all lines or none): what each line puts into stock and holds.
    pub fn receive(&mut self, delivered: Vec<Delivered>) -> Result<Vec<Received>, OrderError> {
        if !self.state.is_open() {
            return Err(OrderError::NotOpen(self.state));
        }
        let mut lines = self.lines.clone();
        let mut out = Vec::with_capacity(delivered.len());
        for d in delivered {
            let line = lines.iter_mut().find(|l| l.line_id == d.line_id).ok_or(OrderError::UnknownLine(d.line_id))?;
            let accepted = d.delivered - d.rejected;
            let entered = accepted.min(line.outstanding());
            line.received += entered;
            out.push(Received {
                part_number: line.part_number.clone(),
                entered,
                held: accepted - entered,
                delivered: d,
            });
        }
        self.lines = lines;
        self.settle_state();
        Ok(out)
    }

    /// Held over-delivery of `line` accepted: the line's ordered and received quantities grow by it.
    pub fn accept_held(&mut self, line_id: uuid::Uuid, quantity: i64) -> Result<(), OrderError> {
        let line = self.lines.iter_mut().find(|l| l.line_id == line_id).ok_or(OrderError::UnknownLine(line_id))?;
        line.ordered += quantity;
        line.received += quantity;
        Ok(())
    }

    /// Ends an open order: cancelled if nothing was received, else closed short.
    pub fn close(&mut self, reason: &str) -> Result<(), OrderError> {
        if !self.state.is_open() {
            return Err(OrderError::NotOpen(self.state));
        }
        self.state =
            if self.lines.iter().all(|l| l.received == 0) { OrderState::Cancelled } else { OrderState::Closed };
        self.close_reason = Some(reason.to_string());
        Ok(())
    }

    fn settle_state(&mut self) {
        self.state = if self.lines.iter().all(|l| l.outstanding() == 0) {
            OrderState::Received
        } else if self.lines.iter().any(|l| l.received > 0) {
            OrderState::PartiallyReceived
        } else {
            OrderState::Ordered
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(quantities: &[i64]) -> PurchaseOrder {
        let lines = quantities
            .iter()
            .enumerate()
            .map(|(i, q)| (PartNumber::parse(&format!("P-{i:03}")).unwrap(), *q))
            .collect();
        PurchaseOrder::place(DealerId::new(), SupplierId::new(), None, lines, "manager", Utc::now())
    }

    fn delivered(order: &PurchaseOrder, line: usize, delivered: i64, rejected: i64) -> Delivered {
        Delivered {
            line_id: order.lines[line].line_id,
            bin: BinCode::parse("A-01").unwrap(),
            batch: BatchCode::parse("L-1").unwrap(),
            delivered,
            rejected,
            rejection_reason: if rejected > 0 { "crushed box".into() } else { String::new() },
        }
    }

    #[test]
    fn only_accepted_quantity_enters_stock() {
        let mut o = order(&[1000]);
        let got = o.receive(vec![delivered(&o, 0, 600, 100)]).unwrap();
        assert_eq!((got[0].entered, got[0].held), (500, 0));
        assert_eq!((o.lines[0].received, o.state), (500, OrderState::PartiallyReceived));
    }

    #[test]
    fn over_delivery_is_held_not_silently_accepted() {
        let mut o = order(&[1000]);
        let got = o.receive(vec![delivered(&o, 0, 1200, 0)]).unwrap();
        assert_eq!((got[0].entered, got[0].held), (1000, 200));
        assert_eq!((o.lines[0].ordered, o.lines[0].received, o.state), (1000, 1000, OrderState::Received));
    }

    #[test]
    fn accepting_held_over_delivery_amends_the_line() {
        let mut o = order(&[1000]);
        o.receive(vec![delivered(&o, 0, 1200, 0)]).unwrap();
        let line = o.lines[0].line_id;
        o.accept_held(line, 200).unwrap();
        assert_eq!((o.lines[0].ordered, o.lines[0].received), (1200, 1200));
    }

    #[test]
    fn the_order_is_received_once_every_line_is() {
        let mut o = order(&[100, 200]);
        o.receive(vec![delivered(&o, 0, 100, 0)]).unwrap();
        assert_eq!(o.state, OrderState::PartiallyReceived);
        o.receive(vec![delivered(&o, 1, 200, 0)]).unwrap();
        assert_eq!(o.state, OrderState::Received);
    }

    #[test]
    fn nothing_is_received_against_an_order_that_is_not_open_or_on_a_line_it_lacks() {
        let mut o = order(&[100]);
        let mut other = order(&[100]);
        let foreign = delivered(&other, 0, 100, 0);
        assert_eq!(o.receive(vec![foreign.clone()]), Err(OrderError::UnknownLine(foreign.line_id)));
        assert_eq!(o.lines[0].received, 0, "nothing changed");
        other.close("supplier discontinued the part").unwrap();
        assert_eq!(other.state, OrderState::Cancelled);
        assert_eq!(other.receive(vec![foreign]), Err(OrderError::NotOpen(OrderState::Cancelled)));
    }

    #[test]
    fn an_order_ended_after_a_delivery_is_closed_short() {
        let mut o = order(&[1000]);
        o.receive(vec![delivered(&o, 0, 400, 0)]).unwrap();
        o.close("rest back-ordered for months").unwrap();
        assert_eq!(o.state, OrderState::Closed);
        assert_eq!(o.close("again"), Err(OrderError::NotOpen(OrderState::Closed)));
    }

    #[test]
    fn a_delivery_with_one_bad_line_changes_no_line() {
        let mut o = order(&[100, 100]);
        let mut bad = delivered(&o, 1, 100, 0);
        bad.line_id = uuid::Uuid::now_v7();
        assert!(o.receive(vec![delivered(&o, 0, 100, 0), bad]).is_err());
        assert_eq!((o.lines[0].received, o.state), (0, OrderState::Ordered));
    }
}
