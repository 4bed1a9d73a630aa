//! Parts over real gRPC: a served catalogue on port 0, a fresh SQLite database per test (PostgreSQL when
//! `AFTERSALES_TEST_DATABASE_URL` is set), real tokens; the supplier list followed from a fake supplier feed.

mod create;
mod helpers;
mod read;
mod suppliers;
