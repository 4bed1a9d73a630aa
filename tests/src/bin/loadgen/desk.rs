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

use std::sync::Arc;

use aftersales_e2e::auth::Bearer;
use aftersales_e2e::clients::{self, Orders};
use aftersales_e2e::{Caller, ServiceProcess, directory, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::check_in_service_client::CheckInServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use futures::future::BoxFuture;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::driver::Worker;
use crate::replay::{Recorded, ReplayConn, StatementLog, Substitution};

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
