//! The supplier service over real gRPC: served on port 0, a fresh SQLite database per test, real tokens.

mod create;
mod helpers;
mod read;
mod status;
