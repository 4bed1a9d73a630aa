//! Customers, their vehicles and the vehicles' mileage readings (appended, never changed).

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
                    .table("customers")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("name", 200))
                    .col(string_len("phone", 16))
                    .col(string_len_null("email", 254))
                    .col(string_len_null("address", 500))
                    .col(string_len("preferred_channel", 10))
                    .col(big_integer("created_at_us"))
                    .col(big_integer("updated_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("customers_by_dealer").table("customers").col("dealer_id").col("id").to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("customers_by_phone").table("customers").col("dealer_id").col("phone").to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("vehicles")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("vin", 17))
                    .col(string_len("model", 100))
                    .col(integer("model_year"))
                    .col(string_len_null("plate", 20))
                    .col(string_len("owner_customer_id", 36))
                    .col(big_integer("created_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("vehicles_vin_per_dealer")
                    .table("vehicles")
                    .col("dealer_id")
                    .col("vin")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mileage_readings")
                    .col(string_len("vehicle_id", 36))
                    .col(integer("position"))
                    .col(big_integer("km"))
                    .col(string_len("source", 12))
                    .col(string_len("recorded_by", 200))
                    .col(big_integer("recorded_at_us"))
                    .col(big_integer_null("corrected_from_km"))
                    .col(text_null("reason"))
                    .primary_key(Index::create().col("vehicle_id").col("position"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["mileage_readings", "vehicles", "customers"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
