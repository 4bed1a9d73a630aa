//! First-contact responsibility: inquiries taken, handed over, replied to and closed, each change one transaction
//! with its event (escalation runs the reply clock from them).

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::auth::{DealerScope, Principal, Role};
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult, to_timestamp};
use chrono::{DateTime, Utc};

use super::Reception;
use crate::convert::inquiries as render;
use crate::domain::inquiry::{Inquiry, InquiryChannel, InquiryError, NewInquiry};
use crate::store::{directory, inquiries};

impl Reception {
    /// The caller takes a customer's inquiry and owns it; publishes `InquiryReceived`.
    pub async fn receive_inquiry(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        dealer: DealerId,
        details: NewInquiry,
    ) -> AppResult<pb::Inquiry> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let inquiry = Inquiry::receive(dealer, details, &caller.subject, now);
        inquiries::insert(&*txn, &inquiry).await?;
        let event = pb::InquiryReceived {
            inquiry_id: inquiry.id.to_string(),
            dealer_id: dealer.to_string(),
            kind: render::kind(inquiry.details.kind) as i32,
            urgent: inquiry.details.urgent,
            owner: inquiry.owner.clone(),
            received_at: Some(to_timestamp(now)),
        };
        outbox::append(&mut txn, inquiry_event(&inquiry, &event, now)).await?;
        let answer = render::inquiry(&inquiry);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// Hands the inquiry to `to`, an active member of its dealer's staff; publishes `InquiryHandedOver`.
    pub async fn hand_over_inquiry(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        to: &str,
        reason: &str,
    ) -> AppResult<pb::Inquiry> {
        self.change_inquiry(key, caller, id, async |txn, inquiry, now| {
            let member = directory::staff_member(txn, to).await?;
            if !member.is_some_and(|m| m.dealer_id == inquiry.dealer_id && m.profile.active) {
                return Err(AppError::invalid("to_subject", "is not an active member of this dealer's staff"));
            }
            let manager = caller.role == Role::DealerManager;
            let handed = inquiry.hand_over(to, reason, &caller.subject, manager, now).map_err(inquiry_error)?.clone();
            Ok(pb::InquiryHandedOver {
                inquiry_id: inquiry.id.to_string(),
                dealer_id: inquiry.dealer_id.to_string(),
                from_subject: handed.from,
                to_subject: handed.to,
                reason: handed.reason,
                at: Some(to_timestamp(now)),
            })
        })
        .await
    }

    /// The owner replies; publishes `InquiryReplied`.
    pub async fn reply_to_inquiry(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        text: &str,
        channel: InquiryChannel,
    ) -> AppResult<pb::Inquiry> {
        self.change_inquiry(key, caller, id, async |_, inquiry, now| {
            let first = inquiry.reply(text, channel, &caller.subject, now).map_err(inquiry_error)?;
            Ok(pb::InquiryReplied {
                inquiry_id: inquiry.id.to_string(),
                dealer_id: inquiry.dealer_id.to_string(),
                replied_by: caller.subject.clone(),
                replied_at: Some(to_timestamp(now)),
                first_reply: first,
            })
        })
        .await
    }

    /// Closes the inquiry; publishes `InquiryClosed`.
    pub async fn close_inquiry(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        resolution: &str,
    ) -> AppResult<pb::Inquiry> {
        self.change_inquiry(key, caller, id, async |_, inquiry, now| {
            let manager = caller.role == Role::DealerManager;
            inquiry.close(resolution, &caller.subject, manager, now).map_err(inquiry_error)?;
            Ok(pb::InquiryClosed {
                inquiry_id: inquiry.id.to_string(),
                dealer_id: inquiry.dealer_id.to_string(),
                closed_by: caller.subject.clone(),
                closed_at: Some(to_timestamp(now)),
            })
        })
        .await
    }

    /// An inquiry the caller may see.
    pub async fn inquiry(&self, caller: &Principal, id: uuid::Uuid) -> AppResult<Inquiry> {
        let inquiry = inquiries::find(self.db.reader(), id, false).await?;
        inquiry.filter(|i| caller.can_see_dealer(&i.dealer_id)).ok_or(AppError::NotFound("inquiry"))
    }

    /// A page of inquiries, newest first.
    pub async fn inquiries(
        &self,
        scope: &DealerScope,
        open_only: bool,
        owner: Option<&str>,
        after: Option<uuid::Uuid>,
        limit: u64,
    ) -> AppResult<Vec<Inquiry>> {
        inquiries::list(self.db.reader(), scope, open_only, owner, after, limit).await
    }

    /// One change to an inquiry the caller may see, in one transaction with the event `change` returns.
    async fn change_inquiry<E: aftersales_proto::EventMessage>(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        id: uuid::Uuid,
        change: impl AsyncFnOnce(&sea_orm::DatabaseTransaction, &mut Inquiry, DateTime<Utc>) -> AppResult<E>,
    ) -> AppResult<pb::Inquiry> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        let found = inquiries::find(&*txn, id, true).await?;
        let mut inquiry = found.filter(|i| caller.can_see_dealer(&i.dealer_id)).ok_or(AppError::NotFound("inquiry"))?;
        let revision = inquiry.revision;
        let event = change(&txn, &mut inquiry, now).await?;
        inquiries::save(&*txn, &inquiry, revision).await?;
        outbox::append(&mut txn, inquiry_event(&inquiry, &event, now)).await?;
        let answer = render::inquiry(&inquiry);
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }
}

fn inquiry_event<E: aftersales_proto::EventMessage>(inquiry: &Inquiry, event: &E, now: DateTime<Utc>) -> NewEvent {
    let tenant = EventTenant::Dealer(inquiry.dealer_id.to_string());
    NewEvent::new(event, now, tenant, "inquiry", inquiry.id.to_string())
}

fn inquiry_error(error: InquiryError) -> AppError {
    match &error {
        InquiryError::Closed => AppError::precondition("INQUIRY_CLOSED", "closed", error.to_string()),
        InquiryError::NotOwner { .. } => AppError::PermissionDenied(error.to_string()),
        InquiryError::SameOwner => AppError::invalid("to_subject", error.to_string()),
    }
}
