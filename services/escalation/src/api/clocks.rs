//! `PolicyService` and `ClockService` over gRPC.

use std::pin::Pin;

use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::clock_service_server::ClockService;
use aftersales_proto::escalation::v1::policy_service_server::PolicyService;
use aftersales_runtime::auth::{Principal, Role, Tenant};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::decode_payload;
use aftersales_runtime::outbox::relay::FeedHead;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, TEXT_MAX};
use futures::Stream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::app::engine::{Change, Engine};
use crate::app::tenant;

/// Who publishes policies and waives clocks.
const OEM_MANAGERS: &[Role] = &[Role::OemManager];
/// Who reads policies and clocks.
const READERS: &[Role] = &Role::STAFF;
/// Who pauses and resumes clocks.
const HOLDERS: &[Role] =
    &[Role::ServiceAdvisor, Role::DealerManager, Role::OemSupport, Role::SupportLead, Role::OemManager];
/// Who watches escalations.
const WATCHERS: &[Role] =
    &[Role::DealerManager, Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality];
/// Largest policy set, bytes.
const POLICIES_MAX: usize = 1_000_000;
const LIST: &str = "escalation.ListClocks";
/// Policies and waivers are OEM business: their idempotency keys share one tenant.
const OEM_TENANT: &str = "oem";

/// The gRPC face of the policy set.
#[derive(Clone, Debug)]
pub struct PolicyApi {
    engine: Engine,
}

impl PolicyApi {
    /// Over the engine.
    pub fn new(engine: Engine) -> Self {
        Self { engine }
    }
}

/// The gRPC face of the clocks.
#[derive(Clone, Debug)]
pub struct ClockApi {
    engine: Engine,
    head: FeedHead,
    shutdown: CancellationToken,
}

impl ClockApi {
    /// Over the engine, the head of escalation's own feed (escalations are streamed from it) and the service's stop.
    pub fn new(engine: Engine, head: FeedHead, shutdown: CancellationToken) -> Self {
        Self { engine, head, shutdown }
    }
}

fn key_tenant(caller: &Principal) -> String {
    match &caller.tenant {
        Tenant::Dealer(dealer) => dealer.to_string(),
        _ => OEM_TENANT.to_string(),
    }
}

fn clock_id(check: &mut Check, text: &str) -> Option<uuid::Uuid> {
    check.parse("clock_id", uuid::Uuid::try_parse(text))
}

#[tonic::async_trait]
impl PolicyService for PolicyApi {
    async fn publish_policies(
        &self,
        request: Request<pb::PublishPoliciesRequest>,
    ) -> Result<Response<pb::PolicyVersion>, Status> {
        let caller = principal(&request)?;
        caller.require(OEM_MANAGERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        if r.policies_toml.trim().is_empty() || r.policies_toml.len() > POLICIES_MAX {
            check.fail("policies_toml", format!("must hold 1..={POLICIES_MAX} bytes"));
        }
        let note = check.text("note", &r.note, 1, TEXT_MAX);
        let (request_id, note) = check.finish_with(|| Some((request_id?, note?)))?;
        let key = IdempotencyKey::new(OEM_TENANT, "PublishPolicies", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.engine.publish_policies(&key, &caller, &r.policies_toml, &note).await?))
    }

    async fn get_policies(
        &self,
        request: Request<pb::GetPoliciesRequest>,
    ) -> Result<Response<pb::PolicyVersion>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let version = request.get_ref().version;
        if version < 0 {
            return Err(aftersales_runtime::AppError::invalid("version", "must be 0 (the newest) or a version").into());
        }
        Ok(Response::new(self.engine.policies(version).await?))
    }
}

type EscalationStream = Pin<Box<dyn Stream<Item = Result<pb::ClockEscalated, Status>> + Send>>;

