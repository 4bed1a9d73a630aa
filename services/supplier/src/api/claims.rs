//! `ClaimService` over gRPC: check the caller's role, parse the request, call the use case. Which claims a caller
//! sees (a supplier its own, once sent) is the use case's (`app::claims`).

use std::pin::Pin;

use aftersales_kernel::ClaimId;
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::claim_service_server::ClaimService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::relay::FeedHead;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use futures::Stream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use super::claim_parse::{self as parse, StepRequest};
use crate::app::claim_stream::changes_after;
use crate::app::claims::Claims;
use crate::convert::claims::claim as wire;

/// Who drafts, reviews, sends, judges and charges back claims.
const QUALITY: &[Role] = &[Role::Quality];
/// Who answers claims: the supplier's own system.
const SUPPLIER: &[Role] = &[Role::Supplier];
/// Who reads claims: OEM staff (every claim) and a supplier (its own, once sent).
const READERS: &[Role] =
    &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality, Role::Supplier];
const LIST: &str = "supplier.ListClaims";
/// Changes read per page of a stream.
const STREAM_PAGE: u64 = 200;

/// The gRPC face of claims.
#[derive(Clone, Debug)]
pub struct ClaimApi {
    claims: Claims,
    head: FeedHead,
    shutdown: CancellationToken,
}

impl ClaimApi {
    /// Over the use cases, the head of this service's feed (streams wake on it) and the service's stop.
    pub fn new(claims: Claims, head: FeedHead, shutdown: CancellationToken) -> Self {
        Self { claims, head, shutdown }
    }

    /// A step RPC: the caller's role, the request parsed, the step taken idempotently.
    async fn step<R: prost::Message + Clone>(
        &self,
        request: Request<R>,
        roles: &[Role],
        parse: fn(&R) -> Result<StepRequest, AppError>,
        clear_id: fn(&mut R),
    ) -> Result<Response<pb::Claim>, Status> {
        let caller = principal(&request)?;
        caller.require(roles)?;
        let request = request.into_inner();
        let StepRequest { request_id, claim_id, step } = parse(&request)?;
        let key = IdempotencyKey::new(key_tenant(&caller), step.method(), request_id, &request, clear_id);
        Ok(Response::new(self.claims.step(&key, &caller, claim_id, step).await?))
    }
}

/// Idempotency keys are scoped to the caller's side: the OEM, or the supplier.
fn key_tenant(caller: &Principal) -> String {
    caller.supplier().map_or_else(|| "oem".to_string(), |id| id.to_string())
}

type ClaimStream = Pin<Box<dyn Stream<Item = Result<pb::ClaimChange, Status>> + Send>>;

