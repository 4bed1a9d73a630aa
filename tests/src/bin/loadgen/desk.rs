//! The front desk: one visit's path — appointment requested, confirmed, the car checked in with its walk-around,
//! the repair order opened for the check-in, the estimate consented — five calls, each one transaction, per dealer.
//!
//! The service side: one caller per dealer (the dealer in the directory), each with a stock of customers and their
//! cars made beforehand, so every path is a new visit of a known customer. The baseline: the very statements
//! reception ran for one such path — recorded by the service itself (`database.statement_log`) — replayed directly
//! with sqlx on the same database after the service stopped, one transaction per call, with fresh ids per path and
//! a replayed customer and car of the caller's own (made by replaying the recorded CreateCustomer and
//! RegisterVehicle beforehand). What stays apart is exactly the service: gRPC, auth, validation, the domain, the ORM
//! and the outbox relay.

use std::collections::HashMap;
use std::sync::Arc;

use aftersales_e2e::auth::Bearer;
use aftersales_e2e::clients::{self, Orders};
use aftersales_e2e::{Caller, ServiceProcess, directory, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use base64::Engine as _;
use futures::future::BoxFuture;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::driver::Worker;

type Authed = InterceptedService<Channel, Bearer>;

/// Odometer at check-in (the stock's cars are registered at 42 000 km).
const CHECK_IN_KM: i64 = 42_800;

/// One dealer's front desk over its own connection.
pub struct Desk {
    /// The dealer.
    pub dealer: String,
    customers: CustomerServiceClient<Authed>,
    vehicles: VehicleServiceClient<Authed>,
    appointments: AppointmentServiceClient<Authed>,
    check_ins: CheckInServiceClient<Authed>,
    orders: Orders,
    /// Customers with a car, not visited yet: (customer id, vehicle id, VIN).
    stock: Vec<(String, String, String)>,
}

impl Desk {
    /// `n` desks of `n` dealers registered in the directory, each connected to `reception`.
    pub async fn many(n: usize, reception: &ServiceProcess, data_dir: &str) -> Vec<Desk> {
        let mut desks = Vec::with_capacity(n);
        for i in 0..n {
            let dealer = aftersales_kernel::DealerId::new().to_string();
            directory::register_dealer(reception, data_dir, &dealer, &format!("FD{i:02}"), 1300).await;
            let token = Caller::dealer("service_advisor", &dealer).token(data_dir);
            let channel = reception.channel().await;
            let bearer = Bearer(Some(token.clone()));
            desks.push(Desk {
                dealer,
                customers: CustomerServiceClient::with_interceptor(channel.clone(), bearer.clone()),
                vehicles: VehicleServiceClient::with_interceptor(channel.clone(), bearer.clone()),
                appointments: AppointmentServiceClient::with_interceptor(channel.clone(), bearer.clone()),
                check_ins: CheckInServiceClient::with_interceptor(channel, bearer),
                orders: clients::orders(reception, &token).await,
                stock: Vec::new(),
            });
        }
        desks
    }

    /// A new customer with a new car, `after_each` run after each of the two calls; returns (customer id, vehicle
    /// id, VIN).
    pub async fn new_customer(
        &mut self,
        after_each: &mut (dyn FnMut() -> anyhow::Result<()> + Send),
    ) -> anyhow::Result<(String, String, String)> {
        let customer = self.customers.create_customer(fixtures::create_customer()).await?.into_inner();
        after_each()?;
        let car = self.vehicles.register_vehicle(fixtures::register_vehicle(&customer.id)).await?.into_inner();
        after_each()?;
        Ok((customer.id, car.id, car.vin))
    }

    /// Makes `count` customers with a car for the phase.
    pub async fn stock_up(&mut self, count: usize) -> anyhow::Result<()> {
        for _ in 0..count {
            let customer = self.new_customer(&mut || Ok(())).await?;
            self.stock.push(customer);
        }
        Ok(())
    }

    /// One visit of `customer`'s car: the five calls, `after_each` run after each has answered.
    pub async fn visit(
        &mut self,
        customer: &str,
        vehicle: &str,
        after_each: &mut (dyn FnMut() -> anyhow::Result<()> + Send),
    ) -> anyhow::Result<()> {
        let booked = self
            .appointments
            .request_appointment(fixtures::request_appointment(customer, vehicle, false))
            .await?
            .into_inner();
        after_each()?;
        let confirm =
            pb::ConfirmAppointmentRequest { request_id: request_id(), appointment_id: booked.id, slot_at: None };
        let confirmed = self.appointments.confirm_appointment(confirm).await?.into_inner();
        after_each()?;
        let check_in =
            pb::CheckInRequest { appointment_id: confirmed.id, ..fixtures::check_in(customer, vehicle, CHECK_IN_KM) };
        let visit = self.check_ins.check_in(check_in).await?.into_inner();
        after_each()?;
        let open = pb::CreateRepairOrderRequest {
            check_in_id: visit.id,
            vin: String::new(),
            mileage_km: 0,
            ..fixtures::create_repair_order(false)
        };
        let order = self.orders.create_repair_order(open).await?.into_inner();
        after_each()?;
        self.orders.approve_estimate(fixtures::approve(&order.id)).await?;
        after_each()
    }
}

/// The calls of one visit, in order.
pub const PATH: [&str; 5] =
    ["RequestAppointment", "ConfirmAppointment", "CheckIn", "CreateRepairOrder", "ApproveEstimate"];

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Worker for Desk {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let (customer, vehicle, _) =
                self.stock.pop().ok_or_else(|| anyhow::anyhow!("the desk's stock of customers ran out"))?;
            self.visit(&customer, &vehicle, &mut || Ok(())).await
        })
    }
}

