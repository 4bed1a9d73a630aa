//! Appointments; their slot changes, fast lane and reminders as JSON (appended only, read and written whole).

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
                    .table("appointments")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("customer_id", 36))
                    .col(string_len("vehicle_id", 36))
                    .col(string_len("vin", 17))
                    .col(string_len("channel", 10))
                    .col(text("fault_description"))
                    .col(boolean("urgent"))
                    .col(big_integer("wished_at_us"))
                    .col(big_integer("slot_at_us"))
                    .col(string_len("state", 12))
                    .col(string_len("requested_by", 200))
                    .col(big_integer("requested_at_us"))
                    .col(string_len_null("confirmed_by", 200))
                    .col(big_integer_null("confirmed_at_us"))
                    .col(text("slot_changes_json"))
                    .col(text_null("fast_lane_json"))
                    .col(text("reminders_json"))
                    .col(text_null("cancellation_reason"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("appointments_by_dealer")
                    .table("appointments")
                    .col("dealer_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("appointments").to_owned()).await
    }
}
