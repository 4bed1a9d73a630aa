//! `aftersales orders create|get|list|approve`: repair orders at reception, as service_advisor of `--dealer` by
//! default. Every create and approve carries a fresh request id (UUIDv7) unless `--request-id` repeats one, so a
//! retried command is answered with the first result instead of a second order.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use aftersales_kernel::Currency;
use aftersales_proto::common::v1::{Money, PageRequest};
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use aftersales_proto::reception::v1::{
    self as pb, ApproveEstimateRequest, ConsentChannel, CreateRepairOrderRequest, DeclinedLine, GetRepairOrderRequest,
    LineRequirement, ListRepairOrdersRequest, NewRepairOrderLine, RepairOrderState,
};
use aftersales_runtime::auth::Role;

use super::orders_view as view;
use super::token::CallerArgs;
use super::{Outcome, call, request_id};
use crate::connect::{self, Authed, Global, Target};
use crate::output::{self, Failure};
use crate::parse::{self, LineSpec};

/// Arguments of `aftersales orders`.
#[derive(clap::Args, Debug)]
pub struct OrdersArgs {
    #[command(flatten)]
    caller: CallerArgs,
    #[command(subcommand)]
    command: OrdersCommand,
}

#[derive(clap::Subcommand, Debug)]
enum OrdersCommand {
    /// Open a repair order with its estimate (version 1).
    Create(CreateArgs),
    /// Show one order, with its line ids.
    Get {
        /// Order id.
        id: String,
    },
    /// List orders, newest first.
    List {
        /// Only orders in this state.
        #[arg(long, value_parser = view::ORDER_STATES)]
        state: Option<String>,
        /// Orders per page, 1..=500.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i32).range(1..=500))]
        limit: i32,
        /// Page token printed by the previous page.
        #[arg(long, default_value = "")]
        page_token: String,
    },
    /// Record the customer's consent to an estimate version.
    Approve(ApproveArgs),
}

#[derive(clap::Args, Debug)]
struct CreateArgs {
    /// The check-in the order is for: its car and reading are taken (then --vin and --mileage may be left out).
    #[arg(long, default_value = "")]
    check_in: String,
    /// Vehicle identification number (17 characters); required without --check-in.
    #[arg(long, default_value = "")]
    vin: String,
    /// Odometer at check-in, km; required without --check-in.
    #[arg(long, default_value_t = 0)]
    mileage: i64,
    /// The customer's description of the fault.
    #[arg(long)]
    fault: String,
    /// Car will not start or is unsafe: the job goes first.
    #[arg(long)]
    urgent: bool,
    /// When the car is promised back, in hours from now.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(i64).range(1..=8760))]
    promised_in_hours: i64,
    /// Required labour line CODE:HOURS:RATE, e.g. ENG-0420:1.5:80.00 (repeatable).
    #[arg(long, value_name = "CODE:HOURS:RATE", value_parser = parse::labour)]
    labour: Vec<LineSpec>,
    /// Optional labour line the customer may decline (repeatable).
    #[arg(long, value_name = "CODE:HOURS:RATE", value_parser = parse::labour)]
    optional_labour: Vec<LineSpec>,
    /// Required part line PARTNO:QTY:UNIT_PRICE, e.g. A-1001:2:19.99 (repeatable).
    #[arg(long, value_name = "PARTNO:QTY:PRICE", value_parser = parse::part)]
    part: Vec<LineSpec>,
    /// Optional part line the customer may decline (repeatable).
    #[arg(long, value_name = "PARTNO:QTY:PRICE", value_parser = parse::part)]
    optional_part: Vec<LineSpec>,
    /// Currency of every price.
    #[arg(long, default_value = "EUR", value_parser = parse::currency)]
    currency: Currency,
    /// Idempotency key; repeat a failed command's to retry it safely (default: a fresh UUIDv7).
    #[arg(long)]
    request_id: Option<String>,
}

#[derive(clap::Args, Debug)]
struct ApproveArgs {
    /// Order id.
    id: String,
    /// Name of the person consenting.
    #[arg(long)]
    by: String,
    /// How consent was given.
    #[arg(long, value_enum, default_value_t = Channel::InPerson)]
    channel: Channel,
    /// Signature or call reference (required unless --channel phone).
    #[arg(long, default_value = "")]
    signature: String,
    /// The estimate version the customer saw.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(i32).range(1..))]
    version: i32,
    /// An optional line the customer declines, LINE_ID=REASON (repeatable).
    #[arg(long, value_name = "LINE_ID=REASON", value_parser = parse::decline)]
    decline: Vec<(String, String)>,
    /// Idempotency key (default: a fresh UUIDv7).
    #[arg(long)]
    request_id: Option<String>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy)]
enum Channel {
    InPerson,
    Phone,
    App,
}

