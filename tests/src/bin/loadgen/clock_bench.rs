//! Part 5: the escalation engine's scheduler on PostgreSQL (escalation as a release binary).
//!
//! 1. Clock starts per second from feed events: `--starts` appointment requests on a fake reception feed, from the
//!    first publication until every clock is stored (the consumer applies one event per transaction).
//! 2. Fire rate: `--clocks` clocks due at once (seeded with set-based SQL from a clock the service started itself),
//!    drained by 1 and by 2 service processes on one database — each beside a raw baseline with 1 and 2 workers that
//!    performs the same writes per fire in a minimal SQL loop: claim 200 due rows `FOR UPDATE SKIP LOCKED`, write
//!    the fired clock (the body the service wrote for the same breach), insert the breach and escalation events (the
//!    service's payloads), commit — and a relay numbering the events for the feed with the runtime's statements, as
//!    the service's relay does beside its scheduler; the faster of a run as is and one with a core kept busy (see
//!    [`drain_by_baseline`]). Every clock must breach exactly once, checked on the outbox.
//! 3. Idle: `--clocks` open clocks, none due, for `--idle-seconds`: the statements the service issued (from its
//!    statement log, by what they touch) and its CPU time.
//! 4. Lateness: `--lateness-clocks` clocks due evenly over 10 s from shortly after start-up, on the system clock:
//!    each breach's `fired_at − due_at` as the engine recorded it, p50/p99/max.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::process::ServiceProcess;
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, wait};
use aftersales_proto::common::v1::AdvanceClockRequest;
use aftersales_proto::common::v1::clock_admin_service_client::ClockAdminServiceClient;
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::reception::v1 as reception;
use hdrhistogram::Histogram;
use prost::Message;
use sqlx::{Connection, PgConnection};
use tokio::sync::Notify;

use crate::probe::pid_of;
use crate::report::{RATIO_TARGET, Report};
use crate::{Args, pg, procfs};

/// The manual clock's start; the seeded clocks fall due 15 minutes later (the confirmation policy's due time).
const START: &str = "2026-03-02T08:00:00Z";
/// How far the clock is moved to make every seeded clock due (and no re-escalation, 30 minutes on, yet).
const PAST_DUE: Duration = Duration::from_secs(16 * 60);
/// Lateness target, ms (p99).
const LATENESS_TARGET_MS: f64 = 10.0;
/// The breach event's type on the outbox.
const BREACHED: &str = "aftersales.escalation.v1.ClockBreached";

/// A clock the service started and fired, as the template of everything seeded and replayed.
#[derive(Clone)]
struct Template {
    id: String,
    subject: String,
    policy: String,
    version: i32,
    subject_kind: String,
    tenant: String,
    /// The stored body before its due time, and its `next_fire_at_us` (= its due time).
    open_body: String,
    due_us: i64,
    /// The stored body after the breach, and its next look (the re-escalation).
    fired_body: String,
    fired_next_us: i64,
    /// The events the breach appended: (type, tenant kind, tenant id, aggregate type, payload).
    events: Vec<(String, i16, String, String, Vec<u8>)>,
}

/// Runs the scheduler phases (PostgreSQL only) and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    if args.skip_postgres {
        report.note("PG  escalation skipped (--skip-postgres)");
        return Ok(());
    }
    let (feed, feed_url) = FakeFeed::serve("appointment").await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__CLOCK__MODE", "manual")
        .with("AFTERSALES__CLOCK__START", START)
        .with_for("escalation", "AFTERSALES__PEERS__RECEPTION", &feed_url);
    let Some(mut suite) = Suite::start(Backend::Postgres, &["escalation"], options.clone()).await else {
        report.note("PG  escalation skipped: PostgreSQL unavailable");
        return Ok(());
    };
    let url = suite.db.url_for("escalation").await;
    let result = phases(&mut suite, &feed, &options, &url, args, report).await;
    suite.service("escalation").kill().await;
    pg::drop_databases(&[url]).await?;
    result
}

