//! Part 4: parts' issue path on PostgreSQL — one caller per clerk issuing one piece per call, contended (one dealer,
//! one warehouse, one part: every issue waits for the lot's row lock) and uncontended (a store each), each beside the
//! statements parts ran for one issue, recorded by the service (`database.statement_log`) and replayed directly; then
//! GetStockLevel latency with a short ledger and with 1,000,000 more movements of the part (balance rows make it flat).

use std::sync::Arc;

use aftersales_e2e::stock::{Stock, Store};
use aftersales_e2e::{Backend, Suite, SuiteOptions, fixtures};
use aftersales_proto::parts::v1 as pb;
use futures::future::BoxFuture;
use sqlx::Connection;
use sqlx::postgres::PgPoolOptions;

use crate::driver::{self, Worker};
use crate::probe::{Probe, pid_of};
use crate::replay::{Recorded, ReplayConn, StatementLog, Substitution};
use crate::report::Report;
use crate::{Args, pg};

/// The batch every store holds.
const BATCH: &str = "L-2026-01";
/// Pieces put into a store per adjustment (the most one adjustment takes), in hundredths.
const PUT: i64 = 10_000_000;
/// Movements added to the ledger before the second read phase.
const GROWTH: i64 = 1_000_000;

/// Runs the parts phases (PostgreSQL only) and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    if args.skip_postgres {
        report.note("PG  parts issue skipped (--skip-postgres)");
        return Ok(());
    }
    let Some(mut suite) = Suite::start(Backend::Postgres, &["parts"], SuiteOptions::default()).await else {
        report.note("PG  parts issue skipped: PostgreSQL unavailable");
        return Ok(());
    };
    let url = suite.db.url_for("parts").await;
    let result = phases(&mut suite, &url, args, report).await;
    suite.service("parts").kill().await;
    pg::drop_databases(&[url]).await?;
    result
}

/// A clerk issuing one piece per call over gRPC.
struct Clerk {
    stock: Stock,
    warehouse: String,
    part: String,
}

impl Worker for Clerk {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            self.stock.issue_parts(fixtures::issue_parts(&self.warehouse, &self.part)).await?;
            Ok(())
        })
    }
}

/// A clerk's issue replayed: the recorded transaction for its own store.
struct ReplayedClerk {
    conn: ReplayConn,
    statements: Arc<Vec<Recorded>>,
    fixed: Vec<(String, String)>,
}

impl Worker for ReplayedClerk {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let mut substitution = Substitution::default();
            substitution.fixed.extend(self.fixed.iter().cloned());
            self.conn.transaction(&self.statements, &mut substitution).await
        })
    }
}

/// One GetStockLevel after another.
struct Reader {
    stock: Stock,
    request: pb::GetStockLevelRequest,
}

impl Worker for Reader {
    fn call(&mut self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let level = self.stock.get_stock_level(self.request.clone()).await?.into_inner();
            anyhow::ensure!(level.on_hand_hundredths > 0, "the store ran empty");
            Ok(())
        })
    }
}

/// A store of a fresh dealer with plenty of its part.
async fn stocked(suite: &Suite, data: &str, puts: usize) -> anyhow::Result<Store> {
    let channel = suite.services["parts"].channel().await;
    let store = Store::open(channel, data, &aftersales_kernel::DealerId::new().to_string()).await;
    for _ in 0..puts {
        store.put("A-01", BATCH, PUT).await;
    }
    Ok(store)
}

