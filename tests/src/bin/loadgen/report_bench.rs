//! Part 6: case reports over 1,000,000 cases and 5,000,000 clock rows on PostgreSQL (escalation as a release
//! binary). Seeded with set-based SQL — three years of cases up to the run spread evenly, 200 dealers in 8 regions,
//! 12 categories, 80 % closed with a satisfaction, 30 % with a root cause and a measure, 5 % repeats; five case clocks
//! per case with their report facts — then `VACUUM ANALYZE`d. Each report (month, quarter, year; the whole network, one
//! dealer, one region) is asked over gRPC as the OEM's manager for 20 random periods, twice: first asked (its
//! settled months counted and kept) and again (read back); p95 of each per kind, the second next to a baseline
//! measured in the same run: one `COUNT(*)` of the period's received cases in raw SQL. The plans of the
//! report's statements (counting a stretch) are printed for a month and a year, network-wide.

use std::time::{Duration, Instant};

use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions};
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::case_report_service_client::CaseReportServiceClient;
use sqlx::{Connection, PgConnection, Row};

use crate::report::Report;
use crate::{Args, Rng, pg};

/// The report target, ms (p95).
const TARGET_MS: f64 = 200.0;
/// Samples per report kind.
const SAMPLES: usize = 20;
/// Three years, µs: the cases seeded were received in the three years before the run (none in the future — the
/// days not yet settled are counted afresh by every report, as in a real service).
const SPAN_US: i64 = 3 * 365 * 86_400_000_000;

/// Runs the report phases (PostgreSQL only) and adds them to `report`.
pub async fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    if args.skip_postgres {
        report.note("PG  case reports skipped (--skip-postgres)");
        return Ok(());
    }
    let Some(mut suite) = Suite::start(Backend::Postgres, &["escalation"], SuiteOptions::default()).await else {
        report.note("PG  case reports skipped: PostgreSQL unavailable");
        return Ok(());
    };
    let url = suite.db.url_for("escalation").await;
    let result = phases(&mut suite, &url, args, report).await;
    suite.service("escalation").kill().await;
    if args.keep_report_database {
        eprintln!("loadgen: the report database is kept: {url}");
    } else {
        pg::drop_databases(&[url]).await?;
    }
    result
}

