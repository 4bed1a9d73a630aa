//! A dealer's parts store for tests: a catalogue part, a warehouse with two bins, stock put in by adjustment, and
//! clients of the warehouse and stock services as the roles that call them.

use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::part_catalogue_service_client::PartCatalogueServiceClient;
use aftersales_proto::parts::v1::stock_count_service_client::StockCountServiceClient;
use aftersales_proto::parts::v1::stock_service_client::StockServiceClient;
use aftersales_proto::parts::v1::transfer_service_client::TransferServiceClient;
use aftersales_proto::parts::v1::warehouse_service_client::WarehouseServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::auth::{Bearer, Caller};
use crate::fixtures;

pub mod purchasing;

/// Parts' stock service.
pub type Stock = StockServiceClient<InterceptedService<Channel, Bearer>>;
/// Parts' stock counts.
pub type Counts = StockCountServiceClient<InterceptedService<Channel, Bearer>>;
/// Parts' warehouse service.
pub type Warehouses = WarehouseServiceClient<InterceptedService<Channel, Bearer>>;

/// One dealer's store: a warehouse with bins A-01 and B-01 and a catalogue part.
pub struct Store {
    /// The dealer.
    pub dealer: String,
    /// The warehouse.
    pub warehouse: String,
    /// The part.
    pub part: String,
    channel: Channel,
    data_dir: String,
}

impl Store {
    /// Opens a store for `dealer` on parts at `channel`: a fresh part in the catalogue (as the OEM), the warehouse
    /// and its two bins (as the dealer's manager).
    pub async fn open(channel: Channel, data_dir: &str, dealer: &str) -> Store {
        Store::open_with(channel, data_dir, dealer, &fixtures::new_part("").part_number).await
    }

    /// The same with `part_number` (put in the catalogue unless it is there already).
    pub async fn open_with(channel: Channel, data_dir: &str, dealer: &str, part_number: &str) -> Store {
        let oem = Bearer(Some(Caller::role("oem_manager").token(data_dir)));
        let entry = pb::CreateCatalogueEntryRequest { part_number: part_number.into(), ..fixtures::new_part("") };
        match PartCatalogueServiceClient::with_interceptor(channel.clone(), oem).create_catalogue_entry(entry).await {
            Ok(_) => {}
            Err(status) if status.code() == tonic::Code::AlreadyExists => {}
            Err(status) => panic!("catalogue part: {status:?}"),
        }
        let manager = Bearer(Some(Caller::dealer("dealer_manager", dealer).token(data_dir)));
        let mut warehouses = WarehouseServiceClient::with_interceptor(channel.clone(), manager);
        let warehouse =
            warehouses.create_warehouse(fixtures::create_warehouse()).await.expect("warehouse").into_inner();
        for bin in ["A-01", "B-01"] {
            warehouses.add_bin(fixtures::add_bin(&warehouse.id, bin)).await.expect("bin");
        }
        Store {
            dealer: dealer.to_string(),
            warehouse: warehouse.id,
            part: part_number.to_string(),
            channel,
            data_dir: data_dir.to_string(),
        }
    }

    /// The same store over another channel (after the parts service restarted on a new port).
    pub fn reconnect(store: &Store, channel: Channel) -> Store {
        Store {
            dealer: store.dealer.clone(),
            warehouse: store.warehouse.clone(),
            part: store.part.clone(),
            channel,
            data_dir: store.data_dir.clone(),
        }
    }

