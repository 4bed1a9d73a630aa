//! The load generator behind `make bench` (never run in CI).
//!
//! In one run, at one concurrency, each phase for `--seconds` after a 1-second warm-up:
//! 1. PostgreSQL — reception + workshop as release binaries: CreateRepairOrder over gRPC vs the same SQL replayed
//!    directly; GetRepairOrder over gRPC vs its two SELECTs; approved → job-queued propagation latency, with
//!    reception's own feed as the floor; jobs through their whole workshop life (one dealer per caller), per step
//!    against a GetJob of the same job as the baseline step.
//! 2. SQLite — reception alone: CreateRepairOrder over gRPC vs the same SQL replayed on a fresh file of the same
//!    schema.
//! 3. The front desk — reception alone, on PostgreSQL and on SQLite: a visit (appointment → confirmation →
//!    check-in → repair order → consent) per dealer over gRPC vs the statements reception ran for one visit,
//!    recorded by the service and replayed directly.
//! 4. Parts on PostgreSQL — IssueParts by 16 clerks, contended (one part) and uncontended (a store each), each
//!    beside its recorded statements replayed; GetStockLevel with a short ledger and with 1M more movements.
//! 5. The escalation engine's scheduler (`clock_bench`).
//! 6. Case reports over a million cases (`report_bench`).
//! 7. Supplier claim streams on PostgreSQL — claims delivered per second to 50 supplier streams and the
//!    reconnect-to-first-missed-claim latency, beside the same service's event feed (`claim_stream_bench`).
//!
//! Figures are ratios to a baseline measured in the same run: the machine is shared and noisy.
//!
//! ```text
//! cargo build --release --bins
//! cargo run --release -p aftersales-e2e --bin loadgen -- [--seconds 10] [--concurrency 16] [--skip-postgres]
//! ```

// The crate root is a file, not a `mod.rs`: its modules live in `loadgen/` by explicit path.
#[path = "loadgen/claim_stream_bench.rs"]
mod claim_stream_bench;
#[path = "loadgen/clock_bench.rs"]
mod clock_bench;
#[path = "loadgen/desk.rs"]
mod desk;
#[path = "loadgen/driver.rs"]
mod driver;
#[path = "loadgen/embedded.rs"]
mod embedded;
#[path = "loadgen/front_desk.rs"]
mod front_desk;
#[path = "loadgen/grpc.rs"]
mod grpc;
#[path = "loadgen/life.rs"]
mod life;
#[path = "loadgen/pg.rs"]
mod pg;
#[path = "loadgen/probe.rs"]
mod probe;
#[path = "loadgen/procfs.rs"]
mod procfs;
#[path = "loadgen/propagation.rs"]
mod propagation;
#[path = "loadgen/replay.rs"]
mod replay;
#[path = "loadgen/report.rs"]
mod report;
#[path = "loadgen/report_bench.rs"]
mod report_bench;
#[path = "loadgen/sql.rs"]
mod sql;
#[path = "loadgen/stock_bench.rs"]
mod stock_bench;

use std::time::{Duration, Instant};

use aftersales_e2e::Caller;
use aftersales_runtime::auth::Authenticator;
use aftersales_runtime::auth::keys::{KeySet, dev_user_key_path, load_or_create, public_pem};
use clap::Parser;

/// The variable naming the PostgreSQL server (a URL with rights to create databases).
const DATABASE_ENV: &str = "AFTERSALES_TEST_DATABASE_URL";
const DEFAULT_DATABASE: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Load generator: the services against a direct-SQL baseline, on PostgreSQL and SQLite.
#[derive(Parser, Debug, Clone)]
#[command(name = "loadgen")]
pub struct Args {
    /// Measured seconds per phase (after a 1-second warm-up).
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Concurrent callers in every throughput phase.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Concurrent approvers in the propagation phase.
    #[arg(long, default_value_t = 4)]
    pub approvers: usize,
    /// Least number of propagation samples.
    #[arg(long, default_value_t = 300)]
    pub min_samples: u64,
    /// Only the SQLite part.
    #[arg(long)]
    pub skip_postgres: bool,
    /// Only these parts: `orders` (parts 1–2: repair orders, propagation, the workshop life), `front-desk`,
    /// `stock` (parts' issues and on-hand reads), `clocks` (the escalation engine's scheduler), `reports` (case
    /// reports over a million cases), `claims` (supplier claim streams).
    #[arg(long, value_delimiter = ',', default_values_t = [Part::Orders, Part::FrontDesk, Part::Stock, Part::Clocks, Part::Reports, Part::Claims])]
    pub only: Vec<Part>,
    /// Clocks drained per fire-rate phase, and kept open in the idle phase.
    #[arg(long, default_value_t = 1_000_000)]
    pub clocks: usize,
    /// Appointment requests whose clocks are started from the feed.
    #[arg(long, default_value_t = 20_000)]
    pub starts: usize,
    /// Seconds of the idle phase.
    #[arg(long, default_value_t = 60)]
    pub idle_seconds: u64,
    /// Clocks due over 10 s in the lateness phase.
    #[arg(long, default_value_t = 100_000)]
    pub lateness_clocks: usize,
    /// Cases seeded for the report phase (five clocks each).
    #[arg(long, default_value_t = 1_000_000)]
    pub report_cases: usize,
    /// Supplier streams open in the claim-stream phase.
    #[arg(long, default_value_t = 50)]
    pub claim_streams: usize,
    /// Keeps the report phase's seeded database (its URL is printed) for reading plans by hand.
    #[arg(long)]
    pub keep_report_database: bool,
}

