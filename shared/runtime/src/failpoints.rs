//! Named points in the code where a crash test can kill the process at exactly the moment it means to.
//!
//! Compiled in always and inert unless `failpoints.abort` lists the point's name: then reaching it aborts the
//! process (no unwinding, no destructors, no flushing), as a power cut or an OOM kill would.

use std::collections::BTreeSet;
use std::sync::OnceLock;

static ARMED: OnceLock<BTreeSet<String>> = OnceLock::new();

/// Arms the named points for the rest of the process. Called once at start-up; later calls are ignored.
pub fn arm(names: &[String]) {
    let _ = ARMED.set(names.iter().cloned().collect());
}

/// Aborts the process if the point `name` is armed.
pub fn hit(name: &str) {
    if ARMED.get().is_some_and(|armed| armed.contains(name)) {
        eprintln!("failpoint {name}: aborting the process");
        std::process::abort();
    }
}

/// Points the suite defines, so configuration can be checked against them.
pub const KNOWN: &[&str] = &[
    // A consumer applied an event and is about to commit its transaction.
    "consumer.before_commit",
    // A consumer committed an applied event (and its cursor).
    "consumer.after_commit",
    // A producer committed a state change with its events, before waking the relay and streams.
    "producer.after_commit",
];
