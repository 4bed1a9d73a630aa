//! `StockService` over gRPC.

use aftersales_kernel::{DealerId, PartNumber};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::stock_service_server::StockService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{DealerScope, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, REFERENCE_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::{Adjustment, Issue, Parts};
use crate::convert;
use crate::domain::stock::{BatchCode, BinCode, Document, DocumentType};

/// Who corrects stock.
const ADJUSTERS: &[Role] = &[Role::DealerManager];
/// Who issues parts.
const ISSUERS: &[Role] = &[Role::PartsClerk, Role::DealerManager];
/// Who reads stock.
const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "parts.ListMovements";
/// Largest quantity of one movement, hundredths.
const QUANTITY_MAX: i64 = 10_000_000;

/// The gRPC face of the stock ledger.
#[derive(Clone, Debug)]
pub struct StockApi {
    app: Parts,
}

impl StockApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl StockService for StockApi {
    async fn adjust_stock(
        &self,
        request: Request<pb::AdjustStockRequest>,
    ) -> Result<Response<pb::StockMovement>, Status> {
        let caller = principal(&request)?;
        caller.require(ADJUSTERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let warehouse_id = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let bin = check.parse("bin", BinCode::parse(&r.bin));
        let part_number = check.parse("part_number", PartNumber::parse(&r.part_number));
        let batch = check.parse("batch", BatchCode::parse(&r.batch));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, -QUANTITY_MAX, QUANTITY_MAX);
        if r.quantity_hundredths == 0 {
            check.fail("quantity_hundredths", "must not be 0");
        }
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, adjustment) = check.finish_with(|| {
            Some((
                request_id?,
                Adjustment {
                    warehouse_id: warehouse_id?,
                    bin: bin?,
                    part_number: part_number?,
                    batch: batch?,
                    quantity: quantity?,
                    reason: reason?,
                },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "AdjustStock", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.adjust_stock(&key, &caller, dealer, adjustment).await?))
    }

    async fn issue_parts(
        &self,
        request: Request<pb::IssuePartsRequest>,
    ) -> Result<Response<pb::IssuePartsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(ISSUERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let warehouse_id = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let part_number = check.parse("part_number", PartNumber::parse(&r.part_number));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, 1, QUANTITY_MAX);
        let batch = (!r.batch.is_empty()).then(|| check.parse("batch", BatchCode::parse(&r.batch)));
        let document_type = check.parse("document_type", DocumentType::parse(&r.document_type));
        let reference = check.text("document_reference", &r.document_reference, 1, REFERENCE_MAX.min(200));
        let reason = check.text("reason", &r.reason, 0, TEXT_MAX);
        let (request_id, issue) = check.finish_with(|| {
            Some((
                request_id?,
                Issue {
                    warehouse_id: warehouse_id?,
                    part_number: part_number?,
                    quantity: quantity?,
                    batch: batch.map(|b| b.ok_or(())).transpose().ok()?,
                    document: Document { kind: document_type?, reference: reference? },
                    reason: reason?,
                },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "IssueParts", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.issue_parts(&key, &caller, dealer, issue).await?))
    }

    async fn get_stock_level(
        &self,
        request: Request<pb::GetStockLevelRequest>,
    ) -> Result<Response<pb::StockLevel>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.get_ref();
        let mut check = Check::new();
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let (warehouse, part) = check.finish_with(|| Some((warehouse?, part?)))?;
        let lots = self.app.stock_level(&caller, warehouse, &part).await?;
        Ok(Response::new(convert::stock_level(warehouse, &part, &lots)))
    }

    async fn list_movements(
        &self,
        request: Request<pb::ListMovementsRequest>,
    ) -> Result<Response<pb::ListMovementsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let (warehouse, part) = check.finish_with(|| Some((warehouse?, part?)))?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let before = page.after_uuid()?;
        let found = self.app.movements(&caller, warehouse, &part, before, page.fetch_limit()).await?;
        let (found, page) = page.finish(LIST, found, |m| m.id.to_string());
        Ok(Response::new(pb::ListMovementsResponse {
            movements: found.iter().map(convert::movement).collect(),
            page: Some(page),
        }))
    }

    async fn get_part_availability(
        &self,
        request: Request<pb::GetPartAvailabilityRequest>,
    ) -> Result<Response<pb::PartAvailability>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.get_ref();
        let mut check = Check::new();
        let dealer =
            (!r.dealer_id.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(&r.dealer_id))).flatten();
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let part = check.finish_with(|| part)?;
        let dealer = match caller.dealer_scope(dealer)? {
            DealerScope::Only(dealer) => dealer,
            DealerScope::All => return Err(AppError::invalid("dealer_id", "is required for OEM staff").into()),
        };
        let availability = self.app.availability(&caller, dealer, &part).await?;
        Ok(Response::new(convert::availability(dealer, &part, &availability)))
    }
}
