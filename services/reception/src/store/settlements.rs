//! Settlements: the advisor's variance reasons and discounts while a draft, the invoice as signed (its lines and
//! discounts an immutable JSON snapshot), its credit notes, and the dealers' gap-free number series.

use std::collections::HashMap;

use aftersales_kernel::{Currency, DealerId, Hundredths, Money, OperationCode, PartNumber, RepairOrderId};
use aftersales_runtime::AppResult;
use aftersales_runtime::db::{from_micros, to_micros};
use sea_orm::{ConnectionTrait, QueryResult};
use serde_json::json;

use super::sql::{corrupt, execute, query};
use crate::domain::settlement::{ChargeLine, CreditNote, Discount, Invoice, InvoiceNumber, Totals};
use crate::domain::{LineId, LineItem};

/// A number series of a dealer.
#[derive(Debug, Clone, Copy)]
pub enum Series {
    /// Invoices.
    Invoice,
    /// Credit notes.
    CreditNote,
}

impl Series {
    fn as_str(self) -> &'static str {
        match self {
            Series::Invoice => "invoice",
            Series::CreditNote => "credit_note",
        }
    }
}

/// Takes the next number of `dealer`'s `series` inside the caller's transaction: the series row stays locked until
/// the transaction ends (PostgreSQL; SQLite has one writer), and a rollback gives the number back — so committed
/// numbers are 1, 2, 3, … without gaps or repeats however many advisors sign at once.
pub async fn next_number(conn: &impl ConnectionTrait, dealer: DealerId, series: Series) -> AppResult<i64> {
    let rows = query(
        conn,
        "INSERT INTO document_series (dealer_id, series, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (dealer_id, series) DO UPDATE SET last_number = document_series.last_number + 1 \
         RETURNING last_number",
        vec![dealer.to_string().into(), series.as_str().into()],
    )
    .await?;
    let row = rows.first().ok_or_else(|| corrupt("document_series", "number"))?;
    Ok(row.try_get("", "last_number")?)
}

/// The advisor's reasons on `order`'s lines.
pub async fn reasons(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<HashMap<LineId, String>> {
    let rows = query(
        conn,
        "SELECT line_id, reason FROM settlement_reasons WHERE repair_order_id = $1",
        vec![order.to_string().into()],
    )
    .await?;
    rows.iter()
        .map(|row| {
            let line: String = row.try_get("", "line_id")?;
            let line = uuid::Uuid::parse_str(&line).map_err(|_| corrupt("settlement_reasons", "line id"))?;
            Ok((LineId(line), row.try_get("", "reason")?))
        })
        .collect()
}

/// Records (or replaces) the reason on a line.
pub async fn explain(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    line: LineId,
    reason: &str,
    by: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO settlement_reasons (repair_order_id, line_id, reason, explained_by, explained_at_us) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (repair_order_id, line_id) DO UPDATE SET reason = $3, \
         explained_by = $4, explained_at_us = $5",
        vec![order.to_string().into(), line.0.to_string().into(), reason.into(), by.into(), to_micros(at).into()],
    )
    .await?;
    Ok(())
}

