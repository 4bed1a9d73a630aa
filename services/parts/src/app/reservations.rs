//! Reservations: made when parts hears of an approved order's part lines, used up by issues for those lines, let go
//! when the order is cancelled or its requisitions close; checked by every issue so that no issue takes stock held
//! for another order.

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::WriteTxn;
use aftersales_runtime::{AppError, AppResult, to_timestamp};

use super::Parts;
use super::requisitions::publish;
use crate::domain::reservation::{Position, ReservationError};
use crate::store::reservations::{self, Held};

/// A part's availability at a dealer, with the reservations behind it.
#[derive(Debug, Clone)]
pub struct Availability {
    /// The figures.
    pub position: Position,
    /// The open reservations.
    pub held: Vec<Held>,
}

impl Parts {
    /// Reserves new consented part lines of an order and publishes PartsReserved for each (parts in part-number
    /// order, so that two transactions reserving the same parts lock them in the same order).
    pub(super) async fn reserve(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        order: RepairOrderId,
        mut lines: Vec<(uuid::Uuid, PartNumber, i64)>,
    ) -> AppResult<()> {
        lines.retain(|(_, _, quantity)| *quantity > 0);
        lines.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
        let now = self.clock.now();
        for (line_id, part_number, quantity) in lines {
            let held = Held { order_id: order, line_id, part_number, quantity };
            reservations::reserve(&**txn, dealer, &held).await?;
            let after = reservations::position(&**txn, dealer, &held.part_number, false).await?;
            let event = pb::PartsReserved {
                dealer_id: dealer.to_string(),
                repair_order_id: order.to_string(),
                line_id: line_id.to_string(),
                part_number: held.part_number.to_string(),
                quantity_hundredths: quantity,
                available_after_hundredths: after.available(),
                reserved_at: Some(to_timestamp(now)),
            };
            publish(txn, &event, dealer, order, now).await?;
        }
        Ok(())
    }

    /// Lets go of all an order still holds; publishes ReservationReleased per line.
    pub(super) async fn release(
        &self,
        txn: &mut WriteTxn,
        dealer: DealerId,
        order: RepairOrderId,
        reason: pb::ReleaseReason,
    ) -> AppResult<()> {
        let now = self.clock.now();
        for held in reservations::held_by_order(&**txn, order).await? {
            reservations::take(&**txn, dealer, &held).await?;
            let event = pb::ReservationReleased {
                dealer_id: dealer.to_string(),
                repair_order_id: order.to_string(),
                line_id: held.line_id.to_string(),
                part_number: held.part_number.to_string(),
                quantity_hundredths: held.quantity,
                reason: reason as i32,
                released_at: Some(to_timestamp(now)),
            };
            publish(txn, &event, dealer, order, now).await?;
        }
        Ok(())
    }

    /// Before an issue of `quantity` of `part` at `dealer`: locks the part's reservations at the dealer (issues of
    /// it take turns) and refuses the issue if it would take stock held for another order. `line` is the order line
    /// the issue is for, if any; returns what of that line's reservation the issue uses up, to pass to
    /// [`use_reservation`](Self::use_reservation) once the issue is made.
    pub(super) async fn clear_reservations(
        &self,
        txn: &WriteTxn,
        dealer: DealerId,
        part: &PartNumber,
        quantity: i64,
        line: Option<(RepairOrderId, uuid::Uuid)>,
    ) -> AppResult<Option<Held>> {
        let position = reservations::position(&**txn, dealer, part, true).await?;
        if position.reserved == 0 {
            return Ok(None);
        }
        let own = match line {
            Some((order, line_id)) => reservations::held_by_order(&**txn, order)
                .await?
                .into_iter()
                .find(|h| h.line_id == line_id && h.part_number == *part),
            None => None,
        };
        let used = position.check_issue(quantity, own.as_ref().map_or(0, |h| h.quantity)).map_err(reserved)?;
        Ok(own.filter(|_| used > 0).map(|h| Held { quantity: used, ..h }))
    }

    /// Uses up what an issue took of its line's reservation.
    pub(super) async fn use_reservation(&self, txn: &WriteTxn, dealer: DealerId, used: Option<Held>) -> AppResult<()> {
        match used {
            Some(held) => reservations::take(&**txn, dealer, &held).await,
            None => Ok(()),
        }
    }

    /// A part's availability at a dealer the caller may see.
    pub async fn availability(
        &self,
        caller: &Principal,
        dealer: DealerId,
        part: &PartNumber,
    ) -> AppResult<Availability> {
        if !caller.can_see_dealer(&dealer) {
            return Err(AppError::PermissionDenied("another dealer's stock".into()));
        }
        let read = self.db.read().await?;
        let position = reservations::position(&read, dealer, part, false).await?;
        let held = reservations::held_of_part(&read, dealer, part).await?;
        Ok(Availability { position, held })
    }
}

fn reserved(error: ReservationError) -> AppError {
    aftersales_runtime::metrics::stock_refused("reserved");
    AppError::precondition("STOCK_RESERVED", "reserved", error.to_string())
}
