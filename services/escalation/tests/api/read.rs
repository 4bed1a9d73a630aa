//! GetCase and ListCases over real gRPC: who sees which cases, in which order, a page at a time.

use aftersales_kernel::{CaseId, DealerId};
use aftersales_proto::common::v1::PageRequest;
use aftersales_proto::escalation::v1 as pb;
use tonic::Code;

use crate::support::{Caller, SUPPORT, dealer_complaint, hotline_case, spawn_app};

/// Another dealer's case, a case tied to no dealer and a missing id all answer dealer staff NOT_FOUND alike.
#[tokio::test]
async fn dealer_staff_see_only_their_own_dealers_cases() {
    let app = spawn_app().await;
    let (own, other) = (DealerId::new(), DealerId::new());
    let mine = app.create(SUPPORT, dealer_complaint(&own.to_string())).await.unwrap();
    let theirs = app.create(SUPPORT, dealer_complaint(&other.to_string())).await.unwrap();
    let oem_only = app.create(SUPPORT, hotline_case()).await.unwrap();
    let technician = Caller::Dealer("technician", own);

    assert_eq!(app.get(technician, &mine.id).await.unwrap().id, mine.id);
    for id in [theirs.id.clone(), oem_only.id.clone(), CaseId::new().to_string()] {
        assert_eq!(app.get(technician, &id).await.unwrap_err().code(), Code::NotFound, "{id}");
    }
    for caller in [Caller::Oem("quality"), Caller::Oem("oem_executive")] {
        assert_eq!(app.get(caller, &oem_only.id).await.unwrap().id, oem_only.id, "{caller:?}");
    }
    assert_eq!(app.get(Caller::Supplier, &mine.id).await.unwrap_err().code(), Code::PermissionDenied);
    assert_eq!(app.get(technician, "not-an-id").await.unwrap_err().code(), Code::InvalidArgument);
}

#[tokio::test]
async fn cases_are_listed_newest_first_a_page_at_a_time() {
    let app = spawn_app().await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(app.create(SUPPORT, hotline_case()).await.unwrap().id);
    }
    let page = |token: String| pb::ListCasesRequest {
        page: Some(PageRequest { page_size: 2, page_token: token }),
        ..Default::default()
    };

    let first = app.list(SUPPORT, page(String::new())).await.unwrap();
    let token = first.page.clone().unwrap().next_page_token;
    let second = app.list(SUPPORT, page(token)).await.unwrap();

    let ids: Vec<_> = first.cases.iter().chain(&second.cases).map(|c| c.id.clone()).collect();
    assert_eq!(ids, created.into_iter().rev().collect::<Vec<_>>());
    assert_eq!(second.page.unwrap().next_page_token, "", "the last page has no token");
}

#[tokio::test]
async fn lists_are_filtered_by_dealer_and_state_and_dealer_staff_cannot_name_another_dealer() {
    let app = spawn_app().await;
    let (own, other) = (DealerId::new(), DealerId::new());
    let mine = app.create(SUPPORT, dealer_complaint(&own.to_string())).await.unwrap();
    app.create(SUPPORT, dealer_complaint(&other.to_string())).await.unwrap();
    app.create(SUPPORT, hotline_case()).await.unwrap();
    let parts_clerk = Caller::Dealer("parts_clerk", own);
    let filter = |dealer: String, state: pb::CaseState| pb::ListCasesRequest {
        dealer_id: dealer,
        state: state as i32,
        ..Default::default()
    };

    let own_list = app.list(parts_clerk, Default::default()).await.unwrap();
    let named = app.list(SUPPORT, filter(own.to_string(), pb::CaseState::Received)).await.unwrap();
    let everything = app.list(SUPPORT, Default::default()).await.unwrap();
    let triaged = app.list(SUPPORT, filter(String::new(), pb::CaseState::Triaged)).await.unwrap();
    let foreign = app.list(parts_clerk, filter(other.to_string(), pb::CaseState::Unspecified)).await;

    assert_eq!(own_list.cases.iter().map(|c| &c.id).collect::<Vec<_>>(), [&mine.id]);
    assert_eq!(named.cases.iter().map(|c| &c.id).collect::<Vec<_>>(), [&mine.id]);
    assert_eq!(everything.cases.len(), 3, "OEM staff see every case, including those tied to no dealer");
    assert!(triaged.cases.is_empty());
    assert_eq!(foreign.unwrap_err().code(), Code::PermissionDenied);
    assert_eq!(app.list(Caller::Supplier, Default::default()).await.unwrap_err().code(), Code::PermissionDenied);
}
