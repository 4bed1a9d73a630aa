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
