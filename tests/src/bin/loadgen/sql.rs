//! The baseline: the SQL a CreateRepairOrder / GetRepairOrder executes, replayed directly with sqlx, one pool
//! connection per caller. Row values are copied from rows the service itself wrote (so shapes and sizes match:
//! two lines, the stored response blob, the outbox payload), with fresh ids and timestamps per call.

use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Connection, Postgres, Sqlite};
use uuid::Uuid;

use crate::driver::Worker;

/// The statements of CreateRepairOrder, in order (see reception's `app.rs`, the runtime's `idempotency.rs` and
/// `outbox/mod.rs`): claim the key, read the catalogue copy and the dealer's terms, insert the order, its lines (one
/// multi-row insert), the outbox row, store the response.
const CLAIM: &str = "INSERT INTO idempotency_keys (tenant, method, request_id, request_hash, response, created_at_us) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, method, request_id) DO NOTHING";
const ORDER: &str = "INSERT INTO repair_orders (id, dealer_id, vin, mileage_km, urgent, fault_description, \
     promised_at_us, state, estimate_version, consent_version, consented_by, consent_channel, signature_reference, \
     consent_recorded_by, consented_at_us, created_by, created_at_us, updated_at_us, revision) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
/// The reads that check the estimate (reception's `app/opening.rs`): one labour code, the dealer's terms.
const OPERATIONS: &str = "SELECT * FROM labour_operations WHERE code IN ($1)";
const TERMS: &str = "SELECT tax_rate_bp, invoice_prefix, currency FROM dealers WHERE id = $1";
const EVENT: &str = "INSERT INTO outbox_events (event_id, event_type, occurred_at_us, tenant_kind, tenant_id, \
     aggregate_type, aggregate_id, traceparent, tracestate, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const FINISH: &str = "UPDATE idempotency_keys SET response = $1 WHERE tenant = $2 AND method = $3 AND request_id = $4";
/// GetRepairOrder: the order by id, then its lines by position.
const GET_ORDER: &str = "SELECT id, dealer_id, vin, mileage_km, urgent, fault_description, promised_at_us, state, \
     estimate_version, consent_version, consented_by, consent_channel, signature_reference, consent_recorded_by, \
     consented_at_us, created_by, created_at_us, updated_at_us, revision FROM repair_orders WHERE id = $1 LIMIT 1";
const GET_LINES: &str = "SELECT id, repair_order_id, position, kind, code, quantity_hundredths, price_minor, currency, \
     requirement, declined_reason FROM repair_order_lines WHERE repair_order_id = $1 ORDER BY position ASC";

type OrderRow = (String, i64, bool, String, i64, String, i32, String, i64, String);
type LineRow = (String, String, i64, i64, String, String);
type EventRow = (String, i16, String, String, String, Vec<u8>);
type KeyRow = (String, Vec<u8>, Vec<u8>);

/// Values of one order as the service stored it.
#[derive(Debug, Clone)]
pub struct Template {
    order: OrderRow,
    lines: Vec<LineRow>,
    event: EventRow,
    key: KeyRow,
    lines_sql: String,
}

impl Template {
    /// Sizes worth printing: (response blob, outbox payload, lines).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.key.2.len(), self.event.5.len(), self.lines.len())
    }
}

fn lines_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|r| format!("({})", (1..=10).map(|c| format!("${}", r * 10 + c)).collect::<Vec<_>>().join(", ")))
        .collect();
    format!(
        "INSERT INTO repair_order_lines (id, repair_order_id, position, kind, code, quantity_hundredths, price_minor, \
         currency, requirement, declined_reason) VALUES {}",
        rows.join(", ")
    )
}

