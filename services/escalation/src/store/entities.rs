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
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
