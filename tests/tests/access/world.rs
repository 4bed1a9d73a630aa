//! The world the harness calls into: the five services, two dealers and two suppliers with resources of their
//! own, a workshop crew per dealer that brings fresh jobs to the state a change needs, and a token per role
//! (dealer staff of dealer A — the technician being A's crew technician, who holds A's crew jobs — supplier 1,
//! OEM staff, or a service).

use std::collections::BTreeMap;
use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::clients;
use aftersales_e2e::directory;
use aftersales_e2e::fixtures;
use aftersales_e2e::fixtures::{new_case, new_operation, new_part, new_supplier};
use aftersales_e2e::process::ALL;
use aftersales_e2e::stock::Store;
use aftersales_e2e::workshop::{Crew, Stage};
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, reception, wait};
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::parts::v1::requisition_service_client::RequisitionServiceClient;
use aftersales_proto::reception::v1::appointment_service_client::AppointmentServiceClient;
use aftersales_proto::reception::v1::customer_service_client::CustomerServiceClient;
use aftersales_proto::reception::v1::directory_service_client::DirectoryServiceClient;
use aftersales_proto::reception::v1::inquiry_service_client::InquiryServiceClient;
use aftersales_proto::reception::v1::vehicle_service_client::VehicleServiceClient;
use aftersales_proto::reception::v1::{GetRepairOrderRequest, RepairOrderState, StaffMember};
use aftersales_proto::supplier::v1 as supplier;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_proto::workshop::v1::ListJobsRequest;
use aftersales_runtime::auth::Role;
use tonic::transport::Channel;

use super::Target;

/// How far an order has come at the front desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Desk {
    /// Ready, every variance explained.
    Ready,
    /// The settlement signed.
    Settled,
    /// The car delivered.
    Delivered,
}

/// Everything the calls need.
pub struct World {
    /// The running services.
    pub suite: Suite,
    /// Channels by service.
    pub channels: BTreeMap<String, Channel>,
    /// Dealer A (the callers' own) and B (foreign).
    pub dealer_a: String,
    pub dealer_b: String,
    /// Supplier 1 (the supplier caller's own) and 2.
    pub supplier_1: String,
    pub supplier_2: String,
    /// Repair orders of A and B.
    pub order_a: String,
    pub order_b: String,
    /// Jobs of A and B.
    pub job_a: String,
    pub job_b: String,
    /// Cases of A and B.
    pub case_a: String,
    pub case_b: String,
    /// A catalogue part (OEM-wide).
    pub part: String,
    /// An operation code of workshop's catalogue (OEM-wide).
    pub operation: String,
    /// Technicians of A and B (ids), and the staff subject of A's.
    pub technician_a: String,
    pub technician_b: String,
    pub technician_subject_a: String,
    /// The workshop crews of A and B: a trained technician on shift each, who holds the jobs the crew brings
    /// along. A's technician is the harness's `technician` caller.
    pub crew_a: Crew,
    pub crew_b: Crew,
    /// A member of staff of A and of B in the directory (subjects).
    pub staff_a: String,
    pub staff_b: String,
    /// A customer of A and of B, each with a vehicle (ids).
    pub customer_a: String,
    pub customer_b: String,
    pub vehicle_a: String,
    pub vehicle_b: String,
    /// The parts stores of A and B: a warehouse with bins and plenty of a catalogue part, and a second warehouse
    /// (a branch) each to transfer to.
    pub store_a: Store,
    pub store_b: Store,
    pub branch_a: String,
    pub branch_b: String,
    /// Jobs of A and B kept for parts' requisitions (no workshop row moves them), known to parts.
    pub parts_job_a: String,
    pub parts_job_b: String,
}

