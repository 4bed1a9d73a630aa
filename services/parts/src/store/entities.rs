//! Table definitions (sea-orm entities). Instants are microseconds since the epoch; money is integer minor units.

/// `catalogue_entries`: one row per part number.
pub mod catalogue_entry {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalogue_entries")]
    pub struct Model {
        /// The part number (upper-case, as the kernel normalises it): the natural key.
        #[sea_orm(primary_key, auto_increment = false)]
        pub part_number: String,
        /// Name.
        pub name: String,
        /// Free text.
        pub specification: String,
        /// Models joined with '\n', in order; "" for none. A model name is one line (a domain rule), so the
        /// separator never occurs inside one. A child table would cost a second query per page for a list that
        /// is only ever read and written whole.
        pub applicable_models: String,
        /// Maker.
        pub maker: String,
        /// UUIDv7 of the designated supplier.
        pub supplier_id: Option<String>,
        /// List price, minor units.
        pub list_price_minor: i64,
        /// ISO 4217.
        pub list_price_currency: String,
        /// 0..=240.
        pub warranty_months: i32,
        /// 0..=2,000,000.
        pub warranty_km: i64,
        /// Replacing part number.
        pub superseded_by: Option<String>,
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
