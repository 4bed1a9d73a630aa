//! `RepairOrderService` over gRPC: check the caller, parse the request, call the use case, render.

mod answers;
mod appointments;
mod check_ins;
mod customers;
mod directory;
mod inquiries;
mod kpis;
mod parse;
mod settlements;

pub use appointments::AppointmentApi;
pub use check_ins::CheckInApi;
pub use customers::{CustomerApi, VehicleApi};
pub use directory::DirectoryApi;
pub use inquiries::InquiryApi;
pub use kpis::ReceptionKpiApi;
pub use settlements::SettlementApi;

use aftersales_kernel::{DealerId, OperationCode, RepairOrderId};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::repair_order_service_server::RepairOrderService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, TEXT_MAX};
use tonic::{Request, Response, Status};

use crate::app::Reception;
use crate::convert;

/// Who may write repair orders.
pub(crate) const WRITERS: &[Role] = &[Role::ServiceAdvisor, Role::DealerManager];
/// Who may read them: every dealer role of the order's dealer, and OEM staff.
pub(crate) const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "reception.ListRepairOrders";
const LIST_NOTICES: &str = "reception.ListCustomerNotices";
const LIST_OPERATIONS: &str = "reception.ListLabourOperations";

/// The gRPC face of reception's repair orders.
#[derive(Clone, Debug)]
pub struct RepairOrderApi {
    app: Reception,
}

impl RepairOrderApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

pub(crate) fn dealer_of(caller: &Principal) -> Result<DealerId, AppError> {
    caller.dealer().ok_or_else(|| AppError::PermissionDenied("only dealer staff write repair orders".into()))
}

