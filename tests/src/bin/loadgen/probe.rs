//! What a phase cost, measured rather than guessed: CPU time of the load generator, the service processes and
//! the PostgreSQL backends of the services' databases (from `/proc`), how busy the machine was and who else used
//! it, and what those backends were doing (sampled from `pg_stat_activity` every 20 ms).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::Connection;

use crate::procfs;

/// What to watch during a phase.
#[derive(Clone, Default)]
pub struct Probe {
    /// Processes by label (the load generator itself is always watched).
    pub procs: Vec<(String, u32)>,
    /// Admin URL and (label, database name) pairs: backends' CPU and states.
    pub activity: Option<(String, Vec<(String, String)>)>,
}

/// What a phase cost.
#[derive(Clone, Debug, Default)]
pub struct Usage {
    /// CPU per successful call, µs, by label.
    pub cpu_per_call: Vec<(String, f64)>,
    /// Average busy cores of the machine.
    pub busy_cores: f64,
    /// Of which interrupts and softirqs (loopback TCP, disk), charged to no process.
    pub irq_cores: f64,
    /// The largest other users of the machine (by command name), in cores.
    pub others: Vec<(String, f64)>,
    /// Average number of backends per "database: state wait" key.
    pub backends: Vec<(String, f64)>,
}

type Sampler = (tokio::task::JoinHandle<(u64, BTreeMap<String, u64>)>, Arc<AtomicBool>);

/// A running measurement.
pub struct Watch {
    labels: Vec<(u32, String)>,
    activity: Option<(String, Vec<(String, String)>)>,
    at: Instant,
    procs: HashMap<u32, (String, u64)>,
    machine: (u64, u64),
    sampler: Option<Sampler>,
}

impl Probe {
    /// Starts measuring.
    pub async fn begin(&self) -> Watch {
        let mut labels = vec![(std::process::id(), "loadgen".to_string())];
        labels.extend(self.procs.iter().map(|(label, pid)| (*pid, label.clone())));
        if let Some((admin, dbs)) = &self.activity {
            labels.extend(backends(admin, dbs).await);
        }
        let sampler = self.activity.clone().map(|(admin, dbs)| {
            let stop = Arc::new(AtomicBool::new(false));
            (tokio::spawn(sample_activity(admin, dbs, stop.clone())), stop)
        });
        Watch {
            labels,
            activity: self.activity.clone(),
            at: Instant::now(),
            procs: procfs::all(),
            machine: procfs::machine(),
            sampler,
        }
    }
}

impl Watch {
    /// Stops measuring; `calls` successful calls were made meanwhile.
    pub async fn end(mut self, calls: u64) -> Usage {
        let (procs, machine) = (procfs::all(), procfs::machine());
        let seconds = self.at.elapsed().as_secs_f64().max(1e-3);
        if let Some((admin, dbs)) = &self.activity {
            // Backends that connected during the window count from zero.
            self.labels.extend(backends(admin, dbs).await);
        }
        let hz = procfs::ticks_per_second();
        let used = |pid: &u32| {
            let after = procs.get(pid).map(|p| p.1).unwrap_or(0);
            after.saturating_sub(self.procs.get(pid).map(|p| p.1).unwrap_or(0))
        };
        let mut ours: Vec<(String, u64)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (pid, label) in &self.labels {
            if !seen.insert(*pid) {
                continue;
            }
            match ours.iter_mut().find(|(l, _)| l == label) {
                Some(entry) => entry.1 += used(pid),
                None => ours.push((label.clone(), used(pid))),
            }
        }
        // Processes first, then the databases' backends by name.
        ours.sort_by_key(|(label, _)| if label.starts_with("pg ") { (1, label.clone()) } else { (0, String::new()) });
        let calls = calls.max(1) as f64;
        let cpu_per_call = ours.into_iter().map(|(l, t)| (l, t as f64 / hz * 1e6 / calls)).collect();
        let mut others: BTreeMap<String, u64> = BTreeMap::new();
        for (pid, (name, _)) in &procs {
            if !seen.contains(pid) {
                *others.entry(name.clone()).or_default() += used(pid);
            }
        }
        let mut others: Vec<(String, f64)> =
            others.into_iter().map(|(name, t)| (name, t as f64 / hz / seconds)).filter(|(_, c)| *c >= 0.01).collect();
        others.sort_by(|a, b| b.1.total_cmp(&a.1));
        others.truncate(4);
        let busy_cores = machine.0.saturating_sub(self.machine.0) as f64 / hz / seconds;
        let irq_cores = machine.1.saturating_sub(self.machine.1) as f64 / hz / seconds;
        let mut backends = Vec::new();
        if let Some((task, stop)) = self.sampler.take() {
            stop.store(true, Ordering::Relaxed);
            if let Ok((samples, counts)) = task.await
                && samples > 0
            {
                backends = counts.into_iter().map(|(k, n)| (k, n as f64 / samples as f64)).collect();
                backends.sort_by(|a, b| b.1.total_cmp(&a.1));
            }
        }
        Usage { cpu_per_call, busy_cores, irq_cores, others, backends }
    }
}

/// The pid of a service we started (for its CPU time).
pub fn pid_of(service: &aftersales_e2e::ServiceProcess) -> Option<u32> {
    let exe = aftersales_e2e::process::binary(&service.name);
    procfs::child_running(&std::fs::canonicalize(&exe).unwrap_or(exe))
}

/// Backends connected to the databases, labelled "pg <label> db".
async fn backends(admin: &str, dbs: &[(String, String)]) -> Vec<(u32, String)> {
    let Ok(mut conn) = sqlx::PgConnection::connect(admin).await else {
        return Vec::new();
    };
    let names: Vec<String> = dbs.iter().map(|(_, name)| name.clone()).collect();
    let rows: Vec<(i32, String)> =
        sqlx::query_as("SELECT pid, datname::text FROM pg_stat_activity WHERE datname = ANY($1)")
            .bind(&names)
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default();
    let _ = conn.close().await;
    rows.into_iter()
        .filter_map(|(pid, db)| {
            let label = &dbs.iter().find(|(_, name)| *name == db)?.0;
            Some((pid as u32, format!("pg {label} db")))
        })
        .collect()
}

async fn sample_activity(
    admin: String,
    dbs: Vec<(String, String)>,
    stop: Arc<AtomicBool>,
) -> (u64, BTreeMap<String, u64>) {
    let mut counts = BTreeMap::new();
    let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await else {
        return (0, counts);
    };
    let names: Vec<String> = dbs.iter().map(|(_, name)| name.clone()).collect();
    let mut samples = 0;
    while !stop.load(Ordering::Relaxed) {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT datname::text, COALESCE(state, '?') || COALESCE(' ' || wait_event_type || ':' || wait_event, ''), \
             count(*) FROM pg_stat_activity WHERE datname = ANY($1) GROUP BY 1, 2",
        )
        .bind(&names)
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
        samples += 1;
        for (db, state, n) in rows {
            let label = dbs.iter().find(|(_, name)| *name == db).map(|(l, _)| l.as_str()).unwrap_or("?");
            *counts.entry(format!("{label}: {state}")).or_insert(0) += n as u64;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = conn.close().await;
    (samples, counts)
}
