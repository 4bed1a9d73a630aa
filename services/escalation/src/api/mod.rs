//! `CaseService` over gRPC: check the caller, parse the request, call the use case, render.
//!
//! Who may do what (DOMAIN.md, "Roles and who may see what"):
//! - CreateCase: OEM support staff (`oem_support`, `support_lead`, `oem_manager`) for any dealer or none; a
//!   dealer's `service_advisor` or `dealer_manager` for their own dealer only (naming another is PERMISSION_DENIED).
//! - GetCase / ListCases: every dealer role (own dealer's cases only; others answer NOT_FOUND on get and
//!   PERMISSION_DENIED when named on list) and every OEM role. Suppliers and services never: cases carry customer
//!   personal data.
//! - ClassifyCase / AssignCase / RecordCustomerContact / RecordOnsite and the handling steps from diagnosis to
//!   closing: the OEM's support desk (`oem_support`, `support_lead`, `oem_manager`), on any case;
//!   RecordAnalysisMeeting and ReviewSolution: its heads (`support_lead`, `oem_manager`); RequestOnsiteWaiver: the
//!   support desk; DecideOnsiteWaiver: `oem_manager` alone.
//! - Root cause and responsibility: see `responsibility.rs`; an urgent case's emergency response: `emergency.rs`.

mod clocks;
mod emergency;
mod parse;
mod parse_resolution;
mod reports;
mod responsibility;

pub use clocks::{ClockApi, PolicyApi};
pub use emergency::EmergencyApi;
pub use reports::CaseReportApi;
pub use responsibility::ResponsibilityApi;

use aftersales_kernel::{CaseId, DealerId};
use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::case_service_server::CaseService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use crate::app::Escalation;
use crate::convert;

/// Who may record cases: OEM support for anyone, and a dealer's front office for its own complaints.
const CREATORS: &[Role] =
    &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::ServiceAdvisor, Role::DealerManager];
/// Who may read them: every dealer role (own dealer only) and every OEM role.
const READERS: &[Role] = &Role::STAFF;
/// Who handles them: the OEM's support desk.
const HANDLERS: &[Role] = &[Role::OemSupport, Role::SupportLead, Role::OemManager];
/// Who chairs an analysis meeting: the department's heads.
const CHAIRS: &[Role] = &[Role::SupportLead, Role::OemManager];
/// Who decides an onsite waiver: the department's head (DOMAIN.md: "a waiver approved by `oem_manager`").
const WAIVER_DECIDERS: &[Role] = &[Role::OemManager];
const LIST: &str = "escalation.ListCases";
/// Idempotency keys of OEM staff share one tenant: they all work for the OEM.
const OEM_TENANT: &str = "oem";

/// The gRPC face of escalation's cases.
#[derive(Clone, Debug)]
pub struct CaseApi {
    app: Escalation,
}

impl CaseApi {
    /// Over the application layer.
    pub fn new(app: Escalation) -> Self {
        Self { app }
    }
}

/// The dealer a new case belongs to: dealer staff file for their own dealer (left empty or named), never for
/// another; OEM staff for the dealer they name, or none. Only called after the role check, so the caller is one
/// or the other.
fn case_dealer(caller: &Principal, requested: Option<DealerId>) -> Result<Option<DealerId>, AppError> {
    match (caller.dealer(), requested) {
        (Some(own), None) => Ok(Some(own)),
        (Some(own), Some(asked)) if asked == own => Ok(Some(own)),
        (Some(_), Some(_)) => {
            Err(AppError::PermissionDenied("dealer staff may only file cases for their own dealer".into()))
        }
        (None, requested) => Ok(requested),
    }
}

/// The tenant an idempotency key is scoped to: the caller's dealer, or the OEM.
fn key_tenant(caller: &Principal) -> String {
    caller.dealer().map(|d| d.to_string()).unwrap_or_else(|| OEM_TENANT.to_string())
}

/// The idempotency key of a step request (`request_id` cleared before hashing).
fn step_key<R: prost::Message + Clone>(
    caller: &Principal,
    method: &'static str,
    request_id: uuid::Uuid,
    request: &R,
    clear: impl FnOnce(&mut R),
) -> IdempotencyKey {
    IdempotencyKey::new(key_tenant(caller), method, request_id, request, clear)
}

