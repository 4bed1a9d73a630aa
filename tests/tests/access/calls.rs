//! One call per RPC, aimed at the caller's own tenant, a foreign tenant, or a missing id.

use aftersales_e2e::fixtures;
use aftersales_proto::common::v1 as common;
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::workshop::v1 as workshop;
use tonic::Code;

use super::Target;
use aftersales_e2e::fixtures::{new_case, new_operation, new_part, new_supplier};
use aftersales_e2e::workshop::{ENGINE_OPERATION, Stage};

use super::world::{Desk, World};

/// The next odometer reading the harness records, km.
static NEXT_KM: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(1_000_000);

/// Who may change repair orders.
const ORDER_WRITERS: &[&str] = &["service_advisor", "dealer_manager"];

/// The table's name for a code.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::Unauthenticated => "UNAUTHENTICATED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::Unavailable => "UNAVAILABLE",
        Code::Internal => "INTERNAL",
        _ => "OTHER",
    }
}

pub(crate) fn code<T>(result: Result<T, tonic::Status>) -> Code {
    match result {
        Ok(_) => Code::Ok,
        Err(status) => status.code(),
    }
}

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Who may make the holder's changes, or the foreman for them.
const HOLDER_OR_FOREMAN: &[&str] = &["technician", "foreman"];
/// Who may make changes only the holder makes (the harness's technician holds dealer A's crew jobs).
const HOLDER: &[&str] = &["technician"];

fn pick<'a>(target: Target, own: &'a str, foreign: &'a str, missing: &'a str) -> &'a str {
    match target {
        Target::Own => own,
        Target::Foreign => foreign,
        Target::Missing => missing,
    }
}

/// A period of thirty days around now, for scorecards.
fn this_month() -> (Option<prost_types::Timestamp>, Option<prost_types::Timestamp>) {
    let now = chrono::Utc::now().timestamp();
    let at = |seconds| Some(prost_types::Timestamp { seconds, nanos: 0 });
    (at(now - 15 * 86_400), at(now + 15 * 86_400))
}

macro_rules! client {
    ($world:expr, $at:expr, $role:expr, $client:path) => {
        <$client>::with_interceptor($world.channels[$at].clone(), World::bearer($world.token($role, $at)))
    };
}