async fn phases(suite: &mut Suite, url: &str, args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let mut db = PgConnection::connect(url).await?;
    let cases = args.report_cases;
    let began = Instant::now();
    seed(&mut db, cases).await?;
    eprintln!("loadgen: seeded {cases} cases and {} clocks in {:.0} s", cases * 5, began.elapsed().as_secs_f64());

    let channel = suite.service("escalation").channel().await;
    let token = Caller::role("oem_manager").token(&suite.data_dir());
    let mut client = CaseReportServiceClient::with_interceptor(channel, Bearer(Some(token)));
    let dealer = first_dealer(&mut db).await?;
    let mut rng = Rng::seeded(6);
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    for (kind, label, number_max) in [
        (esc::ReportPeriodKind::Month, "month", 12),
        (esc::ReportPeriodKind::Quarter, "quarter", 4),
        (esc::ReportPeriodKind::Year, "year", 1),
    ] {
        for (scope, dealer_id, region) in
            [("network", "", ""), ("one dealer", dealer.as_str(), ""), ("one region", "", "R3")]
        {
            let requests: Vec<esc::GetCaseReportRequest> = (0..SAMPLES)
                .map(|_| esc::GetCaseReportRequest {
                    kind: kind as i32,
                    year: this_year - 2 + rng.below(3) as i32,
                    number: 1 + rng.below(number_max) as i32,
                    dealer_id: dealer_id.to_string(),
                    region: region.to_string(),
                })
                .collect();
            // First asked, a period's settled months are counted and kept; asked again, they are read back.
            let (mut cold, mut warm, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
            for (pass, times) in [("cold", &mut cold), ("warm", &mut warm)] {
                for request in &requests {
                    let started = Instant::now();
                    let answer = client.get_case_report(request.clone()).await?.into_inner();
                    times.push(started.elapsed());
                    if pass == "cold" {
                        continue;
                    }
                    let (start, end) = (answer.start_time.unwrap(), answer.end_time.unwrap());
                    let started = Instant::now();
                    let counted: i64 =
                        sqlx::query("SELECT COUNT(*) FROM cases WHERE received_at_us >= $1 AND received_at_us < $2")
                            .bind(start.seconds * 1_000_000)
                            .bind(end.seconds * 1_000_000)
                            .fetch_one(&mut db)
                            .await?
                            .get(0);
                    baseline.push(started.elapsed());
                    anyhow::ensure!(counted > 0 || !dealer_id.is_empty() || !region.is_empty(), "an empty period");
                }
            }
            let (cold, warm, baseline) = (p95_ms(cold), p95_ms(warm), p95_ms(baseline));
            let verdict = if warm <= TARGET_MS { "PASS" } else { "MISS" };
            report.note(format!(
                "PG  case report by {label}, {scope}: p95 {warm:.1} ms (target {TARGET_MS:.0} ms) {verdict}; \
                 baseline COUNT(*) of the period's cases {baseline:.1} ms = {:.1}×; first asked (counting and \
                 keeping its months) p95 {cold:.1} ms",
                warm / baseline.max(0.001)
            ));
        }
    }
    for line in plans(&mut db).await? {
        report.note(format!("PG  plan: {line}"));
    }
    Ok(())
}

fn p95_ms(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let rank = (samples.len() * 95).div_ceil(100).max(1);
    samples[rank - 1].as_secs_f64() * 1e3
}

async fn first_dealer(db: &mut PgConnection) -> anyhow::Result<String> {
    Ok(sqlx::query("SELECT dealer_id FROM cases WHERE dealer_id IS NOT NULL LIMIT 1").fetch_one(db).await?.get(0))
}

/// Cases, their clocks and measures, in set-based statements.
async fn seed(db: &mut PgConnection, cases: usize) -> anyhow::Result<()> {
    let step = SPAN_US / cases as i64;
    let first_us = chrono::Utc::now().timestamp_micros() - SPAN_US;
    sqlx::query(
        "INSERT INTO cases (id, dealer_id, region, source, model, serial_or_vin, symptom, usage_scenario, \
           contact_name, contact_phone, contact_email, state, severity, category, created_by, received_at_us, \
           updated_at_us, revision, closed_at_us, satisfaction, confirmed, confirmation_at_us, root_cause_category, \
           root_cause_at_us, responsible_party, responsible_department, responsible_person, report_approved, \
           repeat_of) \
         SELECT gen_random_uuid()::text, \
           '00000000-0000-7000-8000-' || lpad((n % 200)::text, 12, '0'), 'R' || (n % 200 % 8), 'hotline', 'WP10', \
           'WP10-' || (n % 300000), 'smoke', '', 'Li Wei', '', '', \
           CASE WHEN n % 5 = 0 THEN 'diagnosis' ELSE 'closed' END, \
           (ARRAY['general','important','urgent'])[1 + n % 3], \
           'category_' || (CASE WHEN n % 10 < 4 THEN 0 WHEN n % 10 < 6 THEN 1 ELSE n % 12 END), 'bench', \
           $1 + n * $2, $1 + n * $2, 1, \
           CASE WHEN n % 5 = 0 THEN NULL ELSE $1 + n * $2 + (n % 97) * 3600000000 END, \
           CASE WHEN n % 5 = 0 THEN NULL ELSE 1 + n % 5 END, \
           CASE WHEN n % 5 = 0 THEN NULL ELSE true END, \
           CASE WHEN n % 5 = 0 THEN NULL ELSE $1 + n * $2 END, \
           CASE WHEN n % 10 < 3 THEN (ARRAY['man','machine','material','method','environment','measurement'])[1 + n % 6] END, \
           CASE WHEN n % 10 < 3 THEN $1 + n * $2 + 3600000000 END, \
           CASE WHEN n % 5 = 0 THEN NULL ELSE 'department' END, 'dept_' || (n % 7), 'person_' || (n % 40), \
           CASE WHEN n % 5 = 0 THEN NULL ELSE true END, \
           CASE WHEN n % 20 = 0 THEN gen_random_uuid()::text END \
         FROM generate_series(1, $3::bigint) AS n",
    )
    .bind(first_us)
    .bind(step)
    .bind(cases as i64)
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO clocks (id, policy, version, subject_kind, subject_id, tenant, status, next_fire_at_us, body, \
           periods_on_time, periods_late, met_seconds, started_at_us) \
         SELECT gen_random_uuid()::text, p.policy, 1, 'case', c.id, 'oem', 'met', NULL, '{}', \
           CASE WHEN (c.received_at_us / 1000000 + p.k) % 7 = 0 THEN 0 ELSE 1 END, \
           CASE WHEN (c.received_at_us / 1000000 + p.k) % 7 = 0 THEN 1 ELSE 0 END, \
           (c.received_at_us / 1000000 + p.k * 13) % 7200, c.received_at_us + p.k * 60000000 \
         FROM cases c CROSS JOIN (VALUES ('case_triage', 1), ('case_contact', 2), ('case_meeting', 3), \
           ('case_onsite_important', 4), ('case_progress', 5)) AS p(policy, k)",
    )
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO case_measures (case_id, number, kind, description, department, person, due_on, done_at_us, \
           done_by, done_note) \
         SELECT id, 1, CASE WHEN received_at_us % 2 = 0 THEN 'corrective' ELSE 'preventive' END, 'fix', \
           responsible_department, responsible_person, DATE '2026-12-31', \
           CASE WHEN received_at_us % 3 = 0 THEN root_cause_at_us END, '', '' \
         FROM cases WHERE root_cause_at_us IS NOT NULL",
    )
    .execute(&mut *db)
    .await?;
    // Index-only scans need the visibility map a VACUUM sets (autovacuum would, later).
    sqlx::query("VACUUM ANALYZE").execute(&mut *db).await?;
    Ok(())
}

