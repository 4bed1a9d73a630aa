//! `WarrantyService` over gRPC.

use aftersales_kernel::{PartNumber, Vin};
use aftersales_proto::parts::v1 as pb;
use aftersales_proto::parts::v1::warranty_service_server::WarrantyService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::from_timestamp;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, REFERENCE_MAX};
use tonic::{Request, Response, Status};

use super::dealer_of;
use crate::app::Parts;
use crate::convert;
use crate::domain::fitting::FailureReport;

/// Who reports failed parts: the workshop and the front desk.
const REPORTERS: &[Role] = &[Role::ServiceAdvisor, Role::Foreman, Role::Technician, Role::DealerManager];
/// Who reads fittings.
const READERS: &[Role] = &Role::STAFF;
/// Most evidence references.
const EVIDENCE_MAX: usize = 20;
/// Highest odometer reading, km.
const MILEAGE_MAX: i64 = 2_000_000;

/// The gRPC face of parts warranty.
#[derive(Clone, Debug)]
pub struct WarrantyApi {
    app: Parts,
}

impl WarrantyApi {
    /// Over the application layer.
    pub fn new(app: Parts) -> Self {
        Self { app }
    }
}

#[tonic::async_trait]
impl WarrantyService for WarrantyApi {
    async fn report_part_failure(
        &self,
        request: Request<pb::ReportPartFailureRequest>,
    ) -> Result<Response<pb::PartFailureVerdict>, Status> {
        let caller = principal(&request)?;
        caller.require(REPORTERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let vin = check.parse("vin", Vin::parse(&r.vin));
        let part = check.parse("part_number", PartNumber::parse(&r.part_number));
        let failed_at = check.required("failure_time", r.failure_time.as_ref()).and_then(|t| {
            let parsed = from_timestamp(Some(t));
            if parsed.is_none() {
                check.fail("failure_time", "is not a valid time");
            }
            parsed
        });
        let mileage = check.range("mileage_km", r.mileage_km, 0, MILEAGE_MAX);
        if r.evidence_references.len() > EVIDENCE_MAX {
            check.fail("evidence_references", format!("at most {EVIDENCE_MAX} references"));
        }
        let evidence: Vec<Option<String>> = r
            .evidence_references
            .iter()
            .enumerate()
            .map(|(i, e)| check.text(&format!("evidence_references[{i}]"), e, 1, REFERENCE_MAX))
            .collect();
        let (request_id, report) = check.finish_with(|| {
            Some((
                request_id?,
                FailureReport {
                    vin: vin?,
                    part_number: part?,
                    failed_at: failed_at?,
                    mileage_km: mileage?,
                    evidence: evidence.into_iter().collect::<Option<Vec<_>>>()?,
                },
            ))
        })?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "ReportPartFailure", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.report_part_failure(&key, &caller, report).await?))
    }

    async fn list_fittings(
        &self,
        request: Request<pb::ListFittingsRequest>,
    ) -> Result<Response<pb::ListFittingsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let vin = check.parse("vin", Vin::parse(&request.get_ref().vin));
        let vin = check.finish_with(|| vin)?;
        let fittings = self.app.fittings(&caller, &vin, None).await?;
        Ok(Response::new(pb::ListFittingsResponse { fittings: fittings.iter().map(convert::fitting).collect() }))
    }
}
