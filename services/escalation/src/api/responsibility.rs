//! `ResponsibilityService` over gRPC: root cause and responsibility determination.
//!
//! Who may do what (DOMAIN.md, "Complaint and escalation"):
//! - RecordRootCause / CompleteMeasure: the support desk (`oem_support`, `support_lead`, `oem_manager`) and `quality`;
//! - DetermineResponsibility / IssueResponsibilityReport: the after-sales department's heads (`support_lead`,
//!   `oem_manager`);
//! - RecordInvestigation: `quality`; ReviewResponsibilityReport: `oem_executive`.

use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::responsibility_service_server::ResponsibilityService;
use aftersales_runtime::auth::Role;
use tonic::{Request, Response, Status};

use super::{open, parse_resolution as parse, step_key};
use crate::app::Escalation;

/// Root cause and its measures.
const ANALYSTS: &[Role] = &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::Quality];
/// The after-sales department's heads.
const HEADS: &[Role] = &[Role::SupportLead, Role::OemManager];

/// The gRPC face of root cause and responsibility.
#[derive(Clone, Debug)]
pub struct ResponsibilityApi {
    app: Escalation,
}

impl ResponsibilityApi {
    /// Over the application layer.
    pub fn new(app: Escalation) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl ResponsibilityService for ResponsibilityApi {
    async fn record_root_cause(
        &self,
        request: Request<pb::RecordRootCauseRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, ANALYSTS)?;
        let ((request_id, id), report) = parse::root_cause(&request)?;
        let key = step_key(&caller, "RecordRootCause", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.record_root_cause(&key, &caller, id, report).await?))
    }

    async fn complete_measure(
        &self,
        request: Request<pb::CompleteMeasureRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, ANALYSTS)?;
        let ((request_id, id), number, note) = parse::measure_done(&request)?;
        let key = step_key(&caller, "CompleteMeasure", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.complete_measure(&key, &caller, id, number, note).await?))
    }

    async fn determine_responsibility(
        &self,
        request: Request<pb::DetermineResponsibilityRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HEADS)?;
        let ((request_id, id), finding) = parse::finding(&request)?;
        let key = step_key(&caller, "DetermineResponsibility", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.determine_responsibility(&key, &caller, id, finding).await?))
    }

    async fn record_investigation(
        &self,
        request: Request<pb::RecordInvestigationRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, &[Role::Quality])?;
        let ((request_id, id), investigation, party) = parse::investigation(&request)?;
        let key = step_key(&caller, "RecordInvestigation", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.investigate(&key, &caller, id, investigation, party).await?))
    }

    async fn issue_responsibility_report(
        &self,
        request: Request<pb::IssueResponsibilityReportRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, HEADS)?;
        let ((request_id, id), report) = parse::report(&request)?;
        let key = step_key(&caller, "IssueResponsibilityReport", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.issue_report(&key, &caller, id, report).await?))
    }

    async fn review_responsibility_report(
        &self,
        request: Request<pb::ReviewResponsibilityReportRequest>,
    ) -> Result<Response<pb::Case>, Status> {
        let (caller, request) = open(request, &[Role::OemExecutive])?;
        let ((request_id, id), decision) = parse::report_review(&request)?;
        let key = step_key(&caller, "ReviewResponsibilityReport", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.app.review_report(&key, &caller, id, decision).await?))
    }
}