/// Makes the call; `None` when the harness does not know the RPC.
pub async fn call(world: &mut World, at: &str, method: &str, role: &str, target: Target) -> Option<Code> {
    let missing_id = uuid::Uuid::now_v7().to_string();
    let code = match method {
        "aftersales.common.v1.EventFeedService/ListEvents" => {
            let mut feed = client!(world, at, role, common::event_feed_service_client::EventFeedServiceClient<_>);
            let after = if target == Target::Missing { u64::MAX / 2 } else { 0 };
            code(feed.list_events(common::ListEventsRequest { after_sequence: after, page_size: 10 }).await)
        }
        "aftersales.common.v1.EventFeedService/WatchEvents" => {
            let mut feed = client!(world, at, role, common::event_feed_service_client::EventFeedServiceClient<_>);
            let after = if target == Target::Missing { u64::MAX / 2 } else { 0 };
            // The call answers once headers arrive; the stream itself is dropped at once.
            code(feed.watch_events(common::WatchEventsRequest { after_sequence: after }).await)
        }
        "aftersales.common.v1.ClockAdminService/AdvanceClock" => {
            let mut clock = client!(world, at, role, common::clock_admin_service_client::ClockAdminServiceClient<_>);
            let by = prost_types::Duration { seconds: 1, nanos: 0 };
            code(clock.advance_clock(common::AdvanceClockRequest { by: Some(by) }).await)
        }
        "aftersales.reception.v1.RepairOrderService/CreateRepairOrder" => {
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.create_repair_order(fixtures::create_repair_order(false)).await)
        }
        "aftersales.reception.v1.RepairOrderService/GetRepairOrder" => {
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            let id = pick(target, &world.order_a, &world.order_b, &missing_id).to_string();
            code(orders.get_repair_order(reception::GetRepairOrderRequest { id }).await)
        }
        "aftersales.reception.v1.RepairOrderService/ListRepairOrders" => {
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(
                orders.list_repair_orders(reception::ListRepairOrdersRequest { dealer_id, ..Default::default() }).await,
            )
        }
        "aftersales.reception.v1.RepairOrderService/ApproveEstimate" => {
            let order = match target {
                Target::Own => world.estimated_order(&world.dealer_a.clone()).await,
                Target::Foreign => world.estimated_order(&world.dealer_b.clone()).await,
                Target::Missing => aftersales_kernel::RepairOrderId::new().to_string(),
            };
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.approve_estimate(fixtures::approve(&order)).await)
        }
        "aftersales.reception.v1.RepairOrderService/CancelRepairOrder" => {
            let order = match target {
                Target::Own => world.estimated_order(&world.dealer_a.clone()).await,
                Target::Foreign => world.estimated_order(&world.dealer_b.clone()).await,
                Target::Missing => aftersales_kernel::RepairOrderId::new().to_string(),
            };
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            let request = reception::CancelRepairOrderRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: order,
                reason: "customer changed their mind".into(),
            };
            code(orders.cancel_repair_order(request).await)
        }
        "aftersales.reception.v1.RepairOrderService/ApproveAdditionalWork" => {
            let (order, work) = world.pending_additional_work(role, ORDER_WRITERS, target).await;
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.approve_additional_work(fixtures::approve_additional_work(&order, &work)).await)
        }
        "aftersales.reception.v1.RepairOrderService/RefuseAdditionalWork" => {
            let (order, work) = world.pending_additional_work(role, ORDER_WRITERS, target).await;
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.refuse_additional_work(fixtures::refuse_additional_work(&order, &work)).await)
        }
        "aftersales.reception.v1.RepairOrderService/NotifyCustomerProgress" => {
            let order = world.order_in_workshop(role, ORDER_WRITERS, target).await;
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.notify_customer_progress(fixtures::progress_notice(&order)).await)
        }
        "aftersales.reception.v1.RepairOrderService/NotifyCustomerDelay" => {
            let order = match target {
                Target::Own => world.approved_order(&world.dealer_a.clone()).await,
                Target::Foreign => world.approved_order(&world.dealer_b.clone()).await,
                Target::Missing => aftersales_kernel::RepairOrderId::new().to_string(),
            };
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.notify_customer_delay(fixtures::delay_notice(&order, 3)).await)
        }
        "aftersales.reception.v1.RepairOrderService/ListCustomerNotices" => {
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            let repair_order_id = pick(target, &world.order_a, &world.order_b, &missing_id).to_string();
            let request = reception::ListCustomerNoticesRequest { repair_order_id, page: None };
            code(orders.list_customer_notices(request).await)
        }
        "aftersales.reception.v1.RepairOrderService/DeliverVehicle" => {
            let order = world.order_at(role, ORDER_WRITERS, target, Desk::Settled).await;
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.deliver_vehicle(fixtures::deliver(&order)).await)
        }
        "aftersales.reception.v1.RepairOrderService/RecordFollowUp" => {
            let order = world.order_at(role, ORDER_WRITERS, target, Desk::Delivered).await;
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            code(orders.record_follow_up(fixtures::follow_up(&order, 5)).await)
        }
        "aftersales.reception.v1.RepairOrderService/ListLabourOperations" => {
            let mut orders =
                client!(world, at, role, reception::repair_order_service_client::RepairOrderServiceClient<_>);
            // Own: the active operations; foreign: retired ones too; missing: a page of one (nothing is missing).
            let request = reception::ListLabourOperationsRequest {
                include_retired: target == Target::Foreign,
                page: (target == Target::Missing)
                    .then(|| aftersales_proto::common::v1::PageRequest { page_size: 1, ..Default::default() }),
            };
            code(orders.list_labour_operations(request).await)
        }
        "aftersales.reception.v1.SettlementService/GetSettlement" => {
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            let repair_order_id = pick(target, &world.order_a, &world.order_b, &missing_id).to_string();
            code(settlements.get_settlement(reception::GetSettlementRequest { repair_order_id }).await)
        }
        "aftersales.reception.v1.SettlementService/ExplainVariance" => {
            let (order, line) = world.approved_order_line(target).await;
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            let request = reception::ExplainVarianceRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: order,
                line_id: line,
                reason: "a seized bolt took longer".into(),
            };
            code(settlements.explain_variance(request).await)
        }
        "aftersales.reception.v1.SettlementService/AddDiscount" => {
            let (order, _) = world.approved_order_line(target).await;
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            code(settlements.add_discount(fixtures::add_discount(&order, 100)).await)
        }
        "aftersales.reception.v1.SettlementService/RemoveDiscount" => {
            let (order, discount) = world.order_with_discount(target).await;
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            let request = reception::RemoveDiscountRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: order,
                discount_id: discount,
            };
            code(settlements.remove_discount(request).await)
        }
        "aftersales.reception.v1.SettlementService/SignSettlement" => {
            let order = world.order_at(role, ORDER_WRITERS, target, Desk::Ready).await;
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            let request = reception::SignSettlementRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: order,
                signed_by: "Li Wei".into(),
                signature_reference: "sig://desk/9".into(),
            };
            code(settlements.sign_settlement(request).await)
        }
        "aftersales.reception.v1.SettlementService/IssueCreditNote" => {
            let order = world.order_at(role, &["dealer_manager"], target, Desk::Settled).await;
            let mut settlements =
                client!(world, at, role, reception::settlement_service_client::SettlementServiceClient<_>);
            let request = reception::IssueCreditNoteRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: order,
                amount: fixtures::eur(100),
                reason: "labour rate entered wrong".into(),
            };
            code(settlements.issue_credit_note(request).await)
        }
        "aftersales.reception.v1.DirectoryService/CreateDealer" => {
            // Every target is a dealer not yet in the directory.
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            let dealer = aftersales_kernel::DealerId::new().to_string();
            code(directory.create_dealer(aftersales_e2e::directory::new_dealer(&dealer, "NEW", 1300)).await)
        }
        "aftersales.reception.v1.DirectoryService/UpdateDealer" => {
            let dealer = pick(target, &world.dealer_a, &world.dealer_b, &missing_id).to_string();
            let oem = World::bearer(world.token("oem_manager", "reception"));
            let mut reader = reception::directory_service_client::DirectoryServiceClient::with_interceptor(
                world.channels["reception"].clone(),
                oem,
            );
            let etag = match reader.get_dealer(reception::GetDealerRequest { dealer_id: dealer.clone() }).await {
                Ok(current) => current.into_inner().etag,
                Err(_) => "\"1\"".to_string(),
            };
            let new = aftersales_e2e::directory::new_dealer(&dealer, "UPD", 1300);
            let request = reception::UpdateDealerRequest {
                request_id: new.request_id,
                dealer_id: dealer,
                etag,
                name: new.name,
                region: new.region,
                time_zone: new.time_zone,
                opening_hours: new.opening_hours,
                currency_code: new.currency_code,
                tax_rate_basis_points: new.tax_rate_basis_points,
                invoice_prefix: new.invoice_prefix,
                active: true,
            };
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            code(directory.update_dealer(request).await)
        }
        "aftersales.reception.v1.DirectoryService/GetDealer" => {
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            let dealer_id = pick(target, &world.dealer_a, &world.dealer_b, &missing_id).to_string();
            code(directory.get_dealer(reception::GetDealerRequest { dealer_id }).await)
        }
        "aftersales.reception.v1.DirectoryService/ListDealers" => {
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            let region = pick(target, "", "CN-EAST", "NOWHERE").to_string();
            code(directory.list_dealers(reception::ListDealersRequest { page: None, region }).await)
        }
        "aftersales.reception.v1.DirectoryService/AddStaffMember" => {
            // Own and missing: a fresh subject; foreign: a subject already on dealer B's staff.
            let mut request = fixtures::add_staff_member();
            if target == Target::Foreign {
                request.subject = world.staff_b.clone();
            }
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            code(directory.add_staff_member(request).await)
        }
        "aftersales.reception.v1.DirectoryService/UpdateStaffMember" => {
            let subject = match target {
                Target::Own => world.new_staff_member(&world.dealer_a.clone()).await.subject,
                Target::Foreign => world.staff_b.clone(),
                Target::Missing => format!("nobody-{}", uuid::Uuid::now_v7()),
            };
            let request = reception::UpdateStaffMemberRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                subject,
                etag: "\"1\"".into(),
                name: "Wang Fang".into(),
                role: reception::StaffRole::Foreman as i32,
                contact: String::new(),
                active: true,
            };
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            code(directory.update_staff_member(request).await)
        }
        "aftersales.reception.v1.DirectoryService/GetStaffMember" => {
            let missing = format!("nobody-{}", uuid::Uuid::now_v7());
            let subject = pick(target, &world.staff_a, &world.staff_b, &missing).to_string();
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            code(directory.get_staff_member(reception::GetStaffMemberRequest { subject }).await)
        }
        "aftersales.reception.v1.DirectoryService/ListStaff" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut directory =
                client!(world, at, role, reception::directory_service_client::DirectoryServiceClient<_>);
            code(directory.list_staff(reception::ListStaffRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.reception.v1.InquiryService/ReceiveInquiry" => {
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            code(inquiries.receive_inquiry(fixtures::receive_inquiry()).await)
        }
        "aftersales.reception.v1.InquiryService/HandOverInquiry" => {
            let inquiry_id = world.inquiry_at(role, target).await;
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            let request = reception::HandOverInquiryRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                inquiry_id,
                to_subject: world.staff_a.clone(),
                reason: "knows the customer's car".into(),
            };
            code(inquiries.hand_over_inquiry(request).await)
        }
        "aftersales.reception.v1.InquiryService/ReplyToInquiry" => {
            let inquiry_id = world.inquiry_at(role, target).await;
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            let request = reception::ReplyToInquiryRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                inquiry_id,
                text: "a technician will call you within the hour".into(),
                channel: reception::InquiryChannel::Phone as i32,
            };
            code(inquiries.reply_to_inquiry(request).await)
        }
        "aftersales.reception.v1.InquiryService/CloseInquiry" => {
            let inquiry_id = world.inquiry_at(role, target).await;
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            let request = reception::CloseInquiryRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                inquiry_id,
                resolution: "battery replaced under warranty".into(),
            };
            code(inquiries.close_inquiry(request).await)
        }
        "aftersales.reception.v1.InquiryService/GetInquiry" => {
            let id = world.inquiry_at("service_advisor", target).await;
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            code(inquiries.get_inquiry(reception::GetInquiryRequest { id }).await)
        }
        "aftersales.reception.v1.InquiryService/ListInquiries" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut inquiries = client!(world, at, role, reception::inquiry_service_client::InquiryServiceClient<_>);
            code(inquiries.list_inquiries(reception::ListInquiriesRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.reception.v1.CustomerService/CreateCustomer" => {
            let mut customers = client!(world, at, role, reception::customer_service_client::CustomerServiceClient<_>);
            code(customers.create_customer(fixtures::create_customer()).await)
        }
        "aftersales.reception.v1.CustomerService/UpdateCustomer" => {
            let id = pick(target, &world.customer_a, &world.customer_b, &missing_id).to_string();
            let oem = World::bearer(world.token("oem_manager", "reception"));
            let mut reader = reception::customer_service_client::CustomerServiceClient::with_interceptor(
                world.channels["reception"].clone(),
                oem,
            );
            let etag = match reader.get_customer(reception::GetCustomerRequest { id: id.clone() }).await {
                Ok(current) => current.into_inner().etag,
                Err(_) => "\"1\"".to_string(),
            };
            let new = fixtures::create_customer();
            let request = reception::UpdateCustomerRequest {
                request_id: new.request_id,
                id,
                etag,
                name: new.name,
                phone: new.phone,
                email: new.email,
                address: new.address,
                preferred_channel: new.preferred_channel,
            };
            let mut customers = client!(world, at, role, reception::customer_service_client::CustomerServiceClient<_>);
            code(customers.update_customer(request).await)
        }
        "aftersales.reception.v1.CustomerService/GetCustomer" => {
            let id = pick(target, &world.customer_a, &world.customer_b, &missing_id).to_string();
            let mut customers = client!(world, at, role, reception::customer_service_client::CustomerServiceClient<_>);
            code(customers.get_customer(reception::GetCustomerRequest { id }).await)
        }
        "aftersales.reception.v1.CustomerService/ListCustomers" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut customers = client!(world, at, role, reception::customer_service_client::CustomerServiceClient<_>);
            code(customers.list_customers(reception::ListCustomersRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.reception.v1.VehicleService/RegisterVehicle" => {
            let owner = pick(target, &world.customer_a, &world.customer_b, &missing_id).to_string();
            let mut vehicles = client!(world, at, role, reception::vehicle_service_client::VehicleServiceClient<_>);
            code(vehicles.register_vehicle(fixtures::register_vehicle(&owner)).await)
        }
        "aftersales.reception.v1.VehicleService/GetVehicle" => {
            let id = pick(target, &world.vehicle_a, &world.vehicle_b, &missing_id).to_string();
            let mut vehicles = client!(world, at, role, reception::vehicle_service_client::VehicleServiceClient<_>);
            code(vehicles.get_vehicle(reception::GetVehicleRequest { id }).await)
        }
        "aftersales.reception.v1.VehicleService/ListVehicles" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut vehicles = client!(world, at, role, reception::vehicle_service_client::VehicleServiceClient<_>);
            code(vehicles.list_vehicles(reception::ListVehiclesRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.reception.v1.VehicleService/RecordMileage" => {
            let vehicle_id = pick(target, &world.vehicle_a, &world.vehicle_b, &missing_id).to_string();
            let mut vehicles = client!(world, at, role, reception::vehicle_service_client::VehicleServiceClient<_>);
            let request = reception::RecordMileageRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                vehicle_id,
                // Above every reading the harness records (corrections go down to 42 100 km): the odometer only goes up.
                km: NEXT_KM.fetch_add(10, std::sync::atomic::Ordering::SeqCst),
                source: reception::MileageSource::Manual as i32,
            };
            code(vehicles.record_mileage(request).await)
        }
        "aftersales.reception.v1.VehicleService/CorrectMileage" => {
            let vehicle_id = pick(target, &world.vehicle_a, &world.vehicle_b, &missing_id).to_string();
            let mut vehicles = client!(world, at, role, reception::vehicle_service_client::VehicleServiceClient<_>);
            let request = reception::CorrectMileageRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                vehicle_id,
                km: 42_100,
                reason: "the reading was typed with a zero too many".into(),
            };
            code(vehicles.correct_mileage(request).await)
        }
        "aftersales.reception.v1.AppointmentService/RequestAppointment" => {
            let (customer, vehicle) = match target {
                Target::Own => (world.customer_a.clone(), world.vehicle_a.clone()),
                Target::Foreign => (world.customer_b.clone(), world.vehicle_b.clone()),
                Target::Missing => (missing_id.clone(), uuid::Uuid::now_v7().to_string()),
            };
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            code(appointments.request_appointment(fixtures::request_appointment(&customer, &vehicle, false)).await)
        }
        "aftersales.reception.v1.AppointmentService/ConfirmAppointment" => {
            let appointment_id = world.appointment_at(target, false).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let request = reception::ConfirmAppointmentRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                appointment_id,
                slot_at: None,
            };
            code(appointments.confirm_appointment(request).await)
        }
        "aftersales.reception.v1.AppointmentService/RescheduleAppointment" => {
            let appointment_id = world.appointment_at(target, false).await;
            let later = chrono::Utc::now() + chrono::Duration::days(2);
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let request = reception::RescheduleAppointmentRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                appointment_id,
                slot_at: Some(prost_types::Timestamp { seconds: later.timestamp(), nanos: 0 }),
                reason: "the customer travels tomorrow".into(),
            };
            code(appointments.reschedule_appointment(request).await)
        }
        "aftersales.reception.v1.AppointmentService/CancelAppointment" => {
            let appointment_id = world.appointment_at(target, false).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let request = reception::CancelAppointmentRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                appointment_id,
                reason: "sold the car".into(),
            };
            code(appointments.cancel_appointment(request).await)
        }
        "aftersales.reception.v1.AppointmentService/MarkNoShow" => {
            // A fresh appointment's slot lies ahead: the permitted callers get FAILED_PRECONDITION.
            let appointment_id = world.appointment_at(target, false).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let request = reception::MarkNoShowRequest { request_id: uuid::Uuid::now_v7().to_string(), appointment_id };
            code(appointments.mark_no_show(request).await)
        }
        "aftersales.reception.v1.AppointmentService/ArrangeFastLane" => {
            let appointment_id = world.appointment_at(target, true).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let now = chrono::Utc::now();
            let request = reception::ArrangeFastLaneRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                appointment_id,
                bay: "Bay 2".into(),
                technician_subject: String::new(),
                reserved_from: Some(prost_types::Timestamp { seconds: now.timestamp(), nanos: 0 }),
            };
            code(appointments.arrange_fast_lane(request).await)
        }
        "aftersales.reception.v1.AppointmentService/RecordReminder" => {
            let appointment_id = world.appointment_at(target, false).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            let request = reception::RecordReminderRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                appointment_id,
                advisor_name: "Wang Fang".into(),
                advisor_contact: "+86 21 5555 0101".into(),
                what_to_bring: "service booklet, spare key".into(),
                channel: reception::ReminderChannel::Sms as i32,
            };
            code(appointments.record_reminder(request).await)
        }
        "aftersales.reception.v1.AppointmentService/GetAppointment" => {
            let id = world.appointment_at(target, false).await;
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            code(appointments.get_appointment(reception::GetAppointmentRequest { id }).await)
        }
        "aftersales.reception.v1.AppointmentService/ListAppointments" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut appointments =
                client!(world, at, role, reception::appointment_service_client::AppointmentServiceClient<_>);
            code(
                appointments
                    .list_appointments(reception::ListAppointmentsRequest { dealer_id, ..Default::default() })
                    .await,
            )
        }
        "aftersales.reception.v1.CheckInService/CheckIn" => {
            let (customer, vehicle) = match target {
                Target::Own => (world.customer_a.clone(), world.vehicle_a.clone()),
                Target::Foreign => (world.customer_b.clone(), world.vehicle_b.clone()),
                Target::Missing => (missing_id.clone(), uuid::Uuid::now_v7().to_string()),
            };
            let km = NEXT_KM.fetch_add(10, std::sync::atomic::Ordering::SeqCst);
            let mut desk = client!(world, at, role, reception::check_in_service_client::CheckInServiceClient<_>);
            code(desk.check_in(fixtures::check_in(&customer, &vehicle, km)).await)
        }
        "aftersales.reception.v1.CheckInService/GetCheckIn" => {
            let id = match target {
                Target::Missing => missing_id.clone(),
                _ => {
                    let (dealer, customer, vehicle) = if target == Target::Own {
                        (&world.dealer_a, &world.customer_a, &world.vehicle_a)
                    } else {
                        (&world.dealer_b, &world.customer_b, &world.vehicle_b)
                    };
                    let token = aftersales_e2e::Caller::dealer("service_advisor", dealer).token(&world.data());
                    let mut desk = reception::check_in_service_client::CheckInServiceClient::with_interceptor(
                        world.channels["reception"].clone(),
                        World::bearer(token),
                    );
                    let km = NEXT_KM.fetch_add(10, std::sync::atomic::Ordering::SeqCst);
                    desk.check_in(fixtures::check_in(customer, vehicle, km)).await.expect("check-in").into_inner().id
                }
            };
            let mut desk = client!(world, at, role, reception::check_in_service_client::CheckInServiceClient<_>);
            code(desk.get_check_in(reception::GetCheckInRequest { id }).await)
        }
        "aftersales.reception.v1.CheckInService/ListCheckIns" => {
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let mut desk = client!(world, at, role, reception::check_in_service_client::CheckInServiceClient<_>);
            code(desk.list_check_ins(reception::ListCheckInsRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.reception.v1.ReceptionKpiService/GetAdvisorKpis" => {
            // Dealer staff may leave the dealer empty (their own); OEM roles name it.
            let staff = aftersales_runtime::auth::Role::parse(role).is_some_and(|r| r.is_dealer_staff());
            let own = if staff { String::new() } else { world.dealer_a.clone() };
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, &own, &world.dealer_b, &missing_dealer).to_string();
            let mut kpis =
                client!(world, at, role, reception::reception_kpi_service_client::ReceptionKpiServiceClient<_>);
            let month = chrono::Utc::now().format("%Y-%m").to_string();
            code(kpis.get_advisor_kpis(reception::GetAdvisorKpisRequest { dealer_id, month }).await)
        }
        "aftersales.workshop.v1.JobService/GetJob" => {
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let id = pick(target, &world.job_a, &world.job_b, &missing_id).to_string();
            code(jobs.get_job(workshop::GetJobRequest { id }).await)
        }
        "aftersales.workshop.v1.JobService/ListJobs" => {
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(jobs.list_jobs(workshop::ListJobsRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.workshop.v1.JobService/ListAssignmentQueue" => {
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(jobs.list_assignment_queue(workshop::ListAssignmentQueueRequest { dealer_id, limit: 0 }).await)
        }
        "aftersales.workshop.v1.JobService/SuggestTechnician" => {
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let job_id = pick(target, &world.job_a, &world.job_b, &missing_id).to_string();
            code(jobs.suggest_technician(workshop::SuggestTechnicianRequest { job_id }).await)
        }
        "aftersales.workshop.v1.JobService/AssignJob" => {
            // A fresh queued job, given to the crew technician of the job's dealer (the suggestion).
            let job = world.job_at(role, &["foreman"], target, Stage::Queued).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let request = workshop::AssignJobRequest {
                request_id: request_id(),
                job_id: job.id,
                technician_id: world.crew(target).technician_id.clone(),
                override_reason: String::new(),
            };
            code(jobs.assign_job(request).await)
        }
        "aftersales.workshop.v1.JobService/StartJob" => {
            let job = world.job_at(role, HOLDER_OR_FOREMAN, target, Stage::Assigned).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            code(jobs.start_job(workshop::StartJobRequest { request_id: request_id(), job_id: job.id }).await)
        }
        "aftersales.workshop.v1.JobService/ClockOn" => {
            let job = world.job_at(role, HOLDER, target, Stage::Started).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let line_id = job.operations[0].line_id.clone();
            code(jobs.clock_on(workshop::ClockOnRequest { request_id: request_id(), job_id: job.id, line_id }).await)
        }
        "aftersales.workshop.v1.JobService/ClockOff" => {
            let job = world.job_at(role, HOLDER_OR_FOREMAN, target, Stage::ClockedOn).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            code(jobs.clock_off(workshop::ClockOffRequest { request_id: request_id(), job_id: job.id }).await)
        }
        "aftersales.workshop.v1.JobService/LogProgress" => {
            let job = world.job_at(role, HOLDER_OR_FOREMAN, target, Stage::Started).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let request = workshop::LogProgressRequest {
                request_id: request_id(),
                job_id: job.id,
                note: format!("progress ({role}, {target:?})"),
                media_references: vec!["media/photo-1.jpg".into()],
            };
            code(jobs.log_progress(request).await)
        }
        "aftersales.workshop.v1.JobService/ReportDelay" => {
            let job = world.job_at(role, HOLDER_OR_FOREMAN, target, Stage::Assigned).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            // Later than the fixture's promise (two days after the order) and than now.
            let later = chrono::Utc::now() + chrono::Duration::days(30);
            let request = workshop::ReportDelayRequest {
                request_id: request_id(),
                job_id: job.id,
                new_promised_at: Some(aftersales_runtime::to_timestamp(later)),
                reason: "waiting for a part".into(),
            };
            code(jobs.report_delay(request).await)
        }
        "aftersales.workshop.v1.JobService/RequestAdditionalWork" => {
            let job = world.job_at(role, HOLDER, target, Stage::Started).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let request = workshop::RequestAdditionalWorkRequest {
                request_id: request_id(),
                job_id: job.id,
                finding: "worn timing belt".into(),
                operations: vec![workshop::RequestedOperation {
                    operation_code: ENGINE_OPERATION.into(),
                    estimated_hours_hundredths: 100,
                }],
                parts: vec![],
                media_references: vec![],
            };
            code(jobs.request_additional_work(request).await)
        }
        "aftersales.workshop.v1.JobService/CompleteSelfCheck" => {
            let job = world.job_at(role, HOLDER, target, Stage::Worked).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let request =
                workshop::CompleteSelfCheckRequest { request_id: request_id(), job_id: job.id, note: "checked".into() };
            code(jobs.complete_self_check(request).await)
        }
        "aftersales.workshop.v1.JobService/RecordInspection" => {
            // The harness's inspector never worked on the job.
            let job = world.job_at(role, &["qc_inspector"], target, Stage::AwaitingInspection).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let request = workshop::RecordInspectionRequest {
                request_id: request_id(),
                job_id: job.id,
                passed: true,
                findings: String::new(),
            };
            code(jobs.record_inspection(request).await)
        }
        "aftersales.workshop.v1.JobService/RecordWash" => {
            let job = world.job_at(role, HOLDER_OR_FOREMAN, target, Stage::InspectionPassed).await;
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            code(jobs.record_wash(workshop::RecordWashRequest { request_id: request_id(), job_id: job.id }).await)
        }
        "aftersales.workshop.v1.JobService/GetWorkshopKpis" => {
            let mut jobs = client!(world, at, role, workshop::job_service_client::JobServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let now = chrono::Utc::now();
            let request = workshop::GetWorkshopKpisRequest {
                dealer_id,
                from: Some(aftersales_runtime::to_timestamp(now - chrono::Duration::days(30))),
                to: Some(aftersales_runtime::to_timestamp(now + chrono::Duration::days(1))),
            };
            code(jobs.get_workshop_kpis(request).await)
        }
        "aftersales.workshop.v1.WorkshopSettingsService/GetWorkshopSettings" => {
            let mut settings =
                client!(world, at, role, workshop::workshop_settings_service_client::WorkshopSettingsServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(settings.get_workshop_settings(workshop::GetWorkshopSettingsRequest { dealer_id }).await)
        }
        "aftersales.workshop.v1.WorkshopSettingsService/UpdateWorkshopSettings" => {
            // The dealer comes from the token: "own" and "foreign" save dealer A's settings at their current etag
            // (automatic assignment stays off, so the crews keep assigning by hand); "missing" names a revision the
            // settings never had.
            let etag = if target == Target::Missing {
                "999999".to_string()
            } else {
                let token = world.crew_a.manager_token.clone();
                let mut reader =
                    workshop::workshop_settings_service_client::WorkshopSettingsServiceClient::with_interceptor(
                        world.channels[at].clone(),
                        World::bearer(token),
                    );
                let request = workshop::GetWorkshopSettingsRequest::default();
                reader.get_workshop_settings(request).await.expect("settings").into_inner().etag
            };
            let mut settings =
                client!(world, at, role, workshop::workshop_settings_service_client::WorkshopSettingsServiceClient<_>);
            let request =
                workshop::UpdateWorkshopSettingsRequest { request_id: request_id(), etag, automatic_assignment: false };
            code(settings.update_workshop_settings(request).await)
        }
        "aftersales.workshop.v1.OperationCatalogueService/CreateOperation" => {
            let mut catalogue = client!(
                world,
                at,
                role,
                workshop::operation_catalogue_service_client::OperationCatalogueServiceClient<_>
            );
            // The catalogue is OEM-wide: "foreign" is another new operation; "missing" has no reference to miss, so
            // it asks for the fixture's code, which another request already took.
            let mut request = new_operation();
            if target == Target::Missing {
                request.code = world.operation.clone();
            }
            code(catalogue.create_operation(request).await)
        }
        "aftersales.workshop.v1.OperationCatalogueService/GetOperation" => {
            let mut catalogue = client!(
                world,
                at,
                role,
                workshop::operation_catalogue_service_client::OperationCatalogueServiceClient<_>
            );
            let code_ = pick(target, &world.operation, &world.operation, "NO-SUCH-OP").to_string();
            code(catalogue.get_operation(workshop::GetOperationRequest { code: code_ }).await)
        }
        "aftersales.workshop.v1.OperationCatalogueService/ListOperations" => {
            let mut catalogue = client!(
                world,
                at,
                role,
                workshop::operation_catalogue_service_client::OperationCatalogueServiceClient<_>
            );
            // Own: everything; foreign: another family; missing: a family nothing belongs to.
            let skill_family = pick(target, "", "body", "no_such_family").to_string();
            let request = workshop::ListOperationsRequest { skill_family, ..Default::default() };
            code(catalogue.list_operations(request).await)
        }
        "aftersales.workshop.v1.OperationCatalogueService/UpdateOperation" => {
            // OEM-wide: "own" and "foreign" are the fixture (at its current etag, read by the OEM manager);
            // "missing" is a code that is not in the catalogue.
            let (code_, etag) = if target == Target::Missing {
                ("NO-SUCH-OP".to_string(), "\"1\"".to_string())
            } else {
                let request = workshop::GetOperationRequest { code: world.operation.clone() };
                let current = world.operations("oem_manager").get_operation(request).await.expect("read").into_inner();
                (current.code, current.etag)
            };
            let mut catalogue = client!(
                world,
                at,
                role,
                workshop::operation_catalogue_service_client::OperationCatalogueServiceClient<_>
            );
            let template = new_operation();
            let request = workshop::UpdateOperationRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                code: code_,
                etag,
                name: format!("{} ({role}, {target:?})", template.name),
                skill_family: template.skill_family,
                minimum_level: template.minimum_level,
                standard_hours_hundredths: template.standard_hours_hundredths,
                active: true,
            };
            code(catalogue.update_operation(request).await)
        }
        "aftersales.workshop.v1.TechnicianService/RegisterTechnician" => {
            let mut technicians =
                client!(world, at, role, workshop::technician_service_client::TechnicianServiceClient<_>);
            // The dealer comes from the token: "foreign" is another new subject; "missing" has no reference to
            // miss, so it asks for the subject dealer A already registered.
            let mut request = fixtures::register_technician();
            if target == Target::Missing {
                request.subject = world.technician_subject_a.clone();
            }
            code(technicians.register_technician(request).await)
        }
        "aftersales.workshop.v1.TechnicianService/GetTechnician" => {
            let mut technicians =
                client!(world, at, role, workshop::technician_service_client::TechnicianServiceClient<_>);
            let id = pick(target, &world.technician_a, &world.technician_b, &missing_id).to_string();
            code(technicians.get_technician(workshop::GetTechnicianRequest { id }).await)
        }
        "aftersales.workshop.v1.TechnicianService/ListTechnicians" => {
            let mut technicians =
                client!(world, at, role, workshop::technician_service_client::TechnicianServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let request = workshop::ListTechniciansRequest { dealer_id, ..Default::default() };
            code(technicians.list_technicians(request).await)
        }
        "aftersales.workshop.v1.TechnicianService/RecordTraining" => {
            let mut technicians =
                client!(world, at, role, workshop::technician_service_client::TechnicianServiceClient<_>);
            let id = pick(target, &world.technician_a, &world.technician_b, &missing_id).to_string();
            code(technicians.record_training(fixtures::record_training(&id)).await)
        }
        "aftersales.workshop.v1.TechnicianService/SetShift" => {
            let mut technicians =
                client!(world, at, role, workshop::technician_service_client::TechnicianServiceClient<_>);
            let technician_id = pick(target, &world.technician_a, &world.technician_b, &missing_id).to_string();
            let request = workshop::SetShiftRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                technician_id,
                on_shift: true,
            };
            code(technicians.set_shift(request).await)
        }
        method
            if method.starts_with("aftersales.escalation.v1.PolicyService/")
                || method.starts_with("aftersales.escalation.v1.ClockService/") =>
        {
            return Some(super::clock_calls::call(world, at, method, role, target).await);
        }
        "aftersales.escalation.v1.CaseService/ClassifyCase"
        | "aftersales.escalation.v1.CaseService/AssignCase"
        | "aftersales.escalation.v1.CaseService/RecordCustomerContact"
        | "aftersales.escalation.v1.CaseService/RecordAnalysisMeeting"
        | "aftersales.escalation.v1.CaseService/RecordOnsite"
        | "aftersales.escalation.v1.CaseService/RequestOnsiteWaiver"
        | "aftersales.escalation.v1.CaseService/DecideOnsiteWaiver"
        | "aftersales.escalation.v1.CaseService/RecordDiagnosis"
        | "aftersales.escalation.v1.CaseService/ProposeSolution"
        | "aftersales.escalation.v1.CaseService/ReviewSolution"
        | "aftersales.escalation.v1.CaseService/StartImplementation"
        | "aftersales.escalation.v1.CaseService/ReportProgress"
        | "aftersales.escalation.v1.CaseService/ResolveCase"
        | "aftersales.escalation.v1.CaseService/RecordCustomerConfirmation"
        | "aftersales.escalation.v1.CaseService/CloseCase" => {
            return super::case_calls::call(world, at, method, role, target).await;
        }
        method if method.starts_with("aftersales.supplier.v1.ClaimService/") => {
            return super::claim_calls::call(world, at, method, role, target).await;
        }
        method
            if method.starts_with("aftersales.escalation.v1.ResponsibilityService/")
                || method.starts_with("aftersales.escalation.v1.EmergencyService/") =>
        {
            return super::case_calls::call(world, at, method, role, target).await;
        }
        "aftersales.escalation.v1.CaseService/CreateCase" => {
            let mut cases = client!(world, at, role, escalation::case_service_client::CaseServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(cases.create_case(new_case(&dealer)).await)
        }
        "aftersales.escalation.v1.CaseService/GetCase" => {
            let mut cases = client!(world, at, role, escalation::case_service_client::CaseServiceClient<_>);
            let id = pick(target, &world.case_a, &world.case_b, &missing_id).to_string();
            code(cases.get_case(escalation::GetCaseRequest { id }).await)
        }
        "aftersales.escalation.v1.CaseService/ListCases" => {
            let mut cases = client!(world, at, role, escalation::case_service_client::CaseServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            code(cases.list_cases(escalation::ListCasesRequest { dealer_id, ..Default::default() }).await)
        }
        "aftersales.escalation.v1.CaseReportService/GetCaseReport" => {
            let mut reports =
                client!(world, at, role, escalation::case_report_service_client::CaseReportServiceClient<_>);
            let missing_dealer = aftersales_kernel::DealerId::new().to_string();
            let dealer_id = pick(target, "", &world.dealer_b, &missing_dealer).to_string();
            let kind = escalation::ReportPeriodKind::Month as i32;
            let request =
                escalation::GetCaseReportRequest { kind, year: 2026, number: 3, dealer_id, region: String::new() };
            code(reports.get_case_report(request).await)
        }
        "aftersales.parts.v1.PartCatalogueService/CreateCatalogueEntry" => {
            let mut catalogue =
                client!(world, at, role, parts::part_catalogue_service_client::PartCatalogueServiceClient<_>);
            // The catalogue is OEM-wide: "foreign" is another new entry; "missing" supersedes a part that is not there.
            let superseded_by = if target == Target::Missing { "NO-SUCH-PART".to_string() } else { String::new() };
            code(catalogue.create_catalogue_entry(new_part(&superseded_by)).await)
        }
        "aftersales.parts.v1.PartCatalogueService/GetCatalogueEntry" => {
            let mut catalogue =
                client!(world, at, role, parts::part_catalogue_service_client::PartCatalogueServiceClient<_>);
            let part_number = pick(target, &world.part, &world.part, "NO-SUCH-PART").to_string();
            code(catalogue.get_catalogue_entry(parts::GetCatalogueEntryRequest { part_number }).await)
        }
        "aftersales.parts.v1.PartCatalogueService/ListCatalogueEntries" => {
            let mut catalogue =
                client!(world, at, role, parts::part_catalogue_service_client::PartCatalogueServiceClient<_>);
            let missing_supplier = aftersales_kernel::SupplierId::new().to_string();
            let supplier_id = pick(target, "", &world.supplier_2, &missing_supplier).to_string();
            code(
                catalogue
                    .list_catalogue_entries(parts::ListCatalogueEntriesRequest { supplier_id, ..Default::default() })
                    .await,
            )
        }
        "aftersales.supplier.v1.SupplierService/CreateSupplier" => {
            let mut suppliers = client!(world, at, role, supplier::supplier_service_client::SupplierServiceClient<_>);
            code(suppliers.create_supplier(new_supplier()).await)
        }
        "aftersales.supplier.v1.SupplierService/GetSupplier" => {
            let mut suppliers = client!(world, at, role, supplier::supplier_service_client::SupplierServiceClient<_>);
            let id = pick(target, &world.supplier_1, &world.supplier_2, &missing_id).to_string();
            code(suppliers.get_supplier(supplier::GetSupplierRequest { id }).await)
        }
        "aftersales.supplier.v1.SupplierService/SetSupplierStatus" => {
            let mut suppliers = client!(world, at, role, supplier::supplier_service_client::SupplierServiceClient<_>);
            let id = pick(target, &world.supplier_1, &world.supplier_2, &missing_id).to_string();
            // The status the world's suppliers have: no change, so every allowed call finds them as the last left
            // them.
            let request = supplier::SetSupplierStatusRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                id,
                status: supplier::SupplierStatus::Approved as i32,
                reason: "access check".into(),
            };
            code(suppliers.set_supplier_status(request).await)
        }
        "aftersales.supplier.v1.ScorecardService/GetScorecard" => {
            let mut cards = client!(world, at, role, supplier::scorecard_service_client::ScorecardServiceClient<_>);
            let supplier_id = pick(target, &world.supplier_1, &world.supplier_2, &missing_id).to_string();
            let (start_time, end_time) = this_month();
            code(cards.get_scorecard(supplier::GetScorecardRequest { supplier_id, start_time, end_time }).await)
        }
        "aftersales.supplier.v1.ScorecardService/RankSuppliers" => {
            let mut cards = client!(world, at, role, supplier::scorecard_service_client::ScorecardServiceClient<_>);
            let (start_time, end_time) = this_month();
            code(cards.rank_suppliers(supplier::RankSuppliersRequest { start_time, end_time }).await)
        }
        "aftersales.supplier.v1.SupplierService/ListSuppliers" => {
            let mut suppliers = client!(world, at, role, supplier::supplier_service_client::SupplierServiceClient<_>);
            code(suppliers.list_suppliers(supplier::ListSuppliersRequest::default()).await)
        }
        _ => return super::stock_calls::call(world, at, method, role, target).await,
    };
    Some(code)
}
