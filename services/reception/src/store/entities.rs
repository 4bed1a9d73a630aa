//! Table definitions (sea-orm entities). Instants are microseconds since the epoch; money is integer minor units.

/// `repair_orders`: one row per order; the consent columns are set once consent is given.
pub mod repair_order {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "repair_orders")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Tenant.
        pub dealer_id: String,
        /// VIN.
        pub vin: String,
        /// km.
        pub mileage_km: i64,
        /// Urgent.
        pub urgent: bool,
        /// Customer's words.
        pub fault_description: String,
        /// µs.
        pub promised_at_us: i64,
        /// State name.
        pub state: String,
        /// Current estimate version.
        pub estimate_version: i32,
        /// Consent: version consented to.
        pub consent_version: Option<i32>,
        /// Consent: who.
        pub consented_by: Option<String>,
        /// Consent: channel name.
        pub consent_channel: Option<String>,
        /// Consent: signature reference.
        pub signature_reference: Option<String>,
        /// Consent: staff who recorded it.
        pub consent_recorded_by: Option<String>,
        /// Consent: when (µs).
        pub consented_at_us: Option<i64>,
        /// Staff who opened it.
        pub created_by: String,
        /// µs.
        pub created_at_us: i64,
        /// µs.
        pub updated_at_us: i64,
        /// Bumped by every change.
        pub revision: i64,
        /// Why it was cancelled.
        pub cancellation_reason: Option<String>,
        /// The check-in it was opened for.
        pub check_in_id: Option<String>,
        /// When parts closed the order's requisitions.
        pub requisitions_closed_at_us: Option<i64>,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `repair_order_lines`: the lines of an order's current estimate, in order.
pub mod repair_order_line {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "repair_order_lines")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The order.
        pub repair_order_id: String,
        /// Position on the order, from 0.
        pub position: i32,
        /// "labour" or "part".
        pub kind: String,
        /// Operation code or part number.
        pub code: String,
        /// Hours or quantity, in hundredths.
        pub quantity_hundredths: i64,
        /// Hourly rate or unit price, minor units.
        pub price_minor: i64,
        /// ISO 4217.
        pub currency: String,
        /// "required" or "optional".
        pub requirement: String,
        /// Set when the customer declined the line.
        pub declined_reason: Option<String>,
        /// The additional-work request the line was approved with.
        pub additional_work_id: Option<String>,
        /// Labour: hours clocked, from `JobReady`.
        pub actual_hundredths: Option<i64>,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `additional_work`: workshop's additional-work requests for an order and the customer's answers.
pub mod additional_work {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "additional_work")]
    pub struct Model {
        /// Workshop's id of the request.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The order.
        pub repair_order_id: String,
        /// The job that asked.
        pub job_id: String,
        /// What was found.
        pub finding: String,
        /// `[{"code": .., "hours": ..}]`.
        pub operations_json: String,
        /// `[{"part_number": .., "quantity": ..}]`.
        pub parts_json: String,
        /// `["ref", ..]`.
        pub media_json: String,
        /// Technician subject.
        pub requested_by: String,
        /// µs.
        pub requested_at_us: i64,
        /// "pending", "approved" or "refused".
        pub decision: String,
        /// Who answered.
        pub decided_by: Option<String>,
        /// Consent channel name of the answer.
        pub answer_channel: Option<String>,
        /// Signature or call reference.
        pub signature_reference: Option<String>,
        /// Staff who recorded the answer.
        pub recorded_by: Option<String>,
        /// µs.
        pub decided_at_us: Option<i64>,
        /// The customer's reason, when refused.
        pub refusal_reason: Option<String>,
        /// The estimate version an approval created.
        pub estimate_version: Option<i32>,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `customer_notices`: progress and delay notices given to customers.
pub mod customer_notice {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_notices")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// The order.
        pub repair_order_id: String,
        /// Tenant.
        pub dealer_id: String,
        /// "progress" or "delay".
        pub kind: String,
        /// Notice channel name.
        pub channel: String,
        /// Progress: what was said.
        pub message: Option<String>,
        /// Progress: expected ready, µs.
        pub expected_ready_at_us: Option<i64>,
        /// Delay: why.
        pub reason: Option<String>,
        /// Delay: promise before, µs.
        pub previous_promised_at_us: Option<i64>,
        /// Delay: new promise, µs.
        pub new_promised_at_us: Option<i64>,
        /// Delay: the offer.
        pub compensation_offer: Option<String>,
        /// Staff subject.
        pub notified_by: String,
        /// µs.
        pub notified_at_us: i64,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
