//! Purchasing from a test store: suppliers registered and moved through the supplier service (parts lists them once it
//! has followed the supplier feed), plans and orders as the roles that make them, and a delivery that leaves
//! over-delivery held.

use std::time::Duration;

use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::purchase_order_service_client::PurchaseOrderServiceClient;
use aftersales_proto::parts::v1::purchasing_service_client::PurchasingServiceClient;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::supplier::v1::supplier_service_client::SupplierServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use super::Store;
use crate::auth::{Bearer, Caller};
use crate::{fixtures, wait};

/// Parts' purchasing service.
pub type Purchasing = PurchasingServiceClient<InterceptedService<Channel, Bearer>>;
/// Parts' purchase order service.
pub type PurchaseOrders = PurchaseOrderServiceClient<InterceptedService<Channel, Bearer>>;
/// The supplier service.
pub type Suppliers = SupplierServiceClient<InterceptedService<Channel, Bearer>>;

/// How long parts may take to follow a supplier change: a failure bound, not a delay (the feed streams at once).
const FOLLOWED_WITHIN: Duration = Duration::from_secs(30);

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The supplier service's SetSupplierStatus request moving `supplier` to `status`.
pub fn supplier_status(supplier: &str, status: supplier::SupplierStatus) -> supplier::SetSupplierStatusRequest {
    supplier::SetSupplierStatusRequest {
        request_id: id(),
        id: supplier.into(),
        status: status as i32,
        reason: "annual supplier review".into(),
    }
}

/// The standing parts lists for the supplier service's `status`.
pub fn listed_status(status: supplier::SupplierStatus) -> pb::SupplierStatus {
    match status {
        supplier::SupplierStatus::Approved => pb::SupplierStatus::Approved,
        supplier::SupplierStatus::Probation => pb::SupplierStatus::Probation,
        supplier::SupplierStatus::Blocked => pb::SupplierStatus::Blocked,
        supplier::SupplierStatus::Unspecified => pb::SupplierStatus::Unspecified,
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

    /// The supplier service as the OEM's quality department, found where the suite's supplier service announced
    /// itself (`<data_dir>/run/supplier.addr`): a suite that buys from suppliers runs the supplier service too.
    pub fn suppliers(&self) -> Suppliers {
        let file = aftersales_runtime::server::address_file(&self.data_dir, "supplier");
        let url = std::fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!("the supplier service does not run in this suite ({}: {e}); start it with parts", file.display())
        });
        let channel = Channel::from_shared(url.trim().to_string()).expect("supplier url").connect_lazy();
        SupplierServiceClient::with_interceptor(channel, Bearer(Some(Caller::role("quality").token(&self.data_dir))))
    }

    /// `supplier` on parts' supplier list, if parts lists it (read as the OEM's manager, every page).
    pub async fn listed_supplier(&self, supplier: &str) -> Option<pb::Supplier> {
        let mut purchasing = self.purchasing("oem_manager");
        let mut page_token = String::new();
        loop {
            let request = pb::ListSuppliersRequest { page: Some(PageRequest { page_size: 500, page_token }) };
            let page = purchasing.list_suppliers(request).await.expect("list suppliers").into_inner();
            if let Some(found) = page.suppliers.into_iter().find(|s| s.supplier_id == supplier) {
                return Some(found);
            }
            page_token = page.page.map(|p| p.next_page_token).unwrap_or_default();
            if page_token.is_empty() {
                return None;
            }
        }
    }

    /// `supplier` as parts lists it once it has followed the supplier service to `status`.
    pub async fn followed(&self, supplier: &str, status: supplier::SupplierStatus) -> pb::Supplier {
        let wanted = listed_status(status);
        wait::until(FOLLOWED_WITHIN, &format!("parts to list supplier {supplier} as {wanted:?}"), move || async move {
            self.listed_supplier(supplier).await.filter(|s| s.status() == wanted)
        })
        .await
    }

    /// A fresh supplier registered in the supplier service with `status`, once parts lists it; its id.
    pub async fn registered_supplier(&self, status: supplier::SupplierStatus) -> String {
        let request = supplier::CreateSupplierRequest { status: status as i32, ..fixtures::new_supplier() };
        let id = self.suppliers().create_supplier(request).await.expect("supplier registered").into_inner().id;
        self.followed(&id, status).await;
        id
    }

    /// Moves `supplier` to `status` in the supplier service; the supplier service's answer, once parts lists the
    /// supplier so.
    pub async fn move_supplier(&self, supplier: &str, status: supplier::SupplierStatus) -> supplier::Supplier {
        let request = supplier_status(supplier, status);
        let moved = self.suppliers().set_supplier_status(request).await.expect("supplier status set").into_inner();
        self.followed(supplier, status).await;
        moved
    }

    /// A fresh supplier the OEM approved (registered in the supplier service, listed by parts); its id.
    pub async fn approved_supplier(&self) -> String {
        self.registered_supplier(supplier::SupplierStatus::Approved).await
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
