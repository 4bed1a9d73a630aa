//! `AppointmentService` over gRPC: check the caller, parse the request, call the use case.

use aftersales_kernel::DealerId;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::reception::v1::appointment_service_server::AppointmentService;
use aftersales_runtime::auth::Role;
use aftersales_runtime::idempotency::IdempotencyKey;
use aftersales_runtime::paging::Page;
use aftersales_runtime::server::edge::principal;
use aftersales_runtime::validate::{Check, NAME_MAX, TEXT_MAX};
use tonic::{Request, Response, Status};

use super::parse::time;
use super::{READERS, WRITERS, dealer_of};
use crate::app::{AppointmentChange, Reception};
use crate::convert::appointments as render;
use crate::domain::appointment::{AppointmentChannel, AppointmentState, NewAppointment, ReminderChannel};

/// Who arranges the fast lane: the desk, or the foreman who holds the bays.
const LANE_KEEPERS: &[Role] = &[Role::ServiceAdvisor, Role::DealerManager, Role::Foreman];
const LIST: &str = "reception.ListAppointments";

/// The gRPC face of appointments.
#[derive(Clone, Debug)]
pub struct AppointmentApi {
    app: Reception,
}

impl AppointmentApi {
    /// Over the application layer.
    pub fn new(app: Reception) -> Self {
        Self { app }
    }

    /// Checks the caller and the common fields, then applies the change `parse` builds.
    async fn change<R: prost::Message + Clone>(
        &self,
        request: Request<R>,
        roles: &[Role],
        method: &'static str,
        ids: impl Fn(&R) -> (&str, &str),
        parse: impl FnOnce(&mut Check, &R) -> Option<AppointmentChange>,
        clear: impl FnOnce(&mut R),
    ) -> Result<Response<pb::Appointment>, Status> {
        let caller = principal(&request)?;
        caller.require(roles)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let (request_id, id) = ids(&r);
        let request_id = check.request_id("request_id", request_id);
        let id = check.parse("appointment_id", uuid::Uuid::try_parse(id));
        let change = parse(&mut check, &r);
        let (request_id, id, change) = check.finish_with(|| Some((request_id?, id?, change?)))?;
        let key = IdempotencyKey::new(dealer.to_string(), method, request_id, &r, clear);
        Ok(Response::new(self.app.change_appointment(&key, &caller, id, change).await?))
    }
}

#[tonic::async_trait]
impl AppointmentService for AppointmentApi {
    async fn request_appointment(
        &self,
        request: Request<pb::RequestAppointmentRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        let caller = principal(&request)?;
        caller.require(WRITERS)?;
        let dealer = dealer_of(&caller)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let request_id = check.request_id("request_id", &r.request_id);
        let customer = check.parse("customer_id", uuid::Uuid::try_parse(&r.customer_id));
        let vehicle = check.parse("vehicle_id", uuid::Uuid::try_parse(&r.vehicle_id));
        let channel = match pb::AppointmentChannel::try_from(r.channel) {
            Ok(pb::AppointmentChannel::Store) => Some(AppointmentChannel::Store),
            Ok(pb::AppointmentChannel::App) => Some(AppointmentChannel::App),
            Ok(pb::AppointmentChannel::Hotline) => Some(AppointmentChannel::Hotline),
            _ => {
                check.fail("channel", "must be STORE, APP or HOTLINE");
                None
            }
        };
        let fault = check.text("fault_description", &r.fault_description, 1, TEXT_MAX);
        let wished = time(&mut check, "wished_at", r.wished_at.as_ref(), true);
        let (request_id, customer, vehicle, channel, fault, wished_at) =
            check.finish_with(|| Some((request_id?, customer?, vehicle?, channel?, fault?, wished??)))?;
        let key =
            IdempotencyKey::new(dealer.to_string(), "RequestAppointment", request_id, &r, |r| r.request_id.clear());
        let urgent = r.urgent;
        let booking = move |vin| NewAppointment {
            customer_id: customer,
            vehicle_id: vehicle,
            vin,
            channel,
            fault_description: fault,
            urgent,
            wished_at,
        };
        Ok(Response::new(self.app.request_appointment(&key, &caller, dealer, customer, vehicle, booking).await?))
    }

