//! The real service binaries, started on port 0 against a test's own databases.
//!
//! Each binary announces its address in `<data_dir>/run/<service>.addr` once it is migrated and SERVING; peers
//! are configured with an empty URL, so they find each other through the same files, whatever the start order.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};
use tonic::transport::Channel;

use crate::catalogue;
use crate::db::{Backend, TestDb};
use crate::fake_feed::FakeFeed;

/// The variable naming the workshop feed reception follows.
const WORKSHOP_PEER: &str = "AFTERSALES__PEERS__WORKSHOP";
/// The variable naming the parts feed reception follows.
const PARTS_PEER: &str = "AFTERSALES__PEERS__PARTS";

/// The five services.
pub const ALL: [&str; 5] = ["reception", "workshop", "parts", "escalation", "supplier"];

/// Where `cargo build` put the binaries: next to the calling executable (a binary in `target/<profile>/`, such
/// as the load generator), else next to its parent (a test executable in `target/<profile>/deps/`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("own executable");
    let own = exe.parent().expect("executable directory");
    let candidates = [Some(own), own.parent()];
    if let Some(path) = candidates.iter().flatten().map(|dir| dir.join(name)).find(|path| path.is_file()) {
        return path;
    }
    let tried = candidates.iter().flatten().map(|dir| dir.join(name).display().to_string()).collect::<Vec<_>>();
    panic!("{name} is not built (looked for {}): run `cargo build --bins` (make test does)", tried.join(", "));
}

/// One running service binary.
#[derive(Debug)]
pub struct ServiceProcess {
    /// Service name.
    pub name: String,
    /// Its address, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    child: Option<Child>,
    env: Vec<(String, String)>,
    data_dir: String,
    log: PathBuf,
}

impl ServiceProcess {
    /// Starts `name` with `env` and waits until it announces itself (migrated and SERVING).
    pub async fn start(name: &str, data_dir: &str, env: Vec<(String, String)>) -> ServiceProcess {
        let log = PathBuf::from(data_dir).join(format!("{name}.log"));
        let mut process = ServiceProcess {
            name: name.to_string(),
            url: String::new(),
            child: None,
            env,
            data_dir: data_dir.to_string(),
            log,
        };
        process.spawn(&[]).await;
        process
    }

    async fn spawn(&mut self, extra: &[(String, String)]) {
        let file = aftersales_runtime::server::address_file(&self.data_dir, &self.name);
        let _ = std::fs::remove_file(&file);
        std::fs::create_dir_all(&self.data_dir).expect("data directory");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).expect("log file");
        let inherit = std::env::var("TEST_LOG").is_ok();
        let mut command = Command::new(binary(&self.name));
        command
            .envs(self.env.iter().cloned())
            .envs(extra.iter().cloned())
            .stdin(Stdio::null())
            .stdout(if inherit { Stdio::inherit() } else { Stdio::from(log.try_clone().expect("log")) })
            .stderr(if inherit { Stdio::inherit() } else { Stdio::from(log) })
            .kill_on_drop(true);
        let mut child = command.spawn().expect("spawn service binary");
        // Bounded wait for the announcement; fails fast if the process dies.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(url) = std::fs::read_to_string(&file) {
                self.url = url.trim().to_string();
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("{} exited during start-up ({status}):\n{}", self.name, self.log_text());
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} did not start in 60 s:\n{}",
                self.name,
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.child = Some(child);
    }

    /// The log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A channel to the service.
    pub async fn channel(&self) -> Channel {
        Channel::from_shared(self.url.clone()).expect("url").connect().await.expect("connect")
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        if let Some(pid) = child.id() {
            let _ = Command::new("kill").arg("-TERM").arg(pid.to_string()).status().await;
        }
        tokio::time::timeout(Duration::from_secs(30), child.wait()).await.expect("exit after SIGTERM").expect("wait")
    }

    /// Kills the process at once (SIGKILL), like a crash.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    /// Waits for the process to end on its own (e.g. at an armed failpoint).
    pub async fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        tokio::time::timeout(within, child.wait()).await.expect("process did not exit").expect("wait")
    }

    /// Starts the same service again (same databases), with `extra` environment on top of the original.
    pub async fn restart(&mut self, extra: &[(String, String)]) {
        self.kill().await;
        self.spawn(extra).await;
    }
}

/// Options for starting a suite.
#[derive(Debug, Default, Clone)]
pub struct SuiteOptions {
    /// Environment for every service.
    pub env: Vec<(String, String)>,
    /// Environment for one service.
    pub per_service: BTreeMap<String, Vec<(String, String)>>,
}

impl SuiteOptions {
    /// Adds a variable for every service.
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Adds a variable for one service.
    pub fn with_for(mut self, service: &str, key: &str, value: &str) -> Self {
        self.per_service.entry(service.to_string()).or_default().push((key.to_string(), value.to_string()));
        self
    }
}

