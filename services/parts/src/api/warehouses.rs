//! `WarehouseService` over gRPC.

use aftersales_kernel::DealerId;
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::warehouse_service_server::WarehouseService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::Parts;
use crate::convert;
use crate::domain::stock::{BinCode, WarehouseCode};
use crate::domain::warehouse::Bin;

/// Who opens warehouses and adds bins.
const MANAGERS: &[Role] = &[Role::DealerManager];
/// Who reads them.
const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "parts.ListWarehouses";

/// The gRPC face of warehouses.
#[derive(Clone, Debug)]
pub struct WarehouseApi {
    app: Parts,
}

impl WarehouseApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl WarehouseService for WarehouseApi {
    async fn create_warehouse(
        &self,
        request: Request<pb::CreateWarehouseRequest>,
    ) -> Result<Response<pb::Warehouse>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let code = check.parse("code", WarehouseCode::parse(&r.code));
        let name = check.text("name", &r.name, 1, NAME_MAX);
        let (request_id, code, name) = check.finish_with(|| Some((request_id?, code?, name?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CreateWarehouse", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.create_warehouse(&key, dealer, code, name).await?))
    }

    async fn add_bin(&self, request: Request<pb::AddBinRequest>) -> Result<Response<pb::Warehouse>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let bin = check.required("bin", r.bin.as_ref());
        let code = bin.and_then(|b| check.parse("bin.code", BinCode::parse(&b.code)));
        let description = bin.and_then(|b| check.text("bin.description", &b.description, 0, NAME_MAX));
        let (request_id, id, bin) =
            check.finish_with(|| Some((request_id?, id?, Bin { code: code?, description: description? })))?;
        let key = IdempotencyKey::new(dealer.to_string(), "AddBin", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.add_bin(&key, &caller, id, bin).await?))
    }

    async fn get_warehouse(
        &self,
        request: Request<pb::GetWarehouseRequest>,
    ) -> Result<Response<pb::Warehouse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::warehouse(&self.app.warehouse(&caller, id).await?)))
    }

    async fn list_warehouses(
        &self,
        request: Request<pb::ListWarehousesRequest>,
    ) -> Result<Response<pb::ListWarehousesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            (!r.dealer_id.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(&r.dealer_id))).flatten();
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let found = self.app.warehouses(&scope, after, page.fetch_limit()).await?;
        let (found, page) = page.finish(LIST, found, |w| w.id.to_string());
        Ok(Response::new(pb::ListWarehousesResponse {
            warehouses: found.iter().map(convert::warehouse).collect(),
            page: Some(page),
        }))
    }
}
