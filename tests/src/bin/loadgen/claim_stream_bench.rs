//! Part 7: the supplier service's claim stream on PostgreSQL (release binary), beside the foundation's event feed
//! of the same service in the same run — `WatchClaims` is read from that feed, so the feed is its floor:
//! 1. delivery: `--claim-streams` suppliers (50), each with a claim stream open, while quality callers draft and
//!    send claims round-robin for the measured window: claims delivered per second over all streams, and the
//!    latency from SendClaim's answer to the claim on its supplier's stream; baseline: as many `WatchEvents`
//!    streams of the same service, the latency from the same answer to the ClaimSent event on each;
//! 2. replay: every supplier's stream at once from cursor 0 through everything phase 1 left (each supplier's claims
//!    sent and nothing else): changes per second over all streams; baseline: as many `WatchEvents` streams from 0
//!    through the whole feed (every event, drafts included), events per second;
//! 3. reconnect: a stream dropped, 10 claims sent meanwhile, reconnected with its cursor: the time from reconnecting
//!    to the first missed claim; baseline: `WatchEvents` reconnected with its sequence, to the first missed event.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, fixtures};
use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, WatchEventsRequest, WatchEventsResponse};
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::claim_service_client::ClaimServiceClient;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use hdrhistogram::Histogram;
use tokio::sync::Mutex;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::driver::{histogram, micros};
use crate::report::Report;
use crate::{Args, pg};

type Claims = ClaimServiceClient<InterceptedService<Channel, Bearer>>;
/// When each sent claim's SendClaim answered, by claim id.
type SentAt = Arc<Mutex<HashMap<String, Instant>>>;

/// Claims sent while a stream is away, before it reconnects.
const MISSED: usize = 10;
/// Reconnections measured per kind.
const RECONNECTS: usize = 50;

/// Runs the claim-stream phases (PostgreSQL only) and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    if args.skip_postgres {
        report.note("PG  claim streams skipped (--skip-postgres)");
        return Ok(());
    }
    let Some(mut suite) = Suite::start(Backend::Postgres, &["supplier"], SuiteOptions::default()).await else {
        report.note("PG  claim streams skipped: PostgreSQL unavailable");
        return Ok(());
    };
    let url = suite.db.url_for("supplier").await;
    let channel = suite.service("supplier").channel().await;
    let result = phases(channel, &suite.data_dir(), args, report).await;
    suite.service("supplier").kill().await;
    pg::drop_databases(&[url]).await?;
    result
}

fn quality(channel: &Channel, data: &str) -> Claims {
    ClaimServiceClient::with_interceptor(channel.clone(), Bearer(Some(Caller::role("quality").token(data))))
}

fn system(channel: &Channel, data: &str, supplier: &str) -> Claims {
    ClaimServiceClient::with_interceptor(channel.clone(), Bearer(Some(Caller::supplier(supplier).token(data))))
}

fn feed(channel: &Channel, data: &str) -> EventFeedServiceClient<InterceptedService<Channel, Bearer>> {
    EventFeedServiceClient::with_interceptor(channel.clone(), Bearer(Some(Caller::role("oem_manager").token(data))))
}

/// Drafts and sends a claim against `supplier`; its id, once SendClaim answered.
async fn send(quality: &mut Claims, supplier: &str) -> anyhow::Result<String> {
    let id = quality.draft_claim(fixtures::new_claim(supplier)).await?.into_inner().id;
    quality
        .send_claim(pb::SendClaimRequest { request_id: uuid::Uuid::now_v7().to_string(), claim_id: id.clone() })
        .await?;
    Ok(id)
}

/// The feed's newest sequence.
async fn head_sequence(feed: &mut EventFeedServiceClient<InterceptedService<Channel, Bearer>>) -> anyhow::Result<u64> {
    let request = aftersales_proto::common::v1::ListEventsRequest { after_sequence: u64::MAX / 2, page_size: 1 };
    Ok(feed.list_events(request).await?.into_inner().head_sequence)
}

/// The claim id of a ClaimSent envelope.
fn sent_claim(envelope: &EventEnvelope) -> Option<String> {
    let event = aftersales_runtime::outbox::decode_payload::<pb::ClaimSent>(envelope)?.ok()?;
    Some(event.claim_id)
}