impl World {
    /// Starts the suite and creates the fixtures.
    pub async fn build() -> World {
        let suite = Suite::start(Backend::Sqlite, &ALL, SuiteOptions::default()).await.expect("suite");
        let mut channels = BTreeMap::new();
        for name in ALL {
            channels.insert(name.to_string(), suite.services[name].channel().await);
        }
        let dealer_a = aftersales_kernel::DealerId::new().to_string();
        let dealer_b = aftersales_kernel::DealerId::new().to_string();
        let data = suite.data_dir();
        let crew_a = Crew::hire(channels["workshop"].clone(), &data, &dealer_a).await;
        let crew_b = Crew::hire(channels["workshop"].clone(), &data, &dealer_b).await;
        // The stores hold A-1001, the fixture order's part, so orders brought to the desk can be fitted with it.
        let store_a = Store::open_with(channels["parts"].clone(), &data, &dealer_a, "A-1001").await;
        let store_b = Store::open_with(channels["parts"].clone(), &data, &dealer_b, "A-1001").await;
        for store in [&store_a, &store_b] {
            store.put("A-01", "L-2026-01", 1_000_000).await;
        }
        let (branch_a, branch_b) = (store_a.add_warehouse().await, store_b.add_warehouse().await);
        let mut world = World {
            suite,
            channels,
            dealer_a: dealer_a.clone(),
            dealer_b: dealer_b.clone(),
            supplier_1: String::new(),
            supplier_2: String::new(),
            order_a: String::new(),
            order_b: String::new(),
            job_a: String::new(),
            job_b: String::new(),
            case_a: String::new(),
            case_b: String::new(),
            part: String::new(),
            operation: String::new(),
            technician_a: String::new(),
            technician_b: String::new(),
            technician_subject_a: String::new(),
            crew_a,
            crew_b,
            staff_a: String::new(),
            staff_b: String::new(),
            customer_a: String::new(),
            customer_b: String::new(),
            vehicle_a: String::new(),
            vehicle_b: String::new(),
            store_a,
            store_b,
            branch_a,
            branch_b,
            parts_job_a: String::new(),
            parts_job_b: String::new(),
        };
        // Both dealers are in the directory (settlement needs their tax rate and invoice prefix).
        directory::register_dealer(&world.suite.services["reception"], &data, &dealer_a, "DA", 1300).await;
        directory::register_dealer(&world.suite.services["reception"], &data, &dealer_b, "DB", 1300).await;
        world.staff_a = world.new_staff_member(&dealer_a).await.subject;
        world.staff_b = world.new_staff_member(&dealer_b).await.subject;
        (world.customer_a, world.vehicle_a) = world.customer_with_vehicle(&dealer_a).await;
        (world.customer_b, world.vehicle_b) = world.customer_with_vehicle(&dealer_b).await;
        world.order_a = world.estimated_order(&dealer_a).await;
        world.order_b = world.estimated_order(&dealer_b).await;
        world.job_a = world.job_of(&dealer_a).await;
        world.job_b = world.job_of(&dealer_b).await;
        world.parts_job_a = world.job_of(&dealer_a).await;
        world.parts_job_b = world.job_of(&dealer_b).await;
        world.case_a = world.case_of(&dealer_a).await;
        world.case_b = world.case_of(&dealer_b).await;
        world.supplier_1 = world.new_supplier().await;
        world.supplier_2 = world.new_supplier().await;
        world.part = world.new_part().await;
        world.operation = world.new_operation().await;
        (world.technician_a, world.technician_subject_a) = world.technician_of(&dealer_a).await;
        (world.technician_b, _) = world.technician_of(&dealer_b).await;
        world
    }

    /// The suite's data directory (dev keys for minting tokens).
    pub fn data(&self) -> String {
        self.suite.data_dir()
    }

    /// A bearer for `token`.
    pub fn bearer(token: String) -> Bearer {
        Bearer(Some(token))
    }

    /// A token for `role` as the harness's caller of an RPC at service `at`.
    pub fn token(&self, role: &str, at: &str) -> String {
        let data = self.data();
        match role {
            "service" => {
                // A service that follows `at` where one exists: only the feed graph may pass; else any.
                let follower = aftersales_runtime::auth::graph::FOLLOWS
                    .iter()
                    .find(|(_, producers)| producers.contains(&at))
                    .map(|(name, _)| *name)
                    .unwrap_or("reception");
                service_token(&data, follower)
            }
            "supplier" => Caller::supplier(&self.supplier_1).token(&data),
            // Dealer A's crew technician: the holder of the jobs the harness brings along for A.
            "technician" => self.crew_a.technician_token.clone(),
            r if ["service_advisor", "foreman", "technician", "qc_inspector", "parts_clerk", "dealer_manager"]
                .contains(&r) =>
            {
                // One subject per role, so a resource the caller made (an inquiry it took) is the caller's.
                Caller::dealer(r, &self.dealer_a).token_as(&data, &format!("{r}-of-a"))
            }
            r => Caller::role(r).token(&data),
        }
    }

