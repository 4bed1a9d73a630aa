//! Part 1: PostgreSQL. Reception + workshop as release binaries on fresh databases.

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aftersales_e2e::clients;
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions};
use aftersales_proto::common::v1::ListEventsRequest;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::grpc::{Advisor, Create, Get};
use crate::probe::{Probe, pid_of};
use crate::report::Report;
use crate::sql::{Conn, PgCreate, PgGet};
use crate::{Args, Rng, driver, life, propagation, sql};

const CREATE_GRPC: &str = "PG  create  gRPC (service)";
const CREATE_SQL: &str = "PG  create  SQL replay (baseline)";
const GET_GRPC: &str = "PG  get     gRPC (service)";
const GET_SQL: &str = "PG  get     SQL replay (baseline)";
const GET_SQL_POOLED: &str = "PG  get     SQL, service's pool pattern (diagnosis)";
const GET_SQL_NO_PING: &str = "PG  get     SQL, same pool without ping (diagnosis)";
const LIFE: &str = "PG  workshop job life (8 calls, 1 dealer/caller)";

/// The baseline's own copy of reception's tables (same columns, defaults, indexes, keys) in reception's database,
/// so replayed rows never reach the service's relay or workshop.
const BENCH_SCHEMA: [&str; 11] = [
    "DROP SCHEMA IF EXISTS bench CASCADE",
    "CREATE SCHEMA bench",
    "CREATE TABLE bench.idempotency_keys (LIKE public.idempotency_keys INCLUDING ALL)",
    "CREATE TABLE bench.repair_orders (LIKE public.repair_orders INCLUDING ALL)",
    "CREATE TABLE bench.repair_order_lines (LIKE public.repair_order_lines INCLUDING ALL)",
    "ALTER TABLE bench.repair_order_lines ADD FOREIGN KEY (repair_order_id) REFERENCES bench.repair_orders (id)",
    "CREATE TABLE bench.outbox_events (LIKE public.outbox_events INCLUDING ALL)",
    "CREATE TABLE bench.labour_operations (LIKE public.labour_operations INCLUDING ALL)",
    "INSERT INTO bench.labour_operations SELECT * FROM public.labour_operations",
    "CREATE TABLE bench.dealers (LIKE public.dealers INCLUDING ALL)",
    "INSERT INTO bench.dealers SELECT * FROM public.dealers",
];

fn database_name(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or_default().to_string()
}

/// Runs phases a–e and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let Some(mut suite) = Suite::start(Backend::Postgres, &["reception", "workshop"], SuiteOptions::default()).await
    else {
        report.note("PG  skipped: PostgreSQL unavailable (see the notice above)");
        return Ok(());
    };
    let data = suite.data_dir();
    let admin = std::env::var(crate::DATABASE_ENV)?;
    let (reception_url, workshop_url) = (suite.db.url_for("reception").await, suite.db.url_for("workshop").await);
    let result = phases(args, report, &suite, &data, &admin, &reception_url, &workshop_url).await;
    for name in ["reception", "workshop"] {
        suite.service(name).terminate().await;
    }
    drop_databases(&[reception_url, workshop_url]).await?;
    result
}

