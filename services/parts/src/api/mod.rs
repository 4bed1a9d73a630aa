//! `PartCatalogueService` over gRPC: check the caller, parse the request, call the use case, render.

mod counts;
mod parse;
mod purchasing;
mod requisitions;
mod stock;
mod transfers;
mod warehouses;
mod warranty;

pub use counts::StockCountApi;
pub use purchasing::{PurchaseOrderApi, PurchasingApi};
pub use requisitions::RequisitionApi;
pub use stock::StockApi;
pub use transfers::TransferApi;
pub use warehouses::WarehouseApi;
pub use warranty::WarrantyApi;

use aftersales_kernel::PartNumber;
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::part_catalogue_service_server::PartCatalogueService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use tonic::{Request, Response, Status};

use crate::app::Parts;
use crate::convert;

/// Who maintains the catalogue: the OEM's after-sales management.
const WRITERS: &[Role] = &[Role::OemManager];
/// Who reads it: every dealer role and every OEM role (it is OEM-wide reference data). Suppliers and services
/// are not readers: services learn the catalogue from the feed.
const READERS: &[Role] = &Role::STAFF;
/// The catalogue belongs to no dealer: idempotency keys are scoped to the OEM.
const IDEMPOTENCY_TENANT: &str = "oem";
const LIST: &str = "parts.ListCatalogueEntries";

/// The caller's dealer: only dealer staff change a dealer's warehouses and stock.
pub(crate) fn dealer_of(caller: &aftersales_runtime::auth::Principal) -> Result<aftersales_kernel::DealerId, AppError> {
    caller.dealer().ok_or_else(|| AppError::PermissionDenied("only dealer staff change a dealer's stock".into()))
}

/// The gRPC face of the part catalogue.
#[derive(Clone, Debug)]
pub struct PartCatalogueApi {
    app: Parts,
}

impl PartCatalogueApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl PartCatalogueService for PartCatalogueApi {
    async fn create_catalogue_entry(
        &self,
        request: Request<pb::CreateCatalogueEntryRequest>,
    ) -> Result<Response<pb::CatalogueEntry>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let request = request.into_inner();
        let (request_id, draft) = parse::new_entry(&request)?;
        let key = IdempotencyKey::new(IDEMPOTENCY_TENANT, "CreateCatalogueEntry", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.create_catalogue_entry(&key, draft).await?))
    }

    async fn get_catalogue_entry(
        &self,
        request: Request<pb::GetCatalogueEntryRequest>,
    ) -> Result<Response<pb::CatalogueEntry>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let part_number = parse::part_number(request.get_ref())?;
        let entry = self.app.catalogue_entry(&part_number).await?;
        Ok(Response::new(convert::catalogue_entry(&entry)))
    }

    async fn list_catalogue_entries(
        &self,
        request: Request<pb::ListCatalogueEntriesRequest>,
    ) -> Result<Response<pb::ListCatalogueEntriesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let supplier = parse::list_filter(&request)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(PartNumber::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let entries = self.app.catalogue_entries(supplier, after.as_ref(), page.fetch_limit()).await?;
        let (entries, page) = page.finish(LIST, entries, |e| e.part_number().to_string());
        Ok(Response::new(pb::ListCatalogueEntriesResponse {
            entries: entries.iter().map(convert::catalogue_entry).collect(),
            page: Some(page),
        }))
    }
}