async fn phases(channel: Channel, data: &str, args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let mut registry =
        SupplierServiceClient::with_interceptor(channel.clone(), Bearer(Some(Caller::role("quality").token(data))));
    let mut suppliers = Vec::new();
    for _ in 0..args.claim_streams {
        suppliers.push(registry.create_supplier(fixtures::new_supplier()).await?.into_inner().id);
    }
    let (claims, feed_rate) = delivery(&channel, data, &suppliers, args).await?;
    report.note(format!(
        "PG  claims delivered to {} supplier streams: {:.0}/s (each claim once, on its supplier's stream)",
        suppliers.len(),
        claims.rate
    ));
    report.note(format!(
        "PG    send → stream p50 {:.1} ms p95 {:.1} ms p99 {:.1} ms; baseline {} WatchEvents streams: {:.0} events/s, \
         send → feed p50 {:.1} ms p95 {:.1} ms (stream p95 = {:.2}× feed p95)",
        ms(&claims.latency, 0.5),
        ms(&claims.latency, 0.95),
        ms(&claims.latency, 0.99),
        suppliers.len(),
        feed_rate.rate,
        ms(&feed_rate.latency, 0.5),
        ms(&feed_rate.latency, 0.95),
        ms(&claims.latency, 0.95) / ms(&feed_rate.latency, 0.95).max(0.001),
    ));
    let (changes, events, seconds) = replay(&channel, data, &suppliers).await?;
    report.note(format!(
        "PG  replay from cursor 0, {} streams at once: {:.0} changes/s ({changes} in {:.2} s); {} WatchEvents from 0: \
         {:.0} events/s ({events} in {:.2} s)",
        suppliers.len(),
        changes as f64 / seconds.0,
        seconds.0,
        suppliers.len(),
        events as f64 / seconds.1,
        seconds.1,
    ));
    let (stream, events) = reconnects(&channel, data, &suppliers[0]).await?;
    report.note(format!(
        "PG  reconnect → first missed claim p50 {:.1} ms p95 {:.1} ms; WatchEvents → first missed event p50 {:.1} ms \
         p95 {:.1} ms (claim p95 = {:.2}× feed p95; {RECONNECTS} reconnections each, {MISSED} missed)",
        ms(&stream, 0.5),
        ms(&stream, 0.95),
        ms(&events, 0.5),
        ms(&events, 0.95),
        ms(&stream, 0.95) / ms(&events, 0.95).max(0.001),
    ));
    Ok(())
}

fn ms(hist: &Histogram<u64>, q: f64) -> f64 {
    hist.value_at_quantile(q) as f64 / 1000.0
}

/// Deliveries over the measured window and their latencies.
struct Deliveries {
    rate: f64,
    latency: Histogram<u64>,
}

/// Counts what `stream` delivers of the claims sent inside the measured window, with each one's latency from its
/// SendClaim answer, until the deadline.
async fn receive<T>(
    mut stream: tonic::Streaming<T>,
    claim_of: fn(&T) -> Option<String>,
    sent: SentAt,
    measured_from: Instant,
    deadline: Instant,
) -> (u64, Histogram<u64>) {
    let mut latency = histogram();
    let mut delivered = 0u64;
    let patience = || deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(2);
    while let Ok(Ok(Some(message))) = tokio::time::timeout(patience(), stream.message()).await {
        let now = Instant::now();
        let at = match claim_of(&message) {
            Some(claim) => sent.lock().await.get(&claim).copied(),
            None => None,
        };
        if let Some(at) = at.filter(|at| *at >= measured_from && now <= deadline) {
            delivered += 1;
            latency.record(micros(now.saturating_duration_since(at))).ok();
        }
        if now > deadline {
            break;
        }
    }
    (delivered, latency)
}

/// Reads `stream` until it is quiet for `quiet`: how many items, and when the last came.
async fn drain<T>(mut stream: tonic::Streaming<T>, quiet: Duration) -> (u64, Instant) {
    let (mut count, mut last) = (0u64, Instant::now());
    while let Ok(Ok(Some(_))) = tokio::time::timeout(quiet, stream.message()).await {
        (count, last) = (count + 1, Instant::now());
    }
    (count, last)
}

/// Phase 1: producers send claims round-robin; every supplier's claim stream and as many feed streams receive them.
async fn delivery(
    channel: &Channel,
    data: &str,
    suppliers: &[String],
    args: &Args,
) -> anyhow::Result<(Deliveries, Deliveries)> {
    let sent: SentAt = Arc::default();
    let deadline = Instant::now() + crate::driver::WARMUP + args.window();
    let measured_from = Instant::now() + crate::driver::WARMUP;
    // Every stream starts at its head: the cursor of the supplier's last change (none yet), the feed's sequence.
    let after_sequence = head_sequence(&mut feed(channel, data)).await?;
    let mut receivers = Vec::new();
    for supplier in suppliers {
        let request = pb::WatchClaimsRequest { after_cursor: 0 };
        let stream = system(channel, data, supplier).watch_claims(request).await?.into_inner();
        let claim_of: fn(&pb::ClaimChange) -> Option<String> = |c| c.claim.as_ref().map(|c| c.id.clone());
        receivers.push(tokio::spawn(receive(stream, claim_of, sent.clone(), measured_from, deadline)));
    }
    let mut feeds = Vec::new();
    for _ in suppliers {
        let stream = feed(channel, data).watch_events(WatchEventsRequest { after_sequence }).await?.into_inner();
        let claim_of: fn(&WatchEventsResponse) -> Option<String> = |m| m.event.as_ref().and_then(sent_claim);
        feeds.push(tokio::spawn(receive(stream, claim_of, sent.clone(), measured_from, deadline)));
    }
    let mut producers = Vec::new();
    for producer in 0..args.concurrency {
        let (mut quality, suppliers, sent) = (quality(channel, data), suppliers.to_vec(), sent.clone());
        producers.push(tokio::spawn(async move {
            let mut next = producer;
            while Instant::now() < deadline {
                let id = send(&mut quality, &suppliers[next % suppliers.len()]).await?;
                sent.lock().await.insert(id, Instant::now());
                next += 1;
            }
            anyhow::Ok(())
        }));
    }
    for producer in producers {
        producer.await??;
    }
    let window = args.window().as_secs_f64();
    let collect = |results: Vec<(u64, Histogram<u64>)>| {
        let mut latency = histogram();
        let mut delivered = 0;
        for (count, hist) in results {
            delivered += count;
            latency.add(hist).ok();
        }
        Deliveries { rate: delivered as f64 / window, latency }
    };
    let mut claim_results = Vec::new();
    for receiver in receivers {
        claim_results.push(receiver.await?);
    }
    let mut feed_results = Vec::new();
    for receiver in feeds {
        feed_results.push(receiver.await?);
    }
    Ok((collect(claim_results), collect(feed_results)))
}

