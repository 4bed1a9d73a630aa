//! Check-ins with their walk-around record (damage, belongings and photos as JSON arrays, written once).

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
                    .table("check_ins")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len_null("appointment_id", 36))
                    .col(string_len("customer_id", 36))
                    .col(string_len("vehicle_id", 36))
                    .col(string_len("vin", 17))
                    .col(big_integer("mileage_km"))
                    .col(integer("fuel_level_percent"))
                    .col(text("exterior_damage_json"))
                    .col(text("interior_notes"))
                    .col(text("belongings_json"))
                    .col(text("fault_symptoms"))
                    .col(boolean("could_not_reproduce"))
                    .col(text("photo_references_json"))
                    .col(string_len("checked_in_by", 200))
                    .col(big_integer("checked_in_at_us"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("check_ins_by_dealer").table("check_ins").col("dealer_id").col("id").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("check_ins").to_owned()).await
    }
}
