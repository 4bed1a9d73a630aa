//! Each service in-process: the listener bound on port 0 and handed to the server, health watched until SERVING
//! (no sleeps), reflection listing the service's own package, and a clean stop.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use aftersales_e2e::probe;
use aftersales_runtime::Settings;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

type Serve = fn(
    Settings,
    TcpListener,
    Pin<Box<dyn Future<Output = ()> + Send>>,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

fn services() -> Vec<(&'static str, Serve)> {
    vec![
        ("reception", |s, l, stop| Box::pin(aftersales_reception::serve(s, l, stop))),
        ("workshop", |s, l, stop| Box::pin(aftersales_workshop::serve(s, l, stop))),
        ("parts", |s, l, stop| Box::pin(aftersales_parts::serve(s, l, stop))),
        ("escalation", |s, l, stop| Box::pin(aftersales_escalation::serve(s, l, stop))),
        ("supplier", |s, l, stop| Box::pin(aftersales_supplier::serve(s, l, stop))),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn every_service_runs_in_process_on_a_handed_over_listener() {
    for (name, serve) in services() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().display().to_string();
        let env = HashMap::from([
            ("AFTERSALES__DATA_DIR".to_string(), data.clone()),
            ("AFTERSALES__DATABASE__URL".to_string(), format!("sqlite://{data}/{name}.db?mode=rwc")),
        ]);
        let settings = Settings::load_from(name, Some(env)).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            settings,
            listener,
            Box::pin(async move {
                let _ = stopped.await;
            }),
        ));

        // The listener is bound, so connecting needs no retry; health Watch streams until SERVING.
        let channel = tonic::transport::Channel::from_shared(address).unwrap().connect().await.unwrap();
        let mut updates = HealthClient::new(channel.clone())
            .watch(HealthCheckRequest { service: String::new() })
            .await
            .unwrap()
            .into_inner();
        while let Some(update) = updates.message().await.unwrap() {
            if update.status() == ServingStatus::Serving {
                break;
            }
        }
        let listed = probe::reflection_v1(channel.clone()).await;
        assert!(listed.iter().any(|s| s.starts_with(&format!("aftersales.{name}.v1."))), "{name}: {listed:?}");

        // A health Watch stream never ends by itself: close it (and the connection), or the graceful stop would
        // wait out its whole grace period for this call in flight.
        drop((updates, channel));
        stop.send(()).unwrap();
        server.await.unwrap().unwrap_or_else(|e| panic!("{name} stopped with {e:#}"));
    }
}