/// A part of the run.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Repair orders on PostgreSQL and SQLite, propagation, the workshop job life.
    Orders,
    /// The front-desk visit on PostgreSQL and SQLite.
    FrontDesk,
    /// Parts' issues (contended, uncontended) and on-hand reads as the ledger grows, on PostgreSQL.
    Stock,
    /// The escalation engine's scheduler on PostgreSQL.
    Clocks,
    /// Case reports over a million cases on PostgreSQL.
    Reports,
    /// Supplier claim streams on PostgreSQL.
    Claims,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Orders => "orders",
            Part::FrontDesk => "front-desk",
            Part::Stock => "stock",
            Part::Clocks => "clocks",
            Part::Reports => "reports",
            Part::Claims => "claims",
        })
    }
}

impl Args {
    /// The measured window of a phase.
    pub fn window(&self) -> Duration {
        Duration::from_secs(self.seconds.max(1))
    }
}

/// A small xorshift generator: enough to pick orders at random.
pub struct Rng(u64);

impl Rng {
    /// Seeded from the clock and `salt`.
    pub fn seeded(salt: u64) -> Rng {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        Rng((nanos as u64 ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// CPU time of one bearer-token verification (ES256, as every call's edge does it), µs.
pub fn token_verification_us(data_dir: &str) -> anyhow::Result<f64> {
    let key = load_or_create(&dev_user_key_path(data_dir))?;
    let keys = KeySet { user_public: vec![public_pem(&key)], service_public: vec![], own_private: String::new() };
    let auth = Authenticator::new(&keys, "aftersales-dev", "aftersales", 30)?;
    let token = Caller::dealer("service_advisor", &aftersales_kernel::DealerId::new().to_string()).token(data_dir);
    // Best of 5 batches: the machine is shared, the minimum is the cost itself.
    let mut best = f64::MAX;
    for _ in 0..5 {
        let started = Instant::now();
        for _ in 0..100 {
            auth.authenticate(&token)?;
        }
        best = best.min(started.elapsed().as_secs_f64() * 1e6 / 100.0);
    }
    Ok(best)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.skip_postgres && std::env::var_os(DATABASE_ENV).is_none() {
        // The e2e support library reads the URL from the environment; setting it in-process needs `unsafe`.
        let status = std::process::Command::new(std::env::current_exe()?)
            .args(std::env::args_os().skip(1))
            .env(DATABASE_ENV, DEFAULT_DATABASE)
            .status()?;
        std::process::exit(status.code().unwrap_or(1));
    }
    eprintln!(
        "loadgen: {} callers, {} s per phase after a {} s warm-up",
        args.concurrency,
        args.seconds,
        driver::WARMUP.as_secs()
    );
    let mut report = report::Report::default();
    if args.only.contains(&Part::Orders) {
        if args.skip_postgres {
            report.note("PG  skipped (--skip-postgres)");
        } else {
            pg::run(&args, &mut report).await?;
        }
        embedded::run(&args, &mut report).await?;
    }
    if args.only.contains(&Part::FrontDesk) {
        front_desk::run(&args, &mut report).await?;
    }
    if args.only.contains(&Part::Stock) {
        stock_bench::run(&args, &mut report).await?;
    }
    if args.only.contains(&Part::Clocks) {
        clock_bench::run(&args, &mut report).await?;
    }
    if args.only.contains(&Part::Reports) {
        report_bench::run(&args, &mut report).await?;
    }
    if args.only.contains(&Part::Claims) {
        claim_stream_bench::run(&args, &mut report).await?;
    }
    report.print(args.seconds, args.concurrency);
    Ok(())
}
