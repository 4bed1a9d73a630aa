//! Bad input, field by field, for first-contact responsibility: every request field has at least one failing row →
//! INVALID_ARGUMENT naming it; the inquiry and the feed are unchanged afterwards.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::{Mutation, names_field};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::inquiry_service_client::InquiryServiceClient;

const RECEIVE: &[Mutation<pb::ReceiveInquiryRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("kind", "unspecified", |r| r.kind = 0),
    ("channel", "unspecified", |r| r.channel = 0),
    ("channel", "unknown", |r| r.channel = 12),
    ("customer_name", "missing", |r| r.customer_name.clear()),
    ("customer_name", "over 200 characters", |r| r.customer_name = "n".repeat(201)),
    ("customer_contact", "missing", |r| r.customer_contact.clear()),
    ("customer_contact", "over 100 characters", |r| r.customer_contact = "1".repeat(101)),
    ("vin", "wrong check digit", |r| r.vin = "1M8GDM9AYKP042788".into()),
    ("subject", "missing", |r| r.subject.clear()),
    ("description", "missing", |r| r.description.clear()),
    ("description", "a control character", |r| r.description = "dead\u{7}battery".into()),
];

const HAND_OVER: &[Mutation<pb::HandOverInquiryRequest>] = &[
    ("request_id", "not a uuid", |r| r.request_id = "x".into()),
    ("inquiry_id", "missing", |r| r.inquiry_id.clear()),
    ("inquiry_id", "not an id", |r| r.inquiry_id = "INQ-1".into()),
    ("to_subject", "missing", |r| r.to_subject.clear()),
    ("to_subject", "not on the dealer's staff", |r| r.to_subject = "nobody".into()),
    ("to_subject", "the owner already", |r| r.to_subject = "alice".into()),
    ("reason", "missing", |r| r.reason.clear()),
];

const REPLY: &[Mutation<pb::ReplyToInquiryRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("inquiry_id", "not an id", |r| r.inquiry_id = "1".into()),
    ("text", "missing", |r| r.text.clear()),
    ("text", "over 4000 characters", |r| r.text = "t".repeat(4001)),
    ("channel", "unspecified", |r| r.channel = 0),
];

const CLOSE: &[Mutation<pb::CloseInquiryRequest>] = &[
    ("request_id", "missing", |r| r.request_id.clear()),
    ("inquiry_id", "not an id", |r| r.inquiry_id = "1".into()),
    ("resolution", "missing", |r| r.resolution.clear()),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_an_inquiry_is_named_and_nothing_is_written() {
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let token = Caller::dealer("service_advisor", &dealer).token_as(&data, "alice");
    let inquiries =
        InquiryServiceClient::with_interceptor(suite.service("reception").channel().await, Bearer(Some(token)));
    let taken = inquiries.clone().receive_inquiry(fixtures::receive_inquiry()).await.unwrap().into_inner();
    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    let events_before = clients::at_least_events(&feed, 1).await;

    for (field, case, mutate) in RECEIVE {
        let mut request = fixtures::receive_inquiry();
        mutate(&mut request);
        names_field(
            inquiries.clone().receive_inquiry(request).await,
            field,
            &format!("ReceiveInquiry {field}: {case}"),
        );
    }
    for (field, case, mutate) in HAND_OVER {
        let mut request = pb::HandOverInquiryRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            inquiry_id: taken.id.clone(),
            to_subject: "nobody".into(),
            reason: "off sick".into(),
        };
        mutate(&mut request);
        names_field(
            inquiries.clone().hand_over_inquiry(request).await,
            field,
            &format!("HandOverInquiry {field}: {case}"),
        );
    }
    for (field, case, mutate) in REPLY {
        let mut request = pb::ReplyToInquiryRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            inquiry_id: taken.id.clone(),
            text: "on it".into(),
            channel: pb::InquiryChannel::Phone as i32,
        };
        mutate(&mut request);
        names_field(
            inquiries.clone().reply_to_inquiry(request).await,
            field,
            &format!("ReplyToInquiry {field}: {case}"),
        );
    }
    for (field, case, mutate) in CLOSE {
        let mut request = pb::CloseInquiryRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            inquiry_id: taken.id.clone(),
            resolution: "done".into(),
        };
        mutate(&mut request);
        names_field(inquiries.clone().close_inquiry(request).await, field, &format!("CloseInquiry {field}: {case}"));
    }
    names_field(
        inquiries.clone().get_inquiry(pb::GetInquiryRequest { id: "x".into() }).await,
        "id",
        "GetInquiry id: not an id",
    );
    let bad_list = pb::ListInquiriesRequest { dealer_id: "d".into(), ..Default::default() };
    names_field(inquiries.clone().list_inquiries(bad_list).await, "dealer_id", "ListInquiries dealer_id: not an id");

    let now = inquiries.clone().get_inquiry(pb::GetInquiryRequest { id: taken.id.clone() }).await.unwrap().into_inner();
    assert_eq!(now, taken, "the inquiry is as it was");
    let mut feed = feed;
    assert_eq!(clients::all_events(&mut feed).await, events_before, "no new event");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_field_of_the_advisor_kpis_is_named() {
    use aftersales_proto::reception::v1::reception_kpi_service_client::ReceptionKpiServiceClient;
    let mut suite = Suite::start(Backend::Sqlite, &["reception"], SuiteOptions::default()).await.unwrap();
    let data = suite.data_dir();
    let channel = suite.service("reception").channel().await;
    let oem =
        ReceptionKpiServiceClient::with_interceptor(channel, Bearer(Some(Caller::role("oem_manager").token(&data))));
    let dealer = aftersales_kernel::DealerId::new().to_string();
    for (field, case, dealer_id, month) in [
        ("month", "missing", dealer.as_str(), ""),
        ("month", "month 13", dealer.as_str(), "2026-13"),
        ("month", "two-digit year", dealer.as_str(), "26-03"),
        ("dealer_id", "not an id", "D-1", "2026-03"),
        ("dealer_id", "missing for the OEM", "", "2026-03"),
    ] {
        let request = pb::GetAdvisorKpisRequest { dealer_id: dealer_id.into(), month: month.into() };
        names_field(oem.clone().get_advisor_kpis(request).await, field, &format!("GetAdvisorKpis {field}: {case}"));
    }
}
