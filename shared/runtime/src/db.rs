//! Database connection, migrations and write transactions, the same for SQLite and PostgreSQL.
//!
//! Writes go through [`Db::write`], which hands out a [`WriteTxn`]: on SQLite it first queues on an in-process
//! gate (one writer at a time, no busy-waiting) and starts with `BEGIN IMMEDIATE`, so a transaction never fails
//! half-way because it had to upgrade a read lock; on PostgreSQL it is a plain READ COMMITTED transaction. A
//! `WriteTxn` that appended events wakes the outbox relay after it commits.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionOptions, TransactionTrait, Value,
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

use crate::errors::{AppError, AppResult};
use crate::failpoints;
use crate::settings::DatabaseSettings;

/// A service's database: a pool, plus what writes need to coordinate.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    // SQLite allows one writer; queueing writers here is fairer and faster than SQLite's busy-wait loop.
    write_gate: Option<Arc<Mutex<()>>>,
    // Rung after a commit that appended events, so the relay numbers them at once.
    outbox_signal: Arc<Notify>,
}

impl Db {
    /// Connects (creating a SQLite file if absent) without migrating.
    pub async fn connect(settings: &DatabaseSettings) -> AppResult<Db> {
        let mut options = ConnectOptions::new(settings.url.clone());
        options
            .max_connections(settings.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            // A ping before every acquire costs a round trip per statement (measured: half the read throughput on
            // PostgreSQL); broken connections surface as errors on use and are replaced by the pool instead.
            .test_before_acquire(false)
            .sqlx_logging(false);
        let sqlite = settings.url.starts_with("sqlite:");
        if sqlite {
            let synchronous = if settings.sqlite_synchronous == "full" {
                sqlx::sqlite::SqliteSynchronous::Full
            } else {
                sqlx::sqlite::SqliteSynchronous::Normal
            };
            let busy = Duration::from_millis(settings.sqlite_busy_timeout_ms);
            options.map_sqlx_sqlite_opts(move |o| {
                o.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(synchronous)
                    .busy_timeout(busy)
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
            if let Some(path) = sqlite_path(&settings.url)
                && let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(AppError::internal)?;
            }
        }
        let mut conn = Database::connect(options).await?;
        if !settings.statement_log.is_empty() {
            crate::statement_log::install(&mut conn, &settings.statement_log)?;
        }
        Ok(Db { conn, write_gate: sqlite.then(|| Arc::new(Mutex::new(()))), outbox_signal: Arc::new(Notify::new()) })
    }

    /// Applies every pending migration of `M` (the service's own plus the runtime's tables).
    pub async fn migrate<M: MigratorTrait>(&self) -> AppResult<()> {
        M::up(&self.conn, None).await?;
        Ok(())
    }

    /// The pool, for reads.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// SQLite or PostgreSQL.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Starts a write transaction (see the module docs).
    pub async fn write(&self) -> AppResult<WriteTxn> {
        let gate = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let options = TransactionOptions {
            sqlite_transaction_mode: gate.as_ref().map(|_| sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let txn = self.conn.begin_with_options(options).await?;
        Ok(WriteTxn {
            txn,
            _gate: gate,
            appended_events: false,
            signal: self.outbox_signal.clone(),
            after_commit: Vec::new(),
        })
    }

    /// A read snapshot on one connection: every statement of a multi-statement read (a record and its children)
    /// sees the same committed state, and the pool is asked once instead of once per statement. PostgreSQL:
    /// REPEATABLE READ, READ ONLY; SQLite: a deferred transaction (WAL readers never block the writer). Drop it when
    /// done (it only read).
    pub async fn read(&self) -> AppResult<DatabaseTransaction> {
        let options = match self.backend() {
            DbBackend::Postgres => TransactionOptions {
                isolation_level: Some(sea_orm::IsolationLevel::RepeatableRead),
                access_mode: Some(sea_orm::AccessMode::ReadOnly),
                ..Default::default()
            },
            _ => TransactionOptions::default(),
        };
        Ok(self.conn.begin_with_options(options).await?)
    }

    /// The relay's wake-up bell.
    pub(crate) fn outbox_signal(&self) -> Arc<Notify> {
        self.outbox_signal.clone()
    }

    /// The PostgreSQL pool, for LISTEN and session advisory locks.
    pub(crate) fn postgres_pool(&self) -> Option<&sqlx::PgPool> {
        (self.backend() == DbBackend::Postgres).then(|| self.conn.get_postgres_connection_pool())
    }

    /// A statement with `$n` placeholders (understood by both backends).
    pub fn statement(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
        Statement::from_sql_and_values(self.backend(), sql, values)
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// A write transaction. Rolls back when dropped uncommitted, so an early `?` leaves nothing half-written.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _gate: Option<OwnedMutexGuard<()>>,
    appended_events: bool,
    signal: Arc<Notify>,
    after_commit: Vec<AfterCommit>,
}

/// Work to do once a transaction has committed.
type AfterCommit = Box<dyn FnOnce() + Send + Sync>;

impl WriteTxn {
    /// Commits; then, if events were appended, wakes the relay.
    pub async fn commit(self) -> AppResult<()> {
        let WriteTxn { txn, _gate, appended_events, signal, after_commit } = self;
        txn.commit().await?;
        drop(_gate);
        if appended_events {
            failpoints::hit("producer.after_commit");
            signal.notify_one();
        }
        for then in after_commit {
            then();
        }
        Ok(())
    }

    /// Runs `then` once this transaction has committed (not if it rolls back), e.g. to decide then whether a
    /// sleeping task must wake.
    pub fn after_commit(&mut self, then: impl FnOnce() + Send + Sync + 'static) {
        self.after_commit.push(Box::new(then));
    }

    /// Marks that this transaction wrote outbox rows.
    pub(crate) fn mark_appended(&mut self) {
        self.appended_events = true;
    }

    /// Serializes this transaction with every other one that takes the same `key`, until it ends: on PostgreSQL a
    /// transaction-scoped advisory lock on a 64-bit hash of the key (released by commit, rollback or a crash); on
    /// SQLite nothing, since its writers already take turns. Take it first, before any row lock, so transactions
    /// that also lock rows never wait on each other in a circle (e.g. `workshop.assignment:<dealer>` around every
    /// change that moves jobs between technicians).
    pub async fn serialize_on(&self, key: &str) -> AppResult<()> {
        if self.txn.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let statement = self.statement("SELECT pg_advisory_xact_lock($1)", [Value::from(lock_key(key))]);
        self.txn.execute_raw(statement).await?;
        Ok(())
    }

    /// A statement for this transaction's backend.
    pub fn statement(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
        Statement::from_sql_and_values(self.txn.get_database_backend(), sql, values)
    }
}

impl Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// The advisory-lock number of a key: the first 8 bytes of its SHA-256 (stable across builds and replicas).
fn lock_key(key: &str) -> i64 {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(key.as_bytes());
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// Microseconds since the Unix epoch: how every table of the suite stores instants (portable, sortable).
pub fn to_micros(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_micros()
}

/// The inverse of [`to_micros`].
pub fn from_micros(us: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_micros(us).unwrap_or_default()
}

/// Whether a database error is a unique-constraint violation (a lost insert race).
pub fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(sqlite_path("sqlite://data/reception.db?mode=rwc"), Some("data/reception.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn a_dropped_write_transaction_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = Db::connect(&DatabaseSettings {
            url,
            max_connections: 2,
            sqlite_synchronous: "normal".into(),
            sqlite_busy_timeout_ms: 1000,
            statement_log: String::new(),
        })
        .await
        .unwrap();
        db.reader().execute_unprepared("CREATE TABLE t (x INTEGER)").await.unwrap();
        {
            let txn = db.write().await.unwrap();
            txn.execute_unprepared("INSERT INTO t VALUES (1)").await.unwrap();
        }
        let row = db.reader().query_one_raw(db.statement("SELECT COUNT(*) AS n FROM t", [])).await.unwrap().unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), 0);
    }
}