/// A bound value as the statement log wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// Boolean.
    Bool(Option<bool>),
    /// Small integer.
    I16(Option<i16>),
    /// Integer.
    I32(Option<i32>),
    /// Big integer.
    I64(Option<i64>),
    /// Double.
    F64(Option<f64>),
    /// Text.
    Text(Option<String>),
    /// Bytes.
    Bytes(Option<Vec<u8>>),
}

/// One recorded statement.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Its SQL text, as the service sent it.
    pub sql: String,
    /// Its values.
    pub values: Vec<Bound>,
}

impl Recorded {
    /// A replayed UPDATE must change a row as the service's did: one that touches none (a guard on a revision the
    /// replay never wrote, an id not substituted) would make the baseline cheaper than the real work.
    fn check(&self, rows: u64) -> anyhow::Result<()> {
        if rows == 0 && self.sql.trim_start().starts_with("UPDATE") {
            anyhow::bail!("a replayed UPDATE changed no row: {}", self.sql);
        }
        Ok(())
    }
}

fn bound(v: &serde_json::Value) -> anyhow::Result<Bound> {
    let value = &v["v"];
    let text = value.as_str().map(str::to_string);
    Ok(match v["t"].as_str().unwrap_or_default() {
        "bool" => Bound::Bool(value.as_bool()),
        "i16" => Bound::I16(value.as_i64().map(|i| i as i16)),
        "i32" => Bound::I32(value.as_i64().map(|i| i as i32)),
        "i64" => Bound::I64(value.as_i64()),
        "f64" => Bound::F64(value.as_f64()),
        "s" => Bound::Text(text),
        "bytes" => Bound::Bytes(text.map(|t| base64::engine::general_purpose::STANDARD.decode(t)).transpose()?),
        other => anyhow::bail!("unknown value type {other:?} in the statement log"),
    })
}

/// Statements of the service's background work, not of a call: the outbox relay numbering and announcing rows,
/// feed reads by followers, and reception's own feed consumer.
fn background(sql: &str) -> bool {
    (sql.contains("outbox_events") && !sql.trim_start().starts_with("INSERT"))
        || ["feed_cursors", "applied_events", "pg_notify", "pg_advisory"].iter().any(|s| sql.contains(s))
}

/// The statement log as it grows: what was appended since the last read.
pub struct StatementLog {
    path: std::path::PathBuf,
    read: usize,
}

impl StatementLog {
    /// Follows the file at `path` (which may not exist yet).
    pub fn new(path: std::path::PathBuf) -> Self {
        Self { path, read: 0 }
    }

