//! `CaseReportService` over gRPC: a dealer's manager sees their own dealer's report, OEM roles any dealer's, a
//! region's or the whole network's.

use aftersales_kernel::DealerId;
use aftersales_proto::escalation::v1 as pb;
use aftersales_proto::escalation::v1::case_report_service_server::CaseReportService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{DealerScope, Role};
use aftersales_runtime::validate::{Check, NAME_MAX};
use chrono_tz::Tz;
use tonic::{Request, Response, Status};

use super::open;
use crate::app::Escalation;
use crate::app::reports::Scope;
use crate::domain::report::{Period, PeriodKind};

/// Who reads case reports.
const REPORTERS: &[Role] =
    &[Role::DealerManager, Role::OemSupport, Role::SupportLead, Role::OemManager, Role::OemExecutive, Role::Quality];

/// The gRPC face of case reports.
#[derive(Clone, Debug)]
pub struct CaseReportApi {
    app: Escalation,
    time_zone: Tz,
}

impl CaseReportApi {
    /// Over the application layer, counting periods in `time_zone`.
    pub fn new(app: Escalation, time_zone: Tz) -> Self {
        Self { app, time_zone }
    }
}

fn parse(r: &pb::GetCaseReportRequest) -> Result<(Period, Option<DealerId>, Option<String>), AppError> {
    let mut check = Check::new();
    let kind = match check.enum_value::<pb::ReportPeriodKind>("kind", r.kind) {
        Some(pb::ReportPeriodKind::Month) => Some(PeriodKind::Month),
        Some(pb::ReportPeriodKind::Quarter) => Some(PeriodKind::Quarter),
        Some(pb::ReportPeriodKind::Year) => Some(PeriodKind::Year),
        Some(pb::ReportPeriodKind::Unspecified) => {
            check.fail("kind", "is required");
            None
        }
        None => None,
    };
    let period = kind.and_then(|kind| match Period::new(kind, r.year, r.number.max(0) as u32) {
        Ok(period) => Some(period),
        Err(e @ crate::domain::report::PeriodError::Year) => {
            check.fail("year", e.to_string());
            None
        }
        Err(e) => {
            check.fail("number", e.to_string());
            None
        }
    });
    let dealer = if r.dealer_id.is_empty() {
        Some(None)
    } else {
        check.parse("dealer_id", DealerId::parse(&r.dealer_id)).map(Some)
    };
    let region = check.text("region", &r.region, 0, NAME_MAX);
    check.finish_with(|| Some((period?, dealer?, region.map(|g| Some(g).filter(|g| !g.is_empty()))?)))
}

#[tonic::async_trait]
impl CaseReportService for CaseReportApi {
    async fn get_case_report(
        &self,
        request: Request<pb::GetCaseReportRequest>,
    ) -> Result<Response<pb::CaseReport>, Status> {
        let (caller, request) = open(request, REPORTERS)?;
        let (period, dealer, region) = parse(&request)?;
        let dealer = match caller.dealer_scope(dealer)? {
            DealerScope::Only(dealer) => Some(dealer.to_string()),
            DealerScope::All => None,
        };
        let scope = Scope { dealer, region };
        Ok(Response::new(self.app.case_report(period, self.time_zone, &scope).await?))
    }
}