#[tonic::async_trait]
impl ClaimService for ClaimApi {
    async fn draft_claim(&self, request: Request<pb::DraftClaimRequest>) -> Result<Response<pb::Claim>, Status> {
        let caller = principal(&request)?;
        caller.require(QUALITY)?;
        let request = request.into_inner();
        let (request_id, supplier, failure, cost) = parse::draft(&request)?;
        let key = IdempotencyKey::new("oem", "DraftClaim", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.claims.draft(&key, &caller, supplier, failure, cost).await?))
    }

    async fn revise_claim_draft(
        &self,
        request: Request<pb::ReviseClaimDraftRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        let caller = principal(&request)?;
        caller.require(QUALITY)?;
        let request = request.into_inner();
        let (request_id, id, expected, failure, cost) = parse::revision(&request)?;
        let key = IdempotencyKey::new("oem", "ReviseClaimDraft", request_id, &request, |r| r.request_id.clear());
        Ok(Response::new(self.claims.revise(&key, id, expected, failure, cost).await?))
    }

    async fn get_claim(&self, request: Request<pb::GetClaimRequest>) -> Result<Response<pb::Claim>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let id = parse::get(request.get_ref())?;
        Ok(Response::new(self.claims.claim(&caller, id).await?))
    }

    async fn list_claims(
        &self,
        request: Request<pb::ListClaimsRequest>,
    ) -> Result<Response<pb::ListClaimsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let request = request.into_inner();
        let (supplier, state) = parse::list_filter(&request)?;
        let page = Page::parse(LIST, request.page.as_ref())?;
        let after = page.after_uuid()?.map(ClaimId::from_uuid);
        let claims = self.claims.claims(&caller, supplier, state, after, page.fetch_limit()).await?;
        let (claims, page) = page.finish(LIST, claims, |c| c.id.to_string());
        Ok(Response::new(pb::ListClaimsResponse { claims: claims.iter().map(wire).collect(), page: Some(page) }))
    }

    async fn send_claim(&self, request: Request<pb::SendClaimRequest>) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::send, |r| r.request_id.clear()).await
    }

    async fn withdraw_claim(&self, request: Request<pb::WithdrawClaimRequest>) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::withdraw, |r| r.request_id.clear()).await
    }

    async fn acknowledge_claim(
        &self,
        request: Request<pb::AcknowledgeClaimRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, SUPPLIER, parse::acknowledge, |r| r.request_id.clear()).await
    }

    async fn propose_claim_solution(
        &self,
        request: Request<pb::ProposeClaimSolutionRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, SUPPLIER, parse::propose, |r| r.request_id.clear()).await
    }

    async fn record_containment(
        &self,
        request: Request<pb::RecordContainmentRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, SUPPLIER, parse::containment, |r| r.request_id.clear()).await
    }

    async fn submit_eight_d(&self, request: Request<pb::SubmitEightDRequest>) -> Result<Response<pb::Claim>, Status> {
        self.step(request, SUPPLIER, parse::eight_d, |r| r.request_id.clear()).await
    }

    async fn judge_eight_d(&self, request: Request<pb::JudgeEightDRequest>) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::judge, |r| r.request_id.clear()).await
    }

    async fn answer_claim_cost(
        &self,
        request: Request<pb::AnswerClaimCostRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, SUPPLIER, parse::answer_cost, |r| r.request_id.clear()).await
    }

    async fn settle_claim_cost(
        &self,
        request: Request<pb::SettleClaimCostRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::settle, |r| r.request_id.clear()).await
    }

    async fn record_chargeback(
        &self,
        request: Request<pb::RecordChargebackRequest>,
    ) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::chargeback, |r| r.request_id.clear()).await
    }

    async fn close_claim(&self, request: Request<pb::CloseClaimRequest>) -> Result<Response<pb::Claim>, Status> {
        self.step(request, QUALITY, parse::close, |r| r.request_id.clear()).await
    }

    type WatchClaimsStream = ClaimStream;

    async fn watch_claims(
        &self,
        request: Request<pb::WatchClaimsRequest>,
    ) -> Result<Response<Self::WatchClaimsStream>, Status> {
        let caller = principal(&request)?;
        caller.require(SUPPLIER)?;
        let supplier =
            caller.supplier().ok_or_else(|| AppError::PermissionDenied("a supplier's token names it".into()))?;
        let mut cursor = request.get_ref().after_cursor;
        if cursor < 0 {
            return Err(AppError::invalid("after_cursor", "must be 0 or a cursor received").into());
        }
        let db = self.claims.db().clone();
        let mut head = self.head.subscribe();
        let shutdown = self.shutdown.clone();
        let (tx, rx) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                // Marks the head seen before reading, so a change committed during the read wakes the next pass.
                head.borrow_and_update();
                let changes = match changes_after(&db, supplier, cursor, STREAM_PAGE).await {
                    Ok(changes) => changes,
                    Err(e) => {
                        let _ = tx.send(Err(Status::from(e))).await;
                        return;
                    }
                };
                let caught_up = (changes.len() as u64) < STREAM_PAGE;
                for change in changes {
                    cursor = change.cursor;
                    if tx.send(Ok(change)).await.is_err() {
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
