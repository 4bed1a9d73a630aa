//! The harness's calls of parts' warehouse, stock, stock count and transfer RPCs: dealer A's store for 'own', B's for 'foreign', an id
//! that does not exist for 'missing'.

use aftersales_e2e::fixtures;
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::parts::v1::stock_count_service_client::StockCountServiceClient;
use aftersales_proto::parts::v1::stock_service_client::StockServiceClient;
use aftersales_proto::parts::v1::transfer_service_client::TransferServiceClient;
use aftersales_proto::parts::v1::warehouse_service_client::WarehouseServiceClient;
use tonic::Code;

use super::Target;
use super::calls::code;
use super::world::World;

/// Makes the call; `None` when the method is not one of parts' warehouse or stock RPCs.
pub async fn call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let bearer = World::bearer(world.token(role, at));
    let mut warehouses = WarehouseServiceClient::with_interceptor(world.channels[at].clone(), bearer.clone());
    let mut stock = StockServiceClient::with_interceptor(world.channels[at].clone(), bearer);
    let missing = uuid::Uuid::now_v7().to_string();
    let (warehouse, part) = match target {
        Target::Own => (world.store_a.warehouse.clone(), world.store_a.part.clone()),
        Target::Foreign => (world.store_b.warehouse.clone(), world.store_b.part.clone()),
        Target::Missing => (missing.clone(), world.store_a.part.clone()),
    };
    if let Some(code) = super::requisition_calls::call(world, at, method, role, target).await {
        return Some(code);
    }
    if let Some(code) = super::purchasing_calls::call(world, at, method, role, target).await {
        return Some(code);
    }
    let code = match method.strip_prefix("aftersales.parts.v1.")? {
        "WarehouseService/CreateWarehouse" => code(warehouses.create_warehouse(fixtures::create_warehouse()).await),
        "WarehouseService/AddBin" => {
            let bin = format!("C-{}", &uuid::Uuid::now_v7().simple().to_string()[26..]).to_uppercase();
            code(warehouses.add_bin(fixtures::add_bin(&warehouse, &bin)).await)
        }
        "WarehouseService/GetWarehouse" => {
            code(warehouses.get_warehouse(parts::GetWarehouseRequest { id: warehouse }).await)
        }
        "WarehouseService/ListWarehouses" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = match target {
                Target::Own => String::new(),
                Target::Foreign => world.dealer_b.clone(),
                Target::Missing => missing_dealer,
            };
            code(warehouses.list_warehouses(parts::ListWarehousesRequest { dealer_id, ..Default::default() }).await)
        }
        "StockService/AdjustStock" => code(stock.adjust_stock(fixtures::adjust_stock(&warehouse, &part)).await),
        "StockService/IssueParts" => code(stock.issue_parts(fixtures::issue_parts(&warehouse, &part)).await),
        "StockService/GetStockLevel" => {
            let request = parts::GetStockLevelRequest { warehouse_id: warehouse, part_number: part };
            code(stock.get_stock_level(request).await)
        }
        "StockService/ListMovements" => {
            let request = parts::ListMovementsRequest { warehouse_id: warehouse, part_number: part, page: None };
            code(stock.list_movements(request).await)
        }
        "StockService/GetPartAvailability" => {
            let dealer_id = match target {
                Target::Own => world.dealer_a.clone(),
                Target::Foreign => world.dealer_b.clone(),
                Target::Missing => aftersales_kernel::DealerId::new().to_string(),
            };
            code(stock.get_part_availability(parts::GetPartAvailabilityRequest { dealer_id, part_number: part }).await)
        }
        method if method.starts_with("TransferService/") => {
            return Some(transfer_call(world, at, method, role, target).await);
        }
        method if method.starts_with("StockCountService/") => {
            return Some(count_call(world, at, method, role, target).await);
        }
        _ => return None,
    };
    Some(code)
}

/// The stock count RPCs: each call on a fresh open count of bin B-01 of A's or B's warehouse.
async fn count_call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Code {
    let mut counts =
        StockCountServiceClient::with_interceptor(world.channels[at].clone(), World::bearer(world.token(role, at)));
    let (warehouse, part) = match target {
        Target::Own => (world.store_a.warehouse.clone(), world.store_a.part.clone()),
        Target::Foreign => (world.store_b.warehouse.clone(), world.store_b.part.clone()),
        Target::Missing => (uuid::Uuid::now_v7().to_string(), world.store_a.part.clone()),
    };
    if method == "StockCountService/StartCount" {
        let request = parts::StartCountRequest { bins: vec!["B-01".into()], ..fixtures::start_count(&warehouse) };
        return code(counts.start_count(request).await);
    }
    let count_id = match target {
        Target::Own => world.store_a.open_count().await,
        Target::Foreign => world.store_b.open_count().await,
        Target::Missing => uuid::Uuid::now_v7().to_string(),
    };
    let request_id = uuid::Uuid::now_v7().to_string();
    match method {
        "StockCountService/RecordCount" => {
            let request =
                parts::RecordCountRequest { bin: "B-01".into(), ..fixtures::record_count(&count_id, &part, 100) };
            code(counts.record_count(request).await)
        }
        "StockCountService/PostCount" => {
            code(counts.post_count(parts::PostCountRequest { request_id, count_id }).await)
        }
        "StockCountService/CancelCount" => {
            let reason = "counted the wrong shelf".to_string();
            code(counts.cancel_count(parts::CancelCountRequest { request_id, count_id, reason }).await)
        }
        _ => code(counts.get_count(parts::GetCountRequest { id: count_id }).await),
    }
}

/// The transfer RPCs: from dealer A's / B's warehouse to its branch; receiving and reading fresh transfers.
async fn transfer_call(world: &World, at: &str, method: &str, role: &str, target: Target) -> Code {
    let mut transfers =
        TransferServiceClient::with_interceptor(world.channels[at].clone(), World::bearer(world.token(role, at)));
    let missing = uuid::Uuid::now_v7().to_string();
    match method {
        "TransferService/TransferStock" => {
            let (from, to, part) = match target {
                Target::Own => (&world.store_a.warehouse, &world.branch_a, &world.store_a.part),
                Target::Foreign => (&world.store_b.warehouse, &world.branch_b, &world.store_b.part),
                Target::Missing => (&missing, &world.branch_a, &world.store_a.part),
            };
            code(transfers.transfer_stock(fixtures::transfer_stock(from, to, part)).await)
        }
        "TransferService/ListTransfers" => {
            let dealer_id = match target {
                Target::Own => String::new(),
                Target::Foreign => world.dealer_b.clone(),
                Target::Missing => aftersales_kernel::DealerId::new().to_string(),
            };
            code(transfers.list_transfers(parts::ListTransfersRequest { dealer_id, ..Default::default() }).await)
        }
        _ => {
            let transfer_id = match target {
                Target::Own => world.store_a.send_to(&world.branch_a).await,
                Target::Foreign => world.store_b.send_to(&world.branch_b).await,
                Target::Missing => missing,
            };
            if method == "TransferService/ReceiveTransfer" {
                let request_id = uuid::Uuid::now_v7().to_string();
                let request = parts::ReceiveTransferRequest { request_id, transfer_id, bin: "A-01".into() };
                code(transfers.receive_transfer(request).await)
            } else {
                code(transfers.get_transfer(parts::GetTransferRequest { id: transfer_id }).await)
            }
        }
    }
}
