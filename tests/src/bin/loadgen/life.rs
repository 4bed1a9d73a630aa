//! Phase e: jobs through their whole workshop life on PostgreSQL, one worker per dealer (16 by default). Before
//! the window each dealer gets a trained technician on shift and a stock of approved orders whose jobs are
//! queued; in the window each worker's call is one job's life — assign (accepting the suggestion), start, clock
//! on, clock off, self-check, inspect, wash — with every step's latency kept apart, plus one GetJob per life as
//! the baseline step of the same run (a read of the same job over the same connection).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aftersales_e2e::workshop::{Crew, Jobs};
use aftersales_e2e::{Caller, ServiceProcess, clients, fixtures};
use aftersales_proto::workshop::v1 as pb;
use futures::future::BoxFuture;
use hdrhistogram::Histogram;

use crate::driver::{Worker, histogram, micros};

/// Steps of a life, in order; `GetJob` is the baseline.
pub const STEPS: [&str; 8] =
    ["AssignJob", "StartJob", "ClockOn", "ClockOff", "CompleteSelfCheck", "RecordInspection", "RecordWash", "GetJob"];

/// One dealer's crew with its queued jobs.
pub struct Life {
    crew: Crew,
    foreman: Jobs,
    technician: Jobs,
    inspector: Jobs,
    queued: Vec<pb::Job>,
    /// Per step, latencies (µs).
    pub steps: BTreeMap<&'static str, Histogram<u64>>,
}

impl Life {
    /// A worker per dealer, each with `stock` approved orders whose jobs are queued.
    pub async fn many(
        n: usize,
        stock: usize,
        reception: &ServiceProcess,
        workshop: &ServiceProcess,
        data: &str,
    ) -> anyhow::Result<Vec<Life>> {
        let mut lives = Vec::with_capacity(n);
        for _ in 0..n {
            let dealer = aftersales_kernel::DealerId::new().to_string();
            let crew = Crew::hire(workshop.channel().await, data, &dealer).await;
            let advisor = Caller::dealer("service_advisor", &dealer).token(data);
            let mut orders = clients::orders(reception, &advisor).await;
            let mut ids = Vec::with_capacity(stock);
            for _ in 0..stock {
                let order = orders.create_repair_order(fixtures::create_repair_order(false)).await?.into_inner();
                orders.approve_estimate(fixtures::approve(&order.id)).await?;
                ids.push(order.id);
            }
            let (foreman, technician, inspector) =
                (crew.jobs(&crew.foreman_token), crew.jobs(&crew.technician_token), crew.jobs(&crew.inspector_token));
            let steps = STEPS.iter().map(|s| (*s, histogram())).collect();
            lives.push(Life { crew, foreman, technician, inspector, queued: Vec::new(), steps });
            lives.last_mut().expect("pushed").expect_jobs(ids).await?;
        }
        Ok(lives)
    }

    /// Waits until workshop queued the jobs of `orders`.
    async fn expect_jobs(&mut self, orders: Vec<String>) -> anyhow::Result<()> {
        let started = Instant::now();
        for order in orders {
            loop {
                let request = pb::ListJobsRequest { repair_order_id: order.clone(), ..Default::default() };
                if let Some(job) = self.foreman.list_jobs(request).await?.into_inner().jobs.pop() {
                    self.queued.push(job);
                    break;
                }
                anyhow::ensure!(started.elapsed() < Duration::from_secs(120), "jobs were not queued in 2 min");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        self.queued.reverse();
        Ok(())
    }

    fn record(&mut self, step: &'static str, since: Instant) {
        let _ = self.steps.get_mut(step).expect("known step").record(micros(since.elapsed()));
    }

    async fn one_life(&mut self) -> anyhow::Result<()> {
        let job = self.queued.pop().ok_or_else(|| anyhow::anyhow!("stock of queued jobs exhausted; raise it"))?;
        let id = || uuid::Uuid::now_v7().to_string();
        let job_id = job.id.clone();
        let t = Instant::now();
        let assign = pb::AssignJobRequest {
            request_id: id(),
            job_id: job_id.clone(),
            technician_id: self.crew.technician_id.clone(),
            override_reason: String::new(),
        };
        self.foreman.assign_job(assign).await?;
        self.record("AssignJob", t);
        let t = Instant::now();
        self.technician.start_job(pb::StartJobRequest { request_id: id(), job_id: job_id.clone() }).await?;
        self.record("StartJob", t);
        let line_id = job.operations[0].line_id.clone();
        let t = Instant::now();
        self.technician.clock_on(pb::ClockOnRequest { request_id: id(), job_id: job_id.clone(), line_id }).await?;
        self.record("ClockOn", t);
        let t = Instant::now();
        self.technician.clock_off(pb::ClockOffRequest { request_id: id(), job_id: job_id.clone() }).await?;
        self.record("ClockOff", t);
        let t = Instant::now();
        let check = pb::CompleteSelfCheckRequest { request_id: id(), job_id: job_id.clone(), note: String::new() };
        self.technician.complete_self_check(check).await?;
        self.record("CompleteSelfCheck", t);
        let t = Instant::now();
        let inspection = pb::RecordInspectionRequest {
            request_id: id(),
            job_id: job_id.clone(),
            passed: true,
            findings: String::new(),
        };
        self.inspector.record_inspection(inspection).await?;
        self.record("RecordInspection", t);
        let t = Instant::now();
        self.foreman.record_wash(pb::RecordWashRequest { request_id: id(), job_id: job_id.clone() }).await?;
        self.record("RecordWash", t);
        let t = Instant::now();
        let ready = self.foreman.get_job(pb::GetJobRequest { id: job_id }).await?.into_inner();
        self.record("GetJob", t);
        anyhow::ensure!(ready.state() == pb::JobState::Ready, "job ended {:?}", ready.state());
        Ok(())
    }
}

impl Worker for Life {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(self.one_life())
    }
}

/// Every worker's step latencies merged.
pub fn merged(lives: &[Life]) -> BTreeMap<&'static str, Histogram<u64>> {
    let mut all: BTreeMap<&'static str, Histogram<u64>> = STEPS.iter().map(|s| (*s, histogram())).collect();
    for life in lives {
        for (step, hist) in &life.steps {
            all.get_mut(step).expect("known step").add(hist).expect("same bounds");
        }
    }
    all
}
