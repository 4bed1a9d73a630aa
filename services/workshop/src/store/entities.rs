//! Table definitions (sea-orm entities). Instants are microseconds since the epoch.

/// `jobs`: one row per job; `repair_order_id` is unique (one job per order).
pub mod job {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "jobs")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Tenant.
        pub dealer_id: String,
        /// The order (unique).
        pub repair_order_id: String,
        /// VIN.
        pub vin: String,
        /// Urgent.
        pub urgent: bool,
        /// State name.
        pub state: String,
        /// µs.
        pub promised_at_us: i64,
        /// µs.
        pub approved_at_us: i64,
        /// µs.
        pub queued_at_us: i64,
        /// µs.
        pub updated_at_us: i64,
        /// The holder's technician id; `None` while waiting for one.
        pub technician_id: Option<String>,
        /// µs.
        pub estimated_finish_at_us: Option<i64>,
        /// µs.
        pub started_at_us: Option<i64>,
        /// µs.
        pub self_checked_at_us: Option<i64>,
        /// The last self-check's note.
        pub self_check_note: String,
        /// µs.
        pub ready_at_us: Option<i64>,
        /// Failed inspections.
        pub rework_count: i32,
        /// µs: the promise at approval.
        pub initially_promised_at_us: i64,
        /// Sum of the operations' estimates (kept for the technicians' loads).
        pub estimated_hours_hundredths: i64,
        /// Sum of the operations' actual hours (kept for the technicians' loads).
        pub actual_hours_hundredths: i64,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `job_operations`: a job's operations in order.
pub mod job_operation {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "job_operations")]
    pub struct Model {
        /// The job.
        #[sea_orm(primary_key, auto_increment = false)]
        pub job_id: String,
        /// Position, from 0.
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        /// The order line.
        pub line_id: String,
        /// Catalogue code.
        pub operation_code: String,
        /// Hundredths of an hour.
        pub estimated_hours_hundredths: i64,
        /// The additional-work request it came from.
        pub additional_work_id: Option<String>,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `operations`: the OEM operation catalogue, one row per code.
pub mod operation {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "operations")]
    pub struct Model {
        /// Operation code (the key).
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        /// Name.
        pub name: String,
        /// Skill family.
        pub skill_family: String,
        /// 1..=5.
        pub minimum_level: i32,
        /// Hundredths of an hour.
        pub standard_hours_hundredths: i64,
        /// Usable on new orders.
        pub active: bool,
        /// Bumped by every change (the etag).
        pub revision: i64,
        /// µs.
        pub created_at_us: i64,
        /// µs.
        pub updated_at_us: i64,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `technicians`: one row per technician; `(dealer_id, subject)` is unique.
pub mod technician {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "technicians")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Tenant.
        pub dealer_id: String,
        /// The staff member's token subject.
        pub subject: String,
        /// Display name.
        pub name: String,
        /// µs; `None` when off shift.
        pub on_shift_since_us: Option<i64>,
        /// µs.
        pub created_at_us: i64,
        /// µs.
        pub updated_at_us: i64,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `training_records`: a technician's training records in the order recorded (append only).
pub mod training_record {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "training_records")]
    pub struct Model {
        /// The technician.
        #[sea_orm(primary_key, auto_increment = false)]
        pub technician_id: String,
        /// Position, from 0.
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        /// Course.
        pub course: String,
        /// Skill family.
        pub skill_family: String,
        /// 1..=5.
        pub level: i32,
        /// "YYYY-MM-DD".
        pub completed_on: String,
        /// "passed" or "failed".
        pub result: String,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
