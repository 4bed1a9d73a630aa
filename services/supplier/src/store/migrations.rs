//! The supplier service's migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then the supplier service's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_500001_create_suppliers::Migration));
        all
    }
}

mod m20261123_500001_create_suppliers {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let code = aftersales_runtime::migrations::byte_ordered_key(manager, "code", 40);
            manager
                .create_table(
                    Table::create()
                        .table("suppliers")
                        .col(string_len("id", 36).primary_key())
                        .col(code)
                        .col(string_len("name", 200))
                        .col(string_len("status", 20))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // Codes are unique; this index also serves the code-ordered list.
            manager
                .create_index(
                    Index::create().name("suppliers_code_key").table("suppliers").col("code").unique().to_owned(),
                )
                .await?;
            // ListSuppliers filtered by status walks this index in code order.
            manager
                .create_index(
                    Index::create().name("suppliers_by_status").table("suppliers").col("status").col("code").to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("supplier_contacts")
                        .col(string_len("supplier_id", 36))
                        .col(integer("position"))
                        .col(string_len("name", 200))
                        .col(string_len("email", 200))
                        .col(string_len("phone", 40))
                        .col(string_len("duty", 200))
                        .primary_key(Index::create().col("supplier_id").col("position"))
                        .foreign_key(
                            ForeignKey::create().from("supplier_contacts", "supplier_id").to("suppliers", "id"),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("supplier_contacts").to_owned()).await?;
            manager.drop_table(Table::drop().table("suppliers").to_owned()).await
        }
    }
}
