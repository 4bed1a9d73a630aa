//! Parts' migrations, after the runtime's own (outbox, idempotency keys, feed cursors).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Applies the runtime's tables, then parts'.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_200001_create_catalogue_entries::Migration));
        all.push(Box::new(m20261206_200002_stock_ledger::Migration));
        all.push(Box::new(m20261206_200003_stock_counts::Migration));
        all.push(Box::new(m20261206_200004_transfers::Migration));
        all.push(Box::new(m20261206_200005_requisitions::Migration));
        all.push(Box::new(m20261206_200006_fittings_by_vin::Migration));
        all.push(Box::new(m20261207_200007_reservations::Migration));
        all.push(Box::new(m20261207_200008_purchasing::Migration));
        all
    }
}

mod m20261123_200001_create_catalogue_entries {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let mut part_number = aftersales_runtime::migrations::byte_ordered_key(manager, "part_number", 40);
            manager
                .create_table(
                    Table::create()
                        .table("catalogue_entries")
                        .col(part_number.primary_key())
                        .col(string_len("name", 200))
                        .col(text("specification"))
                        .col(text("applicable_models"))
                        .col(string_len("maker", 200))
                        .col(string_len_null("supplier_id", 36))
                        .col(big_integer("list_price_minor"))
                        .col(string_len("list_price_currency", 3))
                        .col(integer("warranty_months"))
                        .col(big_integer("warranty_km"))
                        .col(string_len_null("superseded_by", 40))
                        .col(big_integer("created_at_us"))
                        .col(big_integer("updated_at_us"))
                        .to_owned(),
                )
                .await?;
            // ListCatalogueEntries filtered by supplier walks this index in part-number order.
            manager
                .create_index(
                    Index::create()
                        .name("catalogue_entries_by_supplier")
                        .table("catalogue_entries")
                        .col("supplier_id")
                        .col("part_number")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("catalogue_entries").to_owned()).await
        }
    }
}

