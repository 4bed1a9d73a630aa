//! What parts says of an order: a line's actual is hours for labour and the quantity used for parts (the column
//! named for hours becomes `actual_hundredths`), and when parts closed the order's requisitions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;
aftersales_runtime::migration_name!(Migration);

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("repair_order_lines")
                    .rename_column("actual_hours_hundredths", "actual_hundredths")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("repair_orders")
                    .add_column(big_integer_null("requisitions_closed_at_us"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("repair_orders").drop_column("requisitions_closed_at_us").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("repair_order_lines")
                    .rename_column("actual_hundredths", "actual_hours_hundredths")
                    .to_owned(),
            )
            .await
    }
}
