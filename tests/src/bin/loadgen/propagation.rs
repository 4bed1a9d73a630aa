//! Approved → job queued: a few approvers approve orders; per order, the time from sending ApproveEstimate to
//! the `JobQueued` for that order arriving on workshop's feed, and — the floor — to the `RepairOrderApproved`
//! arriving on reception's own feed. Each approver waits for both before approving the next order, so the
//! pipeline holds at most one order per approver (a latency measurement, not a saturation test).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aftersales_e2e::clients::{self, Feed, Orders};
use aftersales_e2e::{Bearer, Caller, ServiceProcess, fixtures};
use aftersales_proto::common::v1::{EventEnvelope, ListEventsRequest, WatchEventsRequest};
use aftersales_proto::reception::v1::RepairOrderApproved;
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use aftersales_proto::workshop::v1::JobQueued;
use aftersales_runtime::outbox::decode_payload;
use futures::future::BoxFuture;
use hdrhistogram::Histogram;
use tokio::sync::oneshot;

use crate::driver::{self, WARMUP, Worker, histogram, micros};

/// Where the watchers report an order's events (arrival instants).
#[derive(Default)]
pub struct Slot {
    floor: Option<oneshot::Sender<Instant>>,
    job: Option<oneshot::Sender<Instant>>,
}

/// Slots by repair order id.
pub type Slots = Arc<Mutex<HashMap<String, Slot>>>;

/// Longest wait for an event before the sample counts as lost.
const PATIENCE: Duration = Duration::from_secs(10);

/// Starts following `service`'s feed from its current head; resolves once the stream is open.
pub async fn follow(service: &ServiceProcess, data_dir: &str, job_feed: bool, slots: Slots) -> anyhow::Result<()> {
    let mut feed: Feed = clients::feed(service, &Caller::role("oem_manager").token(data_dir)).await;
    let head = feed.list_events(ListEventsRequest { after_sequence: 0, page_size: 1 }).await?.into_inner();
    let mut stream = feed.watch_events(WatchEventsRequest { after_sequence: head.head_sequence }).await?.into_inner();
    tokio::spawn(async move {
        while let Ok(Some(message)) = stream.message().await {
            let at = Instant::now();
            let Some(id) = message.event.as_ref().and_then(|e| order_of(e, job_feed)) else {
                continue;
            };
            let sender = slots.lock().expect("slots").get_mut(&id).and_then(|slot| match job_feed {
                true => slot.job.take(),
                false => slot.floor.take(),
            });
            if let Some(sender) = sender {
                let _ = sender.send(at);
            }
        }
    });
    Ok(())
}

fn order_of(event: &EventEnvelope, job_feed: bool) -> Option<String> {
    if job_feed {
        decode_payload::<JobQueued>(event)?.ok().map(|e| e.repair_order_id)
    } else {
        decode_payload::<RepairOrderApproved>(event)?.ok().map(|e| e.repair_order_id)
    }
}

/// One approver: a channel of its own, a client per dealer over it.
pub struct Approver {
    clients: Vec<Orders>,
    pool: Arc<Mutex<Vec<(String, usize)>>>,
    slots: Slots,
    next_dealer: usize,
    measure_from: Instant,
    /// Approve sent → JobQueued seen on workshop's feed, µs.
    pub job: Histogram<u64>,
    /// Approve sent → RepairOrderApproved seen on reception's feed, µs.
    pub floor: Histogram<u64>,
    /// The ApproveEstimate call itself, µs.
    pub approve: Histogram<u64>,
    /// Events that did not arrive within the patience.
    pub lost: u64,
}

/// Orders to approve (id, index of its dealer's token), shared by the approvers.
pub type Pool = Arc<Mutex<Vec<(String, usize)>>>;

/// `n` approvers over `reception`, approving from `pool` with `tokens` (one per dealer).
pub async fn approvers(n: usize, reception: &ServiceProcess, tokens: &[String], pool: Pool) -> (Vec<Approver>, Slots) {
    let slots: Slots = Arc::default();
    let mut all = Vec::new();
    for i in 0..n {
        let channel = reception.channel().await;
        let clients = tokens
            .iter()
            .map(|t| RepairOrderServiceClient::with_interceptor(channel.clone(), Bearer(Some(t.clone()))))
            .collect();
        all.push(Approver {
            clients,
            pool: pool.clone(),
            slots: slots.clone(),
            next_dealer: i,
            measure_from: Instant::now(),
            job: histogram(),
            floor: histogram(),
            approve: histogram(),
            lost: 0,
        });
    }
    (all, slots)
}

