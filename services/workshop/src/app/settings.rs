//! Dealer workshop settings use cases.

use aftersales_kernel::DealerId;
use aftersales_proto::workshop::v1 as pb;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::{AppError, AppResult};

use super::Workshop;
use super::assignment::assignment_lock;
use crate::convert;
use crate::domain::settings::WorkshopSettings;
use crate::store::settings;

impl Workshop {
    /// A dealer's settings.
    pub async fn settings(&self, dealer: DealerId) -> AppResult<WorkshopSettings> {
        settings::get(self.db.reader(), dealer).await
    }

    /// Replaces `dealer`'s settings read at `etag`; publishes `WorkshopSettingsChanged` when they change, and
    /// runs automatic assignment when it was just turned on.
    pub async fn update_settings(
        &self,
        key: &IdempotencyKey,
        dealer: DealerId,
        etag: i64,
        automatic_assignment: bool,
    ) -> AppResult<pb::WorkshopSettings> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        txn.serialize_on(&assignment_lock(dealer)).await?;
        let mut current = settings::get(&*txn, dealer).await?;
        let previous = current.revision;
        let stale = |e: crate::domain::settings::StaleSettings| AppError::Aborted(format!("{e}; read them again"));
        if current.update(etag, automatic_assignment, now).map_err(stale)? {
            if !settings::save(&*txn, &current, previous).await? {
                return Err(AppError::Aborted("the settings changed concurrently; read them again".into()));
            }
            let message = pb::WorkshopSettingsChanged { settings: Some(convert::settings(&current)) };
            super::dealer_event(&mut txn, dealer, "workshop_settings", dealer.to_string(), &message, now).await?;
            tracing::info!(dealer_id = %dealer, automatic_assignment, "workshop settings changed");
            if automatic_assignment {
                self.auto_assign(&mut txn, dealer, now).await?;
            }
        }
        let response = convert::settings(&current);
        key.finish(&txn, &response).await?;
        txn.commit().await?;
        Ok(response)
    }
}
