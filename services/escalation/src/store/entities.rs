//! Table definitions (sea-orm entities). Instants are microseconds since the epoch.

/// `cases`: one row per case. Optional texts the proto shows as empty are stored empty, except the dealer and the
/// classification, which are NULL until they exist (a dealer filter and "not yet triaged" then read as SQL).
pub mod case {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cases")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Tenant; NULL for a case tied to no dealer.
        pub dealer_id: Option<String>,
        /// Region, may be empty.
        pub region: String,
        /// Source name.
        pub source: String,
        /// Engine or vehicle model.
        pub model: String,
        /// Serial or (normalised) VIN.
        pub serial_or_vin: String,
        /// Symptom as reported.
        pub symptom: String,
        /// Usage scenario, may be empty.
        pub usage_scenario: String,
        /// Contact: name.
        pub contact_name: String,
        /// Contact: phone, empty for none.
        pub contact_phone: String,
        /// Contact: e-mail, empty for none.
        pub contact_email: String,
        /// State name.
        pub state: String,
        /// Severity name; NULL until triaged.
        pub severity: Option<String>,
        /// Category; NULL until triaged.
        pub category: Option<String>,
        /// Token subject who recorded it.
        pub created_by: String,
        /// µs; the triage clock starts here.
        pub received_at_us: i64,
        /// µs.
        pub updated_at_us: i64,
        /// Bumped by every change.
        pub revision: i64,
        /// The support group; empty until assigned.
        pub support_group: String,
        /// What support noted at contact; empty until contacted.
        pub contact_note: String,
        /// µs; NULL until the analysis meeting is held.
        pub meeting_at_us: Option<i64>,
        /// Who chaired it; empty until held.
        pub meeting_chaired_by: String,
        /// Its initial measures; empty until held.
        pub initial_measures: String,
        /// µs; NULL until the experts are on site.
        pub onsite_at_us: Option<i64>,
        /// The solution proposed last; empty until one is.
        pub solution_text: String,
        /// Who proposed it.
        pub solution_by: String,
        /// µs; NULL until proposed.
        pub solution_at_us: Option<i64>,
        /// The superior's decision; NULL until reviewed.
        pub solution_approved: Option<bool>,
        /// Who reviewed it.
        pub solution_reviewed_by: String,
        /// µs.
        pub solution_reviewed_at_us: Option<i64>,
        /// Why.
        pub solution_review_note: String,
        /// µs; NULL until resolved (and again after an unconfirmed solution).
        pub resolved_at_us: Option<i64>,
        /// The customer's last answer; NULL until asked.
        pub confirmed: Option<bool>,
        /// 1..=5; NULL until asked.
        pub satisfaction: Option<i32>,
        /// What the customer said.
        pub confirmation_comment: String,
        /// Who recorded it.
        pub confirmation_by: String,
        /// µs.
        pub confirmation_at_us: Option<i64>,
        /// 5M1E name; NULL until the root cause is reported.
        pub root_cause_category: Option<String>,
        /// The analysis.
        pub root_cause_analysis: String,
        /// Who reported it.
        pub root_cause_by: String,
        /// µs.
        pub root_cause_at_us: Option<i64>,
        /// `department` or `supplier`; NULL until named.
        pub responsible_party: Option<String>,
        /// The responsible department (party `department`).
        pub responsible_department: String,
        /// The responsible person (party `department`).
        pub responsible_person: String,
        /// The responsible supplier (party `supplier`).
        pub responsible_supplier_id: Option<String>,
        /// Its part number.
        pub responsible_part_number: String,
        /// Its batch.
        pub responsible_batch: String,
        /// The responsibility meeting's conclusion.
        pub responsibility_note: String,
        /// Disputed, awaiting quality's investigation.
        pub responsibility_disputed: bool,
        /// Who recorded the meeting.
        pub responsibility_by: String,
        /// µs; NULL until the meeting.
        pub responsibility_at_us: Option<i64>,
        /// The evidence references, a JSON array of strings; empty until investigated.
        pub investigation_evidence: String,
        /// The investigation's finding.
        pub investigation_finding: String,
        /// Who investigated.
        pub investigation_by: String,
        /// µs; NULL until investigated.
        pub investigation_at_us: Option<i64>,
        /// The responsibility report's summary.
        pub report_summary: String,
        /// ISO 4217 code of the compensation; empty for none.
        pub compensation_currency: String,
        /// The compensation in minor units; NULL for none.
        pub compensation_minor: Option<i64>,
        /// What the compensation is for.
        pub compensation_note: String,
        /// Who issued the report.
        pub report_issued_by: String,
        /// µs; NULL until issued.
        pub report_issued_at_us: Option<i64>,
        /// The executive's decision; NULL until reviewed.
        pub report_approved: Option<bool>,
        /// Who reviewed it.
        pub report_reviewed_by: String,
        /// µs.
        pub report_reviewed_at_us: Option<i64>,
        /// Why.
        pub report_review_note: String,
        /// µs; NULL until closed.
        pub closed_at_us: Option<i64>,
        /// The repair order a follow-up case is about; NULL otherwise.
        pub repair_order_id: Option<String>,
        /// The case this one repeats; NULL for none.
        pub repeat_of: Option<String>,
        /// The emergency plan's department head; empty until started.
        pub plan_department_head: String,
        /// Its experts, a JSON array of names; empty until started.
        pub plan_experts: String,
        /// Its production head.
        pub plan_production_head: String,
        /// The resources committed.
        pub plan_resources: String,
        /// How suppliers are coordinated.
        pub plan_supplier_coordination: String,
        /// Who started it.
        pub plan_by: String,
        /// µs; NULL until started.
        pub plan_at_us: Option<i64>,
        /// The temporary solution; empty until recorded.
        pub temporary_solution: String,
        /// Who recorded it.
        pub temporary_solution_by: String,
        /// µs; NULL until recorded.
        pub temporary_solution_at_us: Option<i64>,
        /// The post-incident review; empty until held.
        pub incident_review: String,
        /// Its revision note on the plan.
        pub plan_revision: String,
        /// µs: the end of the follow-up period; NULL until reviewed.
        pub follow_up_until_us: Option<i64>,
        /// Who held it.
        pub incident_review_by: String,
        /// µs; NULL until held.
        pub incident_review_at_us: Option<i64>,
        /// The latest onsite waiver request's reason; empty for none.
        pub waiver_reason: String,
        /// Who requested it.
        pub waiver_requested_by: String,
        /// µs; NULL for no request.
        pub waiver_requested_at_us: Option<i64>,
        /// The case's severity when it was requested.
        pub waiver_severity: String,
        /// `oem_manager`'s decision; NULL while it waits.
        pub waiver_approved: Option<bool>,
        /// The decision's note.
        pub waiver_note: String,
        /// Who decided.
        pub waiver_decided_by: String,
        /// µs; NULL while it waits.
        pub waiver_decided_at_us: Option<i64>,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `case_notes`: diagnosis steps and progress reports, numbered per case from 1; only ever inserted.
pub mod case_note {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_notes")]
    pub struct Model {
        /// The case.
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        /// 1, 2, … in the order they were logged.
        #[sea_orm(primary_key, auto_increment = false)]
        pub seq: i32,
        /// `diagnosis` or `progress`.
        pub kind: String,
        /// µs.
        pub at_us: i64,
        /// Token subject.
        pub by: String,
        /// Diagnosis steps; empty for progress.
        pub steps: String,
        /// Findings or the report.
        pub text: String,
        /// Progress told to the customer.
        pub customer_told: bool,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `case_measures`: the corrective and preventive measures of a case's root-cause report.
pub mod case_measure {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "case_measures")]
    pub struct Model {
        /// The case.
        #[sea_orm(primary_key, auto_increment = false)]
        pub case_id: String,
        /// 1, 2, … in the report's order.
        #[sea_orm(primary_key, auto_increment = false)]
        pub number: i32,
        /// `corrective` or `preventive`.
        pub kind: String,
        /// What is to be done.
        pub description: String,
        /// The department responsible.
        pub department: String,
        /// The person responsible.
        pub person: String,
        /// When it is due.
        pub due_on: Date,
        /// µs; NULL while open.
        pub done_at_us: Option<i64>,
        /// Who recorded it done.
        pub done_by: String,
        /// What was done.
        pub done_note: String,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