#[tonic::async_trait]
impl RepairOrderService for RepairOrderApi {
    async fn create_repair_order(
        &self,
        request: Request<pb::CreateRepairOrderRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let (request_id, new) = parse::new_repair_order(&request, dealer, &caller.subject)?;
        let key = IdempotencyKey::new(dealer.to_string(), "CreateRepairOrder", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.open_repair_order(&key, new).await?))
    }

    async fn get_repair_order(
        &self,
        request: Request<pb::GetRepairOrderRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", RepairOrderId::parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        let order = self.app.repair_order(&caller, id).await?;
        Ok(Response::new(convert::repair_order(&order)))
    }

    async fn list_repair_orders(
        &self,
        request: Request<pb::ListRepairOrdersRequest>,
    ) -> Result<Response<pb::ListRepairOrdersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let (dealer, state) = parse::list_filter(&request)?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(RepairOrderId::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let orders = self.app.repair_orders(&scope, state, after, page.fetch_limit()).await?;
        let (orders, page) = page.finish(LIST, orders, |o| o.id.to_string());
        Ok(Response::new(pb::ListRepairOrdersResponse {
            repair_orders: orders.iter().map(convert::repair_order).collect(),
            page: Some(page),
        }))
    }

    async fn approve_estimate(
        &self,
        request: Request<pb::ApproveEstimateRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let approval = parse::approval(&request, &caller.subject)?;
        let key = IdempotencyKey::new(dealer.to_string(), "ApproveEstimate", approval.request_id, &request, |r| {
            r.request_id.clear()
        });
        let order = self
            .app
            .approve_estimate(&key, &caller, approval.repair_order_id, approval.consent, approval.declined)
            .await?;
        Ok(Response::new(order))
    }

    async fn cancel_repair_order(
        &self,
        request: Request<pb::CancelRepairOrderRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
        let (request_id, order, reason) = check.finish_with(|| Some((request_id?, order?, reason?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CancelRepairOrder", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.cancel_repair_order(&key, &caller, order, &reason).await?))
    }

    async fn approve_additional_work(
        &self,
        request: Request<pb::ApproveAdditionalWorkRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let (target, pricing, answer) = answers::approval(&request, &caller.subject)?;
        let key = IdempotencyKey::new(dealer.to_string(), "ApproveAdditionalWork", target.request_id, &request, |r| {
            r.request_id.clear()
        });
        let order = self
            .app
            .approve_additional_work(&key, &caller, target.repair_order_id, target.additional_work_id, pricing, answer)
            .await?;
        Ok(Response::new(order))
    }

    async fn refuse_additional_work(
        &self,
        request: Request<pb::RefuseAdditionalWorkRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let (target, reason, answer) = answers::refusal(&request, &caller.subject)?;
        let key = IdempotencyKey::new(dealer.to_string(), "RefuseAdditionalWork", target.request_id, &request, |r| {
            r.request_id.clear()
        });
        let order = self
            .app
            .refuse_additional_work(&key, &caller, target.repair_order_id, target.additional_work_id, &reason, answer)
            .await?;
        Ok(Response::new(order))
    }

    async fn notify_customer_progress(
        &self,
        request: Request<pb::NotifyCustomerProgressRequest>,
    ) -> Result<Response<pb::CustomerNotice>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let progress = answers::progress(&request)?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "NotifyCustomerProgress", progress.request_id, &request, |r| {
                r.request_id.clear()
            });
        let notice = self
            .app
            .notify_progress(
                &key,
                &caller,
                progress.repair_order_id,
                &progress.message,
                progress.expected_ready_at,
                progress.channel,
            )
            .await?;
        Ok(Response::new(notice))
    }

    async fn notify_customer_delay(
        &self,
        request: Request<pb::NotifyCustomerDelayRequest>,
    ) -> Result<Response<pb::CustomerNotice>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let delay = answers::delay(&request)?;
        let key = IdempotencyKey::new(dealer.to_string(), "NotifyCustomerDelay", delay.request_id, &request, |r| {
            r.request_id.clear()
        });
        let notice = self
            .app
            .notify_delay(
                &key,
                &caller,
                delay.repair_order_id,
                &delay.reason,
                delay.new_promised_at,
                &delay.compensation_offer,
                delay.channel,
            )
            .await?;
        Ok(Response::new(notice))
    }

    async fn list_customer_notices(
        &self,
        request: Request<pb::ListCustomerNoticesRequest>,
    ) -> Result<Response<pb::ListCustomerNoticesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let id = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
        let id = check.finish_with(|| id)?;
        let page = Page::parse(LIST_NOTICES, request.page.as_ref())?;
        let after = page.after_uuid()?;
        let notices = self.app.customer_notices(&caller, id, after, page.fetch_limit()).await?;
        let (notices, page) = page.finish(LIST_NOTICES, notices, |n| n.id.to_string());
        Ok(Response::new(pb::ListCustomerNoticesResponse {
            notices: notices.iter().map(convert::notice).collect(),
            page: Some(page),
        }))
    }

    async fn deliver_vehicle(
        &self,
        request: Request<pb::DeliverVehicleRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let d = answers::delivery(&request)?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "DeliverVehicle", d.request_id, &request, |r| r.request_id.clear());
        let order = self
            .app
            .deliver(&key, &caller, d.repair_order_id, d.old_parts, d.next_service_on, d.next_service_km)
            .await?;
        Ok(Response::new(order))
    }

    async fn record_follow_up(
        &self,
        request: Request<pb::RecordFollowUpRequest>,
    ) -> Result<Response<pb::RepairOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let request = request.into_inner();
        let (request_id, id, follow_up) = answers::follow_up(&request, &caller.subject)?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "RecordFollowUp", request_id, &request, |r| r.request_id.clear());
        let order = self.app.record_follow_up(&key, &caller, id, follow_up).await?;
        Ok(Response::new(order))
    }

    async fn list_labour_operations(
        &self,
        request: Request<pb::ListLabourOperationsRequest>,
    ) -> Result<Response<pb::ListLabourOperationsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let page = Page::parse(LIST_OPERATIONS, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(OperationCode::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let operations =
            self.app.labour_operations(request.include_retired, after.as_ref(), page.fetch_limit()).await?;
        let (operations, page) = page.finish(LIST_OPERATIONS, operations, |o| o.code.to_string());
        Ok(Response::new(pb::ListLabourOperationsResponse {
            operations: operations.iter().map(convert::labour_operation).collect(),
            page: Some(page),
        }))
    }
}
