//! `JobService` over gRPC: who may call, request parsing naming every bad field, then the use case.

use aftersales_kernel::{DealerId, Hundredths, JobId, PartNumber, RepairOrderId};
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::job_service_server::JobService;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, REFERENCE_MAX, TEXT_MAX};
use aftersales_runtime::{AppError, from_timestamp};
use tonic::{Request, Response, Status};

use crate::app::{Change, QUEUE_MAX, Workshop};
use crate::convert;
use crate::domain::OperationCode;
use crate::domain::job::{NewAdditionalWork, RequestedOperation, RequestedPart};
use crate::store::jobs::Filter;

/// Who may read jobs, the queue and suggestions: all staff (dealer staff their own dealer).
const READERS: &[Role] = &Role::STAFF;
/// Who assigns: the foreman.
const ASSIGNERS: &[Role] = &[Role::Foreman];
/// Changes the holder makes, or the foreman for them.
const HOLDER_OR_FOREMAN: &[Role] = &[Role::Technician, Role::Foreman];
/// Changes only the holder makes.
const HOLDER: &[Role] = &[Role::Technician];
/// Who inspects.
const INSPECTORS: &[Role] = &[Role::QcInspector];
/// Who reads KPIs.
const KPI_READERS: &[Role] = &[
    Role::Foreman,
    Role::DealerManager,
    Role::OemSupport,
    Role::SupportLead,
    Role::OemManager,
    Role::OemExecutive,
    Role::Quality,
];
/// Most photo/video references on one note or request.
const MEDIA_MAX: usize = 10;
/// Most operations or parts on one additional-work request.
const ITEMS_MAX: usize = 50;
const LIST: &str = "workshop.ListJobs";

/// The gRPC face of workshop's jobs.
#[derive(Clone, Debug)]
pub struct JobApi {
    app: Workshop,
}

impl JobApi {
    /// Over the application layer.
    pub fn new(app: Workshop) -> Self {
        Self { app }
    }

    /// Checks the caller, parses `request_id` and `job_id` with the rest of the request (`parse` adds the
    /// change's own fields), and applies the change.
    async fn change<R: prost::Message + Clone>(
        &self,
        request: Request<R>,
        roles: &[Role],
        method: &'static str,
        fields: impl FnOnce(&R) -> (&str, &str),
        parse: impl FnOnce(&mut Check, &R) -> Option<Change>,
        clear_request_id: impl FnOnce(&mut R),
    ) -> Result<Response<pb::Job>, Status> {
        let caller = principal(&request)?;
        caller.require(roles)?;
        let dealer = own_dealer(&caller)?;
        let request = request.into_inner();
        let (raw_request_id, raw_job_id) = fields(&request);
        let mut check = Check::new();
        let request_id = check.request_id("request_id", raw_request_id);
        let job = check.parse("job_id", JobId::parse(raw_job_id));
        let change = parse(&mut check, &request);
        let (request_id, job, change) = check.finish_with(|| Some((request_id?, job?, change?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), method, request_id, &request, clear_request_id);
        Ok(Response::new(self.app.change_job(&caller, &key, job, change).await?))
    }
}

/// Every job change is made by a dealer's staff, in their own dealer.
fn own_dealer(caller: &Principal) -> Result<DealerId, AppError> {
    caller.dealer().ok_or_else(|| AppError::PermissionDenied("only a dealer's staff may change jobs".into()))
}

fn optional_dealer(check: &mut Check, raw: &str) -> Option<DealerId> {
    (!raw.is_empty()).then(|| check.parse("dealer_id", DealerId::parse(raw))).flatten()
}

fn uuid(check: &mut Check, field: &str, raw: &str, what: &str) -> Option<uuid::Uuid> {
    check.parse(field, uuid::Uuid::try_parse(raw).map_err(|_| format!("must be {what} (UUID)")))
}

/// Photo/video references: at most ten, each 1..=1000 characters on one line.
fn media(check: &mut Check, raw: &[String]) -> Option<Vec<String>> {
    if raw.len() > MEDIA_MAX {
        check.fail("media_references", format!("at most {MEDIA_MAX} references"));
        return None;
    }
    let parsed: Vec<Option<String>> = raw
        .iter()
        .enumerate()
        .map(|(i, reference)| {
            let field = format!("media_references[{i}]");
            if reference.contains('\n') {
                check.fail(&field, "must be one line");
                return None;
            }
            check.text(&field, reference, 1, REFERENCE_MAX)
        })
        .collect();
    parsed.into_iter().collect()
}

fn additional_work(check: &mut Check, r: &pb::RequestAdditionalWorkRequest) -> Option<Change> {
    let finding = check.text("finding", &r.finding, 1, TEXT_MAX);
    if r.operations.is_empty() && r.parts.is_empty() {
        check.fail("operations", "at least one operation or part is required");
    }
    if r.operations.len() > ITEMS_MAX {
        check.fail("operations", format!("at most {ITEMS_MAX} operations"));
    }
    if r.parts.len() > ITEMS_MAX {
        check.fail("parts", format!("at most {ITEMS_MAX} parts"));
    }
    let operations: Vec<Option<RequestedOperation>> = r
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let code =
                check.parse(&format!("operations[{i}].operation_code"), OperationCode::parse(&op.operation_code));
            let hours = check.range(
                &format!("operations[{i}].estimated_hours_hundredths"),
                op.estimated_hours_hundredths,
                1,
                100_000,
            );
            Some(RequestedOperation {
                operation_code: code?.to_string(),
                estimated_hours: Hundredths::from_hundredths(hours?).ok()?,
            })
        })
        .collect();
    let parts: Vec<Option<RequestedPart>> = r
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let number = check.parse(&format!("parts[{i}].part_number"), PartNumber::parse(&part.part_number));
            let quantity =
                check.range(&format!("parts[{i}].quantity_hundredths"), part.quantity_hundredths, 1, 10_000_000);
            Some(RequestedPart {
                part_number: number?.to_string(),
                quantity: Hundredths::from_hundredths(quantity?).ok()?,
            })
        })
        .collect();
    let media = media(check, &r.media_references);
    Some(Change::RequestAdditionalWork(NewAdditionalWork {
        finding: finding?,
        operations: operations.into_iter().collect::<Option<_>>()?,
        parts: parts.into_iter().collect::<Option<_>>()?,
        media: media?,
    }))
}