/// Drops the benchmark's databases (by their URLs) once the services stopped.
pub async fn drop_databases(urls: &[String]) -> anyhow::Result<()> {
    let admin = std::env::var(crate::DATABASE_ENV)?;
    let mut conn = sqlx::PgConnection::connect(&admin).await?;
    for url in urls {
        let db = database_name(url);
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")))
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}

async fn phases(
    args: &Args,
    report: &mut Report,
    suite: &Suite,
    data: &str,
    admin: &str,
    reception_url: &str,
    workshop_url: &str,
) -> anyhow::Result<()> {
    let (reception, workshop) = (&suite.services["reception"], &suite.services["workshop"]);
    let window = args.window();
    let mut probe = Probe::default();
    for service in [reception, workshop] {
        if let Some(pid) = pid_of(service) {
            probe.procs.push((service.name.clone(), pid));
        }
    }
    let dbs =
        vec![("reception".to_string(), database_name(reception_url)), ("workshop".into(), database_name(workshop_url))];
    probe.activity = Some((admin.to_string(), dbs));

    // a. CreateRepairOrder over gRPC.
    let advisors = Advisor::many(args.concurrency, reception, data).await;
    let creators = advisors.into_iter().map(Create).collect();
    let (a, creators) = driver::run(CREATE_GRPC, window, creators, &probe).await;
    report.phase(a);
    let advisors: Vec<Advisor> = creators.into_iter().map(|c| c.0).collect();
    catch_up(report, reception, data, workshop_url).await?;

    // b. The same SQL, replayed directly.
    let template = Arc::new(sql::template_pg(&mut sqlx::PgConnection::connect(reception_url).await?).await?);
    let (response, payload, lines) = template.sizes();
    eprintln!(
        "baseline rows copied from the service's: {lines} lines, response blob {response} B, outbox payload {payload} B"
    );
    let mut conn = sqlx::PgConnection::connect(reception_url).await?;
    for statement in BENCH_SCHEMA {
        sqlx::query(statement).execute(&mut conn).await?;
    }
    let (p50, p99) = commit_floor(&mut conn).await?;
    report.note(format!(
        "  (one durable commit on this server — single-row INSERT, autocommit, one connection, quiet: p50 {p50:.2} ms, p99 {p99:.2} ms)"
    ));
    let n = args.concurrency as u32;
    let options = PgConnectOptions::from_str(reception_url)?.options([("search_path", "bench")]);
    let pool = PgPoolOptions::new().max_connections(n).min_connections(n).connect_with(options).await?;
    let mut writers = Vec::new();
    for _ in 0..n {
        let dealer = aftersales_kernel::DealerId::new().to_string();
        writers.push(PgCreate { conn: pool.acquire().await?, template: template.clone(), dealer });
    }
    let (b, writers) = driver::run(CREATE_SQL, window, writers, &probe).await;
    report.phase(b);
    report.ratio("create, PG", CREATE_GRPC, &[CREATE_SQL]);
    drop(writers);
    pool.close().await;

    // c. GetRepairOrder over gRPC vs its two SELECTs.
    let tokens: Vec<String> = advisors.iter().map(|a| a.token.clone()).collect();
    let orders: Vec<(String, usize)> =
        advisors.iter().enumerate().flat_map(|(i, a)| a.created.iter().map(move |id| (id.clone(), i))).collect();
    anyhow::ensure!(!orders.is_empty(), "phase a created no orders");
    let readers = advisors
        .into_iter()
        .filter(|a| !a.created.is_empty())
        .map(|mut a| Get { ids: Arc::new(std::mem::take(&mut a.created)), advisor: a })
        .collect();
    let (c, _) = driver::run(GET_GRPC, window, readers, &probe).await;
    report.phase(c);
    let ids = Arc::new(orders.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
    let pool = PgPoolOptions::new().max_connections(n).min_connections(n).connect(reception_url).await?;
    let mut readers = Vec::new();
    for i in 0..n {
        let conn = Conn::Held(pool.acquire().await?);
        readers.push(PgGet { conn, ids: ids.clone(), rng: Rng::seeded(u64::from(i)) });
    }
    let (c, readers) = driver::run(GET_SQL, window, readers, &probe).await;
    report.phase(c);
    report.ratio("get, PG", GET_GRPC, &[GET_SQL]);
    drop(readers);
    pool.close().await;
    // Not baselines, a diagnosis: the same SELECTs the way the service issues them (a shared pool of
    // database.max_connections = 8, one acquire per statement, sqlx's ping on every acquire), and without the ping.
    for (name, ping) in [(GET_SQL_POOLED, true), (GET_SQL_NO_PING, false)] {
        let pool = PgPoolOptions::new().max_connections(8).min_connections(8).test_before_acquire(ping);
        let pool = pool.connect(reception_url).await?;
        let readers = (0..n)
            .map(|i| PgGet { conn: Conn::Pooled(pool.clone()), ids: ids.clone(), rng: Rng::seeded(u64::from(i)) })
            .collect();
        let (c, _) = driver::run(name, window, readers, &probe).await;
        report.phase(c);
        pool.close().await;
    }

    // d. Approved → job queued, with reception's own feed as the floor.
    let pool: propagation::Pool = Arc::new(Mutex::new(interleave(orders, tokens.len())));
    let (approvers, slots) = propagation::approvers(args.approvers, reception, &tokens, pool).await;
    propagation::follow(reception, data, false, slots.clone()).await?;
    propagation::follow(workshop, data, true, slots).await?;
    let result = propagation::run(approvers, window, args.min_samples, &probe).await;
    report.propagation(result);
    report.note(format!(
        "  (token verification: {:.0} µs CPU per call, ES256, measured in-process)",
        crate::token_verification_us(data)?
    ));

    // e. Jobs through their whole workshop life, one dealer per caller.
    catch_up(report, reception, data, workshop_url).await?;
    // At ~140 lives/s over 16 dealers (measured), 20 per dealer per second leaves room.
    let stock = (args.seconds as usize + 2) * 20;
    eprintln!("preparing {} dealers with {stock} queued jobs each", args.concurrency);
    let lives = life::Life::many(args.concurrency, stock, reception, workshop, data).await?;
    let (e, lives) = driver::run(LIFE, window, lives, &probe).await;
    report.phase(e);
    let steps = life::merged(&lives);
    let baseline = steps["GetJob"].value_at_quantile(0.99) as f64 / 1000.0;
    for step in life::STEPS {
        let hist = &steps[step];
        let (p50, p99) = (hist.value_at_quantile(0.5) as f64 / 1000.0, hist.value_at_quantile(0.99) as f64 / 1000.0);
        report.note(format!(
            "  life step {step:<18} p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  p99 / GetJob p99 {:>5.2}  (n={})",
            if baseline > 0.0 { p99 / baseline } else { 0.0 },
            hist.len()
        ));
    }
    Ok(())
}

/// Latency of one small durable commit, the unit every hop of the pipeline pays at least once (ms).
async fn commit_floor(conn: &mut sqlx::PgConnection) -> anyhow::Result<(f64, f64)> {
    sqlx::query("CREATE TABLE bench.commit_probe (x bigint)").execute(&mut *conn).await?;
    let mut hist = driver::histogram();
    for i in 0..200i64 {
        let started = Instant::now();
        sqlx::query("INSERT INTO bench.commit_probe VALUES ($1)").bind(i).execute(&mut *conn).await?;
        hist.record(driver::micros(started.elapsed()))?;
    }
    let ms = |q| hist.value_at_quantile(q) as f64 / 1000.0;
    Ok((ms(0.5), ms(0.99)))
}

/// Round-robin over dealers, so consecutive approvals come from different dealers.
fn interleave(orders: Vec<(String, usize)>, dealers: usize) -> Vec<(String, usize)> {
    let mut by_dealer: Vec<Vec<(String, usize)>> = vec![Vec::new(); dealers];
    for order in orders {
        by_dealer[order.1].push(order);
    }
    let mut out = Vec::new();
    while by_dealer.iter().any(|d| !d.is_empty()) {
        out.extend(by_dealer.iter_mut().filter_map(Vec::pop));
    }
    out.reverse();
    out
}

/// Waits until workshop has applied every event of reception's feed (the consumer keeps working after phase a),
/// so the next phases do not compete with its backlog; reports the backlog and how fast it drained.
async fn catch_up(
    report: &mut Report,
    reception: &aftersales_e2e::ServiceProcess,
    data: &str,
    workshop_url: &str,
) -> anyhow::Result<()> {
    let mut feed = clients::feed(reception, &Caller::role("oem_manager").token(data)).await;
    let head =
        feed.list_events(ListEventsRequest { after_sequence: 0, page_size: 1 }).await?.into_inner().head_sequence;
    let mut conn = sqlx::PgConnection::connect(workshop_url).await?;
    let started = Instant::now();
    let mut first = None;
    loop {
        let applied: Option<(i64,)> = sqlx::query_as("SELECT sequence FROM feed_cursors WHERE feed = 'reception'")
            .fetch_optional(&mut conn)
            .await?;
        let applied = applied.map(|r| r.0 as u64).unwrap_or(0);
        let backlog = head.saturating_sub(applied);
        let total = *first.get_or_insert(backlog);
        eprint!("\r\x1b[Kwaiting for workshop to apply reception's feed: {backlog} of {total} events left");
        if backlog == 0 {
            break;
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "workshop did not catch up in 10 min");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let took = started.elapsed().as_secs_f64();
    eprintln!();
    let backlog = first.unwrap_or(0);
    let rate = if took > 0.15 { format!("{:.0} events/s", backlog as f64 / took) } else { "-".into() };
    report.note(format!(
        "  (after phase a: workshop's consumer was {backlog} of {head} RepairOrderCreated events behind; drained in {took:.1} s, {rate})"
    ));
    Ok(())
}