/// Runs one `orders` subcommand.
pub async fn run(global: &Global, args: OrdersArgs) -> Outcome {
    let target = global.target("reception")?;
    let token = args.caller.token(global, Role::ServiceAdvisor)?;
    let mut orders = RepairOrderServiceClient::new(connect::authed(&target, &token, true).await?);
    let order = match args.command {
        OrdersCommand::Create(create) => {
            let request = create_request(create)?;
            call(&target, orders.create_repair_order(request).await)?
        }
        OrdersCommand::Get { id } => call(&target, orders.get_repair_order(GetRepairOrderRequest { id }).await)?,
        OrdersCommand::Approve(approve) => {
            let request = approve_request(approve);
            call(&target, orders.approve_estimate(request).await)?
        }
        OrdersCommand::List { state, limit, page_token } => {
            return list(global, &target, &mut orders, state, limit, page_token).await;
        }
    };
    if global.json {
        output::line(&view::order_json(&order).to_string());
    } else {
        output::line(&view::order_text(&order));
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(
    global: &Global,
    target: &Target,
    orders: &mut RepairOrderServiceClient<Authed>,
    state: Option<String>,
    limit: i32,
    page_token: String,
) -> Outcome {
    let state = match state {
        Some(name) => RepairOrderState::from_str_name(&format!("REPAIR_ORDER_STATE_{}", name.to_ascii_uppercase()))
            .ok_or_else(|| Failure::Usage(format!("unknown state {name:?}")))?,
        None => RepairOrderState::Unspecified,
    };
    let response = call(
        target,
        orders
            .list_repair_orders(ListRepairOrdersRequest {
                page: Some(PageRequest { page_size: limit, page_token }),
                dealer_id: String::new(),
                state: state as i32,
            })
            .await,
    )?;
    if global.json {
        for order in &response.repair_orders {
            output::line(&view::order_json(order).to_string());
        }
    } else {
        output::line(&view::orders_table(&response.repair_orders));
    }
    if let Some(next) = response.page.filter(|p| !p.next_page_token.is_empty()) {
        eprintln!("(more: --page-token {})", next.next_page_token);
    }
    Ok(ExitCode::SUCCESS)
}

fn create_request(args: CreateArgs) -> Result<CreateRepairOrderRequest, Failure> {
    let currency = args.currency;
    let money = |spec: &LineSpec| -> Result<Option<Money>, Failure> {
        let units_minor = spec.price.to_minor(currency).map_err(|e| Failure::Usage(format!("{}: {e}", spec.code)))?;
        Ok(Some(Money { currency_code: currency.to_string(), units_minor }))
    };
    let mut lines = Vec::new();
    for (specs, requirement) in
        [(&args.labour, LineRequirement::Required), (&args.optional_labour, LineRequirement::Optional)]
    {
        for spec in specs {
            lines.push(NewRepairOrderLine {
                item: Some(pb::new_repair_order_line::Item::Labour(pb::LabourItem {
                    operation_code: spec.code.clone(),
                    estimated_hours_hundredths: spec.amount.as_hundredths(),
                    hourly_rate: money(spec)?,
                })),
                requirement: requirement as i32,
            });
        }
    }
    for (specs, requirement) in
        [(&args.part, LineRequirement::Required), (&args.optional_part, LineRequirement::Optional)]
    {
        for spec in specs {
            lines.push(NewRepairOrderLine {
                item: Some(pb::new_repair_order_line::Item::Part(pb::PartItem {
                    part_number: spec.code.clone(),
                    quantity_hundredths: spec.amount.as_hundredths(),
                    unit_price: money(spec)?,
                })),
                requirement: requirement as i32,
            });
        }
    }
    let promised = chrono::Utc::now() + chrono::Duration::hours(args.promised_in_hours);
    Ok(CreateRepairOrderRequest {
        request_id: request_id(args.request_id),
        vin: args.vin,
        mileage_km: args.mileage,
        urgent: args.urgent,
        fault_description: args.fault,
        promised_at: Some(prost_types::Timestamp { seconds: promised.timestamp(), nanos: 0 }),
        lines,
        check_in_id: args.check_in,
    })
}

fn approve_request(args: ApproveArgs) -> ApproveEstimateRequest {
    let channel = match args.channel {
        Channel::InPerson => ConsentChannel::InPerson,
        Channel::Phone => ConsentChannel::Phone,
        Channel::App => ConsentChannel::App,
    };
    ApproveEstimateRequest {
        request_id: request_id(args.request_id),
        repair_order_id: args.id,
        estimate_version: args.version,
        consented_by: args.by,
        channel: channel as i32,
        signature_reference: args.signature,
        declined_lines: args.decline.into_iter().map(|(line_id, reason)| DeclinedLine { line_id, reason }).collect(),
    }
}
