//! `InquiryService` over gRPC: check the caller, parse the request, call the use case, render.

use aftersales_kernel::{DealerId, Vin};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::inquiry_service_server::InquiryService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::{READERS, dealer_of};
use crate::app::Reception;
use crate::convert::inquiries as render;
use crate::domain::inquiry::{InquiryChannel, InquiryKind, NewInquiry};

/// Every dealer role takes inquiries: whoever the customer reaches first (on-duty staff out of hours).
const TAKERS: &[Role] =
    &[Role::ServiceAdvisor, Role::Foreman, Role::Technician, Role::QcInspector, Role::PartsClerk, Role::DealerManager];
const LIST: &str = "reception.ListInquiries";
/// Longest customer contact.
const CONTACT_MAX: usize = 100;

/// The gRPC face of first-contact responsibility.
#[derive(Clone, Debug)]
pub struct InquiryApi {
    app: Reception,
}

impl InquiryApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

fn channel(check: &mut Check, raw: i32) -> Option<InquiryChannel> {
    let channel = match pb::InquiryChannel::try_from(raw) {
        Ok(pb::InquiryChannel::Phone) => InquiryChannel::Phone,
        Ok(pb::InquiryChannel::WalkIn) => InquiryChannel::WalkIn,
        Ok(pb::InquiryChannel::App) => InquiryChannel::App,
        Ok(pb::InquiryChannel::Hotline) => InquiryChannel::Hotline,
        Ok(pb::InquiryChannel::Email) => InquiryChannel::Email,
        Ok(pb::InquiryChannel::Other) => InquiryChannel::Other,
        _ => {
            check.fail("channel", "must be PHONE, WALK_IN, APP, HOTLINE, EMAIL or OTHER");
            return None;
        }
    };
    Some(channel)
}

fn ids(check: &mut Check, request_id: &str, inquiry: &str) -> (Option<uuid::Uuid>, Option<uuid::Uuid>) {
    (check.request_id("request_id", request_id), check.parse("inquiry_id", uuid::Uuid::try_parse(inquiry)))
}

#[tonic::async_trait]
impl InquiryService for InquiryApi {
    async fn receive_inquiry(
        &self,
        request: Request<pb::ReceiveInquiryRequest>,
    ) -> Result<Response<pb::Inquiry>, Status> {
        let caller = principal(&request)?;
        caller.require(TAKERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let kind = match pb::InquiryKind::try_from(r.kind) {
            Ok(pb::InquiryKind::Inquiry) => Some(InquiryKind::Inquiry),
            Ok(pb::InquiryKind::Complaint) => Some(InquiryKind::Complaint),
            _ => {
                check.fail("kind", "must be INQUIRY or COMPLAINT");
                None
            }
        };
        let channel = channel(&mut check, r.channel);
        let name = check.text("customer_name", &r.customer_name, 1, NAME_MAX);
        let contact = check.text("customer_contact", &r.customer_contact, 1, CONTACT_MAX);
        let vin = if r.vin.is_empty() { Some(None) } else { check.parse("vin", Vin::parse(&r.vin)).map(Some) };
        let subject = check.text("subject", &r.subject, 1, NAME_MAX);
        let description = check.text("description", &r.description, 1, TEXT_MAX);
        let (request_id, details) = check.finish_with(|| {
            Some((
                request_id?,
                NewInquiry {
                    kind: kind?,
                    channel: channel?,
                    urgent: r.urgent,
                    customer_name: name?,
                    customer_contact: contact?,
                    vin: vin?,
                    subject: subject?,
                    description: description?,
                },
            ))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "ReceiveInquiry", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.receive_inquiry(&key, &caller, dealer, details).await?))
    }

    async fn hand_over_inquiry(
        &self,
        request: Request<pb::HandOverInquiryRequest>,
    ) -> Result<Response<pb::Inquiry>, Status> {
        let caller = principal(&request)?;
        caller.require(TAKERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let (request_id, id) = ids(&mut check, &r.request_id, &r.inquiry_id);
        let to = check.text("to_subject", &r.to_subject, 1, NAME_MAX);
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, id, to, reason) = check.finish_with(|| Some((request_id?, id?, to?, reason?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "HandOverInquiry", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.hand_over_inquiry(&key, &caller, id, &to, &reason).await?))
    }

    async fn reply_to_inquiry(
        &self,
        request: Request<pb::ReplyToInquiryRequest>,
    ) -> Result<Response<pb::Inquiry>, Status> {
        let caller = principal(&request)?;
        caller.require(TAKERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let (request_id, id) = ids(&mut check, &r.request_id, &r.inquiry_id);
        let text = check.text("text", &r.text, 1, TEXT_MAX);
        let channel = channel(&mut check, r.channel);
        let (request_id, id, text, channel) = check.finish_with(|| Some((request_id?, id?, text?, channel?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "ReplyToInquiry", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.reply_to_inquiry(&key, &caller, id, &text, channel).await?))
    }

    async fn close_inquiry(&self, request: Request<pb::CloseInquiryRequest>) -> Result<Response<pb::Inquiry>, Status> {
        let caller = principal(&request)?;
        caller.require(TAKERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let (request_id, id) = ids(&mut check, &r.request_id, &r.inquiry_id);
        let resolution = check.text("resolution", &r.resolution, 1, TEXT_MAX);
        let (request_id, id, resolution) = check.finish_with(|| Some((request_id?, id?, resolution?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CloseInquiry", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.close_inquiry(&key, &caller, id, &resolution).await?))
    }

    async fn get_inquiry(&self, request: Request<pb::GetInquiryRequest>) -> Result<Response<pb::Inquiry>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(render::inquiry(&self.app.inquiry(&caller, id).await?)))
    }

    async fn list_inquiries(
        &self,
        request: Request<pb::ListInquiriesRequest>,
    ) -> Result<Response<pb::ListInquiriesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            if r.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&r.dealer_id)) };
        let owner = if r.owner.is_empty() { None } else { check.text("owner", &r.owner, 1, NAME_MAX) };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let list = self.app.inquiries(&scope, r.open_only, owner.as_deref(), after, page.fetch_limit()).await?;
        let (list, page) = page.finish(LIST, list, |i| i.id.to_string());
        Ok(Response::new(pb::ListInquiriesResponse {
            inquiries: list.iter().map(render::inquiry).collect(),
            page: Some(page),
        }))
    }
}