/// Warehouses, bins, and the stock ledger: immutable movements and one balance row per lot (warehouse, bin, part,
/// batch) changed in the same transaction. `on_hand_hundredths >= 0` is a CHECK as well as a rule of the domain.
mod m20261206_200002_stock_ledger {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("warehouses")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("code", 20))
                        .col(string_len("name", 200))
                        .col(big_integer("created_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("warehouses_by_dealer_code")
                        .table("warehouses")
                        .col("dealer_id")
                        .col("code")
                        .unique()
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("bins")
                        .col(string_len("warehouse_id", 36))
                        .col(string_len("code", 20))
                        .col(string_len("description", 200))
                        .primary_key(Index::create().col("warehouse_id").col("code"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("stock_lots")
                        .col(string_len("warehouse_id", 36))
                        .col(string_len("bin", 20))
                        .col(string_len("part_number", 40))
                        .col(string_len("batch", 40))
                        .col(string_len("dealer_id", 36))
                        .col(big_integer("on_hand_hundredths").check(Expr::col("on_hand_hundredths").gte(0)))
                        .col(big_integer("received_at_us"))
                        .col(big_integer("updated_at_us"))
                        .primary_key(Index::create().col("warehouse_id").col("bin").col("part_number").col("batch"))
                        .to_owned(),
                )
                .await?;
            // An issue reads a part's lots in one warehouse, oldest first.
            manager
                .create_index(
                    Index::create()
                        .name("stock_lots_by_part")
                        .table("stock_lots")
                        .col("warehouse_id")
                        .col("part_number")
                        .col("received_at_us")
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("stock_movements")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("warehouse_id", 36))
                        .col(string_len("bin", 20))
                        .col(string_len("part_number", 40))
                        .col(string_len("batch", 40))
                        .col(string_len("kind", 20))
                        .col(big_integer("quantity_hundredths"))
                        .col(big_integer("on_hand_after_hundredths"))
                        .col(string_len("document_type", 40))
                        .col(string_len("document_reference", 200))
                        .col(text("reason"))
                        .col(string_len("moved_by", 200))
                        .col(big_integer("moved_at_us"))
                        .to_owned(),
                )
                .await?;
            // ListMovements: a part's movements in one warehouse, newest first.
            manager
                .create_index(
                    Index::create()
                        .name("stock_movements_by_part")
                        .table("stock_movements")
                        .col("warehouse_id")
                        .col("part_number")
                        .col("id")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in ["stock_movements", "stock_lots", "bins", "warehouses"] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Stock counts: the count, the bins it freezes, and its counted lots.
mod m20261206_200003_stock_counts {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("stock_counts")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("warehouse_id", 36))
                        .col(string_len("state", 20))
                        .col(string_len("started_by", 200))
                        .col(big_integer("started_at_us"))
                        .col(string_len_null("closed_by", 200))
                        .col(big_integer_null("closed_at_us"))
                        .to_owned(),
                )
                .await?;
            // Every movement asks for the open counts of its warehouse.
            manager
                .create_index(
                    Index::create()
                        .name("stock_counts_by_warehouse_state")
                        .table("stock_counts")
                        .col("warehouse_id")
                        .col("state")
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("stock_count_bins")
                        .col(string_len("count_id", 36))
                        .col(string_len("bin", 20))
                        .primary_key(Index::create().col("count_id").col("bin"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("stock_count_lines")
                        .col(string_len("count_id", 36))
                        .col(string_len("bin", 20))
                        .col(string_len("part_number", 40))
                        .col(string_len("batch", 40))
                        .col(big_integer("counted_hundredths"))
                        .col(big_integer("on_hand_hundredths"))
                        .col(string_len("counted_by", 200))
                        .col(big_integer("counted_at_us"))
                        .primary_key(Index::create().col("count_id").col("bin").col("part_number").col("batch"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in ["stock_count_lines", "stock_count_bins", "stock_counts"] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Transfers between warehouses and what each carried.
mod m20261206_200004_transfers {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("transfers")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("part_number", 40))
                        .col(string_len("from_warehouse_id", 36))
                        .col(string_len("to_warehouse_id", 36))
                        .col(string_len("state", 20))
                        .col(string_len("sent_by", 200))
                        .col(big_integer("sent_at_us"))
                        .col(string_len_null("to_bin", 20))
                        .col(string_len_null("received_by", 200))
                        .col(big_integer_null("received_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("transfers_by_dealer_state")
                        .table("transfers")
                        .col("dealer_id")
                        .col("state")
                        .col("id")
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("transfer_lines")
                        .col(string_len("transfer_id", 36))
                        .col(integer("position"))
                        .col(string_len("from_bin", 20))
                        .col(string_len("batch", 40))
                        .col(big_integer("quantity_hundredths"))
                        .col(big_integer("batch_received_at_us"))
                        .primary_key(Index::create().col("transfer_id").col("position"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in ["transfer_lines", "transfers"] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// What parts knows of orders and jobs from the feeds, and requisitions with their issues and returns.
mod m20261206_200005_requisitions {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("known_orders")
                        .col(string_len("order_id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("vin", 17))
                        .col(big_integer("mileage_km"))
                        .col(boolean("cancelled"))
                        .col(big_integer_null("closed_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("known_order_lines")
                        .col(string_len("order_id", 36))
                        .col(string_len("line_id", 36))
                        .col(string_len("part_number", 40))
                        .col(big_integer("quantity_hundredths"))
                        .primary_key(Index::create().col("order_id").col("line_id"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("known_jobs")
                        .col(string_len("job_id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("order_id", 36))
                        .col(string_len("vin", 17))
                        .col(boolean("ready"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create().name("known_jobs_by_order").table("known_jobs").col("order_id").to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("requisitions")
                        .col(string_len("id", 36).primary_key())
                        .col(string_len("dealer_id", 36))
                        .col(string_len("job_id", 36))
                        .col(string_len("order_id", 36))
                        .col(string_len_null("line_id", 36))
                        .col(string_len("vin", 17))
                        .col(big_integer("mileage_km"))
                        .col(string_len("part_number", 40))
                        .col(big_integer("quantity_hundredths"))
                        .col(string_len("state", 20))
                        .col(string_len("requested_by", 200))
                        .col(big_integer("requested_at_us"))
                        .col(string_len_null("decided_by", 200))
                        .col(big_integer_null("decided_at_us"))
                        .col(text_null("refusal_reason"))
                        .to_owned(),
                )
                .await?;
            for (name, column) in [("requisitions_by_order", "order_id"), ("requisitions_by_job", "job_id")] {
                manager
                    .create_index(Index::create().name(name).table("requisitions").col(column).col("id").to_owned())
                    .await?;
            }
            manager
                .create_table(
                    Table::create()
                        .table("requisition_moves")
                        .col(string_len("movement_id", 36).primary_key())
                        .col(string_len("requisition_id", 36))
                        .col(string_len("direction", 10))
                        .col(string_len("warehouse_id", 36))
                        .col(string_len("bin", 20))
                        .col(string_len("batch", 40))
                        .col(big_integer("quantity_hundredths"))
                        .col(string_len("moved_by", 200))
                        .col(big_integer("moved_at_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("requisition_moves_by_requisition")
                        .table("requisition_moves")
                        .col("requisition_id")
                        .col("movement_id")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for table in ["requisition_moves", "requisitions", "known_jobs", "known_order_lines", "known_orders"] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// The fitting record is read by VIN.
mod m20261206_200006_fittings_by_vin {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_index(
                    Index::create()
                        .name("requisitions_by_vin")
                        .table("requisitions")
                        .col("vin")
                        .col("part_number")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_index(Index::drop().name("requisitions_by_vin").table("requisitions").to_owned()).await
        }
    }
}

/// Reservations: what each order line still holds, and per dealer and part what all its orders hold (the row an
/// issue locks to see it); on-hand per dealer and part summed from the balance rows.
mod m20261207_200007_reservations {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .alter_table(
                    Table::alter()
                        .table("known_order_lines")
                        .add_column(
                            big_integer("reserved_hundredths")
                                .default(0)
                                .check(Expr::col("reserved_hundredths").gte(0)),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("part_positions")
                        .col(string_len("dealer_id", 36))
                        .col(string_len("part_number", 40))
                        .col(big_integer("reserved_hundredths").check(Expr::col("reserved_hundredths").gte(0)))
                        .primary_key(Index::create().col("dealer_id").col("part_number"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name("stock_lots_by_dealer_part")
                        .table("stock_lots")
                        .col("dealer_id")
                        .col("part_number")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_index(Index::drop().name("stock_lots_by_dealer_part").table("stock_lots").to_owned()).await?;
            manager.drop_table(Table::drop().table("part_positions").to_owned()).await?;
            manager
                .alter_table(Table::alter().table("known_order_lines").drop_column("reserved_hundredths").to_owned())
                .await
        }
    }
}

/// Purchasing: the approved-supplier list, stocking policies, purchase plans, purchase orders and their receipts.
mod m20261207_200008_purchasing {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            let tables = [
                Table::create()
                    .table("approved_suppliers")
                    .col(string_len("supplier_id", 36).primary_key())
                    .col(string_len("name", 200))
                    .col(string_len("status", 20))
                    .col(text("reason"))
                    .col(string_len("updated_by", 200))
                    .col(big_integer("updated_at_us"))
                    .to_owned(),
                Table::create()
                    .table("stocking_policies")
                    .col(string_len("dealer_id", 36))
                    .col(string_len("part_number", 40))
                    .col(big_integer("min_hundredths"))
                    .col(big_integer("max_hundredths"))
                    .col(string_len("updated_by", 200))
                    .col(big_integer("updated_at_us"))
                    .primary_key(Index::create().col("dealer_id").col("part_number"))
                    .to_owned(),
                Table::create()
                    .table("purchase_plans")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("state", 20))
                    .col(string_len("drafted_by", 200))
                    .col(big_integer("drafted_at_us"))
                    .col(string_len_null("approved_by", 200))
                    .col(big_integer_null("approved_at_us"))
                    .to_owned(),
                Table::create()
                    .table("purchase_plan_lines")
                    .col(string_len("plan_id", 36))
                    .col(string_len("part_number", 40))
                    .col(string_len_null("supplier_id", 36))
                    .col(big_integer("quantity_hundredths"))
                    .col(big_integer("suggested_hundredths"))
                    .col(string_len_null("reason", 30))
                    .col(big_integer("on_hand_hundredths"))
                    .col(big_integer("reserved_hundredths"))
                    .col(big_integer("on_order_hundredths"))
                    .col(big_integer("demand_hundredths"))
                    .col(big_integer("min_hundredths"))
                    .col(big_integer("max_hundredths"))
                    .primary_key(Index::create().col("plan_id").col("part_number"))
                    .to_owned(),
                Table::create()
                    .table("purchase_orders")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("dealer_id", 36))
                    .col(string_len("supplier_id", 36))
                    .col(string_len_null("plan_id", 36))
                    .col(string_len("state", 20))
                    .col(string_len("created_by", 200))
                    .col(big_integer("created_at_us"))
                    .col(text_null("close_reason"))
                    .to_owned(),
                Table::create()
                    .table("purchase_order_lines")
                    .col(string_len("order_id", 36))
                    .col(string_len("line_id", 36))
                    .col(string_len("part_number", 40))
                    .col(big_integer("ordered_hundredths"))
                    .col(big_integer("received_hundredths"))
                    .primary_key(Index::create().col("order_id").col("line_id"))
                    .to_owned(),
                Table::create()
                    .table("receipts")
                    .col(string_len("id", 36).primary_key())
                    .col(string_len("order_id", 36))
                    .col(string_len("warehouse_id", 36))
                    .col(string_len("delivery_note", 200))
                    .col(string_len("received_by", 200))
                    .col(big_integer("received_at_us"))
                    .to_owned(),
                Table::create()
                    .table("receipt_lines")
                    .col(string_len("receipt_id", 36))
                    .col(integer("position"))
                    .col(string_len("line_id", 36))
                    .col(string_len("bin", 20))
                    .col(string_len("batch", 40))
                    .col(big_integer("delivered_hundredths"))
                    .col(big_integer("rejected_hundredths"))
                    .col(text("rejection_reason"))
                    .col(big_integer("entered_hundredths"))
                    .col(big_integer("held_hundredths"))
                    .col(string_len("held_state", 20))
                    .primary_key(Index::create().col("receipt_id").col("position"))
                    .to_owned(),
            ];
            for table in tables {
                manager.create_table(table).await?;
            }
            let indexes = [
                Index::create()
                    .name("purchase_orders_by_dealer")
                    .table("purchase_orders")
                    .col("dealer_id")
                    .col("id")
                    .to_owned(),
                Index::create()
                    .name("purchase_order_lines_by_part")
                    .table("purchase_order_lines")
                    .col("part_number")
                    .to_owned(),
                Index::create().name("receipts_by_order").table("receipts").col("order_id").col("id").to_owned(),
                Index::create()
                    .name("stock_movements_by_dealer_kind")
                    .table("stock_movements")
                    .col("dealer_id")
                    .col("kind")
                    .col("moved_at_us")
                    .to_owned(),
            ];
            for index in indexes {
                manager.create_index(index).await?;
            }
            Ok(())
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .drop_index(Index::drop().name("stock_movements_by_dealer_kind").table("stock_movements").to_owned())
                .await?;
            for table in [
                "receipt_lines",
                "receipts",
                "purchase_order_lines",
                "purchase_orders",
                "purchase_plan_lines",
                "purchase_plans",
                "stocking_policies",
                "approved_suppliers",
            ] {
                manager.drop_table(Table::drop().table(table).to_owned()).await?;
            }
            Ok(())
        }
    }
}
