//! Additional work requested by the workshop and the customer's answers; the hours clocked per labour line; the
//! notices given to the customer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;
aftersales_runtime::migration_name!(Migration);

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table("repair_order_lines")
                    .add_column(string_len_null("additional_work_id", 36))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("repair_order_lines")
                    .add_column(big_integer_null("actual_hours_hundredths"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("additional_work")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("repair_order_id", 36))
                    .col(string_len("job_id", 36))
                    .col(text("finding"))
                    // The request as workshop made it, immutable: operations, parts and media as JSON arrays.
                    .col(text("operations_json"))
                    .col(text("parts_json"))
                    .col(text("media_json"))
                    .col(string_len("requested_by", 200))
                    .col(big_integer("requested_at_us"))
                    .col(string_len("decision", 20))
                    .col(string_len_null("decided_by", 200))
                    .col(string_len_null("answer_channel", 20))
                    .col(string_len_null("signature_reference", 1000))
                    .col(string_len_null("recorded_by", 200))
                    .col(big_integer_null("decided_at_us"))
                    .col(text_null("refusal_reason"))
                    .col(integer_null("estimate_version"))
                    .foreign_key(
                        ForeignKey::create().from("additional_work", "repair_order_id").to("repair_orders", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("additional_work_by_order")
                    .table("additional_work")
                    .col("repair_order_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("customer_notices")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("repair_order_id", 36))
                    .col(string_len("dealer_id", 36))
                    .col(string_len("kind", 10))
                    .col(string_len("channel", 20))
                    .col(text_null("message"))
                    .col(big_integer_null("expected_ready_at_us"))
                    .col(text_null("reason"))
                    .col(big_integer_null("previous_promised_at_us"))
                    .col(big_integer_null("new_promised_at_us"))
                    .col(string_len_null("compensation_offer", 1000))
                    .col(string_len("notified_by", 200))
                    .col(big_integer("notified_at_us"))
                    .foreign_key(
                        ForeignKey::create().from("customer_notices", "repair_order_id").to("repair_orders", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("customer_notices_by_order")
                    .table("customer_notices")
                    .col("repair_order_id")
                    .col("id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("customer_notices").to_owned()).await?;
        manager.drop_table(Table::drop().table("additional_work").to_owned()).await?;
        manager
            .alter_table(Table::alter().table("repair_order_lines").drop_column("actual_hours_hundredths").to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table("repair_order_lines").drop_column("additional_work_id").to_owned())
            .await
    }
}
