//! Reception's read copy of workshop's operation catalogue (from `OperationCatalogUpdated`), and the check-in a
//! repair order was opened for.

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
                    .table("labour_operations")
                    .col(string_len("code", 20).primary_key())
                    .col(string_len("name", 200))
                    .col(string_len("skill_family", 40))
                    .col(integer("minimum_level"))
                    .col(big_integer("standard_hours_hundredths"))
                    .col(boolean("active"))
                    .col(big_integer("changed_at_us"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table("repair_orders").add_column(string_len_null("check_in_id", 36)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("repair_orders").drop_column("check_in_id").to_owned()).await?;
        manager.drop_table(Table::drop().table("labour_operations").to_owned()).await
    }
}
