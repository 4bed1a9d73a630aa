//! Escalation's API tests: a real server per test (fresh SQLite file, manual clock), called over gRPC with tokens
//! per role. One binary for all of them, so the crate links once.

mod create;
mod emergency;
mod handling;
mod read;
mod reports;
mod resolution;
mod support;
mod waiver;
