//! Workshop's migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then workshop's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_300001_create_jobs::Migration));
        all.push(Box::new(m20261123_300002_create_operations::Migration));
        all.push(Box::new(m20261123_300003_create_technicians::Migration));
        all.push(Box::new(m20261124_300004_job_lifecycle::Migration));
        all.push(Box::new(m20261124_300005_workshop_settings::Migration));
        all
    }
}

mod m20261123_300001_create_jobs {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("jobs")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        // One job per order, enforced by the schema as well as by the consumer.
                        .col(string_len("repair_order_id", 36).unique_key())
                        .col(string_len("vin", 17))
                        .col(boolean("urgent"))
                        .col(string_len("state", 40))
                        .col(big_integer("promised_at_us"))
                        .col(big_integer("approved_at_us"))
                        .col(big_integer("queued_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create().name("jobs_by_dealer").table("jobs").col("dealer_id").col("id").to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("job_operations")
                        .col(string_len("job_id", 36))
                        .col(integer("position"))
                        .col(string_len("line_id", 36))
                        .col(string_len("operation_code", 20))
                        .col(big_integer("estimated_hours_hundredths"))
                        .primary_key(Index::create().col("job_id").col("position"))
                        .foreign_key(ForeignKey::create().from("job_operations", "job_id").to("jobs", "id"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("job_operations").to_owned()).await?;
            manager.drop_table(Table::drop().table("jobs").to_owned()).await
        }
    }
}

mod m20261123_300002_create_operations {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let mut code = aftersales_runtime::migrations::byte_ordered_key(manager, "code", 20);
            manager
                .create_table(
                    Table::create()
                        .table("operations")
                        .col(code.primary_key())
                        .col(string_len("name", 200))
                        .col(string_len("skill_family", 40))
                        .col(integer("minimum_level"))
                        .col(big_integer("standard_hours_hundredths"))
                        .col(boolean("active"))
                        .col(big_integer("revision"))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // ListOperations filtered by skill family walks this index in code order.
            manager
                .create_index(
                    Index::create()
                        .name("operations_by_skill_family")
                        .table("operations")
                        .col("skill_family")
                        .col("code")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("operations").to_owned()).await
        }
    }
}

mod m20261123_300003_create_technicians {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("technicians")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("subject", 200))
                        .col(string_len("name", 200))
                        .col(big_integer_null("on_shift_since_us"))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // One technician per staff member per dealer; also the index ListTechnicians walks per dealer.
            manager
                .create_index(
                    Index::create()
                        .name("technicians_by_dealer_subject")
                        .table("technicians")
                        .col("dealer_id")
                        .col("subject")
                        .unique()
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("technicians_by_dealer")
                        .table("technicians")
                        .col("dealer_id")
                        .col("id")
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("training_records")
                        .col(string_len("technician_id", 36))
                        .col(integer("position"))
                        .col(string_len("course", 200))
                        .col(string_len("skill_family", 40))
                        .col(integer("level"))
                        .col(string_len("completed_on", 10))
                        .col(string_len("result", 10))
                        .primary_key(Index::create().col("technician_id").col("position"))
                        .foreign_key(
                            ForeignKey::create().from("training_records", "technician_id").to("technicians", "id"),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("training_records").to_owned()).await?;
            manager.drop_table(Table::drop().table("technicians").to_owned()).await
        }
    }
}

