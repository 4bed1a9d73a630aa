//! Escalation's migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then escalation's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_400001_create_cases::Migration));
        all.push(Box::new(m20261207_400002_sla::Migration));
        all.push(Box::new(m20261207_400003_dealer_hours::Migration));
        all.push(Box::new(m20261208_400004_case_handling::Migration));
        all.push(Box::new(m20261208_400005_case_response::Migration));
        all
    }
}

mod m20261123_400001_create_cases {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("cases")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len_null("dealer_id", 36))
                        .col(string_len("region", 200))
                        .col(string_len("source", 40))
                        .col(string_len("model", 200))
                        .col(string_len("serial_or_vin", 40))
                        .col(text("symptom"))
                        .col(text("usage_scenario"))
                        .col(string_len("contact_name", 200))
                        .col(string_len("contact_phone", 40))
                        .col(string_len("contact_email", 200))
                        .col(string_len("state", 40))
                        .col(string_len_null("severity", 20))
                        .col(string_len_null("category", 200))
                        // A token subject has no length limit of ours; a long one must not fail the insert.
                        .col(text("created_by"))
                        .col(big_integer("received_at_us"))
                        .col(big_integer("updated_at_us"))
                        .col(big_integer("revision"))
                        .to_owned(),
                )
                .await?;
            // Dealer staff list their own dealer's cases, newest first.
            manager
                .create_index(
                    Index::create().name("cases_by_dealer").table("cases").col("dealer_id").col("id").to_owned(),
                )
                .await?;
            // Support works queues by state ("everything still received").
            manager
                .create_index(Index::create().name("cases_by_state").table("cases").col("state").col("id").to_owned())
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("cases").to_owned()).await
        }
    }
}

/// The SLA engine: published policy versions, and clocks — each a row with the columns the scheduler and the feed
/// handlers look up by, and the whole clock (history included) as JSON.
mod m20261207_400002_sla {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("policy_versions")
                        .col(integer("version").primary_key())
                        .col(text("body"))
                        .col(text("note"))
                        .col(text("published_by"))
                        .col(big_integer("published_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("clocks")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("policy", 100))
                        .col(integer("version"))
                        .col(string_len("subject_kind", 40))
                        .col(string_len("subject_id", 100))
                        .col(string_len("tenant", 60))
                        .col(string_len("status", 20))
                        .col(big_integer_null("next_fire_at_us"))
                        .col(text("body"))
                        .to_owned(),
                )
                .await?;
            // One clock per policy and subject: a redelivered starting event finds it taken.
            manager
                .create_index(
                    Index::create()
                        .name("clocks_by_policy_subject")
                        .table("clocks")
                        .col("policy")
                        .col("subject_id")
                        .col("tenant")
                        .unique()
                        .to_owned(),
                )
                .await?;
            // Meeting and stopping events look up a subject's clocks.
            manager
                .create_index(
                    Index::create()
                        .name("clocks_by_subject")
                        .table("clocks")
                        .col("subject_id")
                        .col("policy")
                        .to_owned(),
                )
                .await?;
            // The scheduler reads the earliest next fire and claims what is due, never scanning open clocks.
            manager
                .create_index(
                    Index::create().name("clocks_by_next_fire").table("clocks").col("next_fire_at_us").to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("clocks").to_owned()).await?;
            manager.drop_table(Table::drop().table("policy_versions").to_owned()).await
        }
    }
}

/// A read copy of each dealer's time zone and opening hours (reception's `DealerUpdated`), the calendar of the
/// clocks that count only open time.
mod m20261207_400003_dealer_hours {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("dealer_hours")
                        .col(string_len("dealer_id", 36).primary_key())
                        .col(string_len("time_zone", 64))
                        .col(text("intervals"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("dealer_hours").to_owned()).await
        }
    }
}

/// Handling a case: the support group it is assigned to and what support noted when it contacted the customer.
/// One column per statement: SQLite adds one column at a time.
mod m20261208_400004_case_handling {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .alter_table(
                    Table::alter().table("cases").add_column(string_len("support_group", 100).default("")).to_owned(),
                )
                .await?;
            manager
                .alter_table(Table::alter().table("cases").add_column(text("contact_note").default("")).to_owned())
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.alter_table(Table::alter().table("cases").drop_column("contact_note").to_owned()).await?;
            manager.alter_table(Table::alter().table("cases").drop_column("support_group").to_owned()).await
        }
    }
}

/// The response to important and urgent cases: the analysis meeting (when, who chaired, the initial measures) and
/// when the experts arrived on site. NULL times until they happen; one column per statement for SQLite.
mod m20261208_400005_case_response {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    const COLUMNS: [&str; 4] = ["meeting_at_us", "meeting_chaired_by", "initial_measures", "onsite_at_us"];

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for column in [
                big_integer_null("meeting_at_us"),
                string_len("meeting_chaired_by", 200).default("").to_owned(),
                text("initial_measures").default("").to_owned(),
                big_integer_null("onsite_at_us"),
            ] {
                manager.alter_table(Table::alter().table("cases").add_column(column).to_owned()).await?;
            }
            Ok(())
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for column in COLUMNS {
                manager.alter_table(Table::alter().table("cases").drop_column(column).to_owned()).await?;
            }
            Ok(())
        }
    }
}
