//! Tables every service has: the outbox (its feed), idempotency keys, and the cursors of the feeds it follows.
//! Each service's migrator starts with [`migrations`] and appends its own.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub use sea_orm_migration::MigrationName;

/// Names a migration after the module it is declared in (one module per migration, as sea-orm names one file per
/// migration): `mod m20261123_000001_create_outbox { pub struct Migration; migration_name!(Migration); ... }`.
#[macro_export]
macro_rules! migration_name {
    ($migration:ty) => {
        impl $crate::migrations::MigrationName for $migration {
            fn name(&self) -> &str {
                module_path!().rsplit("::").next().unwrap_or_default()
            }
        }
    };
}

/// A text key column that sorts by bytes on both backends, for lists that page in key order. SQLite compares
/// bytes; PostgreSQL would use the database's locale, which orders '-' and '.' differently, and page tokens would
/// then skip or repeat rows. `COLLATE "C"` makes both agree.
pub fn byte_ordered_key(manager: &SchemaManager, name: &'static str, length: u32) -> ColumnDef {
    let mut column = string_len(name, length);
    if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

/// The runtime's migrations, in order.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(m20261123_000001_create_outbox::Migration),
        Box::new(m20261123_000002_create_idempotency_keys::Migration),
        Box::new(m20261123_000003_create_feed_cursors::Migration),
    ]
}

mod m20261123_000001_create_outbox {
    use super::*;

    pub struct Migration;
    crate::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("outbox_events")
                        // Insertion order; handed out at insert time, so NOT commit order (never served).
                        .col(big_pk_auto("position"))
                        // Feed sequence, stamped by the relay after commit: gap-free, in commit order.
                        .col(big_integer_null("sequence").unique_key())
                        .col(string_len("event_id", 36).unique_key())
                        .col(string_len("event_type", 200))
                        .col(big_integer("occurred_at_us"))
                        .col(small_integer("tenant_kind"))
                        .col(string_len("tenant_id", 36))
                        .col(string_len("aggregate_type", 100))
                        .col(string_len("aggregate_id", 200))
                        .col(string_len("traceparent", 100))
                        .col(string_len("tracestate", 1000))
                        .col(blob("payload"))
                        .to_owned(),
                )
                .await?;
            // The relay looks only at rows not yet numbered.
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE INDEX outbox_events_pending ON outbox_events (position) WHERE sequence IS NULL",
                )
                .await?;
            Ok(())
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("outbox_events").to_owned()).await
        }
    }
}

mod m20261123_000002_create_idempotency_keys {
    use super::*;

    pub struct Migration;
    crate::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("idempotency_keys")
                        .col(string_len("tenant", 64))
                        .col(string_len("method", 200))
                        .col(string_len("request_id", 36))
                        // SHA-256 of the request with its request_id cleared: the same key with another request is refused.
                        .col(binary_len("request_hash", 32))
                        // The encoded response of the first call, returned again on a retry.
                        .col(blob("response"))
                        .col(big_integer("created_at_us"))
                        .primary_key(Index::create().col("tenant").col("method").col("request_id"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("idempotency_keys").to_owned()).await
        }
    }
}

mod m20261123_000003_create_feed_cursors {
    use super::*;

    pub struct Migration;
    crate::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("feed_cursors")
                        // The producer followed, e.g. "reception".
                        .col(string_len("feed", 64).primary_key())
                        // Last sequence applied; advanced in the same transaction as the event's effect.
                        .col(big_integer("sequence"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("applied_events")
                        // Event ids applied, so a redelivered event is never applied twice.
                        .col(string_len("event_id", 36).primary_key())
                        .col(string_len("feed", 64))
                        .col(big_integer("sequence"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("applied_events").to_owned()).await?;
            manager.drop_table(Table::drop().table("feed_cursors").to_owned()).await
        }
    }
}