/// Reads the template from the service's own rows (the same text for both backends).
macro_rules! load_template {
    ($conn:expr) => {{
        let conn = $conn;
        let (id, order): (String, OrderRow) = {
            let r: (String, String, i64, bool, String, i64, String, i32, String, i64, String) = sqlx::query_as(
                "SELECT id, vin, mileage_km, urgent, fault_description, promised_at_us, state, estimate_version, \
                 created_by, revision, dealer_id FROM repair_orders ORDER BY id LIMIT 1",
            )
            .fetch_one(&mut *conn)
            .await?;
            (r.0, (r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10))
        };
        let lines: Vec<LineRow> = sqlx::query_as(
            "SELECT kind, code, quantity_hundredths, price_minor, currency, requirement FROM repair_order_lines \
             WHERE repair_order_id = $1 ORDER BY position",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        let event: EventRow = sqlx::query_as(
            "SELECT event_type, tenant_kind, aggregate_type, traceparent, tracestate, payload FROM outbox_events \
             WHERE aggregate_id = $1",
        )
        .bind(&id)
        .fetch_one(&mut *conn)
        .await?;
        let key: KeyRow = sqlx::query_as(
            "SELECT method, request_hash, response FROM idempotency_keys WHERE method = 'CreateRepairOrder' LIMIT 1",
        )
        .fetch_one(&mut *conn)
        .await?;
        let lines_sql = lines_sql(lines.len());
        Ok(Template { order, lines, event, key, lines_sql })
    }};
}

/// The template from a PostgreSQL database of reception.
pub async fn template_pg(conn: &mut sqlx::PgConnection) -> anyhow::Result<Template> {
    load_template!(conn)
}

/// The template from a SQLite database of reception.
pub async fn template_sqlite(conn: &mut sqlx::SqliteConnection) -> anyhow::Result<Template> {
    load_template!(conn)
}

fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// One CreateRepairOrder transaction on `$conn`, begun with the method call `$begin`.
macro_rules! create_txn {
    ($conn:expr, [$($begin:tt)*], $t:expr, $dealer:expr) => {{
        let (t, dealer): (&Template, &str) = ($t, $dealer);
        let (now, order_id, request_id) = (now_us(), Uuid::now_v7().to_string(), Uuid::now_v7().to_string());
        let mut tx = $conn.$($begin)*.await?;
        let (method, hash, response) = &t.key;
        let claimed = sqlx::query(CLAIM)
            .bind(dealer)
            .bind(method)
            .bind(&request_id)
            .bind(hash)
            .bind(Vec::<u8>::new())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        anyhow::ensure!(claimed == 1, "idempotency key not claimed");
        // What the estimate is checked against: the catalogue copy's records of the labour codes, the dealer's terms.
        sqlx::query(OPERATIONS).bind("ENG-0420").fetch_all(&mut *tx).await?;
        sqlx::query(TERMS).bind(dealer).fetch_optional(&mut *tx).await?;
        let o = &t.order;
        sqlx::query(ORDER)
            .bind(&order_id)
            .bind(dealer)
            .bind(&o.0)
            .bind(o.1)
            .bind(o.2)
            .bind(&o.3)
            .bind(o.4)
            .bind(&o.5)
            .bind(o.6)
            .bind(None::<i32>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<i64>)
            .bind(&o.7)
            .bind(now)
            .bind(now)
            .bind(o.8)
            .execute(&mut *tx)
            .await?;
        let mut lines = sqlx::query(AssertSqlSafe(t.lines_sql.clone()));
        for (position, l) in t.lines.iter().enumerate() {
            lines = lines
                .bind(Uuid::now_v7().to_string())
                .bind(&order_id)
                .bind(position as i32)
                .bind(&l.0)
                .bind(&l.1)
                .bind(l.2)
                .bind(l.3)
                .bind(&l.4)
                .bind(&l.5)
                .bind(None::<String>);
        }
        lines.execute(&mut *tx).await?;
        let e = &t.event;
        sqlx::query(EVENT)
            .bind(Uuid::now_v7().to_string())
            .bind(&e.0)
            .bind(now)
            .bind(e.1)
            .bind(dealer)
            .bind(&e.2)
            .bind(&order_id)
            .bind(&e.3)
            .bind(&e.4)
            .bind(&e.5)
            .execute(&mut *tx)
            .await?;
        sqlx::query(FINISH).bind(response).bind(dealer).bind(method).bind(&request_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }};
}

/// A baseline caller writing orders on PostgreSQL.
pub struct PgCreate {
    /// Its own pool connection, held for the phase.
    pub conn: PoolConnection<Postgres>,
    /// Row values.
    pub template: Arc<Template>,
    /// Its dealer.
    pub dealer: String,
}

impl Worker for PgCreate {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move { create_txn!(self.conn, [begin()], &self.template, &self.dealer) })
    }
}

/// A baseline caller writing orders on SQLite: `BEGIN IMMEDIATE`, optionally queued on an in-process gate first
/// (as the service's `Db::write` does).
pub struct SqliteCreate {
    /// Its own pool connection, held for the phase.
    pub conn: PoolConnection<Sqlite>,
    /// Row values.
    pub template: Arc<Template>,
    /// Its dealer.
    pub dealer: String,
    /// The writer gate, if any.
    pub gate: Option<Arc<tokio::sync::Mutex<()>>>,
}

impl Worker for SqliteCreate {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let _turn = match &self.gate {
                Some(gate) => Some(gate.lock().await),
                None => None,
            };
            create_txn!(self.conn, [begin_with("BEGIN IMMEDIATE")], &self.template, &self.dealer)
        })
    }
}

/// Where a reader's statements run.
pub enum Conn {
    /// Its own connection, held for the phase (the baseline).
    Held(PoolConnection<Postgres>),
    /// A shared pool, one acquire per statement (how the service reads; sqlx pings on every acquire).
    Pooled(sqlx::PgPool),
}

/// A caller reading random orders (both SELECTs) on PostgreSQL.
pub struct PgGet {
    /// Its connection or pool.
    pub conn: Conn,
    /// Orders to pick from.
    pub ids: Arc<Vec<String>>,
    /// Its random source.
    pub rng: crate::Rng,
}

impl Worker for PgGet {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let id = &self.ids[self.rng.below(self.ids.len())];
            let (order, lines) = match &mut self.conn {
                Conn::Held(conn) => (
                    sqlx::query(GET_ORDER).bind(id).fetch_optional(&mut **conn).await?,
                    sqlx::query(GET_LINES).bind(id).fetch_all(&mut **conn).await?,
                ),
                Conn::Pooled(pool) => (
                    sqlx::query(GET_ORDER).bind(id).fetch_optional(&*pool).await?,
                    sqlx::query(GET_LINES).bind(id).fetch_all(&*pool).await?,
                ),
            };
            anyhow::ensure!(order.is_some() && !lines.is_empty(), "order {id} not found with its lines");
            Ok(())
        })
    }
}
