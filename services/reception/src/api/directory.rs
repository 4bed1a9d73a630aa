//! `DirectoryService` over gRPC: check the caller, parse the request, call the use case, render.

use aftersales_kernel::{Currency, DealerId};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::directory_service_server::DirectoryService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX};
use chrono::{NaiveTime, Weekday};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::Reception;
use crate::convert::directory as render;
use crate::domain::directory::{DealerProfile, INTERVALS_MAX, OpeningInterval, StaffProfile, StaffRole};

/// Who keeps the list of dealers.
const DEALER_KEEPERS: &[Role] = &[Role::OemManager];
/// Who keeps a dealer's staff.
const STAFF_KEEPERS: &[Role] = &[Role::DealerManager];
/// Who reads the directory: staff (services keep read copies from the feed instead).
const DIRECTORY_READERS: &[Role] = &Role::STAFF;
/// Tenant of the dealer directory's idempotency keys: the OEM's.
const OEM_KEYS: &str = "oem";
const LIST_DEALERS: &str = "reception.ListDealers";
const LIST_STAFF: &str = "reception.ListStaff";
/// Longest contact.
const CONTACT_MAX: usize = 50;

/// The gRPC face of the dealer directory.
#[derive(Clone, Debug)]
pub struct DirectoryApi {
    app: Reception,
}

impl DirectoryApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

fn weekday(check: &mut Check, field: &str, raw: i32) -> Option<Weekday> {
    let day = match pb::Weekday::try_from(raw) {
        Ok(pb::Weekday::Monday) => Weekday::Mon,
        Ok(pb::Weekday::Tuesday) => Weekday::Tue,
        Ok(pb::Weekday::Wednesday) => Weekday::Wed,
        Ok(pb::Weekday::Thursday) => Weekday::Thu,
        Ok(pb::Weekday::Friday) => Weekday::Fri,
        Ok(pb::Weekday::Saturday) => Weekday::Sat,
        Ok(pb::Weekday::Sunday) => Weekday::Sun,
        _ => {
            check.fail(field, "must be MONDAY to SUNDAY");
            return None;
        }
    };
    Some(day)
}

fn time(check: &mut Check, field: &str, text: &str) -> Option<NaiveTime> {
    let parsed = (text.len() == 5).then(|| NaiveTime::parse_from_str(text, "%H:%M").ok()).flatten();
    if parsed.is_none() {
        check.fail(field, "must be a time HH:MM (24 h)");
    }
    parsed
}

/// The editable fields of a dealer, shared by Create and Update.
#[allow(clippy::too_many_arguments)] // the request's fields, one each
fn profile(
    check: &mut Check,
    name: &str,
    region: &str,
    time_zone: &str,
    hours: &[pb::OpeningHours],
    currency: &str,
    tax_rate_bp: i64,
    invoice_prefix: &str,
    active: bool,
) -> Option<DealerProfile> {
    let name = check.text("name", name, 1, NAME_MAX);
    let region = check.text("region", region, 1, 50);
    let zone = time_zone.parse::<chrono_tz::Tz>().ok();
    if zone.is_none() {
        check.fail("time_zone", "must be an IANA time zone such as Asia/Shanghai");
    }
    if hours.len() > INTERVALS_MAX {
        check.fail("opening_hours", format!("must have at most {INTERVALS_MAX} intervals"));
    }
    let intervals: Vec<Option<OpeningInterval>> = hours
        .iter()
        .take(INTERVALS_MAX)
        .enumerate()
        .map(|(i, h)| {
            let day = weekday(check, &format!("opening_hours[{i}].day"), h.day);
            let opens = time(check, &format!("opening_hours[{i}].opens"), &h.opens);
            let closes = time(check, &format!("opening_hours[{i}].closes"), &h.closes);
            Some(OpeningInterval { day: day?, opens: opens?, closes: closes? })
        })
        .collect();
    let currency = check.parse("currency_code", Currency::parse(currency));
    let prefix = check.text("invoice_prefix", invoice_prefix, 1, 10);
    Some(DealerProfile {
        name: name?,
        region: region?,
        time_zone: zone?,
        opening_hours: intervals.into_iter().collect::<Option<_>>()?,
        currency: currency?,
        tax_rate_bp,
        invoice_prefix: prefix?,
        active,
    })
}

fn staff_role(check: &mut Check, raw: i32) -> Option<StaffRole> {
    let role = match pb::StaffRole::try_from(raw) {
        Ok(pb::StaffRole::ServiceAdvisor) => StaffRole::ServiceAdvisor,
        Ok(pb::StaffRole::Foreman) => StaffRole::Foreman,
        Ok(pb::StaffRole::Technician) => StaffRole::Technician,
        Ok(pb::StaffRole::QcInspector) => StaffRole::QcInspector,
        Ok(pb::StaffRole::PartsClerk) => StaffRole::PartsClerk,
        Ok(pb::StaffRole::DealerManager) => StaffRole::DealerManager,
        _ => {
            check.fail("role", "must be one of the six dealer roles");
            return None;
        }
    };
    Some(role)
}

fn etag(check: &mut Check, etag: &str) -> Option<i64> {
    let inner = etag.strip_prefix('"').and_then(|e| e.strip_suffix('"')).unwrap_or(etag);
    let revision = inner.parse::<i64>().ok().filter(|r| *r >= 1);
    if revision.is_none() {
        check.fail("etag", "is required: the etag as last read");
    }
    revision
}

fn subject(check: &mut Check, subject: &str) -> Option<String> {
    check.text("subject", subject, 1, NAME_MAX)
}

