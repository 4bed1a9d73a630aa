//! `SupplierService` over gRPC: check the caller, parse the request, call the use case, render.

mod claim_parse;
pub mod claims;
mod parse;
pub mod scorecards;

use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::supplier_service_server::SupplierService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use tonic::{Request, Response, Status};

use crate::app::{SupplierScope, Suppliers};
use crate::domain::SupplierCode;

/// Who registers suppliers and moves their status: quality (supplier claims are theirs) and the after-sales
/// management.
const WRITERS: &[Role] = &[Role::Quality, Role::OemManager];
/// Who reads suppliers: OEM staff (all of them) and a supplier's system (its own record only). Dealer staff
/// deal with parts, not with the OEM's suppliers; services learn suppliers from the feed.
const READERS: &[Role] =
    &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality, Role::Supplier];
/// Suppliers are the OEM's records: idempotency keys are scoped to the OEM.
const IDEMPOTENCY_TENANT: &str = "oem";
const LIST: &str = "supplier.ListSuppliers";

/// The gRPC face of the supplier records.
#[derive(Clone, Debug)]
pub struct SupplierApi {
    app: Suppliers,
}

impl SupplierApi {
    /// Over the application layer.
    pub fn new(app: Suppliers) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl SupplierService for SupplierApi {
    async fn create_supplier(
        &self,
        request: Request<pb::CreateSupplierRequest>,
    ) -> Result<Response<pb::Supplier>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let request = request.into_inner();
        let (request_id, draft) = parse::new_supplier(&request)?;
        let key =
            IdempotencyKey::new(IDEMPOTENCY_TENANT, "CreateSupplier", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.register_supplier(&key, draft).await?))
    }

    async fn get_supplier(&self, request: Request<pb::GetSupplierRequest>) -> Result<Response<pb::Supplier>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let id = parse::supplier_id(request.get_ref())?;
        Ok(Response::new(self.app.supplier(SupplierScope::of(&caller), id).await?))
    }

    async fn set_supplier_status(
        &self,
        request: Request<pb::SetSupplierStatusRequest>,
    ) -> Result<Response<pb::Supplier>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let request = request.into_inner();
        let (request_id, id, next, reason) = parse::status_change(&request)?;
        let key = IdempotencyKey::new(IDEMPOTENCY_TENANT, "SetSupplierStatus", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.set_supplier_status(&key, id, next, &reason).await?))
    }

    async fn list_suppliers(
        &self,
        request: Request<pb::ListSuppliersRequest>,
    ) -> Result<Response<pb::ListSuppliersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let status = parse::list_filter(&request)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(SupplierCode::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let suppliers =
            self.app.suppliers(SupplierScope::of(&caller), status, after.as_ref(), page.fetch_limit()).await?;
        let (suppliers, page) = page.finish(LIST, suppliers, |s| s.code.clone());
        Ok(Response::new(pb::ListSuppliersResponse { suppliers, page: Some(page) }))
    }
}
