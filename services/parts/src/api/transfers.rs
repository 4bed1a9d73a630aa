//! `TransferService` over gRPC.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::transfer_service_server::TransferService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::{Parts, Sending};
use crate::convert;
use crate::domain::stock::{BatchCode, BinCode};

/// Who sends and receives transfers.
const MOVERS: &[Role] = &[Role::PartsClerk, Role::DealerManager];
/// Who reads them.
const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "parts.ListTransfers";
/// Largest quantity of one transfer, hundredths.
const QUANTITY_MAX: i64 = 10_000_000;

/// The gRPC face of transfers.
#[derive(Clone, Debug)]
pub struct TransferApi {
    app: Parts,
}

impl TransferApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl TransferService for TransferApi {
    async fn transfer_stock(
        &self,
        request: Request<pb::TransferStockRequest>,
    ) -> Result<Response<pb::Transfer>, Status> {
        let caller = principal(&request)?;
        caller.require(MOVERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let from = check.parse("from_warehouse_id", uuid::Uuid::try_parse(&r.from_warehouse_id));
        let to = check.parse("to_warehouse_id", uuid::Uuid::try_parse(&r.to_warehouse_id));
        let part_number = check.parse("part_number", PartNumber::parse(&r.part_number));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, 1, QUANTITY_MAX);
        let batch = (!r.batch.is_empty()).then(|| check.parse("batch", BatchCode::parse(&r.batch)));
        let (request_id, sending) = check.finish_with(|| {
            Some((
                request_id?,
                Sending {
                    from: from?,
                    to: to?,
                    part_number: part_number?,
                    quantity: quantity?,
                    batch: batch.map(|b| b.ok_or(())).transpose().ok()?,
                },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "TransferStock", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.transfer_stock(&key, &caller, dealer, sending).await?))
    }

    async fn receive_transfer(
        &self,
        request: Request<pb::ReceiveTransferRequest>,
    ) -> Result<Response<pb::Transfer>, Status> {
        let caller = principal(&request)?;
        caller.require(MOVERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = check.parse("transfer_id", uuid::Uuid::try_parse(&r.transfer_id));
        let bin = check.parse("bin", BinCode::parse(&r.bin));
        let (request_id, id, bin) = check.finish_with(|| Some((request_id?, id?, bin?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "ReceiveTransfer", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.receive_transfer(&key, &caller, id, bin).await?))
    }

    async fn get_transfer(&self, request: Request<pb::GetTransferRequest>) -> Result<Response<pb::Transfer>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::transfer(&self.app.transfer(&caller, id).await?)))
    }

    async fn list_transfers(
        &self,
        request: Request<pb::ListTransfersRequest>,
    ) -> Result<Response<pb::ListTransfersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            (!r.dealer_id.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(&r.dealer_id))).flatten();
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let before = page.after_uuid()?;
        let found = self.app.transfers(&scope, r.in_transit_only, before, page.fetch_limit()).await?;
        let (found, page) = page.finish(LIST, found, |t| t.id.to_string());
        Ok(Response::new(pb::ListTransfersResponse {
            transfers: found.iter().map(convert::transfer).collect(),
            page: Some(page),
        }))
    }
}
