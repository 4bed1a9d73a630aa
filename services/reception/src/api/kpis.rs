//! `ReceptionKpiService` over gRPC.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::reception_kpi_service_server::ReceptionKpiService;
use aftersales_runtime::AppError;
use aftersales_runtime::auth::{DealerScope, Role};
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::Check;
use tonic::{Request, Response, Status};

use crate::app::Reception;

/// Who reads the advisors' KPIs: the dealer's desk and manager, and the OEM.
const KPI_READERS: &[Role] = &[
    Role::ServiceAdvisor,
    Role::DealerManager,
    Role::OemSupport,
    Role::SupportLead,
    Role::OemManager,
    Role::OemExecutive,
    Role::Quality,
];

/// The gRPC face of the advisors' KPIs.
#[derive(Clone, Debug)]
pub struct ReceptionKpiApi {
    app: Reception,
}

impl ReceptionKpiApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

/// "YYYY-MM" → (year, month).
fn month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

#[tonic::async_trait]
impl ReceptionKpiService for ReceptionKpiApi {
    async fn get_advisor_kpis(
        &self,
        request: Request<pb::GetAdvisorKpisRequest>,
    ) -> Result<Response<pb::GetAdvisorKpisResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(KPI_READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            if r.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&r.dealer_id)) };
        let period = month(&r.month);
        if period.is_none() {
            check.fail("month", "must be a month YYYY-MM");
        }
        check.finish()?;
        let dealer = match caller.dealer_scope(dealer)? {
            DealerScope::Only(dealer) => dealer,
            DealerScope::All => return Err(AppError::invalid("dealer_id", "is required: KPIs are per dealer").into()),
        };
        let (year, month) = period.expect("checked");
        Ok(Response::new(self.app.advisor_kpis(dealer, year, month).await?))
    }
}
