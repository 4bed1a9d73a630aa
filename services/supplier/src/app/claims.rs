//! The claims' use cases: draft (by hand or from another service's event), revise, every step of the lifecycle,
//! and reads — each change one transaction with its outbox event, the claim's row locked while it changes.
//!
//! Tenancy: OEM staff see every claim; a supplier sees only its own, and only once sent (a draft is the OEM's
//! own working paper). A claim outside the caller's view answers exactly like a missing one.

use aftersales_kernel::{ClaimId, Currency, SupplierId};
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::clock::SharedClock;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox;
use aftersales_runtime::{AppError, AppResult};

use super::SupplierScope;
use super::claim_steps::{Step, claim_event, refused};
use crate::convert::claims::claim as wire;
use crate::domain::claim::{Claim, ClaimState, ClaimedCost, Failure, Origin};
use crate::store::claims::{self, ClaimFilter};
use crate::store::suppliers;

/// A claim the service drafts from another service's event.
#[derive(Debug, Clone)]
pub struct AutoDraft {
    /// The supplier claimed against.
    pub supplier_id: SupplierId,
    /// Where it came from.
    pub origin: Origin,
    /// What failed.
    pub failure: Failure,
    /// The producer that drafted it (`drafted_by`).
    pub by: &'static str,
    /// What it was drafted from; one claim per source.
    pub source: String,
}

/// The claims' application layer.
#[derive(Clone, Debug)]
pub struct Claims {
    db: Db,
    clock: SharedClock,
    /// The currency of a claim drafted from an event (its cost is filled in by `quality` during review).
    currency: Currency,
}

impl Claims {
    /// Over a database, a clock, and the currency automatic drafts start in.
    pub fn new(db: Db, clock: SharedClock, currency: Currency) -> Self {
        Self { db, clock, currency }
    }

    /// The database (the claim stream reads the feed from it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// `quality` raises a claim by hand; publishes `ClaimDrafted`.
    pub async fn draft(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        supplier_id: SupplierId,
        failure: Failure,
        cost: ClaimedCost,
    ) -> AppResult<pb::Claim> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        if suppliers::find(&*txn, supplier_id).await?.is_none() {
            return Err(AppError::invalid("supplier_id", "is not a supplier registered here"));
        }
        let claim = Claim::draft(supplier_id, Origin::Manual, failure, cost, &caller.subject, now)
            .map_err(|e| refused(None, e))?;
        claims::insert(&*txn, &claim, None).await?;
        let response = self.publish_draft(&mut txn, &claim).await?;
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(claim_id = %claim.id, supplier_id = %supplier_id, "claim drafted by hand");
        Ok(response)
    }

    /// Drafts a claim from another service's event inside the consumer's transaction, at zero cost in the
    /// configured currency; publishes `ClaimDrafted`. A source already drafted from drafts nothing (a redelivered
    /// event). Returns whether it drafted.
    pub async fn draft_from_event(&self, txn: &mut WriteTxn, draft: AutoDraft) -> AppResult<bool> {
        // Another service's clock may run a little ahead of this one: a draft never predates the failure it
        // reports (the failure is a fact, refusing it would stall the feed).
        let now = self.clock.now().max(draft.failure.failed_at.unwrap_or_default());
        let cost = ClaimedCost::zero(self.currency);
        let claim = Claim::draft(draft.supplier_id, draft.origin, draft.failure, cost, draft.by, now)
            .map_err(|e| refused(None, e))?;
        if !claims::insert(&**txn, &claim, Some(&draft.source)).await? {
            return Ok(false);
        }
        self.publish_draft(txn, &claim).await?;
        tracing::info!(claim_id = %claim.id, source = %draft.source, "claim drafted from an event");
        Ok(true)
    }

    async fn publish_draft(&self, txn: &mut WriteTxn, claim: &Claim) -> AppResult<pb::Claim> {
        let response = wire(claim);
        let event = pb::ClaimDrafted {
            claim_id: claim.id.to_string(),
            supplier_id: claim.supplier_id.to_string(),
            claim: Some(response.clone()),
        };
        outbox::append(txn, claim_event(claim, claim.drafted_at, &event)).await?;
        Ok(response)
    }

    /// `quality` revises a draft from the revision it read; publishes `ClaimDraftRevised`.
    pub async fn revise(
        &self,
        key: &IdempotencyKey,
        id: ClaimId,
        expected_revision: i64,
        failure: Failure,
        cost: ClaimedCost,
    ) -> AppResult<pb::Claim> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut claim = claims::find(&*txn, id, true).await?.ok_or(AppError::NotFound("claim"))?;
        claim.revise(expected_revision, failure, cost, now).map_err(|e| refused(Some(&claim), e))?;
        claims::save(&*txn, &claim).await?;
        let response = wire(&claim);
        let event = pb::ClaimDraftRevised {
            claim_id: claim.id.to_string(),
            supplier_id: claim.supplier_id.to_string(),
            claim: Some(response.clone()),
        };
        outbox::append(&mut txn, claim_event(&claim, now, &event)).await?;
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }

    /// Takes `step` on a claim the caller sees; publishes the step's event.
    pub async fn step(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: ClaimId,
        step: Step,
    ) -> AppResult<pb::Claim> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = claims::find(&*txn, id, true).await?;
        let mut claim = visible(found, SupplierScope::of(caller))?;
        let before = claim.state;
        step.apply(&mut claim, &caller.subject, now).map_err(|e| refused(Some(&claim), e))?;
        claims::save(&*txn, &claim).await?;
        outbox::append(&mut txn, step.event(&claim, now)).await?;
        let response = wire(&claim);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        tracing::info!(claim_id = %id, from = before.as_str(), to = claim.state.as_str(), "claim step");
        Ok(response)
    }

    /// One claim the caller sees.
    pub async fn claim(&self, caller: &Principal, id: ClaimId) -> AppResult<pb::Claim> {
        let found = claims::find(self.db.reader(), id, false).await?;
        Ok(wire(&visible(found, SupplierScope::of(caller))?))
    }

    /// A page of the claims the caller sees, newest first. A supplier naming another supplier is refused.
    pub async fn claims(
        &self,
        caller: &Principal,
        supplier: Option<SupplierId>,
        state: Option<ClaimState>,
        after: Option<ClaimId>,
        limit: u64,
    ) -> AppResult<Vec<Claim>> {
        let filter = match SupplierScope::of(caller) {
            SupplierScope::All => ClaimFilter { supplier, state, sent_only: false },
            SupplierScope::Only(own) => {
                if supplier.is_some_and(|named| named != own) {
                    return Err(AppError::PermissionDenied("a supplier lists only its own claims".into()));
                }
                ClaimFilter { supplier: Some(own), state, sent_only: true }
            }
        };
        claims::list(self.db.reader(), filter, after, limit).await
    }
}

/// The claim if `scope` sees it: OEM staff every claim, a supplier its own once sent.
fn visible(found: Option<Claim>, scope: SupplierScope) -> AppResult<Claim> {
    match (found, scope) {
        (Some(claim), SupplierScope::All) => Ok(claim),
        (Some(claim), SupplierScope::Only(own))
            if claim.supplier_id == own && !matches!(claim.state, ClaimState::Drafted | ClaimState::Withdrawn) =>
        {
            Ok(claim)
        }
        _ => Err(AppError::NotFound("claim")),
    }
}
