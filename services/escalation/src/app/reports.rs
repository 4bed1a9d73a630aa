//! Case reports: the store's counts for a period and the one before, turned into figures by `domain::report`'s
//! formulas (each also in `reports.proto`).

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::{AppResult, to_timestamp};
use chrono_tz::Tz;
use sea_orm::ConnectionTrait;

use super::Escalation;
use crate::domain::MeasureKind;
use crate::domain::report::{ParetoRow, Period, mean, p90_rank, pareto, rate_bp};
use crate::store::reports::{self, Slice};

/// What a report covers besides its period.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// One dealer's cases.
    pub dealer: Option<String>,
    /// One region's cases.
    pub region: Option<String>,
}

impl Escalation {
    /// The report of `period` in `tz`, with the previous period's figures and the trend.
    pub async fn case_report(&self, period: Period, tz: Tz, scope: &Scope) -> AppResult<pb::CaseReport> {
        let conn = self.db.reader();
        let (start, end) = period.bounds(tz);
        let previous = figures(conn, &slice(period.previous(), tz, scope)).await?;
        let figures = figures(conn, &slice(period, tz, scope)).await?;
        let trend = pb::CaseTrend {
            cases_received_change: figures.cases_received - previous.cases_received,
            repeat_rate_change_bp: figures.repeat_rate_bp - previous.repeat_rate_bp,
            on_time_rate_change_bp: figures.on_time_rate_bp - previous.on_time_rate_bp,
            mean_satisfaction_change_hundredths: figures.mean_satisfaction_hundredths
                - previous.mean_satisfaction_hundredths,
        };
        Ok(pb::CaseReport {
            period: period.label(),
            time_zone: tz.name().to_string(),
            start_time: Some(to_timestamp(start)),
            end_time: Some(to_timestamp(end)),
            figures: Some(figures),
            previous: Some(previous),
            trend: Some(trend),
        })
    }
}

fn slice(period: Period, tz: Tz, scope: &Scope) -> Slice {
    let (start, end) = period.bounds(tz);
    Slice { start, end, dealer: scope.dealer.clone(), region: scope.region.clone() }
}

async fn figures(conn: &impl ConnectionTrait, slice: &Slice) -> AppResult<pb::CaseFigures> {
    let (received, repeats, untriaged) = reports::received(conn, slice).await?;
    let categories = pareto(reports::categories(conn, slice).await?);
    let (closed, close_seconds, satisfaction, rated) = reports::closed(conn, slice).await?;
    let p90_close = match p90_rank(closed) {
        Some(rank) => reports::close_seconds_at_rank(conn, slice, rank).await?,
        None => 0,
    };
    let causes = pareto(reports::causes(conn, slice).await?);
    let responsible = reports::responsible(conn, slice).await?;
    let responsible = pareto(
        responsible
            .into_iter()
            .map(|(party, department, person, supplier, n)| match party.as_str() {
                "supplier" => (format!("supplier:{supplier}"), n),
                _ => (format!("{department}/{person}"), n),
            })
            .collect(),
    );
    let measures = reports::measures(conn, slice).await?;
    let mut clocks = Vec::new();
    let (mut on_time, mut late) = (0, 0);
    for counts in reports::clocks(conn, slice).await? {
        let p90 = match p90_rank(counts.met) {
            Some(rank) => reports::met_seconds_at_rank(conn, slice, &counts.policy, rank).await?,
            None => 0,
        };
        on_time += counts.on_time;
        late += counts.late;
        clocks.push(pb::ClockFigures {
            on_time_rate_bp: rate_bp(counts.on_time, counts.on_time + counts.late),
            mean_seconds_to_meet: mean(counts.met_seconds, counts.met),
            p90_seconds_to_meet: p90,
            policy: counts.policy,
            started: counts.started,
            periods_on_time: counts.on_time,
            periods_late: counts.late,
            waived: counts.waived,
            met: counts.met,
        });
    }
    let corrective = MeasureKind::Corrective.as_str();
    Ok(pb::CaseFigures {
        cases_received: received,
        repeat_cases: repeats,
        repeat_rate_bp: rate_bp(repeats, received),
        untriaged,
        categories: categories.into_iter().map(row).collect(),
        clocks,
        on_time_rate_bp: rate_bp(on_time, on_time + late),
        cases_closed: closed,
        mean_seconds_to_close: mean(close_seconds, closed),
        p90_seconds_to_close: p90_close,
        satisfaction_count: rated,
        mean_satisfaction_hundredths: mean(satisfaction * 100, rated),
        causes: causes.into_iter().map(row).collect(),
        responsible: responsible.into_iter().map(row).collect(),
        measures_open: measures.iter().map(|m| m.3).sum(),
        measures_done: measures.iter().map(|m| m.4).sum(),
        corrective_open: measures.iter().filter(|m| m.2 == corrective).map(|m| m.3).sum(),
        corrective_done: measures.iter().filter(|m| m.2 == corrective).map(|m| m.4).sum(),
        measures: measures
            .into_iter()
            .map(|(department, person, kind, open, done)| pb::MeasureFigures {
                department,
                person,
                kind: match MeasureKind::parse(&kind) {
                    Some(MeasureKind::Corrective) => pb::MeasureKind::Corrective,
                    Some(MeasureKind::Preventive) => pb::MeasureKind::Preventive,
                    None => pb::MeasureKind::Unspecified,
                } as i32,
                open,
                done,
            })
            .collect(),
    })
}

fn row(r: ParetoRow) -> pb::ParetoRow {
    pb::ParetoRow { label: r.label, count: r.count, share_bp: r.share_bp, cumulative_bp: r.cumulative_bp }
}
