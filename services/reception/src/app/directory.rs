//! The dealer directory's use cases: each change one transaction with its DealerUpdated / StaffUpdated event.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult};

use super::Reception;
use crate::convert::directory as render;
use crate::domain::directory::{Dealer, DealerError, DealerProfile, StaffMember, StaffProfile, StaffRole};
use crate::store::directory as store;

impl Reception {
    /// Adds a dealer; publishes `DealerUpdated`.
    pub async fn create_dealer(
        &self,
        key: &IdempotencyKey,
        id: DealerId,
        profile: DealerProfile,
    ) -> AppResult<pb::Dealer> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let dealer = Dealer::add(id, profile, now).map_err(dealer_error)?;
        if !store::insert_dealer(&*txn, &dealer).await? {
            return Err(AppError::AlreadyExists("dealer".into()));
        }
        let answer = render::dealer(&dealer);
        outbox::append(&mut txn, dealer_event(&dealer, &answer, now)).await?;
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        tracing::info!(dealer_id = %dealer.id, "dealer added to the directory");
        Ok(answer)
    }

    /// Replaces a dealer's profile if `revision` is current; publishes `DealerUpdated`.
    pub async fn update_dealer(
        &self,
        key: &IdempotencyKey,
        id: DealerId,
        revision: i64,
        profile: DealerProfile,
    ) -> AppResult<pb::Dealer> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let mut dealer = store::dealer(&*txn, id).await?.ok_or(AppError::NotFound("dealer"))?;
        if dealer.revision != revision {
            return Err(AppError::Aborted("the dealer changed since it was read; read it again".into()));
        }
        dealer.update(profile, now).map_err(dealer_error)?;
        store::update_dealer(&*txn, &dealer, revision).await?;
        let answer = render::dealer(&dealer);
        outbox::append(&mut txn, dealer_event(&dealer, &answer, now)).await?;
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A dealer the caller may see.
    pub async fn dealer(&self, caller: &Principal, id: DealerId) -> AppResult<Dealer> {
        let dealer = store::dealer(self.db.reader(), id).await?;
        dealer.filter(|d| caller.can_see_dealer(&d.id)).ok_or(AppError::NotFound("dealer"))
    }

    /// A page of dealers.
    pub async fn dealers(
        &self,
        scope: &DealerScope,
        region: Option<&str>,
        after: Option<&str>,
        limit: u64,
    ) -> AppResult<Vec<Dealer>> {
        store::dealers(self.db.reader(), scope, region, after, limit).await
    }

    /// Adds a member of staff to the manager's dealer; publishes `StaffUpdated`.
    pub async fn add_staff_member(
        &self,
        key: &IdempotencyKey,
        dealer: DealerId,
        subject: String,
        profile: StaffProfile,
    ) -> AppResult<pb::StaffMember> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let member = StaffMember::add(subject, dealer, profile, now);
        // Which dealer a taken subject belongs to is not said: another dealer's staff are not the caller's business.
        if !store::insert_staff_member(&*txn, &member).await? {
            return Err(AppError::AlreadyExists("staff member (the subject is already in the directory)".into()));
        }
        let answer = render::staff_member(&member);
        outbox::append(&mut txn, staff_event(&member, &answer, now)).await?;
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Replaces a member's profile if `revision` is current; publishes `StaffUpdated`.
    pub async fn update_staff_member(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        subject: &str,
        revision: i64,
        profile: StaffProfile,
    ) -> AppResult<pb::StaffMember> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let member = store::staff_member(&*txn, subject).await?;
        let mut member =
            member.filter(|m| caller.can_see_dealer(&m.dealer_id)).ok_or(AppError::NotFound("staff member"))?;
        if member.revision != revision {
            return Err(AppError::Aborted("the staff member changed since read; read them again".into()));
        }
        member.update(profile, now);
        store::update_staff_member(&*txn, &member, revision).await?;
        let answer = render::staff_member(&member);
        outbox::append(&mut txn, staff_event(&member, &answer, now)).await?;
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// A member the caller may see.
    pub async fn staff_member(&self, caller: &Principal, subject: &str) -> AppResult<StaffMember> {
        let member = store::staff_member(self.db.reader(), subject).await?;
        member.filter(|m| caller.can_see_dealer(&m.dealer_id)).ok_or(AppError::NotFound("staff member"))
    }

    /// A page of staff.
    pub async fn staff(
        &self,
        scope: &DealerScope,
        role: Option<StaffRole>,
        active_only: bool,
        after: Option<&str>,
        limit: u64,
    ) -> AppResult<Vec<StaffMember>> {
        store::staff(self.db.reader(), scope, role, active_only, after, limit).await
    }
}

fn dealer_event(dealer: &Dealer, record: &pb::Dealer, now: chrono::DateTime<chrono::Utc>) -> NewEvent {
    let event = pb::DealerUpdated { dealer: Some(record.clone()) };
    NewEvent::new(&event, now, EventTenant::Dealer(dealer.id.to_string()), "dealer", dealer.id.to_string())
}

fn staff_event(member: &StaffMember, record: &pb::StaffMember, now: chrono::DateTime<chrono::Utc>) -> NewEvent {
    let event = pb::StaffUpdated { staff_member: Some(record.clone()) };
    let tenant = EventTenant::Dealer(member.dealer_id.to_string());
    NewEvent::new(&event, now, tenant, "staff_member", member.subject.clone())
}

fn dealer_error(error: DealerError) -> AppError {
    AppError::invalid(error.field(), error.to_string())
}
