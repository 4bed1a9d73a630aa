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
        all.push(Box::new(m20261207_400006_case_resolution::Migration));
        all.push(Box::new(m20261207_400007_clock_report_facts::Migration));
        all.push(Box::new(m20261207_400008_report_covering_indexes::Migration));
        all.push(Box::new(m20261207_400009_onsite_waivers::Migration));
        all.push(Box::new(m20261207_400010_report_cache::Migration));
        all.push(Box::new(m20261207_400011_open_clocks::Migration));
        all
    }
}

/// Adds `columns` to `cases`.
async fn add_case_columns(manager: &SchemaManager<'_>, columns: Vec<ColumnDef>) -> Result<(), DbErr> {
    for column in columns {
        manager.alter_table(Table::alter().table("cases").add_column(column).to_owned()).await?;
    }
    Ok(())
}

/// Drops `columns` from `cases`.
async fn drop_case_columns(manager: &SchemaManager<'_>, columns: Vec<ColumnDef>) -> Result<(), DbErr> {
    for column in columns {
        let name = column.get_column_name();
        manager.alter_table(Table::alter().table("cases").drop_column(Alias::new(name)).to_owned()).await?;
    }
    Ok(())
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
            let columns = vec![
                big_integer_null("meeting_at_us"),
                string_len("meeting_chaired_by", 200).default("").to_owned(),
                text("initial_measures").default("").to_owned(),
                big_integer_null("onsite_at_us"),
            ];
            add_case_columns(manager, columns).await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for column in COLUMNS {
                manager.alter_table(Table::alter().table("cases").drop_column(column).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// From diagnosis to closing — with an urgent case's emergency plan and review, and the repair order a follow-up
/// case is about: the solution and its review, the customer's confirmation, the root-cause report, the
/// responsibility determination and its report (columns of `cases`: reports group by several of them); the notes
/// (diagnosis steps, progress reports) and the root-cause measures in tables of their own. One column per statement
/// for SQLite.
mod m20261207_400006_case_resolution {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    /// The instants reports slice cases by.
    const REPORT_INDEXES: [(&str, &str); 3] = [
        ("cases_by_received", "received_at_us"),
        ("cases_by_closed", "closed_at_us"),
        ("cases_by_root_cause_at", "root_cause_at_us"),
    ];

    fn empty_text(name: &'static str) -> ColumnDef {
        text(name).default("").to_owned()
    }

    fn columns() -> Vec<ColumnDef> {
        vec![
            empty_text("solution_text"),
            empty_text("solution_by"),
            big_integer_null("solution_at_us"),
            boolean_null("solution_approved"),
            empty_text("solution_reviewed_by"),
            big_integer_null("solution_reviewed_at_us"),
            empty_text("solution_review_note"),
            big_integer_null("resolved_at_us"),
            boolean_null("confirmed"),
            integer_null("satisfaction"),
            empty_text("confirmation_comment"),
            empty_text("confirmation_by"),
            big_integer_null("confirmation_at_us"),
            string_len_null("root_cause_category", 20),
            empty_text("root_cause_analysis"),
            empty_text("root_cause_by"),
            big_integer_null("root_cause_at_us"),
            string_len_null("responsible_party", 20),
            empty_text("responsible_department"),
            empty_text("responsible_person"),
            string_len_null("responsible_supplier_id", 36),
            empty_text("responsible_part_number"),
            empty_text("responsible_batch"),
            empty_text("responsibility_note"),
            boolean("responsibility_disputed").default(false).to_owned(),
            empty_text("responsibility_by"),
            big_integer_null("responsibility_at_us"),
            empty_text("investigation_evidence"),
            empty_text("investigation_finding"),
            empty_text("investigation_by"),
            big_integer_null("investigation_at_us"),
            empty_text("report_summary"),
            empty_text("compensation_currency"),
            big_integer_null("compensation_minor"),
            empty_text("compensation_note"),
            empty_text("report_issued_by"),
            big_integer_null("report_issued_at_us"),
            boolean_null("report_approved"),
            empty_text("report_reviewed_by"),
            big_integer_null("report_reviewed_at_us"),
            empty_text("report_review_note"),
            big_integer_null("closed_at_us"),
            string_len_null("repair_order_id", 36),
            string_len_null("repeat_of", 36),
            empty_text("plan_department_head"),
            empty_text("plan_experts"),
            empty_text("plan_production_head"),
            empty_text("plan_resources"),
            empty_text("plan_supplier_coordination"),
            empty_text("plan_by"),
            big_integer_null("plan_at_us"),
            empty_text("temporary_solution"),
            empty_text("temporary_solution_by"),
            big_integer_null("temporary_solution_at_us"),
            empty_text("incident_review"),
            empty_text("plan_revision"),
            big_integer_null("follow_up_until_us"),
            empty_text("incident_review_by"),
            big_integer_null("incident_review_at_us"),
        ]
    }

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            add_case_columns(manager, columns()).await?;
            // A dissatisfied follow-up opens one case: the intake looks its order up.
            manager
                .create_index(
                    Index::create().name("cases_by_repair_order").table("cases").col("repair_order_id").to_owned(),
                )
                .await?;
            // Reports count the cases received, closed or root-caused in a period.
            for (name, column) in REPORT_INDEXES {
                manager.create_index(Index::create().name(name).table("cases").col(column).to_owned()).await?;
            }
            // Repeat detection looks up earlier cases about the same engine or vehicle.
            manager
                .create_index(
                    Index::create()
                        .name("cases_by_serial")
                        .table("cases")
                        .col("serial_or_vin")
                        .col("received_at_us")
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("case_notes")
                        .col(string_len("case_id", 36))
                        .col(integer("seq"))
                        .col(string_len("kind", 20))
                        .col(big_integer("at_us"))
                        .col(text("by"))
                        .col(text("steps"))
                        .col(text("text"))
                        .col(boolean("customer_told"))
                        .primary_key(Index::create().col("case_id").col("seq"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("case_measures")
                        .col(string_len("case_id", 36))
                        .col(integer("number"))
                        .col(string_len("kind", 20))
                        .col(text("description"))
                        .col(text("department"))
                        .col(text("person"))
                        .col(date("due_on"))
                        .col(big_integer_null("done_at_us"))
                        .col(text("done_by"))
                        .col(text("done_note"))
                        .primary_key(Index::create().col("case_id").col("number"))
                        .to_owned(),
                )
                .await?;
            // Reports count measures by responsible department and person, open or done.
            manager
                .create_index(
                    Index::create()
                        .name("case_measures_by_owner")
                        .table("case_measures")
                        .col("department")
                        .col("person")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("case_measures").to_owned()).await?;
            manager.drop_table(Table::drop().table("case_notes").to_owned()).await?;
            manager.drop_index(Index::drop().name("cases_by_repair_order").table("cases").to_owned()).await?;
            manager.drop_index(Index::drop().name("cases_by_serial").table("cases").to_owned()).await?;
            for (name, _) in REPORT_INDEXES {
                manager.drop_index(Index::drop().name(name).table("cases").to_owned()).await?;
            }
            drop_case_columns(manager, columns()).await
        }
    }
}

/// What reports count of each clock, as columns (the clock itself stays JSON): its start, periods on time and late,
/// seconds to its first meeting. Clocks stored before this migration have NULL and are left out of reports.
mod m20261207_400007_clock_report_facts {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    const COLUMNS: [&str; 4] = ["started_at_us", "periods_on_time", "periods_late", "met_seconds"];

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for column in COLUMNS {
                let column =
                    if column.starts_with("periods") { integer_null(column) } else { big_integer_null(column) };
                manager.alter_table(Table::alter().table("clocks").add_column(column).to_owned()).await?;
            }
            // Reports read the clocks of one kind of subject started in a period.
            manager
                .create_index(
                    Index::create()
                        .name("clocks_by_kind_started")
                        .table("clocks")
                        .col("subject_kind")
                        .col("started_at_us")
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_index(Index::drop().name("clocks_by_kind_started").table("clocks").to_owned()).await?;
            for column in COLUMNS {
                manager.alter_table(Table::alter().table("clocks").drop_column(column).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// Reports answer from indexes alone: each report statement reads one window of one instant, and these indexes
/// hold every column it needs after that instant — so a year's million rows are read from the index in order, never
/// from the table (PostgreSQL's index-only scans; SQLite's covering indexes). They replace the single-column ones of
/// 400006 and 400007. A report for a region reaches a clock's case through `cases_by_region`.
mod m20261207_400008_report_covering_indexes {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    /// (index, table, columns): the window's instant first.
    const COVERING: [(&str, &str, &[&str]); 4] = [
        ("cases_received_report", "cases", &["received_at_us", "dealer_id", "region", "category", "repeat_of"]),
        (
            "cases_closed_report",
            "cases",
            &[
                "closed_at_us",
                "dealer_id",
                "region",
                "received_at_us",
                "satisfaction",
                "root_cause_category",
                "report_approved",
                "responsible_party",
                "responsible_department",
                "responsible_person",
                "responsible_supplier_id",
            ],
        ),
        (
            "clocks_report",
            "clocks",
            &[
                "subject_kind",
                "started_at_us",
                "policy",
                "status",
                "periods_on_time",
                "periods_late",
                "met_seconds",
                "subject_id",
            ],
        ),
        ("cases_by_region", "cases", &["region", "id"]),
    ];

    /// The indexes they replace, with their columns (for `down`).
    const REPLACED: [(&str, &str, &[&str]); 3] = [
        ("cases_by_received", "cases", &["received_at_us"]),
        ("cases_by_closed", "cases", &["closed_at_us"]),
        ("clocks_by_kind_started", "clocks", &["subject_kind", "started_at_us"]),
    ];

    fn create(name: &str, table: &str, columns: &[&str]) -> IndexCreateStatement {
        let mut index = Index::create();
        index.name(name).table(Alias::new(table));
        for column in columns {
            index.col(Alias::new(*column));
        }
        index.to_owned()
    }

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for (name, table, columns) in COVERING {
                manager.create_index(create(name, table, columns)).await?;
            }
            for (name, table, _) in REPLACED {
                manager.drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned()).await?;
            }
            Ok(())
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            for (name, table, columns) in REPLACED {
                manager.create_index(create(name, table, columns)).await?;
            }
            for (name, table, _) in COVERING {
                manager.drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned()).await?;
            }
            Ok(())
        }
    }
}

/// The latest onsite waiver request of a case and `oem_manager`'s decision on it.
mod m20261207_400009_onsite_waivers {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    fn columns() -> Vec<ColumnDef> {
        vec![
            text("waiver_reason").default("").to_owned(),
            text("waiver_requested_by").default("").to_owned(),
            big_integer_null("waiver_requested_at_us"),
            text("waiver_severity").default("").to_owned(),
            boolean_null("waiver_approved"),
            text("waiver_note").default("").to_owned(),
            text("waiver_decided_by").default("").to_owned(),
            big_integer_null("waiver_decided_at_us"),
        ]
    }

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            add_case_columns(manager, columns()).await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            drop_case_columns(manager, columns()).await
        }
    }
}

/// Kept report facts of settled stretches, and the marks of later changes to what they counted
/// (`store::report_cache`).
mod m20261207_400010_report_cache {
    use super::*;

    pub struct Migration;

    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager
                .create_table(
                    Table::create()
                        .table("report_cache")
                        .col(string_len("scope", 120))
                        .col(big_integer("start_us"))
                        .col(big_integer("end_us"))
                        .col(big_integer("version"))
                        .col(text("facts"))
                        .primary_key(Index::create().col("scope").col("start_us").col("end_us"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_table(
                    Table::create()
                        .table("report_marks")
                        .col(big_integer("quarter_us").primary_key())
                        .col(big_integer("changes"))
                        .to_owned(),
                )
                .await
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_table(Table::drop().table("report_marks").to_owned()).await?;
            manager.drop_table(Table::drop().table("report_cache").to_owned()).await
        }
    }
}

mod m20261207_400011_open_clocks {
    use super::*;

    pub struct Migration;
    aftersales_runtime::migration_name!(Migration);

    #[sea_orm_migration::async_trait::async_trait]
    impl MigrationTrait for Migration {
        async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            // The open-clocks gauge counts these every export interval: a partial index keeps the count to the open
            // clocks however many closed ones the table holds (same statement on both databases).
            manager
                .get_connection()
                .execute_unprepared("CREATE INDEX clocks_open ON clocks (status) WHERE status IN ('running', 'paused')")
                .await?;
            Ok(())
        }

        async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
            manager.drop_index(Index::drop().name("clocks_open").table("clocks").to_owned()).await
        }
    }
}
