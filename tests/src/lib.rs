//! Support for the suite's end-to-end tests: fresh databases, the real service binaries on port 0, dev tokens,
//! and authenticated clients.
//!
//! # Layout
//! - [`db`]: a fresh SQLite directory or PostgreSQL database per test and service.
//! - [`process`]: starting, stopping and killing the built service binaries.
//! - [`auth`]: dev tokens for any role and tenant, and a bearer interceptor.
//! - [`catalogue`]: the catalogue operation the fixtures' estimates use, in workshop and in reception's copy.
//! - [`reception`]: waiting for orders to reach what reception learns from workshop's feed.
//! - [`stock`]: a dealer's parts store (warehouse, bins, a catalogue part, stock) and its clients.
//! - [`workshop`]: a dealer's workshop crew (foreman, technician, inspector) driving jobs through their life.
//! - [`wait`]: waiting on conditions without sleeps where a signal exists (health Watch), bounded polls elsewhere.
#![forbid(unsafe_code)]

pub mod auth;
pub mod catalogue;
pub mod clients;
pub mod collector;
pub mod db;
pub mod directory;
pub mod expect;
pub mod fake_feed;
pub mod fixtures;
pub mod in_process;
pub mod probe;
pub mod process;
pub mod reception;
pub mod stock;
pub mod wait;
pub mod workshop;

pub use auth::{Bearer, Caller};
pub use db::{Backend, TestDb};
pub use process::{ServiceProcess, Suite, SuiteOptions};
