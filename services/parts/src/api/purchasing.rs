//! `PurchasingService` and `PurchaseOrderService` over gRPC.

use std::collections::HashSet;

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::purchase_order_service_server::PurchaseOrderService;
use aftersales_proto::parts::v1::purchasing_service_server::PurchasingService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::{Delivery, Parts, PlanEdit};
use crate::convert;
use crate::domain::purchasing::Delivered;
use crate::domain::stock::{BatchCode, BinCode};
use crate::store::purchasing::Policy;

/// Who sets policies, edits and approves plans, places and ends orders, decides held over-delivery.
const MANAGERS: &[Role] = &[Role::DealerManager];
/// Who drafts plans and receives goods.
const STOREKEEPERS: &[Role] = &[Role::PartsClerk, Role::DealerManager];
/// Who reads.
const READERS: &[Role] = &Role::STAFF;
/// Largest quantity, hundredths.
const QUANTITY_MAX: i64 = 10_000_000;
/// Most lines per request.
const LINES_MAX: usize = 500;
const SUPPLIERS: &str = "parts.ListSuppliers";
const ORDERS: &str = "parts.ListPurchaseOrders";

/// The gRPC face of purchasing.
#[derive(Clone, Debug)]
pub struct PurchasingApi {
    app: Parts,
}

impl PurchasingApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

/// The gRPC face of purchase orders and receiving.
#[derive(Clone, Debug)]
pub struct PurchaseOrderApi {
    app: Parts,
}

impl PurchaseOrderApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

/// 1..=500 lines.
fn line_count(check: &mut Check, count: usize) {
    if count == 0 || count > LINES_MAX {
        check.fail("lines", format!("must have 1..={LINES_MAX} lines"));
    }
}

/// A part named twice.
fn once<'a>(check: &mut Check, seen: &mut HashSet<&'a str>, field: String, part: &'a str) {
    if !seen.insert(part) {
        check.fail(field, "names a part already listed");
    }
}

