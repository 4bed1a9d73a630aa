//! `aftersales events list|follow <service>`: a service's event feed, one line per event (sequence, occurred-at,
//! type, tenant, aggregate), or one JSON object per line with `--json` (the payload only as its type and size).
//!
//! `follow` resumes after the last sequence it printed when the stream breaks (a restarted service delays the
//! feed, it does not end it) and stops on Ctrl-C or when the output is closed.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use aftersales_proto::common::v1::event_feed_service_client::EventFeedServiceClient;
use aftersales_proto::common::v1::{EventEnvelope, ListEventsRequest, TenantKind, WatchEventsRequest};
use aftersales_runtime::auth::Role;
use tonic::Code;

use super::Outcome;
use super::token::CallerArgs;
use crate::connect::{self, Global, Target};
use crate::output::{self, Failure};

/// Arguments of `aftersales events`.
#[derive(clap::Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    caller: CallerArgs,
    #[command(subcommand)]
    command: EventsCommand,
}

#[derive(clap::Subcommand, Debug)]
enum EventsCommand {
    /// One page of events after --after.
    List {
        /// Whose feed.
        #[arg(value_parser = connect::service_names())]
        service: String,
        /// Start after this sequence (0: from the beginning).
        #[arg(long, default_value_t = 0)]
        after: u64,
        /// Events in the page, 1..=1000.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i32).range(1..=1000))]
        limit: i32,
    },
    /// Every event after --after, then each new one as it commits (until Ctrl-C).
    Follow {
        /// Whose feed.
        #[arg(value_parser = connect::service_names())]
        service: String,
        /// Start after this sequence (0: from the beginning).
        #[arg(long, default_value_t = 0)]
        after: u64,
    },
}

/// Runs `events list` or `events follow`.
pub async fn run(global: &Global, args: EventsArgs) -> Outcome {
    match args.command {
        EventsCommand::List { service, after, limit } => {
            let target = global.target(&service)?;
            let token = args.caller.token(global, Role::OemManager)?;
            let mut feed = EventFeedServiceClient::new(connect::authed(&target, &token, true).await?);
            let page = feed
                .list_events(ListEventsRequest { after_sequence: after, page_size: limit })
                .await
                .map_err(Failure::call(&target))?
                .into_inner();
            for event in &page.events {
                print(global, event);
            }
            if !global.json {
                let last = page.events.last().map_or(after, |e| e.sequence);
                let more =
                    if last < page.head_sequence { format!("; more with --after {last}") } else { String::new() };
                let count = page.events.len();
                let noun = if count == 1 { "event" } else { "events" };
                eprintln!("({count} {noun}; head sequence {}{more})", page.head_sequence);
            }
            Ok(ExitCode::SUCCESS)
        }
        EventsCommand::Follow { service, after } => {
            let target = global.target(&service)?;
            tokio::select! {
                outcome = follow(global, &args.caller, &target, after) => outcome,
                _ = tokio::signal::ctrl_c() => Ok(ExitCode::SUCCESS),
            }
        }
    }
}

/// Streams the feed; reconnects with backoff after the first successful connection.
async fn follow(global: &Global, caller: &CallerArgs, target: &Target, mut after: u64) -> Outcome {
    const MIN_BACKOFF: Duration = Duration::from_millis(250);
    const MAX_BACKOFF: Duration = Duration::from_secs(5);
    let mut backoff = MIN_BACKOFF;
    let mut connected_once = false;
    loop {
        // Minted per connection, so a long follow outlives any one dev token.
        let token = caller.token(global, Role::OemManager)?;
        let stream = match connect::authed(target, &token, false).await {
            Ok(channel) => EventFeedServiceClient::new(channel)
                .watch_events(WatchEventsRequest { after_sequence: after })
                .await
                .map_err(Failure::call(target)),
            Err(failure) => Err(failure),
        };
        let mut stream = match stream {
            Ok(response) => response.into_inner(),
            Err(failure) if connected_once && retryable(&failure) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
            Err(failure) => return Err(failure),
        };
        connected_once = true;
        loop {
            match stream.message().await {
                Ok(Some(message)) => {
                    backoff = MIN_BACKOFF;
                    if let Some(event) = message.event {
                        after = event.sequence;
                        if !print(global, &event) {
                            return Ok(ExitCode::SUCCESS);
                        }
                    }
                }
                Ok(None) => {
                    eprintln!("note: {target} ended the stream; resuming after {after}");
                    break;
                }
                Err(status)
                    if matches!(
                        status.code(),
                        Code::Unavailable | Code::Unknown | Code::Internal | Code::Cancelled
                    ) =>
                {
                    eprintln!(
                        "note: {target} disconnected ({}); resuming after {after}",
                        output::code_name(status.code())
                    );
                    break;
                }
                Err(status) => return Err(Failure::call(target)(status)),
            }
        }
        tokio::time::sleep(backoff).await;
    }
}

/// A service that is down or restarting is worth waiting for; a refused token or bad request is not.
fn retryable(failure: &Failure) -> bool {
    match failure {
        Failure::Down { .. } => true,
        Failure::Call { status, .. } => status.code() == Code::Unavailable,
        _ => false,
    }
}

/// Prints one event; false once the output is closed.
fn print(global: &Global, event: &EventEnvelope) -> bool {
    let payload_type =
        event.payload.as_ref().map(|any| any.type_url.rsplit('/').next().unwrap_or_default().to_string());
    if global.json {
        let tenant_kind = TenantKind::try_from(event.tenant_kind)
            .map(|k| output::short_name(k.as_str_name(), "TENANT_KIND_"))
            .unwrap_or_else(|_| event.tenant_kind.to_string());
        let payload =
            event.payload.as_ref().map(|any| serde_json::json!({ "type": payload_type, "bytes": any.value.len() }));
        let row = serde_json::json!({
            "sequence": event.sequence,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "occurred_at": output::time(event.occurred_at.as_ref()),
            "tenant_kind": tenant_kind,
            "tenant_id": event.tenant_id,
            "aggregate_type": event.aggregate_type,
            "aggregate_id": event.aggregate_id,
            "traceparent": event.traceparent,
            "payload": payload,
        });
        output::line(&row.to_string())
    } else {
        let tenant = if event.tenant_id.is_empty() { "-" } else { event.tenant_id.as_str() };
        output::line(&format!(
            "{:>6}  {}  {}  {tenant}  {}/{}",
            event.sequence,
            output::time(event.occurred_at.as_ref()),
            event.event_type,
            event.aggregate_type,
            event.aggregate_id
        ))
    }
}