/// `order`'s discounts, in the order given.
pub async fn discounts(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<Vec<Discount>> {
    let rows = query(
        conn,
        "SELECT * FROM settlement_discounts WHERE repair_order_id = $1 ORDER BY id",
        vec![order.to_string().into()],
    )
    .await?;
    rows.iter().map(discount_from_row).collect()
}

/// Adds a discount.
pub async fn add_discount(conn: &impl ConnectionTrait, order: RepairOrderId, d: &Discount) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO settlement_discounts (id, repair_order_id, description, amount_minor, currency, reason, added_by, \
         added_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            d.id.to_string().into(),
            order.to_string().into(),
            d.description.clone().into(),
            d.amount.minor_units().into(),
            d.amount.currency().to_string().into(),
            d.reason.clone().into(),
            d.added_by.clone().into(),
            to_micros(d.added_at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// Removes a discount; `false` if `order` has none with that id.
pub async fn remove_discount(conn: &impl ConnectionTrait, order: RepairOrderId, id: uuid::Uuid) -> AppResult<bool> {
    let removed = execute(
        conn,
        "DELETE FROM settlement_discounts WHERE repair_order_id = $1 AND id = $2",
        vec![order.to_string().into(), id.to_string().into()],
    )
    .await?;
    Ok(removed > 0)
}

/// Stores a signed invoice.
pub async fn insert_invoice(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    dealer: DealerId,
    invoice: &Invoice,
) -> AppResult<()> {
    let t = &invoice.totals;
    let lines: Vec<serde_json::Value> = invoice.lines.iter().map(line_json).collect();
    let discounts: Vec<serde_json::Value> = invoice.discounts.iter().map(discount_json).collect();
    execute(
        conn,
        "INSERT INTO invoices (repair_order_id, dealer_id, number, sequence, currency, tax_rate_bp, subtotal_minor, \
         discounts_minor, net_minor, tax_minor, total_minor, signed_by, signature_reference, signed_at_us, lines_json, \
         discounts_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        vec![
            order.to_string().into(),
            dealer.to_string().into(),
            invoice.number.text.clone().into(),
            invoice.number.sequence.into(),
            invoice.currency.to_string().into(),
            invoice.tax_rate_bp.into(),
            t.subtotal.minor_units().into(),
            t.discounts.minor_units().into(),
            t.net.minor_units().into(),
            t.tax.minor_units().into(),
            t.total.minor_units().into(),
            invoice.signed_by.clone().into(),
            invoice.signature_reference.clone().into(),
            to_micros(invoice.signed_at).into(),
            serde_json::Value::from(lines).to_string().into(),
            serde_json::Value::from(discounts).to_string().into(),
        ],
    )
    .await?;
    Ok(())
}

/// Stores a credit note of `order`'s invoice.
pub async fn insert_credit_note(
    conn: &impl ConnectionTrait,
    order: RepairOrderId,
    dealer: DealerId,
    note: &CreditNote,
) -> AppResult<()> {
    execute(
        conn,
        "INSERT INTO credit_notes (number, dealer_id, sequence, repair_order_id, amount_minor, currency, reason, \
         issued_by, issued_at_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        vec![
            note.number.text.clone().into(),
            dealer.to_string().into(),
            note.number.sequence.into(),
            order.to_string().into(),
            note.amount.minor_units().into(),
            note.amount.currency().to_string().into(),
            note.reason.clone().into(),
            note.issued_by.clone().into(),
            to_micros(note.issued_at).into(),
        ],
    )
    .await?;
    Ok(())
}

/// `order`'s invoice with its credit notes, if signed.
pub async fn invoice(conn: &impl ConnectionTrait, order: RepairOrderId) -> AppResult<Option<Invoice>> {
    let rows = query(conn, "SELECT * FROM invoices WHERE repair_order_id = $1", vec![order.to_string().into()]).await?;
    let Some(row) = rows.first() else { return Ok(None) };
    let bad = |what| corrupt("invoices", what);
    let currency = Currency::parse(&row.try_get::<String>("", "currency")?).map_err(|_| bad("currency"))?;
    let money = |column: &str| -> AppResult<Money> { Ok(Money::new(currency, row.try_get("", column)?)) };
    let lines: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "lines_json")?).map_err(|_| bad("lines"))?;
    let discounts: Vec<serde_json::Value> =
        serde_json::from_str(&row.try_get::<String>("", "discounts_json")?).map_err(|_| bad("discounts"))?;
    let notes = query(
        conn,
        "SELECT * FROM credit_notes WHERE repair_order_id = $1 ORDER BY sequence",
        vec![order.to_string().into()],
    )
    .await?;
    Ok(Some(Invoice {
        number: InvoiceNumber { sequence: row.try_get("", "sequence")?, text: row.try_get("", "number")? },
        currency,
        lines: lines.iter().map(|l| line_from_json(l, currency)).collect::<AppResult<_>>()?,
        discounts: discounts.iter().map(|d| discount_from_json(d, currency)).collect::<AppResult<_>>()?,
        tax_rate_bp: row.try_get("", "tax_rate_bp")?,
        totals: Totals {
            subtotal: money("subtotal_minor")?,
            discounts: money("discounts_minor")?,
            net: money("net_minor")?,
            tax: money("tax_minor")?,
            total: money("total_minor")?,
        },
        signed_by: row.try_get("", "signed_by")?,
        signature_reference: row.try_get("", "signature_reference")?,
        signed_at: from_micros(row.try_get("", "signed_at_us")?),
        credit_notes: notes
            .iter()
            .map(|n| {
                Ok(CreditNote {
                    number: InvoiceNumber { sequence: n.try_get("", "sequence")?, text: n.try_get("", "number")? },
                    amount: Money::new(currency, n.try_get("", "amount_minor")?),
                    reason: n.try_get("", "reason")?,
                    issued_by: n.try_get("", "issued_by")?,
                    issued_at: from_micros(n.try_get("", "issued_at_us")?),
                })
            })
            .collect::<AppResult<_>>()?,
    }))
}

