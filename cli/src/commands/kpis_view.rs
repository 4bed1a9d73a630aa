//! How workshop KPIs look: rates as percentages next to the counts they come from, overall and per technician,
//! and JSON shaped like the proto message (rates in basis points, as the service gives them).
#![forbid(unsafe_code)]

use aftersales_proto::workshop::v1::{KpiFigures, WorkshopKpis};
use serde_json::{Value, json};

use crate::output;

/// `8.33 % (1 of 12)`; `- (no jobs)` over no jobs, where the service's 0 would read as a bad result.
fn rate(basis_points: i32, count: i32, of: i32) -> String {
    if of == 0 { "- (no jobs)".into() } else { format!("{} ({count} of {of})", output::percent(basis_points)) }
}

/// The KPIs of a period.
pub fn kpis_text(kpis: &WorkshopKpis) -> String {
    let dealer =
        if kpis.dealer_id.is_empty() { "every dealer".to_string() } else { format!("dealer {}", kpis.dealer_id) };
    let mut text = format!(
        "workshop KPIs of {dealer}, jobs ready from {} to {} (exclusive)\n",
        output::time(kpis.from.as_ref()),
        output::time(kpis.to.as_ref())
    );
    let overall = kpis.overall.unwrap_or_default();
    text += &format!("  jobs ready               {}\n", overall.jobs_ready);
    text += &format!(
        "  rework rate              {}, {} failed inspection(s)\n",
        rate(overall.rework_rate_bp, overall.jobs_reworked, overall.jobs_ready),
        overall.failed_inspections
    );
    text += &format!(
        "  on time (first promise)  {}\n",
        rate(overall.on_time_ready_rate_bp, overall.jobs_on_time, overall.jobs_ready)
    );
    text += &format!(
        "  within revised promise   {}\n",
        rate(overall.within_revised_promise_rate_bp, overall.jobs_within_revised_promise, overall.jobs_ready)
    );
    text += &format!(
        "per technician\n  {:<36}  {:<24}  {:>5}  {:<22}  {:<22}  REVISED PROMISE",
        "TECHNICIAN", "NAME", "READY", "REWORK", "ON TIME"
    );
    for technician in &kpis.technicians {
        let f = technician.figures.unwrap_or_default();
        text += &format!(
            "\n  {:<36}  {:<24}  {:>5}  {:<22}  {:<22}  {}",
            technician.technician_id,
            technician.technician_name,
            f.jobs_ready,
            rate(f.rework_rate_bp, f.jobs_reworked, f.jobs_ready),
            rate(f.on_time_ready_rate_bp, f.jobs_on_time, f.jobs_ready),
            rate(f.within_revised_promise_rate_bp, f.jobs_within_revised_promise, f.jobs_ready)
        );
    }
    if kpis.technicians.is_empty() {
        text += "\n  (no job became ready in the period)";
    }
    text
}

fn figures_json(f: Option<&KpiFigures>) -> Value {
    let f = f.copied().unwrap_or_default();
    json!({
        "jobs_ready": f.jobs_ready,
        "jobs_reworked": f.jobs_reworked,
        "failed_inspections": f.failed_inspections,
        "rework_rate_bp": f.rework_rate_bp,
        "jobs_on_time": f.jobs_on_time,
        "on_time_ready_rate_bp": f.on_time_ready_rate_bp,
        "jobs_within_revised_promise": f.jobs_within_revised_promise,
        "within_revised_promise_rate_bp": f.within_revised_promise_rate_bp,
    })
}

/// The KPIs as JSON.
pub fn kpis_json(kpis: &WorkshopKpis) -> Value {
    let technicians: Vec<Value> = kpis
        .technicians
        .iter()
        .map(|t| {
            json!({
                "technician_id": t.technician_id,
                "technician_name": t.technician_name,
                "figures": figures_json(t.figures.as_ref()),
            })
        })
        .collect();
    json!({
        "dealer_id": kpis.dealer_id,
        "from": output::time(kpis.from.as_ref()),
        "to": output::time(kpis.to.as_ref()),
        "overall": figures_json(kpis.overall.as_ref()),
        "technicians": technicians,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_percentages_of_their_counts() {
        assert_eq!(rate(833, 1, 12), "8.33 % (1 of 12)");
        assert_eq!(rate(0, 0, 0), "- (no jobs)");
        let kpis = WorkshopKpis {
            overall: Some(KpiFigures {
                jobs_ready: 4,
                jobs_reworked: 1,
                failed_inspections: 2,
                rework_rate_bp: 2500,
                jobs_on_time: 3,
                on_time_ready_rate_bp: 7500,
                jobs_within_revised_promise: 4,
                within_revised_promise_rate_bp: 10_000,
            }),
            ..WorkshopKpis::default()
        };
        let text = kpis_text(&kpis);
        for expected in ["every dealer", "25.00 % (1 of 4), 2 failed", "75.00 % (3 of 4)", "100.00 % (4 of 4)"] {
            assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
        }
    }
}