/// The plans of the report's statements network-wide for March 2025 and for 2025 (the access paths of each and
/// its execution time).
async fn plans(db: &mut PgConnection) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    // 2025-03 and 2025 in UTC.
    for (label, start, end) in [
        ("month", 1_740_787_200_000_000_i64, 1_743_465_600_000_000_i64),
        ("year", 1_735_689_600_000_000, 1_767_225_600_000_000),
    ] {
        for (name, sql) in statements(start, end) {
            lines.push(format!("{label} {name}: {}", plan(db, &sql).await?));
        }
    }
    Ok(lines)
}

/// The statements of `store::reports` for one window, network-wide (the ranking value simplified), as a settled
/// stretch is counted before it is kept.
fn statements(start: i64, end: i64) -> [(&'static str, String); 6] {
    let window = |column: &str| format!("{column} >= {start} AND {column} < {end}");
    [
        (
            "received",
            format!(
                "SELECT c.category, COUNT(*), SUM(CASE WHEN c.repeat_of IS NOT NULL THEN 1 ELSE 0 END) \
                 FROM cases c WHERE {} GROUP BY c.category",
                window("c.received_at_us")
            ),
        ),
        (
            "closed",
            format!(
                "SELECT c.root_cause_category, c.report_approved, c.responsible_party, c.responsible_department, \
                 c.responsible_person, c.responsible_supplier_id, COUNT(*), \
                 SUM((c.closed_at_us - c.received_at_us) / 1000000), SUM(c.satisfaction), COUNT(c.satisfaction) \
                 FROM cases c WHERE {} GROUP BY 1, 2, 3, 4, 5, 6",
                window("c.closed_at_us")
            ),
        ),
        (
            "close ranks",
            format!(
                "SELECT (c.closed_at_us - c.received_at_us) / 1000000 / 60 AS v, COUNT(*) FROM cases c WHERE {} \
                 GROUP BY v",
                window("c.closed_at_us")
            ),
        ),
        (
            "measures",
            format!(
                "SELECT m.department, m.person, m.kind, COUNT(*) FROM case_measures m JOIN cases c ON c.id = m.case_id \
                 WHERE {} GROUP BY m.department, m.person, m.kind",
                window("c.root_cause_at_us")
            ),
        ),
        (
            "clocks",
            format!(
                "SELECT k.policy, COUNT(*), SUM(k.periods_on_time), SUM(k.periods_late), \
                 SUM(CASE WHEN k.status = 'waived' THEN 1 ELSE 0 END), COUNT(k.met_seconds), SUM(k.met_seconds) \
                 FROM clocks k WHERE k.subject_kind = 'case' AND {} GROUP BY k.policy",
                window("k.started_at_us")
            ),
        ),
        (
            "clock ranks",
            format!(
                "SELECT k.policy, k.met_seconds AS v, COUNT(*) FROM clocks k WHERE k.subject_kind = 'case' AND {} \
                 AND k.met_seconds IS NOT NULL GROUP BY k.policy, v",
                window("k.started_at_us")
            ),
        ),
    ]
}

/// The access paths of `sql`'s plan and its execution time, on one line.
async fn plan(db: &mut PgConnection, sql: &str) -> anyhow::Result<String> {
    // The statements are this file's own, with numbers only.
    let explain = sqlx::AssertSqlSafe(format!("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) {sql}"));
    let rows = sqlx::query(explain).fetch_all(&mut *db).await?;
    let plan: Vec<String> = rows.iter().map(|r| r.get::<String, _>(0)).collect();
    let paths: Vec<&str> = plan
        .iter()
        .map(|l| l.trim().trim_start_matches("-> ").trim())
        .filter(|l| l.contains(" Scan ") || l.starts_with("Seq Scan") || l.starts_with("Execution Time"))
        .collect();
    Ok(paths.join(" | "))
}