async fn phases(
    suite: &mut Suite,
    feed: &FakeFeed,
    options: &SuiteOptions,
    url: &str,
    args: &Args,
    report: &mut Report,
) -> anyhow::Result<()> {
    let mut db = PgConnection::connect(url).await?;
    let starts = starts_from_feed(feed, &mut db, args.starts).await?;
    report.note(format!(
        "PG  clock starts from feed events: {starts:.0}/s ({} appointment requests, one transaction each)",
        args.starts
    ));
    let template = template(suite, &mut db, url).await?;
    suite.service("escalation").kill().await;
    eprintln!(
        "loadgen: escalation template clock: {} bytes open, {} fired, {} events per fire",
        template.open_body.len(),
        template.fired_body.len(),
        template.events.len()
    );

    let n = args.clocks;
    let mut rates = Vec::new();
    for processes in [1usize, 2] {
        seed(&mut db, &template, n, template.due_us, 0).await?;
        let service = drain_by_service(suite, options, url, processes).await?;
        check_fired_once(&mut db, n).await?;
        let mut baseline = Duration::MAX;
        for keep_awake in [false, true] {
            seed(&mut db, &template, n, template.due_us, 0).await?;
            baseline = baseline.min(drain_by_baseline(url, &template, processes, keep_awake).await?);
            check_fired_once(&mut db, n).await?;
        }
        let (service, baseline) = (n as f64 / service.as_secs_f64(), n as f64 / baseline.as_secs_f64());
        rates.push((processes, service, baseline));
    }
    for (processes, service, baseline) in rates {
        let ratio = service / baseline;
        let verdict = if ratio >= RATIO_TARGET { "PASS" } else { "MISS" };
        report.note(format!(
            "PG  fire {n} due clocks, {processes} scheduler(s): {service:.0}/s vs raw SQL {baseline:.0}/s = {ratio:.2} \
             (target {RATIO_TARGET:.2}) {verdict}"
        ));
    }

    seed(&mut db, &template, n, template.due_us, 0).await?;
    let (statements, cpu) = idle(suite, args.idle_seconds).await?;
    let total: usize = statements.iter().map(|(_, c)| c).sum();
    let by_kind = statements.iter().map(|(k, c)| format!("{k} {c}")).collect::<Vec<_>>().join(", ");
    report.note(format!(
        "PG  idle {} s with {n} open clocks, none due: {total} statements ({by_kind}); CPU {cpu:.3} s",
        args.idle_seconds
    ));

    let lateness = lateness(suite, &mut db, &template, args.lateness_clocks).await?;
    let (p50, p99, max) = (
        lateness.value_at_quantile(0.5) as f64 / 1000.0,
        lateness.value_at_quantile(0.99) as f64 / 1000.0,
        lateness.max() as f64 / 1000.0,
    );
    let verdict = if p99 <= LATENESS_TARGET_MS { "PASS" } else { "MISS" };
    report.note(format!(
        "PG  firing lateness, {} clocks due over 10 s: p50 {p50:.1} / p99 {p99:.1} / max {max:.1} ms (target p99 \
         {LATENESS_TARGET_MS:.0} ms) {verdict}",
        lateness.len()
    ));
    Ok(())
}

