//! First-contact responsibility over the real binary, on SQLite and PostgreSQL: an advisor takes an urgent
//! complaint and owns it; a colleague's reply is refused; the owner hands it to the colleague (a member of the
//! dealer's staff in the directory; someone who is not is refused); the colleague replies and closes; a closed
//! inquiry takes nothing more; another dealer's staff get NOT_FOUND; the four events are on the feed in order with
//! what escalation's reply clock needs, and no customer name or contact.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, directory, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;
use aftersales_proto::reception::v1::inquiry_service_client::InquiryServiceClient;
use aftersales_runtime::outbox::decode_payload;
use tonic::Code;

async fn first_contact(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let dealer = aftersales_kernel::DealerId::new().to_string();
    directory::register_dealer(suite.service("reception"), &data, &dealer, "INQ", 1300).await;
    let manager = Caller::dealer("dealer_manager", &dealer).token(&data);
    let mut staff = DirectoryServiceClient::with_interceptor(channel.clone(), Bearer(Some(manager)));
    let colleague = staff.add_staff_member(fixtures::add_staff_member()).await.unwrap().into_inner().subject;
    let advisor_token = Caller::dealer("service_advisor", &dealer).token_as(&data, "alice");
    let colleague_token = Caller::dealer("service_advisor", &dealer).token_as(&data, &colleague);
    let client = |token: String| InquiryServiceClient::with_interceptor(channel.clone(), Bearer(Some(token)));
    let (mut alice, mut bob) = (client(advisor_token), client(colleague_token));

    let taken = alice.receive_inquiry(fixtures::receive_inquiry()).await.unwrap().into_inner();
    assert_eq!((taken.owner.as_str(), taken.state()), ("alice", pb::InquiryState::Open));
    let reply = |id: &str, text: &str| pb::ReplyToInquiryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        inquiry_id: id.to_string(),
        text: text.to_string(),
        channel: pb::InquiryChannel::Phone as i32,
    };
    let refused = bob.reply_to_inquiry(reply(&taken.id, "I can help")).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied, "only the owner replies");

    let hand_over = |to: &str| pb::HandOverInquiryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        inquiry_id: taken.id.clone(),
        to_subject: to.to_string(),
        reason: "the car was Bob's job".into(),
    };
    let stranger = alice.hand_over_inquiry(hand_over("not-on-the-staff")).await.unwrap_err();
    assert_eq!(stranger.code(), Code::InvalidArgument, "only to a member of the dealer's staff");
    let handed = alice.hand_over_inquiry(hand_over(&colleague)).await.unwrap().into_inner();
    assert_eq!(handed.owner, colleague);
    assert_eq!(handed.hand_overs[0].from_subject, "alice");

    let replied = bob.reply_to_inquiry(reply(&taken.id, "we collect the car within the hour")).await.unwrap();
    assert_eq!(replied.into_inner().replies.len(), 1);
    let close = pb::CloseInquiryRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        inquiry_id: taken.id.clone(),
        resolution: "battery replaced under warranty".into(),
    };
    let closed = bob.close_inquiry(close).await.unwrap().into_inner();
    assert_eq!(closed.state(), pb::InquiryState::Closed);
    let late = bob.reply_to_inquiry(reply(&taken.id, "one more thing")).await.unwrap_err();
    assert_eq!(late.code(), Code::FailedPrecondition);

    let other = aftersales_kernel::DealerId::new().to_string();
    let mut outsider = client(Caller::dealer("service_advisor", &other).token(&data));
    let hidden = outsider.get_inquiry(pb::GetInquiryRequest { id: taken.id.clone() }).await.unwrap_err();
    assert_eq!(hidden.code(), Code::NotFound);
    let open = pb::ListInquiriesRequest { open_only: true, ..Default::default() };
    assert!(alice.list_inquiries(open).await.unwrap().into_inner().inquiries.is_empty());

    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    // The dealer, the staff member, then the inquiry's four events.
    let events = clients::at_least_events(&feed, 6).await;
    let inquiry_events: Vec<&str> = events
        .iter()
        .filter(|e| e.aggregate_id == taken.id)
        .map(|e| e.event_type.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(inquiry_events, ["InquiryReceived", "InquiryHandedOver", "InquiryReplied", "InquiryClosed"]);
    let received = events.iter().find_map(decode_payload::<pb::InquiryReceived>).unwrap().unwrap();
    assert!(received.urgent && received.owner == "alice");
    let first = events.iter().find_map(decode_payload::<pb::InquiryReplied>).unwrap().unwrap();
    assert!(first.first_reply);
    for event in events.iter().filter(|e| e.aggregate_id == taken.id) {
        let bytes = &event.payload.as_ref().unwrap().value;
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("Li Wei") && !text.contains("+8613800000000"), "no personal data on the feed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn first_contact_responsibility_on_sqlite() {
    first_contact(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn first_contact_responsibility_on_postgres() {
    first_contact(Backend::Postgres).await;
}
