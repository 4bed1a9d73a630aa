//! The dealer directory: dealers with their terms, and their staff.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;
aftersales_runtime::migration_name!(Migration);

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dealers")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("name", 200))
                    .col(string_len("region", 50))
                    .col(string_len("time_zone", 64))
                    // [{"day": 1..=7, "opens": "HH:MM", "closes": "HH:MM"}], read and written whole.
                    .col(text("opening_hours_json"))
                    .col(string_len("currency", 3))
                    .col(big_integer("tax_rate_bp"))
                    .col(string_len("invoice_prefix", 10))
                    .col(boolean("active"))
                    .col(big_integer("created_at_us"))
                    .col(big_integer("updated_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("dealers_by_region").table("dealers").col("region").col("id").to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("staff_members")
                    .col(aftersales_runtime::migrations::byte_ordered_key(manager, "subject", 200).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("name", 200))
                    .col(string_len("role", 20))
                    .col(string_len("contact", 50))
                    .col(boolean("active"))
                    .col(big_integer("created_at_us"))
                    .col(big_integer("updated_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("staff_by_dealer")
                    .table("staff_members")
                    .col("dealer_id")
                    .col("subject")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("staff_members").to_owned()).await?;
        manager.drop_table(Table::drop().table("dealers").to_owned()).await
    }
}