/// Phase 2: every stream replays from the start, all at once, until quiet; (changes, events, (seconds, seconds)).
async fn replay(channel: &Channel, data: &str, suppliers: &[String]) -> anyhow::Result<(u64, u64, (f64, f64))> {
    let quiet = Duration::from_millis(300);
    let claims_started = Instant::now();
    let mut streams = Vec::new();
    for supplier in suppliers {
        let stream = system(channel, data, supplier)
            .watch_claims(pb::WatchClaimsRequest { after_cursor: 0 })
            .await?
            .into_inner();
        streams.push(tokio::spawn(drain(stream, quiet)));
    }
    let (mut changes, mut claims_done) = (0, claims_started);
    for stream in streams {
        let (count, last) = stream.await?;
        changes += count;
        claims_done = claims_done.max(last);
    }
    let started = Instant::now();
    let mut feeds = Vec::new();
    for _ in suppliers {
        let stream = feed(channel, data).watch_events(WatchEventsRequest { after_sequence: 0 }).await?.into_inner();
        feeds.push(tokio::spawn(drain(stream, quiet)));
    }
    let (mut events, mut events_done) = (0, started);
    for stream in feeds {
        let (count, last) = stream.await?;
        events += count;
        events_done = events_done.max(last);
    }
    // Up to the last item received (the quiet wait after it is not delivery time).
    let seconds = ((claims_done - claims_started).as_secs_f64(), (events_done - started).as_secs_f64());
    Ok((changes, events, seconds))
}

/// Phase 3: reconnection latency to the first missed item, claim stream and event feed alike.
async fn reconnects(channel: &Channel, data: &str, supplier: &str) -> anyhow::Result<(Histogram<u64>, Histogram<u64>)> {
    let mut quality = quality(channel, data);
    let mut system = system(channel, data, supplier);
    let mut feed = feed(channel, data);
    let (mut stream_latency, mut feed_latency) = (histogram(), histogram());
    // The cursors of the last item each client handled.
    let mut cursor = {
        let mut stream = system.watch_claims(pb::WatchClaimsRequest { after_cursor: 0 }).await?.into_inner();
        send(&mut quality, supplier).await?;
        let mut last = 0;
        // Drain what phase 1 left, then the claim just sent.
        while let Ok(Ok(Some(change))) = tokio::time::timeout(Duration::from_millis(500), stream.message()).await {
            last = change.cursor;
        }
        last
    };
    let mut sequence = head_sequence(&mut feed).await?;
    for _ in 0..RECONNECTS {
        // Away: claims are sent. Then both clients come back with their cursors.
        let mut ids = Vec::new();
        for _ in 0..MISSED {
            ids.push(send(&mut quality, supplier).await?);
        }
        let started = Instant::now();
        let mut stream = system.watch_claims(pb::WatchClaimsRequest { after_cursor: cursor }).await?.into_inner();
        let first = stream.message().await?.ok_or_else(|| anyhow::anyhow!("the claim stream ended"))?;
        stream_latency.record(micros(started.elapsed())).ok();
        anyhow::ensure!(first.claim.as_ref().map(|c| &c.id) == ids.first(), "the first missed claim comes first");
        let mut last = first.cursor;
        while let Ok(Ok(Some(change))) = tokio::time::timeout(Duration::from_millis(200), stream.message()).await {
            last = change.cursor;
        }
        cursor = last;
        drop(stream);

        let started = Instant::now();
        let mut events = feed.watch_events(WatchEventsRequest { after_sequence: sequence }).await?.into_inner();
        let first = events.message().await?.ok_or_else(|| anyhow::anyhow!("the feed ended"))?;
        feed_latency.record(micros(started.elapsed())).ok();
        sequence = first.event.as_ref().map_or(sequence, |e| e.sequence);
        while let Ok(Ok(Some(message))) = tokio::time::timeout(Duration::from_millis(200), events.message()).await {
            sequence = message.event.as_ref().map_or(sequence, |e| e.sequence);
        }
    }
    Ok((stream_latency, feed_latency))
}
