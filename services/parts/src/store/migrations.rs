//! Parts' migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then parts'.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_200001_create_catalogue_entries::Migration));
        all
    }
}

mod m20261123_200001_create_catalogue_entries {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let mut part_number = aftersales_runtime::migrations::byte_ordered_key(manager, "part_number", 40);
            manager
                .create_table(
                    Table::create()
                        .table("catalogue_entries")
                        .col(part_number.primary_key())
                        .col(string_len("name", 200))
                        .col(text("specification"))
                        .col(text("applicable_models"))
                        .col(string_len("maker", 200))
                        .col(string_len_null("supplier_id", 36))
                        .col(big_integer("list_price_minor"))
                        .col(string_len("list_price_currency", 3))
                        .col(integer("warranty_months"))
                        .col(big_integer("warranty_km"))
                        .col(string_len_null("superseded_by", 40))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // ListCatalogueEntries filtered by supplier walks this index in part-number order.
            manager
                .create_index(
                    Index::create()
                        .name("catalogue_entries_by_supplier")
                        .table("catalogue_entries")
                        .col("supplier_id")
                        .col("part_number")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("catalogue_entries").to_owned()).await
        }
    }
}
