//! Fresh databases for tests: SQLite files in a temporary directory, or PostgreSQL databases created on the
//! server named by `AFTERSALES_TEST_DATABASE_URL` (a URL with rights to create databases).

use sqlx::Connection;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (the default of `make run`).
    Sqlite,
    /// PostgreSQL from `AFTERSALES_TEST_DATABASE_URL`.
    Postgres,
}

/// The PostgreSQL admin URL, if tests may use PostgreSQL. Under `CI=true` a missing or unreachable database is a
/// failure, elsewhere a printed notice and a skip.
pub async fn postgres_admin_url() -> Option<String> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let Ok(url) = std::env::var("AFTERSALES_TEST_DATABASE_URL") else {
        assert!(!ci, "CI=true but AFTERSALES_TEST_DATABASE_URL is not set");
        eprintln!("notice: AFTERSALES_TEST_DATABASE_URL not set; skipping the PostgreSQL part of this test");
        return None;
    };
    match sqlx::PgConnection::connect(&url).await {
        Ok(conn) => {
            let _ = conn.close().await;
            Some(url)
        }
        Err(e) => {
            assert!(!ci, "CI=true but PostgreSQL at AFTERSALES_TEST_DATABASE_URL is unreachable: {e}");
            eprintln!("notice: PostgreSQL unreachable ({e}); skipping the PostgreSQL part of this test");
            None
        }
    }
}

/// Where one test's services keep their data.
#[derive(Debug)]
pub struct TestDb {
    /// The backend.
    pub backend: Backend,
    /// Data directory (SQLite files, dev keys).
    pub dir: tempfile::TempDir,
    admin_url: Option<String>,
    prefix: String,
}

impl TestDb {
    /// A fresh place on `backend`; `None` when PostgreSQL is not available outside CI.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let admin_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(postgres_admin_url().await?),
        };
        Some(TestDb {
            backend,
            dir: tempfile::tempdir().expect("temporary directory"),
            admin_url,
            prefix: format!("aftersales_t_{}", uuid::Uuid::now_v7().simple()),
        })
    }

    /// A fresh SQLite place (always available).
    pub fn sqlite() -> TestDb {
        TestDb {
            backend: Backend::Sqlite,
            dir: tempfile::tempdir().expect("temporary directory"),
            admin_url: None,
            prefix: String::new(),
        }
    }

    /// The data directory as text.
    pub fn data_dir(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// The database URL for `service`, creating the PostgreSQL database on first use.
    pub async fn url_for(&self, service: &str) -> String {
        match (&self.backend, &self.admin_url) {
            (Backend::Postgres, Some(admin)) => {
                let name = format!("{}_{service}", self.prefix);
                let mut conn = sqlx::PgConnection::connect(admin).await.expect("admin connection");
                // The name is generated here (prefix + service name), never caller input.
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.ok();
                let _ = conn.close().await;
                replace_database(admin, &name)
            }
            _ => format!("sqlite://{}/{service}.db?mode=rwc", self.data_dir()),
        }
    }
}

/// `postgres://u@h:p/db?x` with another database name.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..].find('/').map(|i| i + scheme_end).unwrap_or(base.len());
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn the_database_name_is_replaced() {
        assert_eq!(replace_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            replace_database("postgres://u@h/postgres?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
    }
}