impl Approver {
    /// Samples recorded from now on, after the driver's warm-up.
    pub fn arm(&mut self) {
        self.measure_from = Instant::now() + WARMUP;
    }

    async fn next_order(&mut self) -> anyhow::Result<(String, usize)> {
        if let Some(order) = self.pool.lock().expect("pool").pop() {
            return Ok(order);
        }
        // Phase a's orders are used up: open one more (before the clock starts).
        self.next_dealer = (self.next_dealer + 1) % self.clients.len();
        let client = &mut self.clients[self.next_dealer];
        let order = client.create_repair_order(fixtures::create_repair_order(false)).await?.into_inner();
        Ok((order.id, self.next_dealer))
    }

    async fn approve_one(&mut self) -> anyhow::Result<()> {
        let (id, dealer) = self.next_order().await?;
        let (floor_tx, floor_rx) = oneshot::channel();
        let (job_tx, job_rx) = oneshot::channel();
        self.slots.lock().expect("slots").insert(id.clone(), Slot { floor: Some(floor_tx), job: Some(job_tx) });
        let sent = Instant::now();
        let approved = self.clients[dealer].approve_estimate(fixtures::approve(&id)).await;
        let answered = Instant::now();
        let job = tokio::time::timeout(PATIENCE, job_rx).await;
        let floor = tokio::time::timeout(PATIENCE, floor_rx).await;
        self.slots.lock().expect("slots").remove(&id);
        approved?;
        if sent < self.measure_from {
            return Ok(());
        }
        self.approve.record(micros(answered - sent))?;
        for (arrived, hist) in [(job, &mut self.job), (floor, &mut self.floor)] {
            match arrived {
                Ok(Ok(at)) => hist.record(micros(at.saturating_duration_since(sent)))?,
                _ => self.lost += 1,
            }
        }
        Ok(())
    }
}

impl Worker for Approver {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(self.approve_one())
    }
}

/// The merged samples of a propagation run.
pub struct Propagation {
    /// Approve sent → JobQueued on workshop's feed.
    pub job: Histogram<u64>,
    /// Approve sent → RepairOrderApproved on reception's feed.
    pub floor: Histogram<u64>,
    /// ApproveEstimate call latency.
    pub approve: Histogram<u64>,
    /// Events that never arrived.
    pub lost: u64,
    /// Approvals per second (each approver waits for its order's events).
    pub rate: f64,
    /// The driver's result (CPU etc.).
    pub phase: driver::PhaseResult,
}

/// Runs rounds of `window` until at least `min_samples` job samples are in (at most 10 rounds).
pub async fn run(
    mut approvers: Vec<Approver>,
    window: Duration,
    min_samples: u64,
    probe: &crate::probe::Probe,
) -> Propagation {
    let mut rounds = Vec::new();
    for round in 0..10 {
        approvers.iter_mut().for_each(Approver::arm);
        let name = format!("PG  approved→job queued (round {})", round + 1);
        let (phase, back) = driver::run(&name, window, approvers, probe).await;
        approvers = back;
        rounds.push(phase);
        if approvers.iter().map(|a| a.job.len()).sum::<u64>() >= min_samples {
            break;
        }
    }
    let (mut job, mut floor, mut approve, mut lost) = (histogram(), histogram(), histogram(), 0);
    for a in &approvers {
        job.add(&a.job).expect("bounds");
        floor.add(&a.floor).expect("bounds");
        approve.add(&a.approve).expect("bounds");
        lost += a.lost;
    }
    let calls: u64 = rounds.iter().map(|r| r.hist.len()).sum();
    let seconds: f64 = rounds.iter().map(|r| r.window.as_secs_f64()).sum();
    let phase = rounds.pop().expect("at least one round");
    Propagation { job, floor, approve, lost, rate: calls as f64 / seconds, phase }
}