mod m20261124_300004_job_lifecycle {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    /// A job's history table: rows `(job_id, position)` in the order they happened.
    fn history(name: &'static str, columns: Vec<ColumnDef>) -> TableCreateStatement {
        let mut table = Table::create();
        table.table(name).col(string_len("job_id", 36)).col(integer("position"));
        for mut column in columns {
            table.col(&mut column);
        }
        table
            .primary_key(Index::create().col("job_id").col("position"))
            .foreign_key(ForeignKey::create().from(name, "job_id").to("jobs", "id"))
            .to_owned()
    }

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            // One column per ALTER: SQLite adds columns one at a time.
            let columns = [
                string_len_null("technician_id", 36),
                big_integer_null("estimated_finish_at_us"),
                big_integer_null("started_at_us"),
                big_integer_null("self_checked_at_us"),
                text("self_check_note").default("").to_owned(),
                big_integer_null("ready_at_us"),
                integer("rework_count").default(0).to_owned(),
                big_integer("initially_promised_at_us").default(0).to_owned(),
                big_integer("estimated_hours_hundredths").default(0).to_owned(),
                big_integer("actual_hours_hundredths").default(0).to_owned(),
            ];
            for mut column in columns {
                manager.alter_table(Table::alter().table("jobs").add_column(&mut column).to_owned()).await?;
            }
            let db = manager.get_connection();
            db.execute_unprepared(
                "UPDATE jobs SET initially_promised_at_us = promised_at_us, estimated_hours_hundredths = \
                 (SELECT COALESCE(SUM(estimated_hours_hundredths), 0) FROM job_operations o WHERE o.job_id = jobs.id)",
            )
            .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table("job_operations")
                        .add_column(string_len_null("additional_work_id", 36))
                        .to_owned(),
                )
                .await?;
            // The waiting queue and technicians' loads: a dealer's jobs by technician and state.
            manager
                .create_index(
                    Index::create()
                        .name("jobs_by_dealer_technician")
                        .table("jobs")
                        .col("dealer_id")
                        .col("technician_id")
                        .col("state")
                        .to_owned(),
                )
                .await?;
            // KPIs: a dealer's jobs by the time they became ready.
            manager
                .create_index(
                    Index::create()
                        .name("jobs_by_dealer_ready")
                        .table("jobs")
                        .col("dealer_id")
                        .col("ready_at_us")
                        .to_owned(),
                )
                .await?;
            let tables = [
                history(
                    "job_assignments",
                    vec![
                        string_len("kind", 40),
                        string_len("technician_id", 36),
                        string_len("decided_by", 200),
                        string_len_null("suggested_technician_id", 36),
                        text("suggestion_reason"),
                        text("reason"),
                        big_integer("at_us"),
                    ],
                ),
                history(
                    "job_clock_entries",
                    vec![
                        string_len("line_id", 36),
                        string_len("technician_id", 36),
                        big_integer("on_at_us"),
                        big_integer_null("off_at_us"),
                        boolean("rework"),
                        boolean("closed_by_system"),
                    ],
                ),
                history(
                    "job_progress_notes",
                    vec![text("note"), text("media"), string_len("author", 200), big_integer("at_us")],
                ),
                history(
                    "job_delays",
                    vec![
                        text("reason"),
                        big_integer("previous_promised_at_us"),
                        big_integer("new_promised_at_us"),
                        string_len("reported_by", 200),
                        big_integer("at_us"),
                    ],
                ),
                history(
                    "job_additional_work",
                    vec![
                        string_len("id", 36),
                        text("finding"),
                        text("operations"),
                        text("parts"),
                        text("media"),
                        string_len("state", 20),
                        string_len("requested_by", 200),
                        big_integer("requested_at_us"),
                        big_integer_null("decided_at_us"),
                        text("refusal_reason"),
                    ],
                ),
                history(
                    "job_inspections",
                    vec![boolean("passed"), text("findings"), string_len("inspector", 200), big_integer("at_us")],
                ),
            ];
            for table in tables {
                manager.create_table(table).await?;
            }
            // Reception's answer names the request.
            manager
                .create_index(
                    Index::create()
                        .name("job_additional_work_by_id")
                        .table("job_additional_work")
                        .col("id")
                        .unique()
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in [
                "job_inspections",
                "job_additional_work",
                "job_delays",
                "job_progress_notes",
                "job_clock_entries",
                "job_assignments",
            ] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

mod m20261124_300005_workshop_settings {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("workshop_settings")
                        .col(string_len("dealer_id", 36).primary_key())
                        .col(boolean("automatic_assignment"))
                        .col(big_integer("revision"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("workshop_settings").to_owned()).await
        }
    }
}
