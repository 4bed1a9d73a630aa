//! `EmergencyService` over gRPC: an urgent case's plan, temporary solution and post-incident review.
//!
//! Who may do what: the plan and the review are the department heads' (`support_lead`, `oem_manager`); the temporary
//! solution the support desk's (`oem_support`, `support_lead`, `oem_manager`).

use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::emergency_service_server::EmergencyService;
use tonic::{Request, Response, Status};

use super::{CHAIRS, HANDLERS, open, parse_resolution as parse, step_key};
use crate::app::Escalation;

/// The gRPC face of the emergency response.
#[derive(Clone, Debug)]
pub struct EmergencyApi {
    app: Escalation,
}

impl EmergencyApi {
    /// Over the application layer.
    pub fn new(app: Escalation) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl EmergencyService for EmergencyApi {
    async fn start_emergency_plan(
        &self,
        request: Request<pb::StartEmergencyPlanRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, CHAIRS)?;
        let ((request_id, id), plan) = parse::emergency_plan(&request)?;
        let key = step_key(&caller, "StartEmergencyPlan", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.start_emergency_plan(&key, &caller, id, plan).await?))
    }

    async fn record_temporary_solution(
        &self,
        request: Request<pb::RecordTemporarySolutionRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HANDLERS)?;
        let ((request_id, id), solution) = parse::temporary_solution(&request)?;
        let key = step_key(&caller, "RecordTemporarySolution", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_temporary_solution(&key, &caller, id, solution).await?))
    }

    async fn record_post_incident_review(
        &self,
        request: Request<pb::RecordPostIncidentReviewRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, CHAIRS)?;
        let ((request_id, id), review) = parse::incident_review(&request)?;
        let key = step_key(&caller, "RecordPostIncidentReview", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.review_incident(&key, &caller, id, review).await?))
    }
}
