//! `ScorecardService` over gRPC: check the caller's role, parse the period, call the use case.

use aftersales_kernel::SupplierId;
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::scorecard_service_server::ScorecardService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::from_timestamp;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use chrono::Duration;
use tonic::{Request, Response, Status};

use crate::app::scorecards::{Period, Scorecards};

/// OEM staff, who read every supplier's scorecard and the ranking.
const OEM: &[Role] = &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality];
/// OEM staff and a supplier's system (its own scorecard).
const READERS: &[Role] =
    &[Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality, Role::Supplier];
/// The longest period counted at once.
const PERIOD_MAX_DAYS: i64 = 366;

/// The gRPC face of scorecards.
#[derive(Clone, Debug)]
pub struct ScorecardApi {
    scorecards: Scorecards,
}

impl ScorecardApi {
    /// Over the use cases.
    pub fn new(scorecards: Scorecards) -> Self {
        Self { scorecards }
    }
}

/// `[start_time, end_time)`: both set, the end after the start, at most a year and a day apart.
fn period(
    check: &mut Check,
    start: Option<&prost_types::Timestamp>,
    end: Option<&prost_types::Timestamp>,
) -> Option<Period> {
    let start = check.required("start_time", from_timestamp(start));
    let end = check.required("end_time", from_timestamp(end));
    let (start, end) = (start?, end?);
    if end <= start || end - start > Duration::days(PERIOD_MAX_DAYS) {
        check.fail("end_time", format!("must be after start_time and at most {PERIOD_MAX_DAYS} days after it"));
        return None;
    }
    Some((start, end))
}

#[tonic::async_trait]
impl ScorecardService for ScorecardApi {
    async fn get_scorecard(
        &self,
        request: Request<pb::GetScorecardRequest>,
    ) -> Result<Response<pb::Scorecard>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.get_ref();
        let mut check = Check::new();
        let supplier = if r.supplier_id.is_empty() {
            Some(None)
        } else {
            check.parse("supplier_id", SupplierId::parse(&r.supplier_id)).map(Some)
        };
        let period = period(&mut check, r.start_time.as_ref(), r.end_time.as_ref());
        let (supplier, period) = check.finish_with(|| Some((supplier?, period?)))?;
        Ok(Response::new(self.scorecards.scorecard(&caller, supplier, period).await?))
    }

    async fn rank_suppliers(
        &self,
        request: Request<pb::RankSuppliersRequest>,
    ) -> Result<Response<pb::RankSuppliersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(OEM)?;
        let r = request.get_ref();
        let mut check = Check::new();
        let period = period(&mut check, r.start_time.as_ref(), r.end_time.as_ref());
        let period = check.finish_with(|| period)?;
        let scorecards = self.scorecards.ranking(period).await?;
        Ok(Response::new(pb::RankSuppliersResponse { scorecards }))
    }
}
