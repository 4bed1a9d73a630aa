//! Table definitions (sea-orm entities). Instants are microseconds since the epoch.

/// `suppliers`: one row per supplier.
pub mod supplier {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "suppliers")]
    pub struct Model {
        /// UUIDv7.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// Supplier code; unique (index `suppliers_code_key`).
        pub code: String,
        /// Name.
        pub name: String,
        /// Status name.
        pub status: String,
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

/// `supplier_contacts`: a supplier's contacts, in order. A child table rather than an encoded column: contacts
/// are records of four fields each, and a table keeps them queryable (e.g. "who handles claims") without a
/// home-made encoding.
pub mod supplier_contact {
    use sea_orm::entity::prelude::*;

    /// A row.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "supplier_contacts")]
    pub struct Model {
        /// The supplier.
        #[sea_orm(primary_key, auto_increment = false)]
        pub supplier_id: String,
        /// Position in the supplier's list, from 0.
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        /// Name.
        pub name: String,
        /// E-mail address.
        pub email: String,
        /// Telephone number ("" for none).
        pub phone: String,
        /// Duty ("" for none).
        pub duty: String,
    }

    /// No relations are navigated through sea-orm.
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
