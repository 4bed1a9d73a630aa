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
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
