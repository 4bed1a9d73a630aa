//! The operation catalogue the fixtures' estimates use. Reception checks every labour line against its read copy
//! of workshop's catalogue, so every suite with reception starts with [`ENGINE_OPERATION`] in that copy:
//! created in the real workshop when the suite runs one, else published on a fake workshop feed (or on the
//! test's own, see [`publish`]) — and [`Suite::start`](crate::Suite::start) waits until reception has it.

use std::time::Duration;

use aftersales_proto::reception::v1 as reception;
use aftersales_proto::reception::v1::repair_order_service_client::RepairOrderServiceClient;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use crate::auth::{Bearer, Caller};
use crate::fake_feed::FakeFeed;
use crate::{fixtures, wait};

/// The operation code of the fixtures' labour line (engine, level 2).
pub const ENGINE_OPERATION: &str = "ENG-0420";

/// Makes sure workshop's catalogue has [`ENGINE_OPERATION`] (as the OEM manager).
pub async fn stock_workshop(workshop: Channel, data_dir: &str) {
    let oem = Caller::role("oem_manager").token(data_dir);
    let mut catalogue = OperationCatalogueServiceClient::with_interceptor(workshop, Bearer(Some(oem)));
    let operation = workshop::CreateOperationRequest { code: ENGINE_OPERATION.into(), ..fixtures::new_operation() };
    match catalogue.create_operation(operation).await {
        Ok(_) => {}
        Err(status) if status.code() == Code::AlreadyExists => {}
        Err(status) => panic!("catalogue operation: {status:?}"),
    }
}

/// Publishes [`ENGINE_OPERATION`] on a fake workshop feed, as workshop would on creating it.
pub fn publish(feed: &FakeFeed) {
    publish_operation(feed, ENGINE_OPERATION, true);
}

/// Publishes a catalogue record of `code` (active or retired, changed now) on a fake workshop feed.
pub fn publish_operation(feed: &FakeFeed, code: &str, active: bool) {
    let now = chrono::Utc::now();
    let stamp = prost_types::Timestamp { seconds: now.timestamp(), nanos: now.timestamp_subsec_nanos() as i32 };
    let request = fixtures::new_operation();
    let operation = workshop::Operation {
        code: code.into(),
        name: request.name,
        skill_family: request.skill_family,
        minimum_level: request.minimum_level,
        standard_hours_hundredths: request.standard_hours_hundredths,
        active,
        create_time: Some(stamp),
        update_time: Some(stamp),
        etag: "\"1\"".into(),
    };
    feed.publish_oem("operation", code, &workshop::OperationCatalogUpdated { operation: Some(operation) });
}

/// Waits until reception's copy of the catalogue has [`ENGINE_OPERATION`].
pub async fn wait_for_copy(reception: Channel, data_dir: &str) {
    wait_for_record(reception, data_dir, ENGINE_OPERATION, true).await
}

/// Waits until reception's copy has `code` as active or retired.
pub async fn wait_for_record(reception: Channel, data_dir: &str, code: &str, active: bool) {
    let token = Caller::role("oem_support").token(data_dir);
    let client = RepairOrderServiceClient::with_interceptor(reception, Bearer(Some(token)));
    // A minute: on a loaded CI machine the first delivery of workshop's feed once took over 20 s.
    wait::until(Duration::from_secs(60), &format!("{code} in reception's copy of the catalogue"), || {
        let mut client = client.clone();
        async move {
            let request = reception::ListLabourOperationsRequest { include_retired: true, ..Default::default() };
            let listed = client.list_labour_operations(request).await.ok()?.into_inner();
            listed.operations.iter().any(|o| o.code == code && o.active == active).then_some(())
        }
    })
    .await
}
