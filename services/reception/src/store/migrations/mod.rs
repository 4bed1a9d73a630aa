//! Reception's migrations, after the runtime's own (outbox, idempotency keys, feed cursors): one file per
//! migration, applied in the order of the list below (names sort the same way).

use sea_orm_migration::prelude::*;

/// Applies the runtime's tables, then reception's.
pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = aftersales_runtime::migrations::migrations();
        all.push(Box::new(m20261123_100001_create_repair_orders::Migration));
        all.push(Box::new(m20261124_100002_cancellation_reason::Migration));
        all.push(Box::new(m20261124_100003_additional_work_and_notices::Migration));
        all.push(Box::new(m20261124_100004_settlement_and_delivery::Migration));
        all.push(Box::new(m20261124_100005_directory::Migration));
        all.push(Box::new(m20261124_100006_inquiries::Migration));
        all.push(Box::new(m20261124_100007_customers_and_vehicles::Migration));
        all.push(Box::new(m20261124_100008_appointments::Migration));
        all.push(Box::new(m20261124_100009_check_ins::Migration));
        all.push(Box::new(m20261206_100010_labour_operations::Migration));
        all.push(Box::new(m20261206_100011_parts_actuals::Migration));
        all
    }
}

mod m20261123_100001_create_repair_orders;
mod m20261124_100002_cancellation_reason;
mod m20261124_100003_additional_work_and_notices;
mod m20261124_100004_settlement_and_delivery;
mod m20261124_100005_directory;
mod m20261124_100006_inquiries;
mod m20261124_100007_customers_and_vehicles;
mod m20261124_100008_appointments;
mod m20261124_100009_check_ins;
mod m20261206_100010_labour_operations;
mod m20261206_100011_parts_actuals;
