//! Parts warranty: a reported failure judged against the vehicle's fitting record and the part's warranty; inside
//! it, PartWarrantyFailure for the supplier service.

use aftersales_kernel::{PartNumber, Vin};
use aftersales_proto::parts::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::outbox::{self, EventTenant, NewEvent};
use aftersales_runtime::{AppError, AppResult, to_timestamp};

use super::Parts;
use crate::convert;
use crate::domain::fitting::{FailureReport, Fitting, ReportError, Verdict, judge};
use crate::store::{catalogue, requisitions};

impl Parts {
    /// Judges a reported failure; publishes PartWarrantyFailure when it is covered.
    pub async fn report_part_failure(
        &self,
        key: &IdempotencyKey,
        caller: &Principal,
        report: FailureReport,
    ) -> AppResult<pb::PartFailureVerdict> {
        let now = self.clock.now();
        let mut txn = self.db.write().await?;
        if let Some(first) = key.claim(&txn, now).await? {
            return Ok(first);
        }
        if report.failed_at > now {
            return Err(AppError::invalid("failure_time", "must not be in the future"));
        }
        let entry = catalogue::find(&*txn, &report.part_number)
            .await?
            .ok_or_else(|| AppError::invalid("part_number", "is not in the catalogue"))?;
        let fittings = requisitions::fittings(&*txn, &report.vin, Some(&report.part_number)).await?;
        let verdict = judge(&report, &fittings, entry.warranty()).map_err(|e| match e {
            ReportError::MileageBelowFitting(_) => AppError::invalid("mileage_km", e.to_string()),
        })?;
        let answer = convert::verdict(&verdict, entry.warranty(), caller);
        if let Verdict::Covered { fitting, .. } = &verdict {
            let dealer =
                caller.dealer().ok_or_else(|| AppError::PermissionDenied("only dealer staff report".into()))?;
            let event = pb::PartWarrantyFailure {
                dealer_id: dealer.to_string(),
                vin: report.vin.to_string(),
                part_number: report.part_number.to_string(),
                batch: fitting.batch.to_string(),
                supplier_id: entry.supplier_id().map(|s| s.to_string()).unwrap_or_default(),
                fitting: Some(convert::fitting(fitting)),
                failure_time: Some(to_timestamp(report.failed_at)),
                mileage_km: report.mileage_km,
                evidence_references: report.evidence.clone(),
                reported_by: caller.subject.clone(),
            };
            let tenant = EventTenant::Dealer(dealer.to_string());
            outbox::append(&mut txn, NewEvent::new(&event, now, tenant, "vehicle", report.vin.to_string())).await?;
            tracing::info!(vin = %report.vin, part = %report.part_number, "part failure inside warranty");
        }
        key.finish(&txn, &answer).await?;
        txn.commit().await?;
        Ok(answer)
    }

    /// The fittings of a vehicle the caller may see (dealer staff: their dealer's), newest first.
    pub async fn fittings(&self, caller: &Principal, vin: &Vin, part: Option<&PartNumber>) -> AppResult<Vec<Fitting>> {
        let read = self.db.read().await?;
        let all = requisitions::fittings(&read, vin, part).await?;
        Ok(all.into_iter().filter(|f| f.quantity > 0 && caller.can_see_dealer(&f.dealer_id)).collect())
    }
}
