//! Callers of the real service over gRPC: each its own channel (HTTP/2 connection) and its own dealer.

use std::sync::Arc;

use aftersales_e2e::clients::{self, Orders};
use aftersales_e2e::{Caller, ServiceProcess, fixtures};
use aftersales_proto::reception::v1::GetRepairOrderRequest;
use futures::future::BoxFuture;

use crate::Rng;
use crate::driver::Worker;

/// One dealer's service advisor with a connection of its own.
pub struct Advisor {
    /// Its bearer token.
    pub token: String,
    /// Reception's repair orders over its own channel.
    pub orders: Orders,
    /// Orders it created.
    pub created: Vec<String>,
    /// Its random source.
    pub rng: Rng,
}

impl Advisor {
    /// `n` advisors of `n` distinct dealers, each connected to `reception`.
    pub async fn many(n: usize, reception: &ServiceProcess, data_dir: &str) -> Vec<Advisor> {
        let mut advisors = Vec::with_capacity(n);
        for i in 0..n {
            let dealer = aftersales_kernel::DealerId::new().to_string();
            let token = Caller::dealer("service_advisor", &dealer).token(data_dir);
            let orders = clients::orders(reception, &token).await;
            advisors.push(Advisor { token, orders, created: Vec::new(), rng: Rng::seeded(i as u64) });
        }
        advisors
    }
}

/// CreateRepairOrder with the fixture request (two lines), keeping the new ids.
pub struct Create(pub Advisor);

impl Worker for Create {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let order = self.0.orders.create_repair_order(fixtures::create_repair_order(false)).await?.into_inner();
            self.0.created.push(order.id);
            Ok(())
        })
    }
}

/// GetRepairOrder of a random order of the caller's own dealer.
pub struct Get {
    /// The caller.
    pub advisor: Advisor,
    /// Its dealer's orders.
    pub ids: Arc<Vec<String>>,
}

impl Worker for Get {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let id = self.ids[self.advisor.rng.below(self.ids.len())].clone();
            let order = self.advisor.orders.get_repair_order(GetRepairOrderRequest { id }).await?.into_inner();
            anyhow::ensure!(order.lines.len() == 2, "order {} came back with {} lines", order.id, order.lines.len());
            Ok(())
        })
    }
}