    /// The call statements appended since the last read (background statements left out).
    pub fn since_last(&mut self) -> anyhow::Result<Vec<Recorded>> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        let new = &text[self.read..];
        // A line being written may be incomplete: take whole lines only.
        let end = new.rfind('\n').map_or(0, |i| i + 1);
        self.read += end;
        let mut out = Vec::new();
        for line in new[..end].lines() {
            let line: serde_json::Value = serde_json::from_str(line)?;
            let sql = line["sql"].as_str().unwrap_or_default().to_string();
            if background(&sql) {
                continue;
            }
            let values = line["values"].as_array().map(|vs| vs.iter().map(bound).collect()).unwrap_or(Ok(vec![]))?;
            out.push(Recorded { sql, values });
        }
        Ok(out)
    }
}

/// One visit as reception ran it: the transactions of making the customer and car (setup), and of the five calls.
#[derive(Debug, Clone)]
pub struct Recording {
    /// CreateCustomer, RegisterVehicle.
    pub setup: Vec<Vec<Recorded>>,
    /// The five calls.
    pub path: Vec<Vec<Recorded>>,
    /// The recorded dealer, customer, vehicle and VIN (replaced per replay).
    pub dealer: String,
    customer: String,
    vehicle: String,
    vin: String,
}

impl Recording {
    /// Statements per call, for the report.
    pub fn shape(&self) -> String {
        let counts: Vec<String> =
            PATH.iter().zip(&self.path).map(|(name, txn)| format!("{name} {}", txn.len())).collect();
        format!("{} statements: {}", self.path.iter().map(Vec::len).sum::<usize>(), counts.join(", "))
    }
}

/// Records one visit of `desk` while reception writes its statement log to `log` (whose earlier lines are skipped).
pub async fn record(desk: &mut Desk, log: &mut StatementLog) -> anyhow::Result<Recording> {
    log.since_last()?;
    // One call at a time, so each call's statements are read on their own.
    let mut setup = Vec::new();
    let (customer, vehicle, vin) = desk
        .new_customer(&mut || {
            setup.push(log.since_last()?);
            Ok(())
        })
        .await?;
    let mut path = Vec::new();
    desk.visit(&customer, &vehicle, &mut || {
        path.push(log.since_last()?);
        Ok(())
    })
    .await?;
    anyhow::ensure!(path.iter().all(|txn| !txn.is_empty()), "a call of the path wrote no statement to the log");
    Ok(Recording { setup, path, dealer: desk.dealer.clone(), customer, vehicle, vin })
}

/// The values a replay substitutes: recorded value → this replay's.
#[derive(Default)]
struct Substitution {
    fixed: HashMap<String, String>,
}

impl Substitution {
    /// Every UUID not fixed gets a fresh one (the same one each time it recurs within this replay).
    fn apply(&mut self, values: &[Bound]) -> Vec<Bound> {
        values
            .iter()
            .map(|v| match v {
                Bound::Text(Some(text)) => {
                    if let Some(to) = self.fixed.get(text) {
                        return Bound::Text(Some(to.clone()));
                    }
                    if uuid::Uuid::try_parse(text).is_ok() {
                        let fresh = uuid::Uuid::now_v7().to_string();
                        self.fixed.insert(text.clone(), fresh.clone());
                        return Bound::Text(Some(fresh));
                    }
                    v.clone()
                }
                other => other.clone(),
            })
            .collect()
    }
}

/// Where a replay runs.
pub enum ReplayConn {
    /// PostgreSQL: `BEGIN`.
    Pg(sqlx::pool::PoolConnection<sqlx::Postgres>),
    /// SQLite: the writer gate (as the service's `Db::write`), then `BEGIN IMMEDIATE`.
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>, Arc<tokio::sync::Mutex<()>>),
}

