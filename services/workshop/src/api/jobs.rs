//! `JobService` over gRPC.

use aftersales_kernel::{DealerId, JobId, RepairOrderId};
use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::job_service_server::JobService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::Role;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use crate::app::Workshop;
use crate::convert;
use crate::domain::JobState;

/// Who may read jobs: every dealer role of the job's dealer, and OEM staff.
const READERS: &[Role] = &Role::STAFF;
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
        let dealer = (!request.dealer_id.is_empty())
            .then(|| check.parse("dealer_id", DealerId::parse(&request.dealer_id)))
            .flatten();
        let order = (!request.repair_order_id.is_empty())
            .then(|| check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id)))
            .flatten();
        let state = match pb::JobState::try_from(request.state) {
            Ok(pb::JobState::Unspecified) => None,
            Ok(s) => JobState::parse(&s.as_str_name().trim_start_matches("JOB_STATE_").to_ascii_lowercase()),
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
        let jobs = self.app.jobs(&scope, order, state, after, page.fetch_limit()).await?;
        let (jobs, page) = page.finish(LIST, jobs, |j| j.id.to_string());
        Ok(Response::new(pb::ListJobsResponse { jobs: jobs.iter().map(convert::job).collect(), page: Some(page) }))
    }
}
