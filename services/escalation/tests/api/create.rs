//! CreateCase over real gRPC: who may record a case, what a new case looks like, what the feed learns of it.

use aftersales_kernel::DealerId;
use aftersales_proto::common::v1::{TenantKind, WatchEventsRequest};
use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

use crate::support::{CLOCK_START, Caller, SUPPORT, dealer_complaint, hotline_case, spawn_app};

/// A new case is received on the service's clock, untriaged, with its VIN normalised; its `CaseOpened` is OEM
/// business (no dealer) and carries no personal data.
#[tokio::test]
async fn a_hotline_case_is_received_untriaged_and_published_without_its_contact() {
    let app = spawn_app().await;

    let case = app.create(SUPPORT, hotline_case()).await.expect("created");

    assert_eq!(case.state, pb::CaseState::Received as i32);
    assert_eq!(case.severity, pb::CaseSeverity::Unspecified as i32);
    assert_eq!(case.category, "");
    assert_eq!(case.dealer_id, "");
    assert_eq!(case.serial_or_vin, "1M8GDM9AXKP042788");
    assert_eq!(case.created_by, "oem_support");
    let start = chrono::DateTime::parse_from_rfc3339(CLOCK_START).unwrap().timestamp();
    assert_eq!(case.received_at.map(|t| t.seconds), Some(start), "the triage clock starts on the service clock");
    assert_eq!(app.get(SUPPORT, &case.id).await.expect("read back"), case);

    let mut stream = app
        .feed
        .clone()
        .watch_events(app.request_as(SUPPORT, WatchEventsRequest { after_sequence: 0 }))
        .await
        .unwrap()
        .into_inner();
    let envelope = stream.message().await.unwrap().and_then(|m| m.event).expect("an event");
    assert_eq!(envelope.event_type, "aftersales.escalation.v1.CaseOpened");
    assert_eq!((envelope.tenant_kind, envelope.aggregate_type.as_str()), (TenantKind::Oem as i32, "case"));
    let opened: pb::CaseOpened = decode_payload(&envelope).expect("CaseOpened").expect("decodes");
    assert_eq!((opened.case_id.as_str(), opened.received_at), (case.id.as_str(), case.received_at));
    let raw = &envelope.payload.as_ref().unwrap().value;
    for personal in ["Li Wei", "+86 138 0013 8000", "li.wei@example.cn"] {
        assert!(!raw.windows(personal.len()).any(|w| w == personal.as_bytes()), "{personal} leaked to the feed");
    }
}

/// Idempotency: the same request_id returns the first case and makes nothing twice; reused for another request it
/// is refused naming `request_id`.
#[tokio::test]
async fn a_repeated_create_returns_the_first_case_and_a_reused_request_id_is_refused() {
    let app = spawn_app().await;
    let request = hotline_case();

    let first = app.create(SUPPORT, request.clone()).await.unwrap();
    let again = app.create(SUPPORT, request.clone()).await.unwrap();
    let other = app.create(SUPPORT, pb::CreateCaseRequest { symptom: "knocking".into(), ..request }).await;

    assert_eq!(first, again);
    let status = other.expect_err("a different request with the same request_id");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("request_id"), "{}", status.message());
    assert_eq!(app.list(SUPPORT, Default::default()).await.unwrap().cases.len(), 1, "nothing made twice");
}

#[tokio::test]
async fn dealer_staff_file_complaints_for_their_own_dealer_only() {
    let app = spawn_app().await;
    let own = DealerId::new();
    let advisor = Caller::Dealer("service_advisor", own);

    let unnamed = app.create(advisor, dealer_complaint("")).await.unwrap();
    let named = app.create(Caller::Dealer("dealer_manager", own), dealer_complaint(&own.to_string())).await.unwrap();
    let foreign = app.create(advisor, dealer_complaint(&DealerId::new().to_string())).await;

    assert_eq!(unnamed.dealer_id, own.to_string());
    assert_eq!(named.dealer_id, own.to_string());
    assert_eq!(foreign.unwrap_err().code(), Code::PermissionDenied);
}

#[tokio::test]
async fn roles_without_a_say_in_cases_may_not_create_them() {
    let app = spawn_app().await;
    let dealer = DealerId::new();
    let refused = [
        Caller::Dealer("technician", dealer),
        Caller::Dealer("foreman", dealer),
        Caller::Oem("oem_executive"),
        Caller::Oem("quality"),
        Caller::Supplier,
    ];
    for caller in refused {
        let status = app.create(caller, dealer_complaint(&dealer.to_string())).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied, "{caller:?}");
    }
}

#[tokio::test]
async fn a_dealer_complaint_filed_by_the_oem_must_name_its_dealer() {
    let app = spawn_app().await;

    let status = app.create(SUPPORT, dealer_complaint("")).await.unwrap_err();

    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains("dealer_id"), "{}", status.message());
}

#[tokio::test]
async fn every_malformed_field_is_named() {
    let app = spawn_app().await;
    let mut request = hotline_case();
    request.serial_or_vin = "wp10 917".into();
    request.contact = Some(pb::Contact { name: "Li Wei".into(), phone: "call me".into(), email: "nobody".into() });

    let status = app.create(SUPPORT, request).await.unwrap_err();

    assert_eq!(status.code(), Code::InvalidArgument);
    for field in ["serial_or_vin", "contact.phone", "contact.email"] {
        assert!(status.message().contains(field), "{field} not named in {}", status.message());
    }
}