macro_rules! bind_all {
    ($query:expr, $values:expr) => {{
        let mut query = $query;
        for value in $values {
            query = match value {
                Bound::Bool(v) => query.bind(v),
                Bound::I16(v) => query.bind(v),
                Bound::I32(v) => query.bind(v),
                Bound::I64(v) => query.bind(v),
                Bound::F64(v) => query.bind(v),
                Bound::Text(v) => query.bind(v),
                Bound::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

impl ReplayConn {
    /// Runs `statements` as one transaction, values substituted.
    async fn transaction(&mut self, statements: &[Recorded], substitution: &mut Substitution) -> anyhow::Result<()> {
        match self {
            ReplayConn::Pg(conn) => {
                let mut tx = sqlx::Connection::begin(&mut **conn).await?;
                for s in statements {
                    let query = sqlx::query(sqlx::AssertSqlSafe(s.sql.clone()));
                    let done = bind_all!(query, substitution.apply(&s.values)).execute(&mut *tx).await?;
                    s.check(done.rows_affected())?;
                }
                tx.commit().await?;
            }
            ReplayConn::Sqlite(conn, gate) => {
                let _turn = gate.lock().await;
                let mut tx = sqlx::Connection::begin_with(&mut **conn, "BEGIN IMMEDIATE").await?;
                for s in statements {
                    let query = sqlx::query(sqlx::AssertSqlSafe(s.sql.clone()));
                    let done = bind_all!(query, substitution.apply(&s.values)).execute(&mut *tx).await?;
                    s.check(done.rows_affected())?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// A baseline caller: the recorded visit replayed for its own dealer's replayed customers.
pub struct Replay {
    conn: ReplayConn,
    recording: Arc<Recording>,
    dealer: String,
    /// Replayed customers with a car: (customer id, vehicle id, VIN).
    stock: Vec<(String, String, String)>,
}

impl Replay {
    /// A caller for `dealer`, with `count` customers and cars made by replaying the recorded setup.
    pub async fn new(
        mut conn: ReplayConn,
        recording: Arc<Recording>,
        dealer: String,
        count: usize,
    ) -> anyhow::Result<Replay> {
        let mut stock = Vec::with_capacity(count);
        for _ in 0..count {
            let vin = fixtures::fresh_vin();
            let mut substitution = Substitution::default();
            substitution.fixed.insert(recording.dealer.clone(), dealer.clone());
            substitution.fixed.insert(recording.vin.clone(), vin.clone());
            for txn in &recording.setup {
                conn.transaction(txn, &mut substitution).await?;
            }
            let made = |id: &String| substitution.fixed.get(id).cloned();
            let (Some(customer), Some(vehicle)) = (made(&recording.customer), made(&recording.vehicle)) else {
                anyhow::bail!("the recorded setup did not write the customer and the car");
            };
            stock.push((customer, vehicle, vin));
        }
        Ok(Replay { conn, recording, dealer, stock })
    }
}

impl Worker for Replay {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let (customer, vehicle, vin) =
                self.stock.pop().ok_or_else(|| anyhow::anyhow!("the replay's stock of customers ran out"))?;
            let r = &self.recording;
            let mut substitution = Substitution::default();
            for (from, to) in
                [(&r.dealer, &self.dealer), (&r.customer, &customer), (&r.vehicle, &vehicle), (&r.vin, &vin)]
            {
                substitution.fixed.insert(from.clone(), to.clone());
            }
            for txn in &r.path {
                self.conn.transaction(txn, &mut substitution).await?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_gives_each_recorded_uuid_one_fresh_value_and_keeps_what_is_fixed() {
        let (dealer, order) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
        let mut substitution = Substitution::default();
        substitution.fixed.insert(dealer.clone(), "mine".into());
        let text = |s: &str| Bound::Text(Some(s.to_string()));
        let out =
            substitution.apply(&[text(&dealer), text(&order), text(&order), text("ENG-0420"), Bound::I64(Some(7))]);
        assert_eq!(out[0], text("mine"));
        assert_ne!(out[1], text(&order));
        assert_eq!(out[1], out[2], "one fresh value per recorded id");
        assert_eq!((out[3].clone(), out[4].clone()), (text("ENG-0420"), Bound::I64(Some(7))));
    }

    #[test]
    fn the_relay_and_feed_statements_are_not_a_calls() {
        assert!(background("UPDATE outbox_events SET sequence = 1"));
        assert!(background("SELECT sequence FROM feed_cursors WHERE feed = $1"));
        assert!(!background("INSERT INTO outbox_events (event_id) VALUES ($1)"));
        assert!(!background("SELECT * FROM check_ins WHERE id = $1"));
    }
}