    /// The stock service as `role` of the store's dealer.
    pub fn stock(&self, role: &str) -> Stock {
        let token = Caller::dealer(role, &self.dealer).token(&self.data_dir);
        StockServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(token)))
    }

    /// The stock count service as `role` of the store's dealer.
    pub fn counts(&self, role: &str) -> Counts {
        let token = Caller::dealer(role, &self.dealer).token(&self.data_dir);
        StockCountServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(token)))
    }

    /// A fresh open count of bin B-01 (as the manager); returns its id.
    pub async fn open_count(&self) -> String {
        let request = pb::StartCountRequest { bins: vec!["B-01".into()], ..fixtures::start_count(&self.warehouse) };
        self.counts("dealer_manager").start_count(request).await.expect("count").into_inner().id
    }

    /// Opens another warehouse of the dealer with bins A-01 and B-01; returns its id.
    pub async fn add_warehouse(&self) -> String {
        let manager = Bearer(Some(Caller::dealer("dealer_manager", &self.dealer).token(&self.data_dir)));
        let mut warehouses = WarehouseServiceClient::with_interceptor(self.channel.clone(), manager);
        let warehouse =
            warehouses.create_warehouse(fixtures::create_warehouse()).await.expect("warehouse").into_inner();
        for bin in ["A-01", "B-01"] {
            warehouses.add_bin(fixtures::add_bin(&warehouse.id, bin)).await.expect("bin");
        }
        warehouse.id
    }

    /// Sends one piece of the part to the dealer's warehouse `to` (as the clerk); returns the transfer's id.
    pub async fn send_to(&self, to: &str) -> String {
        let token = Caller::dealer("parts_clerk", &self.dealer).token(&self.data_dir);
        let mut transfers = TransferServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(token)));
        transfers
            .transfer_stock(fixtures::transfer_stock(&self.warehouse, to, &self.part))
            .await
            .expect("transfer")
            .into_inner()
            .id
    }

    /// Puts `hundredths` of the part into `bin` under `batch` (the manager's adjustment).
    pub async fn put(&self, bin: &str, batch: &str, hundredths: i64) -> pb::StockMovement {
        self.put_in(&self.warehouse, bin, batch, hundredths).await
    }

    /// The same in another of the dealer's warehouses.
    pub async fn put_in(&self, warehouse: &str, bin: &str, batch: &str, hundredths: i64) -> pb::StockMovement {
        let request = pb::AdjustStockRequest {
            bin: bin.into(),
            batch: batch.into(),
            quantity_hundredths: hundredths,
            ..fixtures::adjust_stock(warehouse, &self.part)
        };
        self.stock("dealer_manager").adjust_stock(request).await.expect("adjustment").into_inner()
    }

    /// The part's on-hand in the warehouse, as the clerk reads it.
    pub async fn level(&self) -> pb::StockLevel {
        self.level_in(&self.warehouse).await
    }

    /// The part's on-hand in another of the dealer's warehouses.
    pub async fn level_in(&self, warehouse: &str) -> pb::StockLevel {
        let request = pb::GetStockLevelRequest { warehouse_id: warehouse.into(), part_number: self.part.clone() };
        self.stock("parts_clerk").get_stock_level(request).await.expect("level").into_inner()
    }

    /// The part's availability at the dealer (on hand in all warehouses, reserved, available), as the clerk reads it.
    pub async fn availability(&self) -> pb::PartAvailability {
        let request = pb::GetPartAvailabilityRequest { dealer_id: String::new(), part_number: self.part.clone() };
        self.stock("parts_clerk").get_part_availability(request).await.expect("availability").into_inner()
    }

    /// Every movement of the part in the warehouse, newest first.
    pub async fn movements(&self) -> Vec<pb::StockMovement> {
        let mut all = Vec::new();
        let mut token = String::new();
        loop {
            let request = pb::ListMovementsRequest {
                warehouse_id: self.warehouse.clone(),
                part_number: self.part.clone(),
                page: Some(aftersales_proto::common::v1::PageRequest { page_size: 500, page_token: token }),
            };
            let page = self.stock("parts_clerk").list_movements(request).await.expect("movements").into_inner();
            all.extend(page.movements);
            match page.page.map(|p| p.next_page_token).filter(|t| !t.is_empty()) {
                Some(next) => token = next,
                None => return all,
            }
        }
    }
}