async fn phases(suite: &mut Suite, url: &str, args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let data = suite.data_dir();
    let n = args.concurrency;

    // What parts runs for one issue, written by parts itself.
    let log_path = std::path::Path::new(&data).join("parts-statements.jsonl");
    suite
        .service("parts")
        .restart(&[("AFTERSALES__DATABASE__STATEMENT_LOG".into(), log_path.display().to_string())])
        .await;
    let recorder = stocked(suite, &data, 1).await?;
    let mut log = StatementLog::new(log_path);
    log.since_last()?;
    recorder.stock("parts_clerk").issue_parts(fixtures::issue_parts(&recorder.warehouse, &recorder.part)).await?;
    let statements = Arc::new(log.since_last()?);
    anyhow::ensure!(!statements.is_empty(), "the issue wrote no statement to the log");
    report.note(format!("  (PG  parts: one IssueParts = {} statements in one transaction)", statements.len()));
    suite.service("parts").restart(&[]).await;

    // The service: contended (every clerk on one store) and uncontended (a store each).
    let shared = stocked(suite, &data, 3).await?;
    let mut own = Vec::with_capacity(n);
    for _ in 0..n {
        own.push(stocked(suite, &data, 1).await?);
    }
    let mut probe = Probe::default();
    if let Some(pid) = pid_of(&suite.services["parts"]) {
        probe.procs.push(("parts".to_string(), pid));
    }
    let clerk = |store: &Store| Clerk {
        stock: store.stock("parts_clerk"),
        warehouse: store.warehouse.clone(),
        part: store.part.clone(),
    };
    let names = [
        ("PG  issue contended    gRPC (one part)", "PG  issue contended    SQL replay (baseline)"),
        ("PG  issue uncontended  gRPC (a store each)", "PG  issue uncontended  SQL replay (baseline)"),
    ];
    let contended = (0..n).map(|_| clerk(&shared)).collect();
    let (result, _) = driver::run(names[0].0, args.window(), contended, &probe).await;
    report.phase(result);
    let uncontended = own.iter().map(clerk).collect();
    let (result, _) = driver::run(names[1].0, args.window(), uncontended, &probe).await;
    report.phase(result);

    // On-hand reads with the ledger as the phases left it.
    let read = |store: &Store| Reader {
        stock: store.stock("parts_clerk"),
        request: pb::GetStockLevelRequest { warehouse_id: store.warehouse.clone(), part_number: store.part.clone() },
    };
    let short_ledger = store_movements(url, &shared).await?;
    let short_name = format!("PG  on-hand read, {short_ledger} movements of the part");
    let (result, _) = driver::run(&short_name, args.window(), vec![read(&shared)], &probe).await;
    report.phase(result);

    // The baseline: the recorded issue replayed for the same stores, the service stopped.
    suite.service("parts").terminate().await;
    let pool = PgPoolOptions::new().max_connections(n as u32).min_connections(n as u32).connect(url).await?;
    let fixed = |store: &Store| {
        vec![
            (recorder.dealer.clone(), store.dealer.clone()),
            (recorder.warehouse.clone(), store.warehouse.clone()),
            (recorder.part.clone(), store.part.clone()),
        ]
    };
    for (phase, stores) in [(names[0].1, vec![&shared; n]), (names[1].1, own.iter().collect())] {
        let mut replays = Vec::with_capacity(n);
        for store in stores {
            replays.push(ReplayedClerk {
                conn: ReplayConn::Pg(pool.acquire().await?),
                statements: statements.clone(),
                fixed: fixed(store),
            });
        }
        let (result, _) = driver::run(phase, args.window(), replays, &Probe::default()).await;
        report.phase(result);
    }
    pool.close().await;
    report.ratio("issue contended, PG", names[0].0, &[names[0].1]);
    report.ratio("issue uncontended, PG", names[1].0, &[names[1].1]);

    // A million more movements of the shared part (quantity 0: the ledger still sums to the balance), then the
    // same reads: flat, because they read the balance rows only.
    grow_ledger(url, &shared).await?;
    suite.service("parts").restart(&[]).await;
    let shared = Store::reconnect(&shared, suite.services["parts"].channel().await);
    let long_ledger = store_movements(url, &shared).await?;
    let long_name = format!("PG  on-hand read, {long_ledger} movements of the part");
    let (result, _) = driver::run(&long_name, args.window(), vec![read(&shared)], &Probe::default()).await;
    report.phase(result);
    report.ratio("on-hand read with 1M more movements, PG", &long_name, &[&short_name]);
    Ok(())
}

/// How many movements the ledger holds for the store's part.
async fn store_movements(url: &str, store: &Store) -> anyhow::Result<i64> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM stock_movements WHERE warehouse_id = $1 AND part_number = $2")
            .bind(&store.warehouse)
            .bind(&store.part)
            .fetch_one(&mut conn)
            .await?;
    Ok(count)
}

/// Adds [`GROWTH`] zero-quantity movements of the store's part straight into the ledger.
async fn grow_ledger(url: &str, store: &Store) -> anyhow::Result<()> {
    eprintln!("adding {GROWTH} movements to the ledger");
    let mut conn = sqlx::PgConnection::connect(url).await?;
    sqlx::query(
        "INSERT INTO stock_movements (id, dealer_id, warehouse_id, bin, part_number, batch, kind, quantity_hundredths, \
         on_hand_after_hundredths, document_type, document_reference, reason, moved_by, moved_at_us) \
         SELECT gen_random_uuid()::text, $1, $2, 'A-01', $3, $4, 'adjustment', 0, 0, 'bench', 'bench', 'ledger growth', \
         'loadgen', 0 FROM generate_series(1, $5)",
    )
    .bind(&store.dealer)
    .bind(&store.warehouse)
    .bind(&store.part)
    .bind(BATCH)
    .bind(GROWTH)
    .execute(&mut conn)
    .await?;
    sqlx::query("ANALYZE stock_movements").execute(&mut conn).await?;
    Ok(())
}
