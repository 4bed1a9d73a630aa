//! `CheckInService` over gRPC: check the caller, parse the walk-around, call the use case.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::check_in_service_server::CheckInService;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, REFERENCE_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::{READERS, WRITERS, dealer_of};
use crate::app::{CheckInSubject, Reception};
use crate::convert::check_ins as render;
use crate::domain::check_in::{PanelDamage, WalkAround};

const LIST: &str = "reception.ListCheckIns";
/// Highest odometer reading accepted, km.
const MAX_KM: i64 = 2_000_000;

/// The gRPC face of check-in.
#[derive(Clone, Debug)]
pub struct CheckInApi {
    app: Reception,
}

impl CheckInApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

fn list_of(check: &mut Check, field: &str, items: &[String], most: usize, max_len: usize) -> Option<Vec<String>> {
    if items.len() > most {
        check.fail(field, format!("must have at most {most} entries"));
    }
    let parsed: Vec<Option<String>> =
        items.iter().take(most).enumerate().map(|(i, t)| check.text(&format!("{field}[{i}]"), t, 1, max_len)).collect();
    parsed.into_iter().collect()
}

#[tonic::async_trait]
impl CheckInService for CheckInApi {
    async fn check_in(&self, request: Request<pb::CheckInRequest>) -> Result<Response<pb::CheckInRecord>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let appointment = if r.appointment_id.is_empty() {
            Some(None)
        } else {
            check.parse("appointment_id", uuid::Uuid::try_parse(&r.appointment_id)).map(Some)
        };
        let customer = check.parse("customer_id", uuid::Uuid::try_parse(&r.customer_id));
        let vehicle = check.parse("vehicle_id", uuid::Uuid::try_parse(&r.vehicle_id));
        let km = check.range("mileage_km", r.mileage_km, 0, MAX_KM);
        let fuel = check.range("fuel_level_percent", r.fuel_level_percent, 0, 100);
        if r.exterior_damage.len() > 30 {
            check.fail("exterior_damage", "must have at most 30 panels");
        }
        let damage: Vec<Option<PanelDamage>> = r
            .exterior_damage
            .iter()
            .take(30)
            .enumerate()
            .map(|(i, d)| {
                let panel = check.text(&format!("exterior_damage[{i}].panel"), &d.panel, 1, 50);
                let description = check.text(&format!("exterior_damage[{i}].description"), &d.description, 1, 500);
                Some(PanelDamage { panel: panel?, description: description? })
            })
            .collect();
        let interior = check.text("interior_notes", &r.interior_notes, 0, TEXT_MAX);
        let belongings = list_of(&mut check, "belongings", &r.belongings, 50, 200);
        let symptoms = check.text("fault_symptoms", &r.fault_symptoms, 1, TEXT_MAX);
        let photos = list_of(&mut check, "photo_references", &r.photo_references, 20, REFERENCE_MAX);
        let (request_id, subject, walk_around) = check.finish_with(|| {
            let subject = CheckInSubject {
                appointment: appointment?,
                customer: customer?,
                vehicle: vehicle?,
                identity_checked: r.identity_checked,
            };
            let walk_around = WalkAround {
                mileage_km: km?,
                fuel_level_percent: fuel?,
                exterior_damage: damage.into_iter().collect::<Option<_>>()?,
                interior_notes: interior?,
                belongings: belongings?,
                fault_symptoms: symptoms?,
                could_not_reproduce: r.could_not_reproduce,
                photo_references: photos?,
            };
            Some((request_id?, subject, walk_around))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "CheckIn", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.check_in(&key, &caller, dealer, subject, walk_around).await?))
    }

    async fn get_check_in(
        &self,
        request: Request<pb::GetCheckInRequest>,
    ) -> Result<Response<pb::CheckInRecord>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(render::check_in(&self.app.check_in_record(&caller, id).await?)))
    }

    async fn list_check_ins(
        &self,
        request: Request<pb::ListCheckInsRequest>,
    ) -> Result<Response<pb::ListCheckInsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            if r.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&r.dealer_id)) };
        let vehicle = if r.vehicle_id.is_empty() {
            None
        } else {
            check.parse("vehicle_id", uuid::Uuid::try_parse(&r.vehicle_id))
        };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let list = self.app.check_ins(&scope, vehicle, after, page.fetch_limit()).await?;
        let (list, page) = page.finish(LIST, list, |c| c.id.to_string());
        Ok(Response::new(pb::ListCheckInsResponse {
            check_ins: list.iter().map(render::check_in).collect(),
            page: Some(page),
        }))
    }
}
