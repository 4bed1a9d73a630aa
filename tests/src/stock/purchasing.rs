//! Purchasing from a test store: the OEM's supplier list, plans and orders as the roles that make them, and a
//! delivery that leaves over-delivery held.

use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::purchase_order_service_client::PurchaseOrderServiceClient;
use aftersales_proto::parts::v1::purchasing_service_client::PurchasingServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::Store;
use crate::auth::{Bearer, Caller};

/// Parts' purchasing service.
pub type Purchasing = PurchasingServiceClient<InterceptedService<Channel, Bearer>>;
/// Parts' purchase order service.
pub type PurchaseOrders = PurchaseOrderServiceClient<InterceptedService<Channel, Bearer>>;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A SetSupplierStatus request for `supplier`.
pub fn supplier_status(supplier: &str, status: pb::SupplierStatus) -> pb::SetSupplierStatusRequest {
    pb::SetSupplierStatusRequest {
        request_id: id(),
        supplier_id: supplier.into(),
        name: "Mann+Hummel Nanjing".into(),
        status: status as i32,
        reason: "annual supplier review".into(),
    }
}

/// A CreatePurchaseOrder request: `hundredths` of `part` from `supplier`.
pub fn new_order(supplier: &str, part: &str, hundredths: i64) -> pb::CreatePurchaseOrderRequest {
    pb::CreatePurchaseOrderRequest {
        request_id: id(),
        supplier_id: supplier.into(),
        lines: vec![pb::NewPurchaseOrderLine { part_number: part.into(), quantity_hundredths: hundredths }],
    }
}

/// A ReceiveGoods request: one line delivered into `bin` under `batch`.
pub fn delivery(order: &pb::PurchaseOrder, warehouse: &str, delivered: i64, rejected: i64) -> pb::ReceiveGoodsRequest {
    pb::ReceiveGoodsRequest {
        request_id: id(),
        purchase_order_id: order.id.clone(),
        warehouse_id: warehouse.into(),
        delivery_note: "DN-2026-0042".into(),
        lines: vec![pb::DeliveredLine {
            line_id: order.lines[0].line_id.clone(),
            bin: "A-01".into(),
            batch: "PO-B1".into(),
            delivered_hundredths: delivered,
            rejected_hundredths: rejected,
            rejection_reason: if rejected > 0 { "crushed packaging".into() } else { String::new() },
        }],
    }
}

impl Store {
    /// The purchasing service as `role` (of the store's dealer; OEM roles have none).
    pub fn purchasing(&self, role: &str) -> Purchasing {
        PurchasingServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(self.token_of(role))))
    }

    /// The purchase order service as `role`.
    pub fn purchase_orders(&self, role: &str) -> PurchaseOrders {
        PurchaseOrderServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(self.token_of(role))))
    }

    fn token_of(&self, role: &str) -> String {
        if role.starts_with("oem_") {
            Caller::role(role).token(&self.data_dir)
        } else {
            Caller::dealer(role, &self.dealer).token(&self.data_dir)
        }
    }

    /// A fresh supplier the OEM approved; its id.
    pub async fn approved_supplier(&self) -> String {
        let supplier = aftersales_kernel::SupplierId::new().to_string();
        let request = supplier_status(&supplier, pb::SupplierStatus::Approved);
        self.purchasing("oem_manager").set_supplier_status(request).await.expect("supplier listed");
        supplier
    }

    /// An order of 10 pieces of the part from a fresh approved supplier (as the manager).
    pub async fn place_order(&self) -> pb::PurchaseOrder {
        let supplier = self.approved_supplier().await;
        let request = new_order(&supplier, &self.part, 1000);
        self.purchase_orders("dealer_manager").create_purchase_order(request).await.expect("order").into_inner()
    }

    /// A fresh order delivered with 2 pieces too many (held); the order and the receipt's id.
    pub async fn over_delivered(&self) -> (pb::PurchaseOrder, String) {
        let order = self.place_order().await;
        let request = delivery(&order, &self.warehouse, 1200, 0);
        let order = self.purchase_orders("parts_clerk").receive_goods(request).await.expect("delivery").into_inner();
        let receipt = order.receipts[0].id.clone();
        (order, receipt)
    }

    /// A draft plan of the dealer (as the clerk).
    pub async fn draft_plan(&self) -> pb::PurchasePlan {
        let request = pb::DraftPurchasePlanRequest { request_id: id() };
        self.purchasing("parts_clerk").draft_purchase_plan(request).await.expect("plan").into_inner()
    }

    /// A draft plan with one line: 1 piece of the part from a fresh approved supplier (as the manager).
    pub async fn plan_to_approve(&self) -> pb::PurchasePlan {
        let plan = self.draft_plan().await;
        let supplier = self.approved_supplier().await;
        let request = pb::EditPurchasePlanRequest {
            request_id: id(),
            plan_id: plan.id,
            lines: vec![pb::PlanLineEdit {
                part_number: self.part.clone(),
                quantity_hundredths: 100,
                supplier_id: supplier,
            }],
        };
        self.purchasing("dealer_manager").edit_purchase_plan(request).await.expect("plan edited").into_inner()
    }
}
