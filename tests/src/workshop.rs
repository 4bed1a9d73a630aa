//! A dealer's workshop crew for tests: the catalogue operation the fixtures' orders use, a trained technician on
//! shift, and a foreman and an inspector, each with their own token — and steps that drive a job through its
//! life over the real API.

use aftersales_proto::workshop::v1 as pb;
use aftersales_proto::workshop::v1::job_service_client::JobServiceClient;
use aftersales_proto::workshop::v1::technician_service_client::TechnicianServiceClient;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

use crate::auth::{Bearer, Caller};
use crate::fixtures;

/// Workshop's jobs.
pub type Jobs = JobServiceClient<InterceptedService<Channel, Bearer>>;
/// Workshop's technicians.
pub type Technicians = TechnicianServiceClient<InterceptedService<Channel, Bearer>>;

pub use crate::catalogue::ENGINE_OPERATION;

/// Where a job is to be brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Queued (nothing done).
    Queued,
    /// Assigned to the crew's technician.
    Assigned,
    /// Started.
    Started,
    /// Started with a clock open on its first operation.
    ClockedOn,
    /// Every operation clocked; no clock open.
    Worked,
    /// Self-checked.
    AwaitingInspection,
    /// Passed inspection.
    InspectionPassed,
    /// Washed: ready.
    Ready,
}

/// One dealer's crew.
#[derive(Clone)]
pub struct Crew {
    channel: Channel,
    /// The dealer.
    pub dealer: String,
    /// The technician's record id.
    pub technician_id: String,
    /// The technician's staff subject.
    pub technician_subject: String,
    /// Tokens.
    pub technician_token: String,
    /// The foreman's token.
    pub foreman_token: String,
    /// The inspector's token.
    pub inspector_token: String,
    /// The dealer manager's token.
    pub manager_token: String,
}

impl Crew {
    /// Makes sure the catalogue has [`ENGINE_OPERATION`] (engine ≥ 2), registers a technician of `dealer` with
    /// engine level 3 and puts them on shift.
    pub async fn hire(channel: Channel, data_dir: &str, dealer: &str) -> Crew {
        crate::catalogue::stock_workshop(channel.clone(), data_dir).await;
        let manager_token = Caller::dealer("dealer_manager", dealer).token(data_dir);
        let foreman_token = Caller::dealer("foreman", dealer).token(data_dir);
        let mut technicians =
            TechnicianServiceClient::with_interceptor(channel.clone(), Bearer(Some(manager_token.clone())));
        let registered =
            technicians.register_technician(fixtures::register_technician()).await.expect("register").into_inner();
        technicians.record_training(fixtures::record_training(&registered.id)).await.expect("training");
        let crew = Crew {
            channel,
            dealer: dealer.to_string(),
            technician_token: Caller::dealer("technician", dealer).token_as(data_dir, &registered.subject),
            technician_id: registered.id,
            technician_subject: registered.subject,
            foreman_token,
            inspector_token: Caller::dealer("qc_inspector", dealer).token(data_dir),
            manager_token,
        };
        crew.shift(true).await;
        crew
    }

    /// Jobs as `token`.
    pub fn jobs(&self, token: &str) -> Jobs {
        JobServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(token.to_string())))
    }

    /// Technicians as the dealer manager.
    pub fn technicians(&self) -> Technicians {
        TechnicianServiceClient::with_interceptor(self.channel.clone(), Bearer(Some(self.manager_token.clone())))
    }

    /// Puts the crew's technician on or off shift.
    pub async fn shift(&self, on_shift: bool) -> pb::Technician {
        let request = pb::SetShiftRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            technician_id: self.technician_id.clone(),
            on_shift,
        };
        self.technicians().set_shift(request).await.expect("shift").into_inner()
    }

    /// Brings a job from where it is (queued, assigned, or started with no clock open) to `stage` with the crew's
    /// technician (the foreman accepting the suggestion, which must be the crew's technician).
    pub async fn bring(&self, job: &str, stage: Stage) -> pb::Job {
        let mut current = self
            .jobs(&self.foreman_token)
            .get_job(pb::GetJobRequest { id: job.into() })
            .await
            .expect("job")
            .into_inner();
        let at = match current.state() {
            pb::JobState::Queued => Stage::Queued,
            pb::JobState::Assigned => Stage::Assigned,
            pb::JobState::InProgress => Stage::Started,
            other => panic!("bring starts from queued, assigned or started, not {other:?}"),
        };
        let request_id = || uuid::Uuid::now_v7().to_string();
        let job_id = job.to_string();
        if stage >= Stage::Assigned && at < Stage::Assigned {
            let request = pb::AssignJobRequest {
                request_id: request_id(),
                job_id: job_id.clone(),
                technician_id: self.technician_id.clone(),
                override_reason: String::new(),
            };
            current = self.jobs(&self.foreman_token).assign_job(request).await.expect("assign").into_inner();
        }
        let mut technician = self.jobs(&self.technician_token);
        if stage >= Stage::Started && at < Stage::Started {
            let request = pb::StartJobRequest { request_id: request_id(), job_id: job_id.clone() };
            current = technician.start_job(request).await.expect("start").into_inner();
        }
        if stage >= Stage::ClockedOn {
            let lines: Vec<String> = current.operations.iter().map(|op| op.line_id.clone()).collect();
            for (index, line_id) in lines.iter().enumerate() {
                let on =
                    pb::ClockOnRequest { request_id: request_id(), job_id: job_id.clone(), line_id: line_id.clone() };
                current = technician.clock_on(on).await.expect("clock on").into_inner();
                if stage == Stage::ClockedOn && index == 0 {
                    return current;
                }
                let off = pb::ClockOffRequest { request_id: request_id(), job_id: job_id.clone() };
                current = technician.clock_off(off).await.expect("clock off").into_inner();
            }
        }
        if stage >= Stage::AwaitingInspection {
            let request = pb::CompleteSelfCheckRequest {
                request_id: request_id(),
                job_id: job_id.clone(),
                note: "checked".into(),
            };
            current = technician.complete_self_check(request).await.expect("self-check").into_inner();
        }
        if stage >= Stage::InspectionPassed {
            let request = pb::RecordInspectionRequest {
                request_id: request_id(),
                job_id: job_id.clone(),
                passed: true,
                findings: String::new(),
            };
            current =
                self.jobs(&self.inspector_token).record_inspection(request).await.expect("inspection").into_inner();
        }
        if stage >= Stage::Ready {
            let request = pb::RecordWashRequest { request_id: request_id(), job_id };
            current = self.jobs(&self.foreman_token).record_wash(request).await.expect("wash").into_inner();
        }
        current
    }

    /// The crew's technician asks for additional work on started job `job`: one engine operation (1.00 h) and two
    /// units of a part. Returns the request.
    pub async fn ask_for_additional_work(&self, job: &str) -> pb::AdditionalWork {
        let request = pb::RequestAdditionalWorkRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            job_id: job.to_string(),
            finding: "timing belt cracked".into(),
            operations: vec![pb::RequestedOperation {
                operation_code: ENGINE_OPERATION.into(),
                estimated_hours_hundredths: 100,
            }],
            parts: vec![pb::RequestedPart { part_number: "TB-3001".into(), quantity_hundredths: 200 }],
            media_references: vec!["photo://belt".into()],
        };
        let job = self.jobs(&self.technician_token).request_additional_work(request).await.expect("extra work");
        job.into_inner().additional_work.pop().expect("the request just made")
    }
}
