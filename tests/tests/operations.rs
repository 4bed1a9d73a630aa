//! Workshop's operation catalogue end to end: create → get → list (paging) → update at the current etag → a stale
//! etag is ABORTED → every change is on workshop's feed as `OperationCatalogUpdated` with the full record.

use aftersales_e2e::clients::{self, all_events};
use aftersales_e2e::fixtures::new_operation;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient;
use prost::Message;
use tonic::Code;

#[tokio::test(flavor = "multi_thread")]
async fn the_catalogue_is_maintained_with_etags_and_every_change_is_published_in_full() {
    let mut suite = Suite::start(Backend::Sqlite, &["workshop"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let manager = Caller::role("oem_manager").token(&data);
    let service = suite.service("workshop");
    let channel = service.channel().await;
    let mut catalogue =
        OperationCatalogueServiceClient::with_interceptor(channel.clone(), Bearer(Some(manager.clone())));

    // Create, and the same request again answers the same (idempotent); another request for the code is refused.
    let request = workshop::CreateOperationRequest { code: "ENG-0420".into(), ..new_operation() };
    let created = catalogue.create_operation(request.clone()).await.unwrap().into_inner();
    assert_eq!(
        (created.code.as_str(), created.name.as_str(), created.skill_family.as_str()),
        ("ENG-0420", "Replace timing belt", "engine")
    );
    assert_eq!((created.minimum_level, created.standard_hours_hundredths, created.active), (2, 150, true));
    assert!(!created.etag.is_empty());
    assert_eq!(created.create_time, created.update_time);
    assert_eq!(catalogue.create_operation(request.clone()).await.unwrap().into_inner(), created);
    let again = workshop::CreateOperationRequest { request_id: uuid::Uuid::now_v7().to_string(), ..request };
    assert_eq!(catalogue.create_operation(again).await.unwrap_err().code(), Code::AlreadyExists);

    // Any staff member reads it.
    let advisor = Caller::dealer("technician", &aftersales_kernel::DealerId::new().to_string()).token(&data);
    let mut reader = OperationCatalogueServiceClient::with_interceptor(channel.clone(), Bearer(Some(advisor)));
    let got = reader.get_operation(workshop::GetOperationRequest { code: "ENG-0420".into() }).await.unwrap();
    assert_eq!(got.into_inner(), created);

    // List pages in code order, and filters by family.
    for (code, family) in [("BDY-0100", "body"), ("ELE-0007", "electrical"), ("ENG-0001", "engine")] {
        let request =
            workshop::CreateOperationRequest { code: code.into(), skill_family: family.into(), ..new_operation() };
        catalogue.create_operation(request).await.unwrap();
    }
    let mut codes = Vec::new();
    let mut token = String::new();
    loop {
        let page = Some(PageRequest { page_size: 3, page_token: token.clone() });
        let response = reader
            .list_operations(workshop::ListOperationsRequest { page, ..Default::default() })
            .await
            .unwrap()
            .into_inner();
        assert!(response.operations.len() <= 3);
        codes.extend(response.operations.into_iter().map(|o| o.code));
        token = response.page.unwrap_or_default().next_page_token;
        if token.is_empty() {
            break;
        }
    }
    assert_eq!(codes, ["BDY-0100", "ELE-0007", "ENG-0001", "ENG-0420"]);
    let engine = reader
        .list_operations(workshop::ListOperationsRequest { skill_family: "engine".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(engine.operations.iter().map(|o| o.code.as_str()).collect::<Vec<_>>(), ["ENG-0001", "ENG-0420"]);

    // Update at the current etag: every mutable field is replaced, the etag moves.
    let update = workshop::UpdateOperationRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        code: "ENG-0420".into(),
        etag: created.etag.clone(),
        name: "Replace timing belt and water pump".into(),
        skill_family: "engine_major".into(),
        minimum_level: 4,
        standard_hours_hundredths: 320,
        active: false,
    };
    let updated = catalogue.update_operation(update.clone()).await.unwrap().into_inner();
    assert_eq!(updated.name, "Replace timing belt and water pump");
    assert_eq!((updated.skill_family.as_str(), updated.minimum_level), ("engine_major", 4));
    assert_eq!((updated.standard_hours_hundredths, updated.active), (320, false));
    assert_ne!(updated.etag, created.etag);
    assert_eq!(updated.create_time, created.create_time);
    // The same request replayed answers the same; a new request at the old etag is ABORTED and changes nothing.
    assert_eq!(catalogue.update_operation(update.clone()).await.unwrap().into_inner(), updated);
    let stale = workshop::UpdateOperationRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        name: "Someone else's edit".into(),
        ..update
    };
    assert_eq!(catalogue.update_operation(stale).await.unwrap_err().code(), Code::Aborted);
    let now = reader.get_operation(workshop::GetOperationRequest { code: "ENG-0420".into() }).await.unwrap();
    assert_eq!(now.into_inner(), updated);
    // Only the OEM manager maintains it.
    let denied = reader.create_operation(new_operation()).await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied);

    // The feed: one OperationCatalogUpdated per change of ENG-0420, each with the full record at that moment.
    let mut feed = clients::feed(service, &manager).await;
    let events: Vec<_> = all_events(&mut feed).await.into_iter().filter(|e| e.aggregate_id == "ENG-0420").collect();
    assert_eq!(events.len(), 2, "{events:?}");
    let records: Vec<workshop::Operation> = events
        .iter()
        .map(|e| {
            assert_eq!(e.event_type, "aftersales.workshop.v1.OperationCatalogUpdated");
            assert_eq!(e.aggregate_type, "operation");
            let payload = e.payload.as_ref().expect("payload");
            workshop::OperationCatalogUpdated::decode(payload.value.as_slice()).unwrap().operation.unwrap()
        })
        .collect();
    assert_eq!(records, [created, updated]);
}
