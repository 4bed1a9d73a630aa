//! `RequisitionService` over gRPC.

use aftersales_kernel::{PartNumber, RepairOrderId};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::requisition_service_server::RequisitionService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::{Issuing, Parts, RequisitionsOf, Returning};
use crate::convert;
use crate::domain::stock::{BatchCode, BinCode};

/// Who asks for parts.
const ASKERS: &[Role] = &[Role::Technician, Role::Foreman];
/// Who decides.
const DECIDERS: &[Role] = &[Role::ServiceAdvisor, Role::DealerManager];
/// Who issues and takes back.
const CLERKS: &[Role] = &[Role::PartsClerk, Role::DealerManager];
/// Who reads.
const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "parts.ListRequisitions";
/// Largest quantity, hundredths.
const QUANTITY_MAX: i64 = 10_000_000;

/// The gRPC face of requisitions.
#[derive(Clone, Debug)]
pub struct RequisitionApi {
    app: Parts,
}

impl RequisitionApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

fn requisition_id(check: &mut Check, raw: &str) -> Option<uuid::Uuid> {
    check.parse("requisition_id", uuid::Uuid::try_parse(raw))
}

#[tonic::async_trait]
impl RequisitionService for RequisitionApi {
    async fn request_parts(
        &self,
        request: Request<pb::RequestPartsRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(ASKERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let job = check.parse("job_id", uuid::Uuid::try_parse(&r.job_id));
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, 1, QUANTITY_MAX);
        let (request_id, job, part, quantity) = check.finish_with(|| Some((request_id?, job?, part?, quantity?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "RequestParts", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.request_parts(&key, &caller, job, part, quantity).await?))
    }

    async fn approve_requisition(
        &self,
        request: Request<pb::ApproveRequisitionRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(DECIDERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = requisition_id(&mut check, &r.requisition_id);
        let (request_id, id) = check.finish_with(|| Some((request_id?, id?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ApproveRequisition", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.decide_requisition(&key, &caller, id, None).await?))
    }

    async fn refuse_requisition(
        &self,
        request: Request<pb::RefuseRequisitionRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(DECIDERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = requisition_id(&mut check, &r.requisition_id);
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, id, reason) = check.finish_with(|| Some((request_id?, id?, reason?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "RefuseRequisition", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.decide_requisition(&key, &caller, id, Some(reason)).await?))
    }

    async fn issue_requisition(
        &self,
        request: Request<pb::IssueRequisitionRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(CLERKS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = requisition_id(&mut check, &r.requisition_id);
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, 1, QUANTITY_MAX);
        let batch = (!r.batch.is_empty()).then(|| check.parse("batch", BatchCode::parse(&r.batch)));
        let (request_id, id, issuing) = check.finish_with(|| {
            Some((
                request_id?,
                id?,
                Issuing {
                    warehouse_id: warehouse?,
                    quantity: quantity?,
                    batch: batch.map(|b| b.ok_or(())).transpose().ok()?,
                },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "IssueRequisition", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.issue_requisition(&key, &caller, id, issuing).await?))
    }

    async fn return_parts(
        &self,
        request: Request<pb::ReturnPartsRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(CLERKS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = requisition_id(&mut check, &r.requisition_id);
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let bin = check.parse("bin", BinCode::parse(&r.bin));
        let batch = check.parse("batch", BatchCode::parse(&r.batch));
        let quantity = check.range("quantity_hundredths", r.quantity_hundredths, 1, QUANTITY_MAX);
        let (request_id, id, back) = check.finish_with(|| {
            Some((
                request_id?,
                id?,
                Returning { warehouse_id: warehouse?, bin: bin?, batch: batch?, quantity: quantity? },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "ReturnParts", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.return_parts(&key, &caller, id, back).await?))
    }

    async fn get_requisition(
        &self,
        request: Request<pb::GetRequisitionRequest>,
    ) -> Result<Response<pb::Requisition>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::requisition(&self.app.requisition(&caller, id).await?)))
    }

    async fn list_requisitions(
        &self,
        request: Request<pb::ListRequisitionsRequest>,
    ) -> Result<Response<pb::ListRequisitionsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let of = match (r.job_id.is_empty(), r.repair_order_id.is_empty()) {
            (false, true) => check.parse("job_id", uuid::Uuid::try_parse(&r.job_id)).map(RequisitionsOf::Job),
            (true, false) => {
                check.parse("repair_order_id", RepairOrderId::parse(&r.repair_order_id)).map(RequisitionsOf::Order)
            }
            _ => {
                check.fail("job_id", "exactly one of job_id and repair_order_id is required");
                None
            }
        };
        let of = check.finish_with(|| of)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let found = self.app.requisitions(&caller, of, after, page.fetch_limit()).await?;
        let (found, page) = page.finish(LIST, found, |r| r.id.to_string());
        Ok(Response::new(pb::ListRequisitionsResponse {
            requisitions: found.iter().map(convert::requisition).collect(),
            page: Some(page),
        }))
    }
}
