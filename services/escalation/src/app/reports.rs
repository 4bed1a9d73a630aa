//! Case reports: the facts of a period and the one before — kept facts for their settled stretches (counted again
//! where a later change marked them), the rest counted from the rows — turned into figures by `domain::report`'s
//! formulas (each also in `reports.proto`).

use aftersales_proto::escalation::v1 as pb;
use aftersales_runtime::{AppResult, to_timestamp};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Escalation;
use crate::domain::MeasureKind;
use crate::domain::report::{Facts, ParetoRow, Period, Stretch, mean, pareto, rate_bp, stretches};
use crate::store::{report_cache, reports};

/// What a report covers besides its period.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// One dealer's cases.
    pub dealer: Option<String>,
    /// One region's cases.
    pub region: Option<String>,
}

impl Scope {
    /// The key its kept facts are filed under.
    fn key(&self) -> String {
        match (&self.dealer, &self.region) {
            (None, None) => "network".into(),
            (Some(dealer), None) => format!("dealer:{dealer}"),
            (None, Some(region)) => format!("region:{region}"),
            (Some(dealer), Some(region)) => format!("dealer:{dealer}/region:{region}"),
        }
    }

    fn slice(&self, (start, end): Stretch) -> reports::Slice {
        reports::Slice { start, end, dealer: self.dealer.clone(), region: self.region.clone() }
    }
}

impl Escalation {
    /// The report of `period` in `tz`, with the previous period's figures and the trend.
    pub async fn case_report(&self, period: Period, tz: Tz, scope: &Scope) -> AppResult<pb::CaseReport> {
        let (start, end) = period.bounds(tz);
        let (previous, figures) =
            tokio::try_join!(self.facts(period.previous().bounds(tz), tz, scope), self.facts((start, end), tz, scope))?;
        let (previous, figures) = (figures_of(previous), figures_of(figures));
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

    /// The facts of one period: its settled stretches from the kept facts (counted and kept where missing or
    /// marked since), the rest from the rows.
    async fn facts(&self, (start, end): Stretch, tz: Tz, scope: &Scope) -> AppResult<Facts> {
        let now: DateTime<Utc> = self.clock.now();
        let (settled, rest) = stretches(start, end, now, tz);
        let key = scope.key();
        let reader = self.db.reader();
        let (kept, versions) =
            tokio::try_join!(report_cache::kept(reader, &key, &settled), report_cache::versions(reader, &settled))?;
        let mut facts = match rest {
            Some(rest) => reports::facts(&self.db.read().await?, &scope.slice(rest)).await?,
            None => Facts::default(),
        };
        for ((stretch, kept), version) in settled.into_iter().zip(kept).zip(versions) {
            match kept {
                Some((kept_at, kept)) if kept_at == version => facts.merge(&kept),
                _ => facts.merge(&self.count_and_keep(&key, stretch, scope).await?),
            }
        }
        Ok(facts)
    }

    /// Counts a settled stretch and keeps its facts, with the version of its marks in the same snapshot.
    async fn count_and_keep(&self, key: &str, stretch: Stretch, scope: &Scope) -> AppResult<Facts> {
        let snapshot = self.db.read().await?;
        let version = report_cache::versions(&snapshot, &[stretch]).await?[0];
        let facts = reports::facts(&snapshot, &scope.slice(stretch)).await?;
        drop(snapshot);
        let txn = self.db.write().await?;
        report_cache::keep(&*txn, key, stretch, version, &facts).await?;
        txn.commit().await?;
        Ok(facts)
    }
}

fn figures_of(facts: Facts) -> pb::CaseFigures {
    let mut clocks = Vec::new();
    let (mut on_time, mut late) = (0, 0);
    for (policy, counts) in facts.clocks {
        on_time += counts.on_time;
        late += counts.late;
        clocks.push(pb::ClockFigures {
            on_time_rate_bp: rate_bp(counts.on_time, counts.on_time + counts.late),
            mean_seconds_to_meet: mean(counts.met_seconds, counts.met),
            p90_seconds_to_meet: counts.to_meet.p90(),
            policy,
            started: counts.started,
            periods_on_time: counts.on_time,
            periods_late: counts.late,
            waived: counts.waived,
            met: counts.met,
        });
    }
    let corrective = MeasureKind::Corrective.as_str();
    let measures = &facts.measures;
    pb::CaseFigures {
        cases_received: facts.received,
        repeat_cases: facts.repeats,
        repeat_rate_bp: rate_bp(facts.repeats, facts.received),
        untriaged: facts.untriaged,
        categories: pareto(facts.categories.into_iter().collect()).into_iter().map(row).collect(),
        clocks,
        on_time_rate_bp: rate_bp(on_time, on_time + late),
        cases_closed: facts.closed,
        mean_seconds_to_close: mean(facts.close_seconds, facts.closed),
        p90_seconds_to_close: facts.to_close.p90(),
        satisfaction_count: facts.rated,
        mean_satisfaction_hundredths: mean(facts.satisfaction * 100, facts.rated),
        causes: pareto(facts.causes.into_iter().collect()).into_iter().map(row).collect(),
        responsible: pareto(facts.responsible.into_iter().collect()).into_iter().map(row).collect(),
        measures_open: measures.iter().map(|m| m.open).sum(),
        measures_done: measures.iter().map(|m| m.done).sum(),
        corrective_open: measures.iter().filter(|m| m.kind == corrective).map(|m| m.open).sum(),
        corrective_done: measures.iter().filter(|m| m.kind == corrective).map(|m| m.done).sum(),
        measures: facts
            .measures
            .into_iter()
            .map(|m| pb::MeasureFigures {
                kind: match MeasureKind::parse(&m.kind) {
                    Some(MeasureKind::Corrective) => pb::MeasureKind::Corrective,
                    Some(MeasureKind::Preventive) => pb::MeasureKind::Preventive,
                    None => pb::MeasureKind::Unspecified,
                } as i32,
                department: m.department,
                person: m.person,
                open: m.open,
                done: m.done,
            })
            .collect(),
    }
}

fn row(r: ParetoRow) -> pb::ParetoRow {
    pb::ParetoRow { label: r.label, count: r.count, share_bp: r.share_bp, cumulative_bp: r.cumulative_bp }
}
