//! `CustomerService` and `VehicleService` over gRPC: check the caller, parse the request, call the use case.

use aftersales_kernel::{DealerId, Vin};
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::customer_service_server::CustomerService;
use aftersales_proto::reception::v1::vehicle_service_server::VehicleService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::{READERS, WRITERS, dealer_of};
use crate::app::{MileageChange, Reception};
use crate::convert::customers as render;
use crate::domain::customer::{ContactChannel, CustomerDetails, Phone, check_email};
use crate::domain::vehicle::{MileageSource, NewVehicle};

/// Who corrects mileage.
const CORRECTORS: &[Role] = &[Role::DealerManager];
const LIST_CUSTOMERS: &str = "reception.ListCustomers";
const LIST_VEHICLES: &str = "reception.ListVehicles";
/// Highest odometer reading accepted, km.
const MAX_KM: i64 = 2_000_000;
/// Longest address.
const ADDRESS_MAX: usize = 500;

/// The gRPC face of customers.
#[derive(Clone, Debug)]
pub struct CustomerApi {
    app: Reception,
}

impl CustomerApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

/// The gRPC face of vehicles.
#[derive(Clone, Debug)]
pub struct VehicleApi {
    app: Reception,
}

impl VehicleApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }
}

fn details(
    check: &mut Check,
    name: &str,
    phone: &str,
    email: &str,
    address: &str,
    channel: i32,
) -> Option<CustomerDetails> {
    let name = check.text("name", name, 1, NAME_MAX);
    let phone = check.parse("phone", Phone::parse(phone));
    let email = if email.is_empty() {
        Some(None)
    } else {
        check.parse("email", check_email(email)).map(|()| Some(email.to_string()))
    };
    let address =
        if address.is_empty() { Some(None) } else { check.text("address", address, 1, ADDRESS_MAX).map(Some) };
    let channel = match pb::ContactChannel::try_from(channel) {
        Ok(pb::ContactChannel::Phone) => Some(ContactChannel::Phone),
        Ok(pb::ContactChannel::Sms) => Some(ContactChannel::Sms),
        Ok(pb::ContactChannel::App) => Some(ContactChannel::App),
        Ok(pb::ContactChannel::Email) => Some(ContactChannel::Email),
        _ => {
            check.fail("preferred_channel", "must be PHONE, SMS, APP or EMAIL");
            None
        }
    };
    Some(CustomerDetails { name: name?, phone: phone?, email: email?, address: address?, preferred_channel: channel? })
}

fn id(check: &mut Check, field: &str, text: &str) -> Option<uuid::Uuid> {
    check.parse(field, uuid::Uuid::try_parse(text))
}

fn dealer_filter(check: &mut Check, text: &str) -> Option<DealerId> {
    if text.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(text)) }
}

#[tonic::async_trait]
impl CustomerService for CustomerApi {
    async fn create_customer(
        &self,
        request: Request<pb::CreateCustomerRequest>,
    ) -> Result<Response<pb::Customer>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let details = details(&mut check, &r.name, &r.phone, &r.email, &r.address, r.preferred_channel);
        let (request_id, details) = check.finish_with(|| Some((request_id?, details?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CreateCustomer", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.create_customer(&key, dealer, details).await?))
    }

    async fn update_customer(
        &self,
        request: Request<pb::UpdateCustomerRequest>,
    ) -> Result<Response<pb::Customer>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let customer = id(&mut check, "id", &r.id);
        let inner = r.etag.strip_prefix('"').and_then(|e| e.strip_suffix('"')).unwrap_or(&r.etag);
        let revision = inner.parse::<i64>().ok().filter(|v| *v >= 1);
        if revision.is_none() {
            check.fail("etag", "is required: the etag as last read");
        }
        let details = details(&mut check, &r.name, &r.phone, &r.email, &r.address, r.preferred_channel);
        let (request_id, customer, revision, details) =
            check.finish_with(|| Some((request_id?, customer?, revision?, details?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), "UpdateCustomer", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.update_customer(&key, &caller, customer, revision, details).await?))
    }

    async fn get_customer(&self, request: Request<pb::GetCustomerRequest>) -> Result<Response<pb::Customer>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let customer = id(&mut check, "id", &request.get_ref().id);
        let customer = check.finish_with(|| customer)?;
        Ok(Response::new(render::customer(&self.app.customer(&caller, customer).await?)))
    }

