//! Part 3: the front-desk path (see `desk.rs`) on PostgreSQL and on SQLite, each beside the same SQL replayed
//! directly in the same run. Reception alone, release binary, one dealer per caller.

use std::sync::Arc;

use aftersales_e2e::{Backend, Suite, SuiteOptions};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqlitePoolOptions;

use crate::desk::{Desk, Recording, Replay, record};
use crate::probe::{Probe, pid_of};
use crate::replay::{ReplayConn, StatementLog};
use crate::report::Report;
use crate::{Args, driver, embedded, pg};

/// Visits per second of all dealers together the service's stock is made for (customers and cars made over gRPC
/// beforehand; measured here: about 300/s on SQLite at 4 callers), with room to spare. A desk that runs out fails
/// its calls, which the report shows as errors.
const SERVICE_VISITS_PER_SECOND: u64 = 500;
/// The same for the baseline (made by replaying the recorded setup).
const REPLAY_VISITS_PER_SECOND: u64 = 1000;

/// Customers to stock per dealer for `rate` visits per second of all `dealers` over the warm-up and the window.
fn stock_per_dealer(rate: u64, args: &Args, dealers: usize) -> usize {
    (rate * (args.seconds + 2)).div_ceil(dealers.max(1) as u64) as usize
}

/// Runs the front-desk phases on both backends (PostgreSQL unless skipped) and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    if !args.skip_postgres {
        one(Backend::Postgres, "PG ", args, report).await?;
    }
    one(Backend::Sqlite, "SQLite", args, report).await
}

async fn one(backend: Backend, tag: &str, args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        report.note(format!("{tag} front desk skipped: PostgreSQL unavailable"));
        return Ok(());
    };
    let url = suite.db.url_for("reception").await;
    let result = phases(&mut suite, tag, args, report).await;
    // Stopped by the phases unless one failed first.
    suite.service("reception").kill().await;
    if backend == Backend::Postgres {
        pg::drop_databases(&[url]).await?;
    }
    result
}

async fn phases(suite: &mut Suite, tag: &str, args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let data = suite.data_dir();
    let url = suite.db.url_for("reception").await;
    let service_name = format!("{tag} front desk  gRPC (5 calls per visit)");
    let baseline_name = format!("{tag} front desk  SQL replay (baseline)");

    // The statements of one visit, written by reception itself.
    let log_path = std::path::Path::new(&data).join("front-desk-statements.jsonl");
    let log_setting = ("AFTERSALES__DATABASE__STATEMENT_LOG".to_string(), log_path.display().to_string());
    suite.service("reception").restart(&[log_setting]).await;
    let mut recorder = Desk::many(1, &suite.services["reception"], &data).await;
    let recording = Arc::new(record(&mut recorder[0], &mut StatementLog::new(log_path)).await?);
    report.note(format!("  ({tag} front desk: one visit = {})", recording.shape()));
    suite.service("reception").restart(&[]).await;

    // The service: every dealer's desk with its stock of customers.
    let reception = &suite.services["reception"];
    let mut desks = Desk::many(args.concurrency, reception, &data).await;
    let visits = stock_per_dealer(SERVICE_VISITS_PER_SECOND, args, desks.len());
    eprintln!("{tag} front desk: making {visits} customers with a car for each of {} dealers", desks.len());
    futures::future::try_join_all(desks.iter_mut().map(|d| d.stock_up(visits))).await?;
    let mut probe = Probe::default();
    if let Some(pid) = pid_of(reception) {
        probe.procs.push(("reception".to_string(), pid));
    }
    let dealers: Vec<String> = desks.iter().map(|d| d.dealer.clone()).collect();
    let (service, _) = driver::run(&service_name, args.window(), desks, &probe).await;
    report.phase(service);
    suite.service("reception").terminate().await;

    // The baseline: the recorded visit replayed on the same database, the service stopped.
    let visits = stock_per_dealer(REPLAY_VISITS_PER_SECOND, args, dealers.len());
    eprintln!("{tag} front desk: replaying the setup of {visits} customers for each dealer");
    let replays = replays(&url, recording, &dealers, visits).await?;
    let (baseline, _) = driver::run(&baseline_name, args.window(), replays, &Probe::default()).await;
    report.phase(baseline);
    report.ratio(&format!("front desk, {}", tag.trim()), &service_name, &[&baseline_name]);
    Ok(())
}

/// One replaying caller per dealer, each with its own pool connection held for the phase.
async fn replays(
    url: &str,
    recording: Arc<Recording>,
    dealers: &[String],
    visits: usize,
) -> anyhow::Result<Vec<Replay>> {
    let n = dealers.len() as u32;
    let mut conns = Vec::with_capacity(dealers.len());
    if url.starts_with("postgres") {
        let pool = PgPoolOptions::new().max_connections(n).min_connections(n).connect(url).await?;
        for _ in dealers {
            conns.push(ReplayConn::Pg(pool.acquire().await?));
        }
    } else {
        let pool = SqlitePoolOptions::new()
            .max_connections(n)
            .min_connections(n)
            .connect_with(embedded::options(url)?)
            .await?;
        let gate = Arc::new(tokio::sync::Mutex::new(()));
        for _ in dealers {
            conns.push(ReplayConn::Sqlite(pool.acquire().await?, gate.clone()));
        }
    }
    let made = conns
        .into_iter()
        .zip(dealers)
        .map(|(conn, dealer)| Replay::new(conn, recording.clone(), dealer.clone(), visits));
    let replays = futures::future::try_join_all(made).await?;
    Ok(replays)
}
