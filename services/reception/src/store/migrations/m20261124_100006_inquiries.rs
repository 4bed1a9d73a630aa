//! Inquiries and complaints with their owners, hand-overs and replies.

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
                    .table("inquiries")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("kind", 10))
                    .col(string_len("channel", 10))
                    .col(boolean("urgent"))
                    .col(string_len("customer_name", 200))
                    .col(string_len("customer_contact", 100))
                    .col(string_len_null("vin", 17))
                    .col(string_len("subject", 200))
                    .col(text("description"))
                    .col(string_len("owner", 200))
                    .col(string_len("received_by", 200))
                    .col(big_integer("received_at_us"))
                    // Hand-overs and replies, appended only, as JSON arrays read and written whole.
                    .col(text("hand_overs_json"))
                    .col(text("replies_json"))
                    .col(text_null("resolution"))
                    .col(string_len_null("closed_by", 200))
                    .col(big_integer_null("closed_at_us"))
                    .col(big_integer("revision"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("inquiries_by_dealer").table("inquiries").col("dealer_id").col("id").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("inquiries").to_owned()).await
    }
}
