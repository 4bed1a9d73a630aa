//! Reservations: per order line what it still holds (`known_order_lines.reserved_hundredths`), per dealer and part
//! what all its open orders hold (`part_positions`, the row an issue locks to see reservations settle), and on-hand per
//! dealer and part summed from the balance rows. The two reserved figures change together in one transaction.

use aftersales_kernel::{DealerId, PartNumber, RepairOrderId};
use aftersales_runtime::AppResult;
use aftersales_runtime::sql::{corrupt, execute, lock_suffix, query};
use sea_orm::{ConnectionTrait, Value};

use crate::domain::reservation::Position;

/// One order line's reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The order.
    pub order_id: RepairOrderId,
    /// The line.
    pub line_id: uuid::Uuid,
    /// The part.
    pub part_number: PartNumber,
    /// Still reserved, hundredths.
    pub quantity: i64,
}

/// A part's position at a dealer; with `lock`, the dealer's reservation row of the part is locked (PostgreSQL) so
/// that issues of the part at the dealer take turns and each sees what the other left.
pub async fn position(
    conn: &impl ConnectionTrait,
    dealer: DealerId,
    part: &PartNumber,
    lock: bool,
) -> AppResult<Position> {
    let key = || -> Vec<Value> { vec![dealer.to_string().into(), part.as_str().into()] };
    let sql = format!(
        "SELECT reserved_hundredths FROM part_positions WHERE dealer_id = $1 AND part_number = $2{}",
        lock_suffix(conn, lock)
    );
    let reserved = match query(conn, &sql, key()).await?.first() {
        Some(row) => row.try_get::<i64>("", "reserved_hundredths")?,
        None => 0,
    };
    let on_hand = query(
        conn,
        "SELECT CAST(COALESCE(SUM(on_hand_hundredths), 0) AS BIGINT) AS on_hand FROM stock_lots \
         WHERE dealer_id = $1 AND part_number = $2",
        key(),
    )
    .await?
    .first()
    .map(|row| row.try_get::<i64>("", "on_hand"))
    .transpose()?
    .unwrap_or(0);
    Ok(Position { on_hand, reserved })
}

/// Reserves `quantity` of an order line (just stored, holding nothing yet).
pub async fn reserve(conn: &impl ConnectionTrait, dealer: DealerId, held: &Held) -> AppResult<()> {
    execute(
        conn,
        "UPDATE known_order_lines SET reserved_hundredths = $3 WHERE order_id = $1 AND line_id = $2",
        vec![held.order_id.to_string().into(), held.line_id.to_string().into(), held.quantity.into()],
    )
    .await?;
    change_position(conn, dealer, &held.part_number, held.quantity).await
}

/// Uses up (or releases) `quantity` of an order line's reservation.
pub async fn take(conn: &impl ConnectionTrait, dealer: DealerId, held: &Held) -> AppResult<()> {
    let changed = execute(
        conn,
        "UPDATE known_order_lines SET reserved_hundredths = reserved_hundredths - $3 \
         WHERE order_id = $1 AND line_id = $2 AND reserved_hundredths >= $3",
        vec![held.order_id.to_string().into(), held.line_id.to_string().into(), held.quantity.into()],
    )
    .await?;
    if changed != 1 {
        return Err(corrupt("known_order_lines", "reservation (less held than taken)"));
    }
    change_position(conn, dealer, &held.part_number, -held.quantity).await
}

/// What an order's lines still hold, by line.
pub async fn held_by_order(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<Vec<Held>> {
    let rows = query(
        conn,
        "SELECT order_id, line_id, part_number, reserved_hundredths FROM known_order_lines \
         WHERE order_id = $1 AND reserved_hundredths > 0 ORDER BY part_number, line_id",
        vec![order.to_string().into()],
    )
    .await?;
    rows.iter().map(held_from_row).collect()
}

/// The open reservations of a part at a dealer, oldest order first.
pub async fn held_of_part(conn: &impl ConnectionTrait, dealer: DealerId, part: &PartNumber) -> AppResult<Vec<Held>> {
    let rows = query(
        conn,
        "SELECT l.order_id, l.line_id, l.part_number, l.reserved_hundredths FROM known_order_lines l \
         JOIN known_orders o ON o.order_id = l.order_id \
         WHERE o.dealer_id = $1 AND l.part_number = $2 AND l.reserved_hundredths > 0 ORDER BY l.order_id, l.line_id",
        vec![dealer.to_string().into(), part.as_str().into()],
    )
    .await?;
    rows.iter().map(held_from_row).collect()
}

/// Adds to (`by` > 0, the row made on first use) or takes from the dealer's reserved figure of a part. (A taking is
/// a plain UPDATE: the proposed row of an upsert is checked against `reserved ≥ 0` before any conflict.)
async fn change_position(conn: &impl ConnectionTrait, dealer: DealerId, part: &PartNumber, by: i64) -> AppResult<()> {
    let values = vec![dealer.to_string().into(), part.as_str().into(), by.into()];
    if by > 0 {
        execute(
            conn,
            "INSERT INTO part_positions (dealer_id, part_number, reserved_hundredths) VALUES ($1, $2, $3) \
             ON CONFLICT (dealer_id, part_number) \
             DO UPDATE SET reserved_hundredths = part_positions.reserved_hundredths + excluded.reserved_hundredths",
            values,
        )
        .await?;
        return Ok(());
    }
    let changed = execute(
        conn,
        "UPDATE part_positions SET reserved_hundredths = reserved_hundredths + $3 \
         WHERE dealer_id = $1 AND part_number = $2 AND reserved_hundredths + $3 >= 0",
        values,
    )
    .await?;
    if changed != 1 {
        return Err(corrupt("part_positions", "reserved figure (less reserved than released)"));
    }
    Ok(())
}

fn held_from_row(row: &sea_orm::QueryResult) -> AppResult<Held> {
    let bad = |what| corrupt("known_order_lines", what);
    Ok(Held {
        order_id: RepairOrderId::parse(&row.try_get::<String>("", "order_id")?).map_err(|_| bad("order"))?,
        line_id: uuid::Uuid::parse_str(&row.try_get::<String>("", "line_id")?).map_err(|_| bad("line"))?,
        part_number: PartNumber::parse(&row.try_get::<String>("", "part_number")?).map_err(|_| bad("part"))?,
        quantity: row.try_get("", "reserved_hundredths")?,
    })
}