#[tonic::async_trait]
impl ClockService for ClockApi {
    async fn explain_clock(
        &self,
        request: Request<pb::ExplainClockRequest>,
    ) -> Result<Response<pb::ClockExplanation>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = clock_id(&mut check, &request.get_ref().clock_id);
        let id = check.finish_with(|| id)?;
        Ok(Response::new(self.engine.explain(&caller, id).await?))
    }

    async fn list_clocks(
        &self,
        request: Request<pb::ListClocksRequest>,
    ) -> Result<Response<pb::ListClocksResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let subject = check.text("subject_id", &r.subject_id, 1, 100);
        let subject = check.finish_with(|| subject)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let mut clocks = self.engine.clocks_of(&caller, &subject).await?;
        if let Some(after) = after {
            clocks.retain(|c| uuid::Uuid::try_parse(&c.clock_id).is_ok_and(|id| id > after));
        }
        clocks.truncate(page.fetch_limit() as usize);
        let (clocks, page) = page.finish(LIST, clocks, |c| c.clock_id.clone());
        Ok(Response::new(pb::ListClocksResponse { clocks, page: Some(page) }))
    }

    async fn waive_clock(
        &self,
        request: Request<pb::WaiveClockRequest>,
    ) -> Result<Response<pb::ClockExplanation>, Status> {
        let caller = principal(&request)?;
        caller.require(OEM_MANAGERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = clock_id(&mut check, &r.clock_id);
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, id, reason) = check.finish_with(|| Some((request_id?, id?, reason?)))?;
        let key = IdempotencyKey::new(OEM_TENANT, "WaiveClock", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.engine.change(&key, &caller, id, Change::Waive(reason)).await?))
    }

    async fn pause_clock(
        &self,
        request: Request<pb::PauseClockRequest>,
    ) -> Result<Response<pb::ClockExplanation>, Status> {
        let caller = principal(&request)?;
        caller.require(HOLDERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = clock_id(&mut check, &r.clock_id);
        let reason = check.text("reason", &r.reason, 1, 100);
        let (request_id, id, reason) = check.finish_with(|| Some((request_id?, id?, reason?)))?;
        let key = IdempotencyKey::new(key_tenant(&caller), "PauseClock", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.engine.change(&key, &caller, id, Change::Pause(reason)).await?))
    }

    async fn resume_clock(
        &self,
        request: Request<pb::ResumeClockRequest>,
    ) -> Result<Response<pb::ClockExplanation>, Status> {
        let caller = principal(&request)?;
        caller.require(HOLDERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let id = clock_id(&mut check, &r.clock_id);
        let (request_id, id) = check.finish_with(|| Some((request_id?, id?)))?;
        let key = IdempotencyKey::new(key_tenant(&caller), "ResumeClock", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.engine.change(&key, &caller, id, Change::Resume).await?))
    }

    type WatchEscalationsStream = EscalationStream;

    async fn watch_escalations(
        &self,
        request: Request<pb::WatchEscalationsRequest>,
    ) -> Result<Response<Self::WatchEscalationsStream>, Status> {
        let caller = principal(&request)?;
        caller.require(WATCHERS)?;
        let db = self.engine.db().clone();
        let mut cursor = aftersales_runtime::outbox::head_sequence(db.reader()).await?;
        let mut head = self.head.subscribe();
        let shutdown = self.shutdown.clone();
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                head.borrow_and_update();
                let events = match aftersales_runtime::outbox::read_events(&db, cursor, 200).await {
                    Ok(events) => events,
                    Err(e) => {
                        let _ = tx.send(Err(Status::from(e))).await;
                        return;
                    }
                };
                let caught_up = events.len() < 200;
                for envelope in events {
                    cursor = envelope.sequence;
                    let Some(Ok(escalated)) = decode_payload::<pb::ClockEscalated>(&envelope) else { continue };
                    if tenant::visible(&caller, &tenant::of_envelope(&envelope))
                        && tx.send(Ok(escalated)).await.is_err()
                    {
                        return;
                    }
                }
                if caught_up {
                    tokio::select! {
                        _ = head.changed() => {}
                        _ = tx.closed() => return,
                        _ = shutdown.cancelled() => return,
                    }
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
