//! The supplier service over real gRPC: served on port 0, a fresh SQLite database per test, real tokens.

mod claim_stream;
mod claims;
mod create;
mod helpers;
mod personal_data;
mod read;
mod scorecards;
mod status;
mod supplied_parts;