    async fn confirm_appointment(
        &self,
        request: Request<pb::ConfirmAppointmentRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            WRITERS,
            "ConfirmAppointment",
            |r| (&r.request_id, &r.appointment_id),
            |check, r| Some(AppointmentChange::Confirm(time(check, "slot_at", r.slot_at.as_ref(), false)?)),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn reschedule_appointment(
        &self,
        request: Request<pb::RescheduleAppointmentRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            WRITERS,
            "RescheduleAppointment",
            |r| (&r.request_id, &r.appointment_id),
            |check, r| {
                let slot = time(check, "slot_at", r.slot_at.as_ref(), true);
                let reason = check.text("reason", &r.reason, 1, TEXT_MAX);
                Some(AppointmentChange::Reschedule(slot??, reason?))
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn cancel_appointment(
        &self,
        request: Request<pb::CancelAppointmentRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            WRITERS,
            "CancelAppointment",
            |r| (&r.request_id, &r.appointment_id),
            |check, r| Some(AppointmentChange::Cancel(check.text("reason", &r.reason, 1, TEXT_MAX)?)),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn mark_no_show(&self, request: Request<pb::MarkNoShowRequest>) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            WRITERS,
            "MarkNoShow",
            |r| (&r.request_id, &r.appointment_id),
            |_, _| Some(AppointmentChange::NoShow),
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn arrange_fast_lane(
        &self,
        request: Request<pb::ArrangeFastLaneRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            LANE_KEEPERS,
            "ArrangeFastLane",
            |r| (&r.request_id, &r.appointment_id),
            |check, r| {
                let bay = if r.bay.is_empty() { Some(None) } else { check.text("bay", &r.bay, 1, 50).map(Some) };
                let technician = if r.technician_subject.is_empty() {
                    Some(None)
                } else {
                    check.text("technician_subject", &r.technician_subject, 1, NAME_MAX).map(Some)
                };
                let from = time(check, "reserved_from", r.reserved_from.as_ref(), true);
                Some(AppointmentChange::FastLane { bay: bay?, technician: technician?, reserved_from: from?? })
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn record_reminder(
        &self,
        request: Request<pb::RecordReminderRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        self.change(
            request,
            WRITERS,
            "RecordReminder",
            |r| (&r.request_id, &r.appointment_id),
            |check, r| {
                let name = check.text("advisor_name", &r.advisor_name, 1, NAME_MAX);
                let contact = check.text("advisor_contact", &r.advisor_contact, 1, 100);
                let bring = check.text("what_to_bring", &r.what_to_bring, 1, 2000);
                let channel = match pb::ReminderChannel::try_from(r.channel) {
                    Ok(pb::ReminderChannel::Phone) => Some(ReminderChannel::Phone),
                    Ok(pb::ReminderChannel::Sms) => Some(ReminderChannel::Sms),
                    Ok(pb::ReminderChannel::App) => Some(ReminderChannel::App),
                    _ => {
                        check.fail("channel", "must be PHONE, SMS or APP");
                        None
                    }
                };
                Some(AppointmentChange::Remind {
                    advisor_name: name?,
                    advisor_contact: contact?,
                    what_to_bring: bring?,
                    channel: channel?,
                })
            },
            |r| r.request_id.clear(),
        )
        .await
    }

    async fn get_appointment(
        &self,
        request: Request<pb::GetAppointmentRequest>,
    ) -> Result<Response<pb::Appointment>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let mut check = Check::new();
        let id = check.parse("id", uuid::Uuid::try_parse(&request.get_ref().id));
        let id = check.finish_with(|| id)?;
        Ok(Response::new(render::appointment(&self.app.appointment(&caller, id).await?)))
    }

    async fn list_appointments(
        &self,
        request: Request<pb::ListAppointmentsRequest>,
    ) -> Result<Response<pb::ListAppointmentsResponse>, Status> {
        let caller = principal(&request)?;
        caller.require(READERS)?;
        let r = request.into_inner();
        let mut check = Check::new();
        let dealer =
            if r.dealer_id.is_empty() { None } else { check.parse("dealer_id", DealerId::parse(&r.dealer_id)) };
        let state = match pb::AppointmentState::try_from(r.state) {
            Ok(pb::AppointmentState::Unspecified) => None,
            Ok(s) => {
                AppointmentState::parse(&s.as_str_name().trim_start_matches("APPOINTMENT_STATE_").to_ascii_lowercase())
            }
            Err(_) => {
                check.fail("state", format!("unknown value {}", r.state));
                None
            }
        };
        check.finish()?;
        let scope = caller.dealer_scope(dealer)?;
        let page = Page::parse(LIST, r.page.as_ref())?;
        let after = page.after_uuid()?;
        let list = self.app.appointments(&scope, state, after, page.fetch_limit()).await?;
        let (list, page) = page.finish(LIST, list, |a| a.id.to_string());
        Ok(Response::new(pb::ListAppointmentsResponse {
            appointments: list.iter().map(render::appointment).collect(),
            page: Some(page),
        }))
    }
}