/// The caller, checked against `roles`, and the request.
fn open<R>(request: Request<R>, roles: &[Role]) -> Result<(Principal, R), Status> {
    let caller = principal(&request)?;
    caller.require(roles)?;
    Ok((caller, request.into_inner()))
}

#[tonic::async_trait]
impl CaseService for CaseApi {
    async fn create_case(&self, request: Request<pb::CreateCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(CREATORS)?;
        let request = request.into_inner();
        let (request_id, mut new) = parse::new_case(&request, &caller.subject)?;
        new.dealer_id = case_dealer(&caller, new.dealer_id)?;
        let key =
            IdempotencyKey::new(key_tenant(&caller), "CreateCase", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.receive_case(&key, new).await?))
    }

    async fn get_case(&self, request: Request<pb::GetCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", CaseId::parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        let case = self.app.case(&caller, id).await?;
        Ok(Response::new(convert::case(&case)))
    }

    async fn list_cases(
        &self,
        request: Request<pb::ListCasesRequest>,
    ) -> Result<Response<pb::ListCasesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let (dealer, state) = parse::list_filter(&request)?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(CaseId::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let cases = self.app.cases(&scope, state, after, page.fetch_limit()).await?;
        let (cases, page) = page.finish(LIST, cases, |c| c.id.to_string());
        Ok(Response::new(pb::ListCasesResponse { cases: cases.iter().map(convert::case).collect(), page: Some(page) }))
    }

    async fn classify_case(&self, request: Request<pb::ClassifyCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(HANDLERS)?;
        let request = request.into_inner();
        let (request_id, id, classification, reason) = parse::classify(&request)?;
        if self.app.routing().category(&classification.category).is_none() {
            let known = self.app.routing().category_names();
            return Err(AppError::invalid("category", format!("is not a configured category ({known})")).into());
        }
        let key =
            IdempotencyKey::new(key_tenant(&caller), "ClassifyCase", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.classify_case(&key, &caller, id, classification, &reason).await?))
    }

    async fn assign_case(&self, request: Request<pb::AssignCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(HANDLERS)?;
        let request = request.into_inner();
        let (request_id, id, group) = parse::assign(&request)?;
        if group.as_deref().is_some_and(|g| self.app.routing().group(g).is_none()) {
            return Err(AppError::invalid("support_group", "is not a configured support group").into());
        }
        let key =
            IdempotencyKey::new(key_tenant(&caller), "AssignCase", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.assign_case(&key, &caller, id, group).await?))
    }

    async fn record_customer_contact(
        &self,
        request: Request<pb::RecordCustomerContactRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(HANDLERS)?;
        let request = request.into_inner();
        let (request_id, id, note) = parse::contact_note(&request)?;
        let key = IdempotencyKey::new(key_tenant(&caller), "RecordCustomerContact", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.record_customer_contact(&key, &caller, id, note).await?))
    }

    async fn record_analysis_meeting(
        &self,
        request: Request<pb::RecordAnalysisMeetingRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(CHAIRS)?;
        let request = request.into_inner();
        let (request_id, id, measures) = parse::meeting(&request)?;
        let key = IdempotencyKey::new(key_tenant(&caller), "RecordAnalysisMeeting", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.record_meeting(&key, &caller, id, measures).await?))
    }

    async fn record_onsite(&self, request: Request<pb::RecordOnsiteRequest>) -> Result<Response<pb::Case>, Status> {
        let caller = principal(&request)?;
        caller.require(HANDLERS)?;
        let request = request.into_inner();
        let (request_id, id) = parse::onsite(&request)?;
        let key =
            IdempotencyKey::new(key_tenant(&caller), "RecordOnsite", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_onsite(&key, &caller, id).await?))
    }

    async fn request_onsite_waiver(
        &self,
        request: Request<pb::RequestOnsiteWaiverRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), reason) = parse_resolution::waiver_request(&request)?;
        let key = step_key(&caller, "RequestOnsiteWaiver", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.request_onsite_waiver(&key, &caller, id, reason).await?))
    }

    async fn decide_onsite_waiver(
        &self,
        request: Request<pb::DecideOnsiteWaiverRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, WAIVER_DECIDERS)?;
        let ((request_id, id), decision) = parse_resolution::waiver_decision(&request)?;
        let key = step_key(&caller, "DecideOnsiteWaiver", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.decide_onsite_waiver(&key, &caller, id, decision).await?))
    }

    async fn record_diagnosis(
        &self,
        request: Request<pb::RecordDiagnosisRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), steps, findings) = parse_resolution::diagnosis(&request)?;
        let key = step_key(&caller, "RecordDiagnosis", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_diagnosis(&key, &caller, id, steps, findings).await?))
    }

    async fn propose_solution(
        &self,
        request: Request<pb::ProposeSolutionRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), solution) = parse_resolution::solution(&request)?;
        let key = step_key(&caller, "ProposeSolution", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.propose_solution(&key, &caller, id, solution).await?))
    }

    async fn review_solution(&self, request: Request<pb::ReviewSolutionRequest>) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, CHAIRS)?;
        let ((request_id, id), decision) = parse_resolution::solution_review(&request)?;
        let key = step_key(&caller, "ReviewSolution", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.review_solution(&key, &caller, id, decision).await?))
    }

    async fn start_implementation(
        &self,
        request: Request<pb::StartImplementationRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let (request_id, id) = parse_resolution::bare(&request.request_id, &request.case_id)?;
        let key = step_key(&caller, "StartImplementation", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.start_implementation(&key, &caller, id).await?))
    }

    async fn report_progress(&self, request: Request<pb::ReportProgressRequest>) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), report) = parse_resolution::progress(&request)?;
        let key = step_key(&caller, "ReportProgress", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.report_progress(&key, &caller, id, report, request.customer_told).await?))
    }

    async fn resolve_case(&self, request: Request<pb::ResolveCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let (request_id, id) = parse_resolution::bare(&request.request_id, &request.case_id)?;
        let key = step_key(&caller, "ResolveCase", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.resolve_case(&key, &caller, id).await?))
    }

    async fn record_customer_confirmation(
        &self,
        request: Request<pb::RecordCustomerConfirmationRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), satisfaction, comment) = parse_resolution::confirmation(&request)?;
        let key = step_key(&caller, "RecordCustomerConfirmation", request_id, &request, |r| r.request_id.clear());
        let confirmed = request.confirmed;
        Ok(Response::new(self.app.record_confirmation(&key, &caller, id, confirmed, satisfaction, comment).await?))
    }

    async fn close_case(&self, request: Request<pb::CloseCaseRequest>) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let (request_id, id) = parse_resolution::bare(&request.request_id, &request.case_id)?;
        let key = step_key(&caller, "CloseCase", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.close_case(&key, &caller, id).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftersales_runtime::auth::Tenant;

    fn staff(role: Role, tenant: Tenant) -> Principal {
        Principal { subject: "someone".into(), role, tenant }
    }

    #[test]
    fn dealer_staff_file_cases_for_their_own_dealer_whether_named_or_not() {
        let own = DealerId::new();
        let advisor = staff(Role::ServiceAdvisor, Tenant::Dealer(own));
        assert_eq!(case_dealer(&advisor, None).unwrap(), Some(own));
        assert_eq!(case_dealer(&advisor, Some(own)).unwrap(), Some(own));
    }

    #[test]
    fn dealer_staff_naming_another_dealer_are_refused() {
        let advisor = staff(Role::DealerManager, Tenant::Dealer(DealerId::new()));
        assert!(matches!(case_dealer(&advisor, Some(DealerId::new())), Err(AppError::PermissionDenied(_))));
    }

    #[test]
    fn oem_staff_file_for_any_dealer_or_none() {
        let support = staff(Role::OemSupport, Tenant::Oem);
        let dealer = DealerId::new();
        assert_eq!(case_dealer(&support, Some(dealer)).unwrap(), Some(dealer));
        assert_eq!(case_dealer(&support, None).unwrap(), None);
    }

    #[test]
    fn idempotency_keys_are_scoped_to_the_dealer_or_the_oem() {
        let dealer = DealerId::new();
        assert_eq!(key_tenant(&staff(Role::ServiceAdvisor, Tenant::Dealer(dealer))), dealer.to_string());
        assert_eq!(key_tenant(&staff(Role::SupportLead, Tenant::Oem)), "oem");
    }
}
