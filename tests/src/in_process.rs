//! One service inside the test process, for a service's own API tests: a fresh data directory and database
//! (SQLite, or a fresh PostgreSQL database when `AFTERSALES_TEST_DATABASE_URL` is set), the listener bound on port
//! 0 and handed to the server, and health watched until SERVING (no sleeps, no retries on UNAVAILABLE).

use std::future::Future;
use std::pin::Pin;

use aftersales_runtime::Settings;
use aftersales_runtime::auth::keys::{dev_service_key_path, dev_user_key_path, load_or_create, private_pem};
use tokio::net::TcpListener;
use tonic::transport::Channel;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::db::{Backend, TestDb};

/// What a service crate's `serve` is called with.
pub type Shutdown = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A service running in this process; dropping it stops the service.
pub struct InProcess {
    /// A channel to it.
    pub channel: Channel,
    /// Its URL, e.g. `http://127.0.0.1:40123` (for clients that connect themselves).
    pub address: String,
    /// Its data directory (dev keys).
    pub data_dir: String,
    _db: TestDb,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl InProcess {
    /// Starts `service` with `serve` (the service crate's `serve`), `env` on top of the test defaults.
    pub async fn start<F, Fut>(service: &str, env: &[(&str, &str)], serve: F) -> InProcess
    where
        F: FnOnce(Settings, TcpListener, Shutdown) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let db = match std::env::var("AFTERSALES_TEST_DATABASE_URL") {
            Ok(_) => TestDb::new(Backend::Postgres).await.unwrap_or_else(TestDb::sqlite),
            Err(_) => TestDb::sqlite(),
        };
        let data_dir = db.data_dir();
        let mut environment: std::collections::HashMap<String, String> =
            [("AFTERSALES_ENV", "test"), ("AFTERSALES__TELEMETRY__LEVEL", "warn")]
                .into_iter()
                .chain(env.iter().copied())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        environment.insert("AFTERSALES__DATA_DIR".into(), data_dir.clone());
        environment.insert("AFTERSALES__DATABASE__URL".into(), db.url_for(service).await);
        let settings = Settings::load_from(service, Some(environment)).expect("settings");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = serve(
            settings,
            listener,
            Box::pin(async move {
                let _ = stopped.await;
            }),
        );
        tokio::spawn(running);
        // The listener is bound, so connecting needs no retry; the health Watch stream reports SERVING once
        // migrations are done.
        let channel = Channel::from_shared(address.clone()).expect("url").connect().await.expect("connect");
        let mut updates = HealthClient::new(channel.clone())
            .watch(HealthCheckRequest { service: String::new() })
            .await
            .expect("health watch")
            .into_inner();
        while let Some(update) = updates.message().await.expect("health update") {
            if update.status() == ServingStatus::Serving {
                break;
            }
        }
        InProcess { channel, address, data_dir, _db: db, _stop: stop }
    }

    /// The dev user-token key the service trusts (PKCS#8 PEM).
    pub fn user_key(&self) -> String {
        private_pem(&load_or_create(&dev_user_key_path(&self.data_dir)).expect("dev user key"))
    }

    /// The dev key of service `name` (PKCS#8 PEM).
    pub fn service_key(&self, name: &str) -> String {
        private_pem(&load_or_create(&dev_service_key_path(&self.data_dir, name)).expect("dev service key"))
    }
}