#[tonic::async_trait]
impl JobService for JobApi {
    async fn get_job(&self, request: Request<pb::GetJobRequest>) -> Result<Response<pb::Job>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", JobId::parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(convert::job(&self.app.job(&caller, id).await?)))
    }

    async fn list_jobs(&self, request: Request<pb::ListJobsRequest>) -> Result<Response<pb::ListJobsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let dealer = optional_dealer(&mut check, &request.dealer_id);
        let order = (!request.repair_order_id.is_empty())
            .then(|| check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id)))
            .flatten();
        let technician = (!request.technician_id.is_empty())
            .then(|| uuid(&mut check, "technician_id", &request.technician_id, "a technician id"))
            .flatten();
        // UNSPECIFIED lists every state.
        let state = match pb::JobState::try_from(request.state) {
            Ok(state) => convert::state_from(state),
            Err(_) => {
                check.fail("state", format!("unknown value {}", request.state));
                None
            }
        };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page
            .after
            .as_deref()
            .map(JobId::parse)
            .transpose()
            .map_err(|_| AppError::invalid("page.page_token", "is not a page token of this list"))?;
        let filter = Filter { order, state, technician };
        let jobs = self.app.jobs(&scope, &filter, after, page.fetch_limit()).await?;
        let (jobs, page) = page.finish(LIST, jobs, |j| j.id.to_string());
        Ok(Response::new(pb::ListJobsResponse { jobs: jobs.iter().map(convert::job).collect(), page: Some(page) }))
    }

    async fn list_assignment_queue(
        &self,
        request: Request<pb::ListAssignmentQueueRequest>,
    ) -> Result<Response<pb::ListAssignmentQueueResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let dealer = optional_dealer(&mut check, &request.dealer_id);
        let limit = check.range("limit", request.limit, 0, QUEUE_MAX as i32);
        check.finish()?;
        let dealer = match caller.dealer_scope(dealer)? {
            aftersales_runtime::auth::DealerScope::Only(dealer) => dealer,
            aftersales_runtime::auth::DealerScope::All => {
                return Err(AppError::invalid("dealer_id", "is required: the queue is one dealer's").into());
            }
        };
        let limit = match limit.unwrap_or(0) {
            0 => 100,
            n => n as u64,
        };
        let jobs = self.app.assignment_queue(dealer, limit).await?;
        Ok(Response::new(pb::ListAssignmentQueueResponse { jobs }))
    }

    async fn suggest_technician(
        &self,
        request: Request<pb::SuggestTechnicianRequest>,
    ) -> Result<Response<pb::SuggestTechnicianResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("job_id", JobId::parse(&request.get_ref().job_id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(self.app.suggest(&caller, id).await?))
    }

    async fn assign_job(&self, request: Request<pb::AssignJobRequest>) -> Result<Response<pb::Job>, Status> {
        let caller = principal(&request)?;
        caller.require(ASSIGNERS)?;
        let dealer = own_dealer(&caller)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &request.request_id);
        let job = check.parse("job_id", JobId::parse(&request.job_id));
        let technician = uuid(&mut check, "technician_id", &request.technician_id, "a technician id");
        let reason = check.text("override_reason", &request.override_reason, 0, TEXT_MAX);
        let (request_id, job, technician, reason) =
            check.finish_with(|| Some((request_id?, job?, technician?, reason?)))?;
        let override_reason = (!reason.trim().is_empty()).then_some(reason);
        let key = IdempotencyKey::new(dealer.to_string(), "AssignJob", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.assign(&caller, &key, job, technician, override_reason).await?))
    }

    async fn start_job(&self, request: Request<pb::StartJobRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER_OR_FOREMAN,
            "StartJob",
            |r| (&r.request_id, &r.job_id),
            |_, _| Some(Change::Start),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn clock_on(&self, request: Request<pb::ClockOnRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER,
            "ClockOn",
            |r| (&r.request_id, &r.job_id),
            |check, r| Some(Change::ClockOn { line: uuid(check, "line_id", &r.line_id, "an order line id")? }),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn clock_off(&self, request: Request<pb::ClockOffRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER_OR_FOREMAN,
            "ClockOff",
            |r| (&r.request_id, &r.job_id),
            |_, _| Some(Change::ClockOff),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn log_progress(&self, request: Request<pb::LogProgressRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER_OR_FOREMAN,
            "LogProgress",
            |r| (&r.request_id, &r.job_id),
            |check, r| {
                let note = check.text("note", &r.note, 1, TEXT_MAX);
                let media = media(check, &r.media_references);
                Some(Change::LogProgress { note: note?, media: media? })
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn report_delay(&self, request: Request<pb::ReportDelayRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER_OR_FOREMAN,
            "ReportDelay",
            |r| (&r.request_id, &r.job_id),
            |check, r| {
                let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
                let new_promised_at = from_timestamp(r.new_promised_at.as_ref());
                if new_promised_at.is_none() {
                    check.fail("new_promised_at", "is required");
                }
                Some(Change::ReportDelay { new_promised_at: new_promised_at?, reason: reason? })
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn request_additional_work(
        &self,
        request: Request<pb::RequestAdditionalWorkRequest>,
    ) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER,
            "RequestAdditionalWork",
            |r| (&r.request_id, &r.job_id),
            additional_work,
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn complete_self_check(
        &self,
        request: Request<pb::CompleteSelfCheckRequest>,
    ) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER,
            "CompleteSelfCheck",
            |r| (&r.request_id, &r.job_id),
            |check, r| Some(Change::SelfCheck { note: check.text("note", &r.note, 0, TEXT_MAX)? }),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn record_inspection(
        &self,
        request: Request<pb::RecordInspectionRequest>,
    ) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            INSPECTORS,
            "RecordInspection",
            |r| (&r.request_id, &r.job_id),
            |check, r| {
                let findings = check.text("findings", &r.findings, 0, TEXT_MAX)?;
                if !r.passed && findings.trim().is_empty() {
                    check.fail("findings", "is required when the inspection fails");
                    return None;
                }
                Some(Change::Inspect { passed: r.passed, findings })
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn record_wash(&self, request: Request<pb::RecordWashRequest>) -> Result<Response<pb::Job>, Status> {
        self.change(
            request,
            HOLDER_OR_FOREMAN,
            "RecordWash",
            |r| (&r.request_id, &r.job_id),
            |_, _| Some(Change::Wash),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn get_workshop_kpis(
        &self,
        request: Request<pb::GetWorkshopKpisRequest>,
    ) -> Result<Response<pb::WorkshopKpis>, Status> {
        let caller = principal(&request)?;
        caller.require(KPI_READERS)?;
        let request = request.into_inner();
        let mut check = Check::new();
        let dealer = optional_dealer(&mut check, &request.dealer_id);
        let from = from_timestamp(request.from.as_ref());
        let to = from_timestamp(request.to.as_ref());
        if from.is_none() {
            check.fail("from", "is required");
        }
        if to.is_none() {
            check.fail("to", "is required");
        }
        if let (Some(from), Some(to)) = (from, to) {
            if to <= from {
                check.fail("to", "must be after `from`");
            } else if to - from > chrono::Duration::days(366) {
                check.fail("to", "must be at most 366 days after `from`");
            }
        }
        let (from, to) = check.finish_with(|| Some((from?, to?)))?;
        let scope = caller.dealer_scope(dealer)?;
        Ok(Response::new(self.app.kpis(&scope, from, to).await?))
    }
}
