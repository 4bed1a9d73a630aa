//! Settlement (the advisor's variance reasons and discounts while a draft; the signed invoice and its credit notes;
//! the dealers' gap-free number series), delivery and the follow-up visit.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;
aftersales_runtime::migration_name!(Migration);

fn money(table: &mut TableCreateStatement, name: &str) {
    table.col(big_integer(format!("{name}_minor")));
}

#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("settlement_reasons")
                    .col(string_len("repair_order_id", 36))
                    .col(string_len("line_id", 36))
                    .col(text("reason"))
                    .col(string_len("explained_by", 200))
                    .col(big_integer("explained_at_us"))
                    .primary_key(Index::create().col("repair_order_id").col("line_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("settlement_discounts")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("repair_order_id", 36))
                    .col(string_len("description", 200))
                    .col(big_integer("amount_minor"))
                    .col(string_len("currency", 3))
                    .col(text("reason"))
                    .col(string_len("added_by", 200))
                    .col(big_integer("added_at_us"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("settlement_discounts_by_order")
                    .table("settlement_discounts")
                    .col("repair_order_id")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        // The dealer's number series ("invoice", "credit_note"): the last number given. Taken in the signing
        // transaction, so a rolled-back signature gives its number back: no gaps, no duplicates.
        manager
            .create_table(
                Table::create()
                    .table("document_series")
                    .col(string_len("dealer_id", 36))
                    .col(string_len("series", 20))
                    .col(big_integer("last_number"))
                    .primary_key(Index::create().col("dealer_id").col("series"))
                    .to_owned(),
            )
            .await?;
        let mut invoices = Table::create();
        invoices
            .table("invoices")
            .col(string_len("repair_order_id", 36).primary_key())
            .col(string_len("dealer_id", 36))
            .col(string_len("number", 40))
            .col(big_integer("sequence"))
            .col(string_len("currency", 3))
            .col(big_integer("tax_rate_bp"));
        for name in ["subtotal", "discounts", "net", "tax", "total"] {
            money(&mut invoices, name);
        }
        invoices
            .col(string_len("signed_by", 200))
            .col(string_len("signature_reference", 1000))
            .col(big_integer("signed_at_us"))
            // The lines and discounts as signed: an immutable snapshot, read and written whole.
            .col(text("lines_json"))
            .col(text("discounts_json"));
        manager.create_table(invoices.to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("invoices_number_per_dealer")
                    .table("invoices")
                    .col("dealer_id")
                    .col("sequence")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("credit_notes")
                    .col(string_len("number", 40))
                    .col(string_len("dealer_id", 36))
                    .col(big_integer("sequence"))
                    .col(string_len("repair_order_id", 36))
                    .col(big_integer("amount_minor"))
                    .col(string_len("currency", 3))
                    .col(text("reason"))
                    .col(string_len("issued_by", 200))
                    .col(big_integer("issued_at_us"))
                    .primary_key(Index::create().col("dealer_id").col("sequence"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("credit_notes_by_order")
                    .table("credit_notes")
                    .col("repair_order_id")
                    .col("sequence")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("deliveries")
                    .col(string_len("repair_order_id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("delivered_by", 200))
                    .col(big_integer("delivered_at_us"))
                    .col(string_len("old_parts", 20))
                    .col(string_len_null("next_service_on", 10))
                    .col(big_integer_null("next_service_km"))
                    .col(big_integer("follow_up_due_at_us"))
                    .col(boolean("on_time"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("follow_ups")
                    .col(string_len("repair_order_id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("channel", 10))
                    .col(integer("score"))
                    .col(text("comments"))
                    .col(boolean("complaint"))
                    .col(string_len("recorded_by", 200))
                    .col(big_integer("recorded_at_us"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "follow_ups",
            "deliveries",
            "credit_notes",
            "invoices",
            "document_series",
            "settlement_discounts",
            "settlement_reasons",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
