//! The supplier service's migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then the supplier service's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_500001_create_suppliers::Migration));
        all.push(Box::new(m20261207_500002_create_claims::Migration));
        all.push(Box::new(m20261207_500003_create_claim_clocks::Migration));
        all.push(Box::new(m20261207_500004_create_supplier_parts::Migration));
        all
    }
}

mod m20261123_500001_create_suppliers {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let code = aftersales_runtime::migrations::byte_ordered_key(manager, "code", 40);
            manager
                .create_table(
                    Table::create()
                        .table("suppliers")
                        .col(string_len("id", 36).primary_key())
                        .col(code)
                        .col(string_len("name", 200))
                        .col(string_len("status", 20))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // Codes are unique; this index also serves the code-ordered list.
            manager
                .create_index(
                    Index::create().name("suppliers_code_key").table("suppliers").col("code").unique().to_owned(),
                )
                .await?;
            // ListSuppliers filtered by status walks this index in code order.
            manager
                .create_index(
                    Index::create().name("suppliers_by_status").table("suppliers").col("status").col("code").to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("supplier_contacts")
                        .col(string_len("supplier_id", 36))
                        .col(integer("position"))
                        .col(string_len("name", 200))
                        .col(string_len("email", 200))
                        .col(string_len("phone", 40))
                        .col(string_len("duty", 200))
                        .primary_key(Index::create().col("supplier_id").col("position"))
                        .foreign_key(
                            ForeignKey::create().from("supplier_contacts", "supplier_id").to("suppliers", "id"),
                        )
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("supplier_contacts").to_owned()).await?;
            manager.drop_table(Table::drop().table("suppliers").to_owned()).await
        }
    }
}

mod m20261207_500002_create_claims {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            // Ids page newest first in byte order on both databases.
            let mut id = aftersales_runtime::migrations::byte_ordered_key(manager, "id", 36);
            manager
                .create_table(
                    Table::create()
                        .table("claims")
                        .col(id.primary_key())
                        .col(string_len("supplier_id", 36))
                        .col(string_len("state", 20))
                        .col(string_len("origin", 10))
                        .col(string_len_null("case_id", 36))
                        .col(string_len("part_number", 40))
                        .col(string_len("batch", 100))
                        .col(string_len("currency", 3))
                        .col(big_integer("claimed_minor"))
                        .col(big_integer_null("agreed_minor"))
                        .col(big_integer_null("charged_back_minor"))
                        .col(big_integer("drafted_at_us"))
                        .col(big_integer_null("sent_at_us"))
                        .col(big_integer_null("acknowledged_at_us"))
                        .col(big_integer_null("committed_solution_at_us"))
                        .col(big_integer_null("solution_at_us"))
                        // The first 8D report's submission.
                        .col(big_integer_null("eight_d_at_us"))
                        .col(big_integer_null("accepted_at_us"))
                        .col(big_integer_null("ended_at_us"))
                        .col(big_integer("updated_at_us"))
                        .col(big_integer("revision"))
                        // The claim itself (its `Claim` message); the columns above are derived from it.
                        .col(blob("record"))
                        // What an automatic draft came from (one claim per source, see `feeds`); NULL for claims
                        // raised by hand.
                        .col(string_len_null("source", 300).unique_key())
                        .to_owned(),
                )
                .await?;
            // A supplier's claims newest first (its list, its stream's look-ups), and the scorecard's period.
            manager
                .create_index(
                    Index::create().name("claims_by_supplier").table("claims").col("supplier_id").col("id").to_owned(),
                )
                .await?;
            manager
                .create_index(Index::create().name("claims_by_state").table("claims").col("state").col("id").to_owned())
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("claims_sent_by_supplier")
                        .table("claims")
                        .col("supplier_id")
                        .col("sent_at_us")
                        .to_owned(),
                )
                .await?;
            // WatchClaims reads one supplier's claim events in feed order from the outbox (the runtime's table):
            // without this index every stream would scan every supplier's events.
            manager
                .create_index(
                    Index::create()
                        .name("outbox_events_by_supplier")
                        .table("outbox_events")
                        .col("tenant_kind")
                        .col("tenant_id")
                        .col("sequence")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .drop_index(Index::drop().name("outbox_events_by_supplier").table("outbox_events").to_owned())
                .await?;
            manager.drop_table(Table::drop().table("claims").to_owned()).await
        }
    }
}

mod m20261207_500003_create_claim_clocks {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            // The escalation engine's last word on each clock of a claim (ClockBreached, ClockClosed): the
            // scorecard's on-time figures.
            manager
                .create_table(
                    Table::create()
                        .table("claim_clocks")
                        .col(string_len("clock_id", 36).primary_key())
                        .col(string_len("claim_id", 36))
                        .col(string_len("policy", 100))
                        .col(string_len("verdict", 20))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("claim_clocks_by_claim")
                        .table("claim_clocks")
                        .col("claim_id")
                        .col("policy")
                        .to_owned(),
                )
                .await?;
            // The ranking reads every supplier's claims sent in a period.
            manager
                .create_index(Index::create().name("claims_sent").table("claims").col("sent_at_us").to_owned())
                .await?;
            // A repeat failure: an earlier accepted claim on the same supplier and part number.
            manager
                .create_index(
                    Index::create()
                        .name("claims_accepted_by_part")
                        .table("claims")
                        .col("supplier_id")
                        .col("part_number")
                        .col("accepted_at_us")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_index(Index::drop().name("claims_accepted_by_part").table("claims").to_owned()).await?;
            manager.drop_index(Index::drop().name("claims_sent").table("claims").to_owned()).await?;
            manager.drop_table(Table::drop().table("claim_clocks").to_owned()).await
        }
    }
}

mod m20261207_500004_create_supplier_parts {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            // The parts the catalogue designates each supplier for (parts' CatalogueEntryCreated). No foreign key:
            // the catalogue may name a supplier before this service has registered it.
            let part_number = aftersales_runtime::migrations::byte_ordered_key(manager, "part_number", 40);
            manager
                .create_table(
                    Table::create()
                        .table("supplier_parts")
                        .col(string_len("supplier_id", 36))
                        .col(part_number)
                        .primary_key(Index::create().col("supplier_id").col("part_number"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("supplier_parts").to_owned()).await
        }
    }
}
