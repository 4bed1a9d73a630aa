//! `StockCountService` over gRPC.

use aftersales_kernel::PartNumber;
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::stock_count_service_server::StockCountService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::{Counted, Parts};
use crate::convert;
use crate::domain::stock::{BatchCode, BinCode};

/// Who starts, posts and cancels counts.
const MANAGERS: &[Role] = &[Role::DealerManager];
/// Who counts.
const COUNTERS: &[Role] = &[Role::PartsClerk, Role::DealerManager];
/// Who reads counts.
const READERS: &[Role] = &Role::STAFF;
/// Most bins of one count.
const BINS_MAX: usize = 200;
/// Largest count of one lot, hundredths.
const QUANTITY_MAX: i64 = 10_000_000;

/// The gRPC face of stock counts.
#[derive(Clone, Debug)]
pub struct StockCountApi {
    app: Parts,
}

impl StockCountApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

fn count_id(check: &mut Check, raw: &str) -> Option<uuid::Uuid> {
    check.parse("count_id", uuid::Uuid::try_parse(raw))
}

#[tonic::async_trait]
impl StockCountService for StockCountApi {
    async fn start_count(&self, request: Request<pb::StartCountRequest>) -> Result<Response<pb::StockCount>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        if r.bins.is_empty() || r.bins.len() > BINS_MAX {
            check.fail("bins", format!("must list 1 to {BINS_MAX} bins"));
        }
        let bins: Vec<Option<BinCode>> =
            r.bins.iter().enumerate().map(|(i, b)| check.parse(&format!("bins[{i}]"), BinCode::parse(b))).collect();
        let (request_id, warehouse, bins) =
            check.finish_with(|| Some((request_id?, warehouse?, bins.into_iter().collect::<Option<Vec<_>>>()?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "StartCount", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.start_count(&key, &caller, dealer, warehouse, bins).await?))
    }

    async fn record_count(&self, request: Request<pb::RecordCountRequest>) -> Result<Response<pb::StockCount>, Status> {
        let caller = principal(&request)?;
        caller.require(COUNTERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = count_id(&mut check, &r.count_id);
        let bin = check.parse("bin", BinCode::parse(&r.bin));
        let part_number = check.parse("part_number", PartNumber::parse(&r.part_number));
        let batch = check.parse("batch", BatchCode::parse(&r.batch));
        let quantity = check.range("counted_hundredths", r.counted_hundredths, 0, QUANTITY_MAX);
        let (request_id, id, counted) = check.finish_with(|| {
            Some((
                request_id?,
                id?,
                Counted { bin: bin?, part_number: part_number?, batch: batch?, quantity: quantity? },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "RecordCount", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_count(&key, &caller, id, counted).await?))
    }

    async fn post_count(&self, request: Request<pb::PostCountRequest>) -> Result<Response<pb::StockCount>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = count_id(&mut check, &r.count_id);
        let (request_id, id) = check.finish_with(|| Some((request_id?, id?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "PostCount", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.post_count(&key, &caller, id).await?))
    }

    async fn cancel_count(&self, request: Request<pb::CancelCountRequest>) -> Result<Response<pb::StockCount>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = count_id(&mut check, &r.count_id);
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, id, reason) = check.finish_with(|| Some((request_id?, id?, reason?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CancelCount", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.cancel_count(&key, &caller, id, &reason).await?))
    }

    async fn get_count(&self, request: Request<pb::GetCountRequest>) -> Result<Response<pb::StockCount>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::stock_count(&self.app.count(&caller, id).await?)))
    }
}