    /// A fresh estimated repair order of `dealer` (ApproveEstimate needs one per call).
    pub async fn estimated_order(&self, dealer: &str) -> String {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        let mut orders = clients::orders(&self.suite.services["reception"], &token).await;
        orders.create_repair_order(fixtures::create_repair_order(false)).await.expect("order").into_inner().id
    }

    /// A job for a change as `role` on `target`: for a role in `allowed` and an own or foreign target, a fresh job
    /// of dealer A or B brought to `stage` by that dealer's crew; otherwise (the role is refused first, or the
    /// target is missing) a job id that does not exist, with one made-up operation line.
    pub async fn job_at(&self, role: &str, allowed: &[&str], target: Target, stage: Stage) -> workshop::Job {
        let (crew, other) = match target {
            Target::Own if allowed.contains(&role) => (&self.crew_a, &self.technician_a),
            Target::Foreign if allowed.contains(&role) => (&self.crew_b, &self.technician_b),
            _ => return missing_job(),
        };
        // The crew's technician must be the suggestion: the TechnicianService rows train the dealer's other
        // technician and put them on shift, so whatever order the rows run in, that one goes off shift first.
        let off = workshop::SetShiftRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            technician_id: other.clone(),
            on_shift: false,
        };
        crew.technicians().set_shift(off).await.expect("the other technician off shift");
        let job = self.job_of(&crew.dealer).await;
        crew.bring(&job, stage).await
    }

    /// An order for an answer as `role` on `target` with workshop's pending additional-work request on it, as
    /// (order id, request id), once reception has the request (each answer needs a fresh one). For a role not in
    /// `allowed` or a missing target: ids that do not exist.
    pub async fn pending_additional_work(&self, role: &str, allowed: &[&str], target: Target) -> (String, String) {
        let job = self.job_at(role, allowed, target, Stage::Started).await;
        if job.repair_order_id.is_empty() {
            return (aftersales_kernel::RepairOrderId::new().to_string(), uuid::Uuid::now_v7().to_string());
        }
        let work = self.crew(target).ask_for_additional_work(&job.id).await;
        let orders = self.orders_of(&self.crew(target).dealer).await;
        reception::order_with_request(&orders, &job.repair_order_id, &work.id).await;
        (job.repair_order_id, work.id)
    }

    /// An order of `target`'s dealer whose job runs (`in_workshop`) for a change as `role`; for a role not in
    /// `allowed` or a missing target, an order id that does not exist.
    pub async fn order_in_workshop(&self, role: &str, allowed: &[&str], target: Target) -> String {
        let job = self.job_at(role, allowed, target, Stage::Started).await;
        if job.repair_order_id.is_empty() {
            return aftersales_kernel::RepairOrderId::new().to_string();
        }
        let orders = self.orders_of(&self.crew(target).dealer).await;
        reception::order_in(&orders, &job.repair_order_id, RepairOrderState::InWorkshop).await;
        job.repair_order_id
    }

    /// An order of `target`'s dealer brought to `desk` — its job worked to ready by the crew, then (as the dealer's
    /// advisor) the settlement signed, the car delivered — for a change as `role`; for a role not in `allowed` or a
    /// missing target, an order id that does not exist.
    pub async fn order_at(&self, role: &str, allowed: &[&str], target: Target, desk: Desk) -> String {
        let job = self.job_at(role, allowed, target, Stage::Started).await;
        if job.repair_order_id.is_empty() {
            return aftersales_kernel::RepairOrderId::new().to_string();
        }
        // The order's part line (A-1001) is fitted, so the invoice charges something (the crew clocks next to no
        // time): a requisition asked, approved and issued before the job is ready.
        self.fit_parts(target, &job.id).await;
        let job = self.crew(target).bring(&job.id, Stage::Ready).await;
        let dealer = self.crew(target).dealer.clone();
        let id = job.repair_order_id;
        let mut orders = self.orders_of(&dealer).await;
        reception::order_in(&orders, &id, RepairOrderState::Ready).await;
        let settlements = self.settlements_of(&dealer).await;
        reception::explain_variances(&settlements, &id).await;
        if desk >= Desk::Settled {
            reception::sign(&settlements, &id).await;
        }
        if desk >= Desk::Delivered {
            orders.deliver_vehicle(fixtures::deliver(&id)).await.expect("deliver");
        }
        id
    }

    /// Two pieces of A-1001 issued for `job` of `target`'s dealer (asked by its technician once parts knows the
    /// job, approved by its advisor, issued by its clerk from its store).
    async fn fit_parts(&self, target: Target, job: &str) {
        let (dealer, store) =
            if target == Target::Foreign { (&self.dealer_b, &self.store_b) } else { (&self.dealer_a, &self.store_a) };
        let (channel, data) = (self.channels["parts"].clone(), self.data());
        let as_role = |role: &str| {
            let token = Caller::dealer(role, dealer).token(&data);
            RequisitionServiceClient::with_interceptor(channel.clone(), Bearer(Some(token)))
        };
        let technician = as_role("technician");
        let requisition = wait::until(Duration::from_secs(20), "parts to know the job", || {
            let mut technician = technician.clone();
            let request = parts::RequestPartsRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                job_id: job.to_string(),
                part_number: "A-1001".into(),
                quantity_hundredths: 200,
            };
            async move { technician.request_parts(request).await.ok().map(|r| r.into_inner().id) }
        })
        .await;
        let approve = parts::ApproveRequisitionRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            requisition_id: requisition.clone(),
        };
        as_role("service_advisor").approve_requisition(approve).await.expect("approve the requisition");
        let issue = parts::IssueRequisitionRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            requisition_id: requisition,
            warehouse_id: store.warehouse.clone(),
            quantity_hundredths: 200,
            batch: String::new(),
        };
        as_role("parts_clerk").issue_requisition(issue).await.expect("issue the requisition");
    }

    /// A fresh approved order of `target`'s dealer and its first line, for a draft-settlement change (ids that do
    /// not exist for a missing target).
    pub async fn approved_order_line(&self, target: Target) -> (String, String) {
        let dealer = match target {
            Target::Own => self.dealer_a.clone(),
            Target::Foreign => self.dealer_b.clone(),
            Target::Missing => {
                let missing = aftersales_kernel::RepairOrderId::new().to_string();
                return (missing, uuid::Uuid::now_v7().to_string());
            }
        };
        let id = self.approved_order(&dealer).await;
        let mut orders = self.orders_of(&dealer).await;
        let order = orders.get_repair_order(GetRepairOrderRequest { id: id.clone() }).await.expect("order");
        (id, order.into_inner().lines[0].line_id.clone())
    }

    /// A fresh approved order of `target`'s dealer with a discount, as (order, discount) (ids that do not exist for
    /// a missing target).
    pub async fn order_with_discount(&self, target: Target) -> (String, String) {
        let (id, _) = self.approved_order_line(target).await;
        if target == Target::Missing {
            return (id, uuid::Uuid::now_v7().to_string());
        }
        let dealer = if target == Target::Own { &self.dealer_a } else { &self.dealer_b };
        let mut settlements = self.settlements_of(dealer).await;
        let settlement =
            settlements.add_discount(fixtures::add_discount(&id, 100)).await.expect("discount").into_inner();
        (id, settlement.discounts[0].id.clone())
    }

    /// Reception's settlements as a service advisor of `dealer`.
    pub async fn settlements_of(&self, dealer: &str) -> clients::Settlements {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        clients::settlements(&self.suite.services["reception"], &token).await
    }

    /// A fresh member of `dealer`'s staff, added by its manager.
    pub async fn new_staff_member(&self, dealer: &str) -> StaffMember {
        let token = Caller::dealer("dealer_manager", dealer).token(&self.data());
        let mut directory =
            DirectoryServiceClient::with_interceptor(self.channels["reception"].clone(), Bearer(Some(token)));
        directory.add_staff_member(fixtures::add_staff_member()).await.expect("staff member").into_inner()
    }

    /// An inquiry for a change as `role` on `target`: taken by that very caller (own, so the caller owns it) or by
    /// the same role at dealer B (foreign); for other roles or a missing target an id that does not exist.
    pub async fn inquiry_at(&self, role: &str, target: Target) -> String {
        let dealer = match target {
            Target::Own => &self.dealer_a,
            Target::Foreign => &self.dealer_b,
            Target::Missing => return uuid::Uuid::now_v7().to_string(),
        };
        if !Role::parse(role).is_some_and(Role::is_dealer_staff) {
            return uuid::Uuid::now_v7().to_string();
        }
        let token = if target == Target::Own {
            self.token(role, "reception")
        } else {
            Caller::dealer(role, dealer).token(&self.data())
        };
        let mut inquiries =
            InquiryServiceClient::with_interceptor(self.channels["reception"].clone(), Bearer(Some(token)));
        inquiries.receive_inquiry(fixtures::receive_inquiry()).await.expect("inquiry").into_inner().id
    }

    /// A fresh customer of `dealer` with a vehicle, as (customer, vehicle).
    pub async fn customer_with_vehicle(&self, dealer: &str) -> (String, String) {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        let channel = self.channels["reception"].clone();
        let mut customers = CustomerServiceClient::with_interceptor(channel.clone(), Bearer(Some(token.clone())));
        let customer = customers.create_customer(fixtures::create_customer()).await.expect("customer").into_inner();
        let mut vehicles = VehicleServiceClient::with_interceptor(channel, Bearer(Some(token)));
        let vehicle = vehicles.register_vehicle(fixtures::register_vehicle(&customer.id)).await.expect("vehicle");
        (customer.id, vehicle.into_inner().id)
    }

    /// A fresh appointment (urgent or not) of `target`'s dealer's customer, booked by its advisor; an id that does
    /// not exist for a missing target.
    pub async fn appointment_at(&self, target: Target, urgent: bool) -> String {
        let (dealer, customer, vehicle) = match target {
            Target::Own => (&self.dealer_a, &self.customer_a, &self.vehicle_a),
            Target::Foreign => (&self.dealer_b, &self.customer_b, &self.vehicle_b),
            Target::Missing => return uuid::Uuid::now_v7().to_string(),
        };
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        let mut appointments =
            AppointmentServiceClient::with_interceptor(self.channels["reception"].clone(), Bearer(Some(token)));
        let request = fixtures::request_appointment(customer, vehicle, urgent);
        appointments.request_appointment(request).await.expect("appointment").into_inner().id
    }

    /// The newest policy set in its TOML form (read as the OEM's support).
    pub async fn policies(&self) -> String {
        use aftersales_proto::escalation::v1::policy_service_client::PolicyServiceClient;
        let support = Bearer(Some(Caller::role("oem_support").token(&self.data())));
        let mut policies = PolicyServiceClient::with_interceptor(self.channels["escalation"].clone(), support);
        let request = escalation::GetPoliciesRequest { version: 0 };
        policies.get_policies(request).await.expect("policies").into_inner().policies_toml
    }

    /// The running 15-minute confirmation clock of a fresh appointment of `target`'s dealer (paused when `paused`);
    /// an id that does not exist for a missing target.
    pub async fn clock_at(&self, target: Target, paused: bool) -> String {
        use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
        if target == Target::Missing {
            return uuid::Uuid::now_v7().to_string();
        }
        let appointment = self.appointment_at(target, false).await;
        let support = Bearer(Some(Caller::role("oem_support").token(&self.data())));
        let clocks = ClockServiceClient::with_interceptor(self.channels["escalation"].clone(), support);
        let clock = wait::until(Duration::from_secs(15), "the appointment's clock", || {
            let (mut clocks, subject) = (clocks.clone(), appointment.clone());
            async move {
                let request = escalation::ListClocksRequest { subject_id: subject, page: None };
                clocks.list_clocks(request).await.ok()?.into_inner().clocks.pop().map(|c| c.clock_id)
            }
        })
        .await;
        if paused {
            let request = escalation::PauseClockRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                clock_id: clock.clone(),
                reason: "waiting_for_customer".into(),
            };
            clocks.clone().pause_clock(request).await.expect("paused");
        }
        clock
    }

    /// A fresh approved order of `dealer`.
    pub async fn approved_order(&self, dealer: &str) -> String {
        let order = self.estimated_order(dealer).await;
        let mut orders = self.orders_of(dealer).await;
        orders.approve_estimate(fixtures::approve(&order)).await.expect("approve");
        order
    }

    /// Reception's orders as a service advisor of `dealer`.
    async fn orders_of(&self, dealer: &str) -> clients::Orders {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        clients::orders(&self.suite.services["reception"], &token).await
    }

    /// The crew of the dealer `target` aims at (A for a missing target).
    pub fn crew(&self, target: Target) -> &Crew {
        if target == Target::Foreign { &self.crew_b } else { &self.crew_a }
    }

    async fn job_of(&self, dealer: &str) -> String {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        let order = self.estimated_order(dealer).await;
        let mut orders = clients::orders(&self.suite.services["reception"], &token).await;
        orders.approve_estimate(fixtures::approve(&order)).await.expect("approve");
        let jobs = clients::jobs(&self.suite.services["workshop"], &token).await;
        wait::until(Duration::from_secs(15), "a job for the harness", || {
            let (mut jobs, order) = (jobs.clone(), order.clone());
            async move {
                let request = ListJobsRequest { repair_order_id: order, ..Default::default() };
                jobs.list_jobs(request).await.ok()?.into_inner().jobs.pop().map(|j| j.id)
            }
        })
        .await
    }

    async fn case_of(&self, dealer: &str) -> String {
        let token = Caller::dealer("service_advisor", dealer).token(&self.data());
        let mut cases = escalation::case_service_client::CaseServiceClient::with_interceptor(
            self.channels["escalation"].clone(),
            Bearer(Some(token)),
        );
        cases.create_case(new_case("")).await.expect("case").into_inner().id
    }

    async fn new_supplier(&self) -> String {
        let token = Caller::role("quality").token(&self.data());
        let mut suppliers = supplier::supplier_service_client::SupplierServiceClient::with_interceptor(
            self.channels["supplier"].clone(),
            Bearer(Some(token)),
        );
        suppliers.create_supplier(new_supplier()).await.expect("supplier").into_inner().id
    }

    async fn new_part(&self) -> String {
        let token = Caller::role("oem_manager").token(&self.data());
        let mut parts =
            aftersales_proto::parts::v1::part_catalogue_service_client::PartCatalogueServiceClient::with_interceptor(
                self.channels["parts"].clone(),
                Bearer(Some(token)),
            );
        parts.create_catalogue_entry(new_part("")).await.expect("part").into_inner().part_number
    }

    /// A technician of `dealer`, registered by its dealer manager: (id, subject).
    async fn technician_of(&self, dealer: &str) -> (String, String) {
        let token = Caller::dealer("dealer_manager", dealer).token(&self.data());
        let mut technicians = self.technicians(token);
        let created =
            technicians.register_technician(fixtures::register_technician()).await.expect("technician").into_inner();
        (created.id, created.subject)
    }

    /// Workshop's technicians as `token`.
    pub fn technicians(
        &self,
        token: String,
    ) -> aftersales_proto::workshop::v1::technician_service_client::TechnicianServiceClient<
        tonic::service::interceptor::InterceptedService<Channel, Bearer>,
    > {
        aftersales_proto::workshop::v1::technician_service_client::TechnicianServiceClient::with_interceptor(
            self.channels["workshop"].clone(),
            Bearer(Some(token)),
        )
    }

    async fn new_operation(&self) -> String {
        let mut catalogue = self.operations("oem_manager");
        catalogue.create_operation(new_operation()).await.expect("operation").into_inner().code
    }

    /// Workshop's operation catalogue as a caller with `role` (no tenant).
    pub fn operations(
        &self,
        role: &str,
    ) -> aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient<
        tonic::service::interceptor::InterceptedService<Channel, Bearer>,
    > {
        let token = Caller::role(role).token(&self.data());
        aftersales_proto::workshop::v1::operation_catalogue_service_client::OperationCatalogueServiceClient::with_interceptor(
            self.channels["workshop"].clone(),
            Bearer(Some(token)),
        )
    }
}

/// A job that does not exist.
fn missing_job() -> workshop::Job {
    let line = workshop::JobOperation { line_id: uuid::Uuid::now_v7().to_string(), ..Default::default() };
    workshop::Job { id: aftersales_kernel::JobId::new().to_string(), operations: vec![line], ..Default::default() }
}
