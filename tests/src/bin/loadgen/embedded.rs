//! Part 2: SQLite, the embedded default. Reception alone; the baseline replays its SQL on a fresh file whose
//! schema the reception binary itself created (started once against it, then stopped).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use aftersales_e2e::{Backend, Suite, SuiteOptions};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::grpc::{Advisor, Create};
use crate::probe::{Probe, pid_of};
use crate::report::Report;
use crate::sql::{self, SqliteCreate};
use crate::{Args, driver};

const CREATE_GRPC: &str = "SQLite create  gRPC (service)";
const CREATE_GATED: &str = "SQLite create  SQL replay, writer gate";
const CREATE_BUSY: &str = "SQLite create  SQL replay, busy_timeout only";

/// Connection options for a replay on the service's SQLite file: the pragmas the service sets.
pub fn options(url: &str) -> anyhow::Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true))
}

/// Runs the SQLite phases and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let window = args.window();
    // The baseline's file: created and migrated by the service binary, which is then stopped.
    let mut schema = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default())
        .await
        .ok_or_else(|| anyhow::anyhow!("SQLite suite"))?;
    schema.service("reception").terminate().await;
    let baseline_url = schema.db.url_for("reception").await;

    // The service.
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default())
        .await
        .ok_or_else(|| anyhow::anyhow!("SQLite suite"))?;
    let data = suite.data_dir();
    let reception = suite.service("reception");
    let mut probe = Probe::default();
    if let Some(pid) = pid_of(reception) {
        probe.procs.push(("reception".to_string(), pid));
    }
    let creators = Advisor::many(args.concurrency, reception, &data).await.into_iter().map(Create).collect();
    let (a, _) = driver::run(CREATE_GRPC, window, creators, &probe).await;
    report.phase(a);
    let service_url = suite.db.url_for("reception").await;
    let template = Arc::new(sql::template_sqlite(&mut sqlx::SqliteConnection::connect(&service_url).await?).await?);
    suite.service("reception").terminate().await;

    // The same SQL on the fresh file, pragmas as the service sets them, one pool connection per caller.
    let options = options(&baseline_url)?;
    let n = args.concurrency as u32;
    let pool = SqlitePoolOptions::new().max_connections(n).min_connections(n).connect_with(options).await?;
    let probe = Probe::default();
    // As the service's `Db::write` does: writers queue on an in-process gate, then BEGIN IMMEDIATE.
    let gate = Arc::new(tokio::sync::Mutex::new(()));
    let mut results = Vec::new();
    for (name, gate) in [(CREATE_GATED, Some(gate)), (CREATE_BUSY, None)] {
        let mut writers = Vec::new();
        for _ in 0..n {
            let dealer = aftersales_kernel::DealerId::new().to_string();
            writers.push(SqliteCreate {
                conn: pool.acquire().await?,
                template: template.clone(),
                dealer,
                gate: gate.clone(),
            });
        }
        let (result, writers) = driver::run(name, window, writers, &probe).await;
        drop(writers);
        results.push(result);
    }
    pool.close().await;
    for result in results {
        report.phase(result);
    }
    // The baseline is the faster of the two replays.
    report.ratio("create, SQLite", CREATE_GRPC, &[CREATE_GATED, CREATE_BUSY]);
    Ok(())
}
