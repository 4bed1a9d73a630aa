//! `TechnicianService` over gRPC.

use aftersales_kernel::DealerId;
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::technician_service_server::TechnicianService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX};
use chrono::NaiveDate;
use tonic::{Request, Response, Status};

use crate::app::Workshop;
use crate::convert;
use crate::domain::skills::AssessmentResult;
use crate::domain::{NewTraining, SkillFamily};

/// Who registers technicians: the dealer's manager.
const REGISTRARS: &[Role] = &[Role::DealerManager];
/// Who records training: the dealer's manager and the foreman.
const TRAINERS: &[Role] = &[Role::DealerManager, Role::Foreman];
/// Who puts technicians on and off shift: the foreman and the dealer's manager.
const SHIFT_KEEPERS: &[Role] = &[Role::Foreman, Role::DealerManager];
/// Who reads technicians: all staff (dealer staff their own dealer only).
const READERS: &[Role] = &Role::STAFF;
const LIST: &str = "workshop.ListTechnicians";

/// The gRPC face of the workshop's technicians.
#[derive(Clone, Debug)]
pub struct TechnicianApi {
    app: Workshop,
}

impl TechnicianApi {
    /// Over the application layer.
    pub fn new(app: Workshop) -> Self {
        Self { app }
    }
}

fn id(check: &mut Check, field: &str, text: &str) -> Option<uuid::Uuid> {
    match uuid::Uuid::try_parse(text) {
        Ok(id) => Some(id),
        Err(_) => {
            check.fail(field, "must be a technician id (UUID)");
            None
        }
    }
}

/// The dealer a write is made for: the caller's own (every writer is dealer staff).
fn own_dealer(caller: &Principal) -> Result<DealerId, AppError> {
    caller.dealer().ok_or_else(|| AppError::PermissionDenied("only a dealer's staff may make this call".into()))
}

fn result(check: &mut Check, raw: i32) -> Option<AssessmentResult> {
    match check.enum_value::<pb::AssessmentResult>("result", raw)? {
        pb::AssessmentResult::Passed => Some(AssessmentResult::Passed),
        pb::AssessmentResult::Failed => Some(AssessmentResult::Failed),
        pb::AssessmentResult::Unspecified => {
            check.fail("result", "is required");
            None
        }
    }
}

#[tonic::async_trait]
impl TechnicianService for TechnicianApi {
    async fn register_technician(
        &self,
        request: Request<pb::RegisterTechnicianRequest>,
    ) -> Result<Response<pb::Technician>, Status> {
        let caller = principal(&request)?;
        caller.require(REGISTRARS)?;
        let dealer = own_dealer(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let subject = check.text("subject", &request.subject, 1, NAME_MAX);
        let name = check.text("name", &request.name, 1, NAME_MAX);
        let (request_id, subject, name) = check.finish_with(|| Some((request_id?, subject?, name?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "RegisterTechnician", request_id, &request, |r| {
            r.request_id.clear()
        });
        Ok(Response::new(self.app.register_technician(&key, dealer, &subject, &name).await?))
    }

    async fn get_technician(
        &self,
        request: Request<pb::GetTechnicianRequest>,
    ) -> Result<Response<pb::Technician>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = id(&mut check, "id", &request.get_ref().id);
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::technician(&self.app.technician(&caller, id).await?)))
    }

    async fn list_technicians(
        &self,
        request: Request<pb::ListTechniciansRequest>,
    ) -> Result<Response<pb::ListTechniciansResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let dealer = (!request.dealer_id.is_empty())
            .then(|| check.parse("dealer_id", DealerId::parse(&request.dealer_id)))
            .flatten();
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(uuid::Uuid::try_parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let technicians = self.app.technicians(&scope, request.on_shift_only, after, page.fetch_limit()).await?;
        let (technicians, page) = page.finish(LIST, technicians, |t| t.id.to_string());
        Ok(Response::new(pb::ListTechniciansResponse {
            technicians: technicians.iter().map(convert::technician).collect(),
            page: Some(page),
        }))
    }

    async fn record_training(
        &self,
        request: Request<pb::RecordTrainingRequest>,
    ) -> Result<Response<pb::Technician>, Status> {
        let caller = principal(&request)?;
        caller.require(TRAINERS)?;
        let dealer = own_dealer(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let technician = id(&mut check, "technician_id", &request.technician_id);
        let course = check.text("course", &request.course, 1, NAME_MAX);
        let family = check.parse("skill_family", SkillFamily::parse(&request.skill_family));
        let level = check.range("level", request.level, 1, 5);
        let completed_on = check.parse(
            "completed_on",
            NaiveDate::parse_from_str(&request.completed_on, "%Y-%m-%d").map_err(|_| "must be a date as YYYY-MM-DD"),
        );
        let result = result(&mut check, request.result);
        let (request_id, technician, training) = check.finish_with(|| {
            let training = NewTraining {
                course: course?,
                skill_family: family?,
                level: level?,
                completed_on: completed_on?,
                result: result?,
            };
            Some((request_id?, technician?, training))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "RecordTraining", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_training(&caller, &key, technician, training).await?))
    }

    async fn set_shift(&self, request: Request<pb::SetShiftRequest>) -> Result<Response<pb::Technician>, Status> {
        let caller = principal(&request)?;
        caller.require(SHIFT_KEEPERS)?;
        let dealer = own_dealer(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let technician = id(&mut check, "technician_id", &request.technician_id);
        let (request_id, technician) = check.finish_with(|| Some((request_id?, technician?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "SetShift", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.set_shift(&caller, &key, technician, request.on_shift).await?))
    }
}