fn discount_from_row(row: &QueryResult) -> AppResult<Discount> {
    let bad = |what| corrupt("settlement_discounts", what);
    let currency = Currency::parse(&row.try_get::<String>("", "currency")?).map_err(|_| bad("currency"))?;
    Ok(Discount {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        description: row.try_get("", "description")?,
        amount: Money::new(currency, row.try_get("", "amount_minor")?),
        reason: row.try_get("", "reason")?,
        added_by: row.try_get("", "added_by")?,
        added_at: from_micros(row.try_get("", "added_at_us")?),
    })
}

fn line_json(l: &ChargeLine) -> serde_json::Value {
    let (kind, code, estimated, price) = match &l.item {
        LineItem::Labour { operation_code, hours, hourly_rate } => {
            ("labour", operation_code.as_str().to_string(), hours, hourly_rate)
        }
        LineItem::Part { part_number, quantity, unit_price } => ("part", part_number.to_string(), quantity, unit_price),
    };
    json!({
        "line_id": l.line_id.0.to_string(),
        "kind": kind,
        "code": code,
        "estimated": estimated.as_hundredths(),
        "price": price.minor_units(),
        "additional_work_id": l.additional_work_id.map(|id| id.to_string()),
        "actual": l.actual.as_hundredths(),
        "consented": l.consented_amount.minor_units(),
        "actual_amount": l.actual_amount.minor_units(),
        "charged": l.charged_amount.minor_units(),
        "variance_reason": l.variance_reason,
    })
}

fn line_from_json(v: &serde_json::Value, currency: Currency) -> AppResult<ChargeLine> {
    let bad = |what| corrupt("invoices", what);
    let int = |key: &str| v[key].as_i64().ok_or_else(|| bad("line amount"));
    let hundredths = |key: &str| Hundredths::from_hundredths(int(key)?).map_err(|_| bad("line quantity"));
    let code = v["code"].as_str().ok_or_else(|| bad("line code"))?;
    let price = Money::new(currency, int("price")?);
    let item = match v["kind"].as_str() {
        Some("labour") => LineItem::Labour {
            operation_code: OperationCode::parse(code).map_err(|_| bad("operation code"))?,
            hours: hundredths("estimated")?,
            hourly_rate: price,
        },
        Some("part") => LineItem::Part {
            part_number: PartNumber::parse(code).map_err(|_| bad("part number"))?,
            quantity: hundredths("estimated")?,
            unit_price: price,
        },
        _ => return Err(bad("line kind")),
    };
    let uuid = |key: &str| -> AppResult<Option<uuid::Uuid>> {
        v[key].as_str().map(uuid::Uuid::parse_str).transpose().map_err(|_| bad("line id"))
    };
    Ok(ChargeLine {
        line_id: LineId(uuid("line_id")?.ok_or_else(|| bad("line id"))?),
        item,
        additional_work_id: uuid("additional_work_id")?,
        actual: hundredths("actual")?,
        consented_amount: Money::new(currency, int("consented")?),
        actual_amount: Money::new(currency, int("actual_amount")?),
        charged_amount: Money::new(currency, int("charged")?),
        variance_reason: v["variance_reason"].as_str().map(str::to_string),
    })
}

fn discount_json(d: &Discount) -> serde_json::Value {
    json!({
        "id": d.id.to_string(),
        "description": d.description,
        "amount": d.amount.minor_units(),
        "reason": d.reason,
        "added_by": d.added_by,
        "added_at_us": to_micros(d.added_at),
    })
}

fn discount_from_json(v: &serde_json::Value, currency: Currency) -> AppResult<Discount> {
    let bad = |what| corrupt("invoices", what);
    let text = |key: &str| v[key].as_str().map(str::to_string).ok_or_else(|| bad("discount"));
    Ok(Discount {
        id: uuid::Uuid::parse_str(&text("id")?).map_err(|_| bad("discount id"))?,
        description: text("description")?,
        amount: Money::new(currency, v["amount"].as_i64().ok_or_else(|| bad("discount amount"))?),
        reason: text("reason")?,
        added_by: text("added_by")?,
        added_at: from_micros(v["added_at_us"].as_i64().ok_or_else(|| bad("discount time"))?),
    })
}