/// Publishes `count` appointment requests at the manual start and times their clocks into the table.
async fn starts_from_feed(feed: &FakeFeed, db: &mut PgConnection, count: usize) -> anyhow::Result<f64> {
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let at = chrono::DateTime::parse_from_rfc3339(START)?.with_timezone(&chrono::Utc);
    let began = Instant::now();
    for _ in 0..count {
        let appointment = uuid::Uuid::now_v7().to_string();
        let requested = reception::AppointmentRequested {
            appointment_id: appointment.clone(),
            dealer_id: dealer.clone(),
            ..Default::default()
        };
        feed.publish_at(&dealer, &appointment, &requested, at);
    }
    loop {
        let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clocks").fetch_one(&mut *db).await?;
        if stored as usize >= count {
            break;
        }
        anyhow::ensure!(began.elapsed() < Duration::from_secs(1800), "only {stored} of {count} clocks started");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(count as f64 / began.elapsed().as_secs_f64())
}

/// Fires the started clocks once (moving the clock past their due time) and reads one of them before and after.
async fn template(suite: &mut Suite, db: &mut PgConnection, url: &str) -> anyhow::Result<Template> {
    let (id, subject, policy, version, subject_kind, tenant, open_body, due_us): (
        String,
        String,
        String,
        i32,
        String,
        String,
        String,
        i64,
    ) = sqlx::query_as(
        "SELECT id, subject_id, policy, version, subject_kind, tenant, body, next_fire_at_us FROM clocks \
         ORDER BY id LIMIT 1",
    )
    .fetch_one(&mut *db)
    .await?;
    let (open,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clocks").fetch_one(&mut *db).await?;
    suite.advance(PAST_DUE).await;
    wait::until(Duration::from_secs(600), "the started clocks breached", || async move {
        let mut db = PgConnection::connect(url).await.ok()?;
        let count = sqlx::query_as("SELECT COUNT(*) FROM outbox_events WHERE event_type = $1").bind(BREACHED);
        let (fired,): (i64,) = count.fetch_one(&mut db).await.ok()?;
        (fired >= open).then_some(())
    })
    .await;
    let (fired_body, fired_next_us): (String, i64) =
        sqlx::query_as("SELECT body, next_fire_at_us FROM clocks WHERE id = $1").bind(&id).fetch_one(&mut *db).await?;
    let events = sqlx::query_as(
        "SELECT event_type, tenant_kind, tenant_id, aggregate_type, payload FROM outbox_events \
         WHERE aggregate_id = $1 ORDER BY occurred_at_us, event_id",
    )
    .bind(&id)
    .fetch_all(&mut *db)
    .await?;
    anyhow::ensure!(!events.is_empty(), "the template clock's breach appended no event");
    Ok(Template {
        id,
        subject,
        policy,
        version,
        subject_kind,
        tenant,
        open_body,
        due_us,
        fired_body,
        fired_next_us,
        events,
    })
}

/// Replaces every clock and event with `count` copies of the template's open clock (fresh ids and subjects), the
/// i-th due at `first_due_us + i × step_us`, in one statement.
async fn seed(
    db: &mut PgConnection,
    t: &Template,
    count: usize,
    first_due_us: i64,
    step_us: i64,
) -> anyhow::Result<()> {
    let began = Instant::now();
    sqlx::query("TRUNCATE clocks, outbox_events").execute(&mut *db).await?;
    sqlx::query(
        "INSERT INTO clocks (id, policy, version, subject_kind, subject_id, tenant, status, next_fire_at_us, body) \
         SELECT g.id, $1, $2, $3, g.subject, $4, 'running', g.due, \
                replace(replace(replace($5, $6, g.id), $7, g.subject), $8, g.due::text) \
         FROM (SELECT gen_random_uuid()::text AS id, gen_random_uuid()::text AS subject, \
                      $9::bigint + (n - 1) * $10::bigint AS due \
               FROM generate_series(1, $11::bigint) AS n) AS g",
    )
    .bind(&t.policy)
    .bind(t.version)
    .bind(&t.subject_kind)
    .bind(&t.tenant)
    .bind(&t.open_body)
    .bind(&t.id)
    .bind(&t.subject)
    .bind(t.due_us.to_string())
    .bind(first_due_us)
    .bind(step_us)
    .bind(count as i64)
    .execute(&mut *db)
    .await?;
    sqlx::query("VACUUM ANALYZE clocks").execute(&mut *db).await?;
    eprintln!("loadgen: seeded {count} clocks in {:.1} s", began.elapsed().as_secs_f64());
    Ok(())
}

/// Every seeded clock breached exactly once.
async fn check_fired_once(db: &mut PgConnection, count: usize) -> anyhow::Result<()> {
    let (events, clocks): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT aggregate_id) FROM outbox_events WHERE event_type = $1")
            .bind(BREACHED)
            .fetch_one(&mut *db)
            .await?;
    anyhow::ensure!(
        (events, clocks) == (count as i64, count as i64),
        "{events} breaches of {clocks} clocks, {count} expected, each once"
    );
    Ok(())
}

/// Starts `processes` escalation processes on the seeded database (manual clock at the start), moves their clocks
/// past the due time together and times until no clock is due.
async fn drain_by_service(
    suite: &mut Suite,
    options: &SuiteOptions,
    url: &str,
    processes: usize,
) -> anyhow::Result<Duration> {
    let env = suite.env_for("escalation", options).await;
    let data = suite.data_dir();
    let mut running = Vec::new();
    for _ in 0..processes {
        running.push(ServiceProcess::start("escalation", &data, env.clone()).await);
    }
    let token = Caller::role("oem_manager").token(&data);
    let mut admins = Vec::new();
    for process in &running {
        admins.push(ClockAdminServiceClient::with_interceptor(
            process.channel().await,
            aftersales_e2e::Bearer(Some(token.clone())),
        ));
    }
    let mut db = PgConnection::connect(url).await?;
    let now_us = past_due_us()?;
    let began = Instant::now();
    let by = prost_types::Duration { seconds: PAST_DUE.as_secs() as i64, nanos: 0 };
    futures::future::try_join_all(
        admins.iter_mut().map(|admin| admin.advance_clock(AdvanceClockRequest { by: Some(by) })),
    )
    .await?;
    loop {
        let (due,): (bool,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM clocks WHERE next_fire_at_us <= $1)")
            .bind(now_us)
            .fetch_one(&mut db)
            .await?;
        if !due {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = began.elapsed();
    for mut process in running {
        process.kill().await;
    }
    Ok(took)
}

/// The manual clock after the move, in µs.
fn past_due_us() -> anyhow::Result<i64> {
    let start = chrono::DateTime::parse_from_rfc3339(START)?;
    Ok(start.timestamp_micros() + PAST_DUE.as_micros() as i64)
}

/// `workers` connections firing what is due with the service's writes and nothing else, until none is; beside them
/// a relay numbering the appended events for the feed as the service's relay does (woken by each commit).
///
/// With `keep_awake` a thread spins on one core meanwhile. This VM's idle cores wake slowly, and a lone connection
/// ping-ponging with its backend leaves them idle between round trips: measured, one worker ran 2.2× faster with a
/// core kept busy. The baseline is the faster of the two runs, so no machine effect flatters the service.
async fn drain_by_baseline(url: &str, t: &Template, workers: usize, keep_awake: bool) -> anyhow::Result<Duration> {
    let now_us = past_due_us()?;
    let mut conns = Vec::new();
    for _ in 0..workers {
        conns.push(quiet(url).await?);
    }
    let committed = Arc::new(Notify::new());
    let relay = tokio::spawn(relay(quiet(url).await?, committed.clone()));
    let awake = Arc::new(AtomicBool::new(keep_awake));
    let spinner = keep_awake.then(|| {
        let awake = awake.clone();
        std::thread::spawn(move || {
            while awake.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        })
    });
    let began = Instant::now();
    // Each worker a task of its own, as the service's scheduler is.
    let workers = conns.into_iter().map(|conn| {
        let (t, committed) = (t.clone(), committed.clone());
        tokio::spawn(async move { fire_raw(conn, &t, now_us, &committed).await })
    });
    for done in futures::future::try_join_all(workers).await? {
        done?;
    }
    let took = began.elapsed();
    awake.store(false, Ordering::Relaxed);
    if let Some(spinner) = spinner {
        let _ = spinner.join();
    }
    relay.abort();
    Ok(took)
}

/// A connection without sqlx's statement logging, as the service's pool is configured.
async fn quiet(url: &str) -> anyhow::Result<PgConnection> {
    use sqlx::ConnectOptions;
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    Ok(options.disable_statement_logging().connect().await?)
}

async fn fire_raw(mut conn: PgConnection, t: &Template, now_us: i64, committed: &Notify) -> anyhow::Result<()> {
    loop {
        let mut txn = conn.begin().await?;
        // The service's claim, its batch of 200 written into the text as the service does (a bound LIMIT would let
        // the generic plan of the prepared statement sort the whole table).
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, body FROM clocks WHERE next_fire_at_us IS NOT NULL AND next_fire_at_us <= $1 \
             ORDER BY next_fire_at_us LIMIT 200 FOR UPDATE SKIP LOCKED",
        )
        .bind(now_us)
        .fetch_all(&mut *txn)
        .await?;
        if due.is_empty() {
            txn.commit().await?;
            return Ok(());
        }
        for (id, _) in &due {
            let body = t.fired_body.replace(&t.id, id);
            // The same columns the service's save writes, report facts included (a fired clock: one late period).
            let changed = sqlx::query(
                "UPDATE clocks SET status = $2, next_fire_at_us = $3, body = $4, periods_on_time = $5, \
                 periods_late = $6, met_seconds = $7 WHERE id = $1",
            )
            .bind(id)
            .bind("running")
            .bind(t.fired_next_us)
            .bind(body)
            .bind(0_i32)
            .bind(1_i32)
            .bind(None::<i64>)
            .execute(&mut *txn)
            .await?;
            anyhow::ensure!(changed.rows_affected() == 1, "the claimed clock {id} was not updated");
            for (event_type, kind, tenant, aggregate_type, payload) in &t.events {
                sqlx::query(
                    "INSERT INTO outbox_events (event_id, event_type, occurred_at_us, tenant_kind, tenant_id, \
                     aggregate_type, aggregate_id, traceparent, tracestate, payload) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(event_type)
                .bind(now_us)
                .bind(kind)
                .bind(tenant)
                .bind(aggregate_type)
                .bind(id)
                .bind("")
                .bind("")
                .bind(payload)
                .execute(&mut *txn)
                .await?;
            }
        }
        txn.commit().await?;
        committed.notify_one();
    }
}

/// The runtime's relay pass (`outbox::relay`), statement for statement: numbers up to 1,000 pending events under
/// the relay's advisory lock and announces the newest; again at once while passes are full, else on a commit.
async fn relay(mut conn: PgConnection, committed: Arc<Notify>) -> anyhow::Result<()> {
    loop {
        let mut txn = conn.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(0x0A57_5E1E_0001_i64).execute(&mut *txn).await?;
        let numbered: Vec<(i64,)> = sqlx::query_as(
            "WITH head AS (SELECT COALESCE(MAX(sequence), 0) AS s FROM outbox_events), \
             pending AS (SELECT position, ROW_NUMBER() OVER (ORDER BY position) AS rn FROM outbox_events \
                         WHERE sequence IS NULL ORDER BY position LIMIT $1) \
             UPDATE outbox_events SET sequence = (SELECT s FROM head) + pending.rn FROM pending \
             WHERE outbox_events.position = pending.position RETURNING outbox_events.sequence",
        )
        .bind(1000_i64)
        .fetch_all(&mut *txn)
        .await?;
        if let Some(newest) = numbered.iter().map(|(s,)| *s).max() {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind("aftersales_feed_escalation")
                .bind(newest.to_string())
                .execute(&mut *txn)
                .await?;
        }
        txn.commit().await?;
        if numbered.len() < 1000 {
            committed.notified().await;
        }
    }
}

/// The service on the seeded database with nothing due for `seconds`: its statements by what they touch, and its
/// CPU seconds.
async fn idle(suite: &mut Suite, seconds: u64) -> anyhow::Result<(Vec<(String, usize)>, f64)> {
    let log = std::path::PathBuf::from(suite.data_dir()).join("escalation-idle-statements.jsonl");
    let _ = std::fs::remove_file(&log);
    let extra = [("AFTERSALES__DATABASE__STATEMENT_LOG".to_string(), log.display().to_string())];
    suite.service("escalation").restart(&extra).await;
    // Start-up (migrations, policies, the first look at the next due time) is not idling.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = std::fs::read_to_string(&log).unwrap_or_default().lines().count();
    let pid = pid_of(suite.service("escalation")).ok_or_else(|| anyhow::anyhow!("no escalation process"))?;
    let ticks = || procfs::stat(pid).map(|s| s.2).unwrap_or(0);
    let cpu_before = ticks();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let cpu = (ticks() - cpu_before) as f64 / procfs::ticks_per_second();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for line in text.lines().skip(before) {
        let sql: serde_json::Value = serde_json::from_str(line)?;
        let sql = sql["sql"].as_str().unwrap_or_default();
        let kind = if sql.contains("clocks") {
            "scheduler"
        } else if sql.contains("outbox_events") || sql.contains("pg_advisory") || sql.contains("pg_notify") {
            "outbox relay (fallback poll)"
        } else if sql.contains("feed_cursors") || sql.contains("applied_events") {
            "feed consumer"
        } else {
            "other"
        };
        match kinds.iter_mut().find(|(k, _)| k == kind) {
            Some(entry) => entry.1 += 1,
            None => kinds.push((kind.to_string(), 1)),
        }
    }
    if !kinds.iter().any(|(k, _)| k == "scheduler") {
        kinds.insert(0, ("scheduler".into(), 0));
    }
    suite.service("escalation").kill().await;
    Ok((kinds, cpu))
}

/// `count` clocks due evenly over 10 s from 5 s after seeding, fired by the service on the system clock: each
/// breach's lateness (µs) as the engine recorded it.
async fn lateness(
    suite: &mut Suite,
    db: &mut PgConnection,
    t: &Template,
    count: usize,
) -> anyhow::Result<Histogram<u64>> {
    let first = chrono::Utc::now() + chrono::Duration::seconds(5);
    let step = (10_000_000 / count.max(1)) as i64;
    seed(db, t, count, first.timestamp_micros(), step).await?;
    anyhow::ensure!(chrono::Utc::now() < first, "seeding took past the first due time: use fewer --lateness-clocks");
    let extra = [("AFTERSALES__CLOCK__MODE".to_string(), "system".to_string())];
    suite.service("escalation").restart(&extra).await;
    let last_due = first.timestamp_micros() + step * count as i64;
    loop {
        let (due,): (bool,) = sqlx::query_as("SELECT EXISTS (SELECT 1 FROM clocks WHERE next_fire_at_us <= $1)")
            .bind(last_due)
            .fetch_one(&mut *db)
            .await?;
        if !due {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    suite.service("escalation").kill().await;
    let payloads: Vec<(Vec<u8>,)> = sqlx::query_as("SELECT payload FROM outbox_events WHERE event_type = $1")
        .bind(BREACHED)
        .fetch_all(&mut *db)
        .await?;
    anyhow::ensure!(payloads.len() == count, "{} breaches of {count} clocks", payloads.len());
    let mut hist = Histogram::<u64>::new(3)?;
    for (payload,) in payloads {
        let breach = esc::ClockBreached::decode(payload.as_slice())?;
        let micros = |t: Option<prost_types::Timestamp>| {
            t.map(|t| t.seconds * 1_000_000 + i64::from(t.nanos) / 1000).unwrap_or_default()
        };
        hist.record((micros(breach.fired_at) - micros(breach.due_at)).max(0) as u64)?;
    }
    Ok(hist)
}