#[tonic::async_trait]
impl DirectoryService for DirectoryApi {
    async fn create_dealer(&self, request: Request<pb::CreateDealerRequest>) -> Result<Response<pb::Dealer>, Status> {
        principal(&request)?.require(DEALER_KEEPERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = check.parse("dealer_id", DealerId::parse(&r.dealer_id));
        let profile = profile(
            &mut check,
            &r.name,
            &r.region,
            &r.time_zone,
            &r.opening_hours,
            &r.currency_code,
            r.tax_rate_basis_points,
            &r.invoice_prefix,
            true,
        );
        let (request_id, id, profile) = check.finish_with(|| Some((request_id?, id?, profile?)))?;
        let key = IdempotencyKey::new(OEM_KEYS, "CreateDealer", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.create_dealer(&key, id, profile).await?))
    }

    async fn update_dealer(&self, request: Request<pb::UpdateDealerRequest>) -> Result<Response<pb::Dealer>, Status> {
        principal(&request)?.require(DEALER_KEEPERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = check.parse("dealer_id", DealerId::parse(&r.dealer_id));
        let revision = etag(&mut check, &r.etag);
        let profile = profile(
            &mut check,
            &r.name,
            &r.region,
            &r.time_zone,
            &r.opening_hours,
            &r.currency_code,
            r.tax_rate_basis_points,
            &r.invoice_prefix,
            r.active,
        );
        let (request_id, id, revision, profile) =
            check.finish_with(|| Some((request_id?, id?, revision?, profile?)))?;
        let key = IdempotencyKey::new(OEM_KEYS, "UpdateDealer", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.update_dealer(&key, id, revision, profile).await?))
    }

    async fn get_dealer(&self, request: Request<pb::GetDealerRequest>) -> Result<Response<pb::Dealer>, Status> {
        let caller = principal(&request)?;
        caller.require(DIRECTORY_READERS)?;
        let mut check = Check::new();
        let id = check.parse("dealer_id", DealerId::parse(&request.get_ref().dealer_id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(render::dealer(&self.app.dealer(&caller, id).await?)))
    }

    async fn list_dealers(
        &self,
        request: Request<pb::ListDealersRequest>,
    ) -> Result<Response<pb::ListDealersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(DIRECTORY_READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let region = (!r.region.is_empty()).then(|| check.text("region", &r.region, 1, 50)).flatten();
        check.finish()?;
        let scope = caller.dealer_scope(None)?;
        let page = Page::parse(LIST_DEALERS, r.page.as_ref())?;
        let dealers = self.app.dealers(&scope, region.as_deref(), page.after.as_deref(), page.fetch_limit()).await?;
        let (dealers, page) = page.finish(LIST_DEALERS, dealers, |d| d.id.to_string());
        Ok(Response::new(pb::ListDealersResponse {
            dealers: dealers.iter().map(render::dealer).collect(),
            page: Some(page),
        }))
    }

    async fn add_staff_member(
        &self,
        request: Request<pb::AddStaffMemberRequest>,
    ) -> Result<Response<pb::StaffMember>, Status> {
        let caller = principal(&request)?;
        caller.require(STAFF_KEEPERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let subject = subject(&mut check, &r.subject);
        let name = check.text("name", &r.name, 1, NAME_MAX);
        let role = staff_role(&mut check, r.role);
        let contact = check.text("contact", &r.contact, 0, CONTACT_MAX);
        let (request_id, subject, profile) = check.finish_with(|| {
            Some((request_id?, subject?, StaffProfile { name: name?, role: role?, contact: contact?, active: true }))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "AddStaffMember", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.add_staff_member(&key, dealer, subject, profile).await?))
    }

    async fn update_staff_member(
        &self,
        request: Request<pb::UpdateStaffMemberRequest>,
    ) -> Result<Response<pb::StaffMember>, Status> {
        let caller = principal(&request)?;
        caller.require(STAFF_KEEPERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let subject = subject(&mut check, &r.subject);
        let revision = etag(&mut check, &r.etag);
        let name = check.text("name", &r.name, 1, NAME_MAX);
        let role = staff_role(&mut check, r.role);
        let contact = check.text("contact", &r.contact, 0, CONTACT_MAX);
        let (request_id, subject, revision, profile) = check.finish_with(|| {
            let profile = StaffProfile { name: name?, role: role?, contact: contact?, active: r.active };
            Some((request_id?, subject?, revision?, profile))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "UpdateStaffMember", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.update_staff_member(&key, &caller, &subject, revision, profile).await?))
    }

    async fn get_staff_member(
        &self,
        request: Request<pb::GetStaffMemberRequest>,
    ) -> Result<Response<pb::StaffMember>, Status> {
        let caller = principal(&request)?;
        caller.require(DIRECTORY_READERS)?;
        let mut check = Check::new();
        let subject = subject(&mut check, &request.get_ref().subject);
        let subject = check.finish_with(|| subject)?;
        Ok(Response::new(render::staff_member(&self.app.staff_member(&caller, &subject).await?)))
    }

    async fn list_staff(
        &self,
        request: Request<pb::ListStaffRequest>,
    ) -> Result<Response<pb::ListStaffResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(DIRECTORY_READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            if r.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&r.dealer_id)) };
        let role = if r.role == 0 { None } else { staff_role(&mut check, r.role) };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST_STAFF, r.page.as_ref())?;
        let staff = self.app.staff(&scope, role, r.active_only, page.after.as_deref(), page.fetch_limit()).await?;
        let (staff, page) = page.finish(LIST_STAFF, staff, |m| m.subject.clone());
        Ok(Response::new(pb::ListStaffResponse {
            staff: staff.iter().map(render::staff_member).collect(),
            page: Some(page),
        }))
    }
}