    async fn list_customers(
        &self,
        request: Request<pb::ListCustomersRequest>,
    ) -> Result<Response<pb::ListCustomersResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer = dealer_filter(&mut check, &r.dealer_id);
        let phone = if r.phone.is_empty() { None } else { check.parse("phone", Phone::parse(&r.phone)) };
        let prefix =
            if r.name_prefix.is_empty() { None } else { check.text("name_prefix", &r.name_prefix, 1, NAME_MAX) };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST_CUSTOMERS, r.page.as_ref())?;
        let list = self
            .app
            .customers(&scope, phone.as_ref(), prefix.as_deref(), page.after_uuid()?, page.fetch_limit())
            .await?;
        let (list, page) = page.finish(LIST_CUSTOMERS, list, |c| c.id.to_string());
        Ok(Response::new(pb::ListCustomersResponse {
            customers: list.iter().map(render::customer).collect(),
            page: Some(page),
        }))
    }
}

#[tonic::async_trait]
impl VehicleService for VehicleApi {
    async fn register_vehicle(
        &self,
        request: Request<pb::RegisterVehicleRequest>,
    ) -> Result<Response<pb::Vehicle>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let vin = check.parse("vin", Vin::parse(&r.vin));
        let model = check.text("model", &r.model, 1, 100);
        let year = check.range("model_year", r.model_year, 1950, 2100);
        let plate = if r.plate.is_empty() { Some(None) } else { check.text("plate", &r.plate, 1, 20).map(Some) };
        let owner = id(&mut check, "owner_customer_id", &r.owner_customer_id);
        let km = check.range("mileage_km", r.mileage_km, 0, MAX_KM);
        let (request_id, new) = check.finish_with(|| {
            let new = NewVehicle {
                vin: vin?,
                model: model?,
                model_year: year?,
                plate: plate?,
                owner: owner?,
                mileage_km: km?,
            };
            Some((request_id?, new))
        })?;
        let key = IdempotencyKey::new(dealer.to_string(), "RegisterVehicle", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.register_vehicle(&key, &caller, dealer, new).await?))
    }

    async fn get_vehicle(&self, request: Request<pb::GetVehicleRequest>) -> Result<Response<pb::Vehicle>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let vehicle = id(&mut check, "id", &request.get_ref().id);
        let vehicle = check.finish_with(|| vehicle)?;
        Ok(Response::new(render::vehicle(&self.app.vehicle(&caller, vehicle).await?)))
    }

    async fn list_vehicles(
        &self,
        request: Request<pb::ListVehiclesRequest>,
    ) -> Result<Response<pb::ListVehiclesResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer = dealer_filter(&mut check, &r.dealer_id);
        let owner = if r.owner_customer_id.is_empty() {
            None
        } else {
            id(&mut check, "owner_customer_id", &r.owner_customer_id)
        };
        let vin = if r.vin.is_empty() { None } else { check.parse("vin", Vin::parse(&r.vin)) };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST_VEHICLES, r.page.as_ref())?;
        let list = self.app.vehicles(&scope, owner, vin.as_ref(), page.after_uuid()?, page.fetch_limit()).await?;
        let (list, page) = page.finish(LIST_VEHICLES, list, |v| v.id.to_string());
        Ok(Response::new(pb::ListVehiclesResponse {
            vehicles: list.iter().map(render::vehicle).collect(),
            page: Some(page),
        }))
    }

    async fn record_mileage(
        &self,
        request: Request<pb::RecordMileageRequest>,
    ) -> Result<Response<pb::Vehicle>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let vehicle = id(&mut check, "vehicle_id", &r.vehicle_id);
        let km = check.range("km", r.km, 0, MAX_KM);
        let source = match pb::MileageSource::try_from(r.source) {
            Ok(pb::MileageSource::Appointment) => Some(MileageSource::Appointment),
            Ok(pb::MileageSource::CheckIn) => Some(MileageSource::CheckIn),
            Ok(pb::MileageSource::Manual) => Some(MileageSource::Manual),
            _ => {
                check.fail("source", "must be APPOINTMENT, CHECK_IN or MANUAL (corrections use CorrectMileage)");
                None
            }
        };
        let (request_id, vehicle, change) =
            check.finish_with(|| Some((request_id?, vehicle?, MileageChange::Reading(km?, source?))))?;
        let key = IdempotencyKey::new(dealer.to_string(), "RecordMileage", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.change_mileage(&key, &caller, vehicle, change).await?))
    }

    async fn correct_mileage(
        &self,
        request: Request<pb::CorrectMileageRequest>,
    ) -> Result<Response<pb::Vehicle>, Status> {
        let caller = principal(&request)?;
        caller.require(CORRECTORS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let vehicle = id(&mut check, "vehicle_id", &r.vehicle_id);
        let km = check.range("km", r.km, 0, MAX_KM);
        let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
        let (request_id, vehicle, change) =
            check.finish_with(|| Some((request_id?, vehicle?, MileageChange::Correction(km?, reason?))))?;
        let key = IdempotencyKey::new(dealer.to_string(), "CorrectMileage", request_id, &r, |r| r.request_id.clear());
        Ok(Response::new(self.app.change_mileage(&key, &caller, vehicle, change).await?))
    }
}
