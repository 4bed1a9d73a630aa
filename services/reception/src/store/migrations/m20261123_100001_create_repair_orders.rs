//! Repair orders and their lines.

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
                    .table("repair_orders")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("vin", 17))
                    .col(big_integer("mileage_km"))
                    .col(boolean("urgent"))
                    .col(text("fault_description"))
                    .col(big_integer("promised_at_us"))
                    .col(string_len("state", 40))
                    .col(integer("estimate_version"))
                    .col(integer_null("consent_version"))
                    .col(string_len_null("consented_by", 200))
                    .col(string_len_null("consent_channel", 20))
                    .col(string_len_null("signature_reference", 1000))
                    .col(string_len_null("consent_recorded_by", 200))
                    .col(big_integer_null("consented_at_us"))
                    .col(string_len("created_by", 200))
                    .col(big_integer("created_at_us"))
                    .col(big_integer("updated_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("repair_orders_by_dealer")
                    .table("repair_orders")
                    .col("dealer_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("repair_order_lines")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("repair_order_id", 36))
                    .col(integer("position"))
                    .col(string_len("kind", 10))
                    .col(string_len("code", 40))
                    .col(big_integer("quantity_hundredths"))
                    .col(big_integer("price_minor"))
                    .col(string_len("currency", 3))
                    .col(string_len("requirement", 10))
                    .col(text_null("declined_reason"))
                    .foreign_key(
                        ForeignKey::create().from("repair_order_lines", "repair_order_id").to("repair_orders", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("repair_order_lines_by_order")
                    .table("repair_order_lines")
                    .col("repair_order_id")
                    .col("position")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("repair_order_lines").to_owned()).await?;
        manager.drop_table(Table::drop().table("repair_orders").to_owned()).await
    }
}