/// Several services of one test, sharing a data directory (dev keys, address files).
#[derive(Debug)]
pub struct Suite {
    /// The test's databases.
    pub db: TestDb,
    /// Running services by name.
    pub services: BTreeMap<String, ServiceProcess>,
    /// The fake workshop feed reception follows when the suite runs no workshop and the test gave none.
    pub fake_workshop: Option<FakeFeed>,
    /// The fake parts feed reception follows when the suite runs no parts and the test gave none (a test that signs
    /// a settlement publishes the order's RequisitionsClosed on it).
    pub fake_parts: Option<FakeFeed>,
}

impl Suite {
    /// Starts `names` on `backend`; `None` when PostgreSQL is unavailable outside CI.
    ///
    /// With reception, the suite starts with the fixtures' catalogue operation in reception's copy of workshop's
    /// catalogue (see [`crate::catalogue`]): created in workshop when the suite runs it; else published on a fake
    /// workshop feed unless the test gives reception its own (which must then publish it, `catalogue::publish`).
    /// Without parts, reception follows a fake parts feed ([`Suite::fake_parts`]).
    pub async fn start(backend: Backend, names: &[&str], mut options: SuiteOptions) -> Option<Suite> {
        let db = TestDb::new(backend).await?;
        let mut suite = Suite { db, services: BTreeMap::new(), fake_workshop: None, fake_parts: None };
        let with_reception = names.contains(&"reception");
        let with_workshop = names.contains(&"workshop");
        let own_feed = |options: &SuiteOptions, peer: &str| {
            options.per_service.get("reception").into_iter().flatten().any(|(k, _)| k == peer)
        };
        if with_reception && !with_workshop && !own_feed(&options, WORKSHOP_PEER) {
            let (feed, url) = FakeFeed::serve("job").await;
            catalogue::publish(&feed);
            options = options.with_for("reception", WORKSHOP_PEER, &url);
            suite.fake_workshop = Some(feed);
        }
        if with_reception && !names.contains(&"parts") && !own_feed(&options, PARTS_PEER) {
            let (feed, url) = FakeFeed::serve("repair_order").await;
            options = options.with_for("reception", PARTS_PEER, &url);
            suite.fake_parts = Some(feed);
        }
        for name in names {
            let env = suite.env_for(name, &options).await;
            let process = ServiceProcess::start(name, &suite.db.data_dir(), env).await;
            suite.services.insert(name.to_string(), process);
        }
        if with_reception {
            if with_workshop {
                catalogue::stock_workshop(suite.services["workshop"].channel().await, &suite.data_dir()).await;
            }
            catalogue::wait_for_copy(suite.services["reception"].channel().await, &suite.data_dir()).await;
        }
        Some(suite)
    }

    /// The environment a service of this suite runs with.
    pub async fn env_for(&self, name: &str, options: &SuiteOptions) -> Vec<(String, String)> {
        let mut env = vec![
            ("AFTERSALES_ENV".to_string(), "test".to_string()),
            ("AFTERSALES__DATA_DIR".to_string(), self.db.data_dir()),
            ("AFTERSALES__SERVER__PORT".to_string(), "0".to_string()),
            ("AFTERSALES__DATABASE__URL".to_string(), self.db.url_for(name).await),
            ("AFTERSALES__TELEMETRY__FORMAT".to_string(), "json".to_string()),
            ("AFTERSALES__FEEDS__RECONNECT_MIN_MS".to_string(), "20".to_string()),
            ("AFTERSALES__FEEDS__RECONNECT_MAX_MS".to_string(), "500".to_string()),
            ("RUST_LOG".to_string(), "info".to_string()),
        ];
        for peer in ALL {
            env.push((format!("AFTERSALES__PEERS__{}", peer.to_uppercase()), String::new()));
        }
        env.extend(options.env.iter().cloned());
        env.extend(options.per_service.get(name).into_iter().flatten().cloned());
        env
    }

    /// A running service.
    pub fn service(&mut self, name: &str) -> &mut ServiceProcess {
        self.services.get_mut(name).unwrap_or_else(|| panic!("{name} is not part of this suite"))
    }

    /// The data directory (dev keys live under it).
    pub fn data_dir(&self) -> String {
        self.db.data_dir()
    }

    /// Moves every service's manual clock forward by `by`, in lockstep (as the OEM's manager).
    pub async fn advance(&self, by: std::time::Duration) {
        use aftersales_proto::common::v1::AdvanceClockRequest;
        use aftersales_proto::common::v1::clock_admin_service_client::ClockAdminServiceClient;
        let token = crate::Caller::role("oem_manager").token(&self.data_dir());
        for service in self.services.values() {
            let mut admin =
                ClockAdminServiceClient::with_interceptor(service.channel().await, crate::Bearer(Some(token.clone())));
            let by = prost_types::Duration { seconds: by.as_secs() as i64, nanos: 0 };
            admin.advance_clock(AdvanceClockRequest { by: Some(by) }).await.expect("advance the clock");
        }
    }
}