#[tonic::async_trait]
impl PurchasingService for PurchasingApi {
    async fn list_suppliers(
        &self,
        request: Request<pb::ListSuppliersRequest>,
    ) -> Result<Response<pb::ListSuppliersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let page = Page::parse(SUPPLIERS, request.get_ref().page.as_ref())?;
        let after = page.after_uuid()?;
        let found = self.app.suppliers(after, page.fetch_limit()).await?;
        let (found, page) = page.finish(SUPPLIERS, found, |s| s.supplier_id.to_string());
        Ok(Response::new(pb::ListSuppliersResponse {
            suppliers: found.iter().map(convert::supplier).collect(),
            page: Some(page),
        }))
    }

    async fn set_stocking_policy(
        &self,
        request: Request<pb::SetStockingPolicyRequest>,
    ) -> Result<Response<pb::StockingPolicy>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let min = check.range("min_hundredths", r.min_hundredths, 0, QUANTITY_MAX);
        let max = check.range("max_hundredths", r.max_hundredths, 1, QUANTITY_MAX);
        if r.max_hundredths < r.min_hundredths {
            check.fail("max_hundredths", "must not be below min_hundredths");
        }
        let (request_id, policy) = check.finish_with(|| {
            Some((
                request_id?,
                Policy {
                    dealer_id: dealer,
                    part_number: part?,
                    min: min?,
                    max: max?,
                    updated_by: String::new(),
                    updated_at: chrono::DateTime::UNIX_EPOCH,
                },
            ))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "SetStockingPolicy", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.set_stocking_policy(&key, &caller, policy).await?))
    }

    async fn draft_purchase_plan(
        &self,
        request: Request<pb::DraftPurchasePlanRequest>,
    ) -> Result<Response<pb::PurchasePlan>, Status> {
        let caller = principal(&request)?;
        caller.require(STOREKEEPERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let request_id = check.finish_with(|| request_id)?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "DraftPurchasePlan", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.draft_plan(&key, &caller, dealer).await?))
    }

    async fn edit_purchase_plan(
        &self,
        request: Request<pb::EditPurchasePlanRequest>,
    ) -> Result<Response<pb::PurchasePlan>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let plan = check.parse("plan_id", uuid::Uuid::try_parse(&r.plan_id));
        line_count(&mut check, r.lines.len());
        let mut seen = HashSet::new();
        let mut edits = Vec::with_capacity(r.lines.len());
        for (i, l) in r.lines.iter().enumerate() {
            let part = check.parse(&format!("lines[{i}].part_number"), PartNumber::parse(&l.part_number));
            once(&mut check, &mut seen, format!("lines[{i}].part_number"), &l.part_number);
            let quantity =
                check.range(&format!("lines[{i}].quantity_hundredths"), l.quantity_hundredths, 0, QUANTITY_MAX);
            let supplier = (!l.supplier_id.is_empty())
                .then(|| check.parse(&format!("lines[{i}].supplier_id"), SupplierId::parse(&l.supplier_id)));
            edits.push((part, quantity, supplier));
        }
        let (request_id, plan, edits) = check.finish_with(|| {
            let edits = edits
                .into_iter()
                .map(|(part, quantity, supplier)| {
                    Some(PlanEdit {
                        part_number: part?,
                        quantity: quantity?,
                        supplier_id: match supplier {
                            Some(parsed) => Some(parsed?),
                            None => None,
                        },
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some((request_id?, plan?, edits))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "EditPurchasePlan", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.edit_plan(&key, &caller, plan, edits).await?))
    }

    async fn approve_purchase_plan(
        &self,
        request: Request<pb::ApprovePurchasePlanRequest>,
    ) -> Result<Response<pb::PurchasePlan>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let plan = check.parse("plan_id", uuid::Uuid::try_parse(&r.plan_id));
        let (request_id, plan) = check.finish_with(|| Some((request_id?, plan?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ApprovePurchasePlan", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.approve_plan(&key, &caller, plan).await?))
    }

    async fn get_purchase_plan(
        &self,
        request: Request<pb::GetPurchasePlanRequest>,
    ) -> Result<Response<pb::PurchasePlan>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        let (plan, orders) = self.app.plan(&caller, id).await?;
        Ok(Response::new(convert::plan(&plan, &orders)))
    }
}

#[tonic::async_trait]
impl PurchaseOrderService for PurchaseOrderApi {
    async fn create_purchase_order(
        &self,
        request: Request<pb::CreatePurchaseOrderRequest>,
    ) -> Result<Response<pb::PurchaseOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let supplier = check.parse("supplier_id", SupplierId::parse(&r.supplier_id));
        line_count(&mut check, r.lines.len());
        let mut seen = HashSet::new();
        let mut lines = Vec::with_capacity(r.lines.len());
        for (i, l) in r.lines.iter().enumerate() {
            let part = check.parse(&format!("lines[{i}].part_number"), PartNumber::parse(&l.part_number));
            once(&mut check, &mut seen, format!("lines[{i}].part_number"), &l.part_number);
            let quantity =
                check.range(&format!("lines[{i}].quantity_hundredths"), l.quantity_hundredths, 1, QUANTITY_MAX);
            lines.push((part, quantity));
        }
        let (request_id, supplier, lines) = check.finish_with(|| {
            let lines = lines.into_iter().map(|(p, q)| Some((p?, q?))).collect::<Option<Vec<_>>>()?;
            Some((request_id?, supplier?, lines))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "CreatePurchaseOrder", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.create_purchase_order(&key, &caller, dealer, supplier, lines).await?))
    }

    async fn close_purchase_order(
        &self,
        request: Request<pb::ClosePurchaseOrderRequest>,
    ) -> Result<Response<pb::PurchaseOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let order = check.parse("purchase_order_id", uuid::Uuid::try_parse(&r.purchase_order_id));
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, order, reason) = check.finish_with(|| Some((request_id?, order?, reason?)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ClosePurchaseOrder", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.close_purchase_order(&key, &caller, order, reason).await?))
    }

    async fn get_purchase_order(
        &self,
        request: Request<pb::GetPurchaseOrderRequest>,
    ) -> Result<Response<pb::PurchaseOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(self.app.purchase_order(&caller, id).await?))
    }

    async fn list_purchase_orders(
        &self,
        request: Request<pb::ListPurchaseOrdersRequest>,
    ) -> Result<Response<pb::ListPurchaseOrdersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            (!r.dealer_id.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(&r.dealer_id))).flatten();
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(ORDERS, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let found = self.app.purchase_orders(&scope, after, page.fetch_limit()).await?;
        let (found, page) = page.finish(ORDERS, found, |o| o.id.to_string());
        Ok(Response::new(pb::ListPurchaseOrdersResponse {
            purchase_orders: found.iter().map(|o| convert::purchase_order(o, &[])).collect(),
            page: Some(page),
        }))
    }

    async fn receive_goods(
        &self,
        request: Request<pb::ReceiveGoodsRequest>,
    ) -> Result<Response<pb::PurchaseOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(STOREKEEPERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let order = check.parse("purchase_order_id", uuid::Uuid::try_parse(&r.purchase_order_id));
        let warehouse = check.parse("warehouse_id", uuid::Uuid::try_parse(&r.warehouse_id));
        let note = check.text("delivery_note", &r.delivery_note, 1, NAME_MAX);
        line_count(&mut check, r.lines.len());
        let mut lines = Vec::with_capacity(r.lines.len());
        for (i, l) in r.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{i}].{name}");
            let line_id = check.parse(&field("line_id"), uuid::Uuid::try_parse(&l.line_id));
            let bin = check.parse(&field("bin"), BinCode::parse(&l.bin));
            let batch = check.parse(&field("batch"), BatchCode::parse(&l.batch));
            let delivered = check.range(&field("delivered_hundredths"), l.delivered_hundredths, 1, QUANTITY_MAX);
            let rejected =
                check.range(&field("rejected_hundredths"), l.rejected_hundredths, 0, l.delivered_hundredths.max(0));
            let reason = check.text(&field("rejection_reason"), &l.rejection_reason, 0, TEXT_MAX);
            if l.rejected_hundredths > 0 && l.rejection_reason.trim().is_empty() {
                check.fail(field("rejection_reason"), "is required when something is rejected");
            }
            lines.push((line_id, bin, batch, delivered, rejected, reason));
        }
        let (request_id, order, delivery) = check.finish_with(|| {
            let lines = lines
                .into_iter()
                .map(|(line_id, bin, batch, delivered, rejected, reason)| {
                    Some(Delivered {
                        line_id: line_id?,
                        bin: bin?,
                        batch: batch?,
                        delivered: delivered?,
                        rejected: rejected?,
                        rejection_reason: reason?,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            Some((request_id?, order?, Delivery { warehouse_id: warehouse?, delivery_note: note?, lines }))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "ReceiveGoods", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.receive_goods(&key, &caller, order, delivery).await?))
    }

    async fn resolve_over_delivery(
        &self,
        request: Request<pb::ResolveOverDeliveryRequest>,
    ) -> Result<Response<pb::PurchaseOrder>, Status> {
        let caller = principal(&request)?;
        caller.require(MANAGERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let order = check.parse("purchase_order_id", uuid::Uuid::try_parse(&r.purchase_order_id));
        let receipt = check.parse("receipt_id", uuid::Uuid::try_parse(&r.receipt_id));
        let index = check.range("line_index", r.line_index, 0, LINES_MAX as i32 - 1);
        let (request_id, order, receipt, index) =
            check.finish_with(|| Some((request_id?, order?, receipt?, index? as usize)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ResolveOverDelivery", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.resolve_over_delivery(&key, &caller, order, receipt, index, r.accept).await?))
    }
}
