//! Claims on the wire, and back: the `Claim` message is also the stored record of a claim (`claims.record`), so
//! [`claim_from_record`] restores exactly what [`claim`] wrote — one shape, tested round trip below.

use aftersales_kernel::{CaseId, ClaimId, DealerId, RepairOrderId, SupplierId};
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::{from_money, from_timestamp, to_money, to_timestamp};
use chrono::{DateTime, Utc};

use crate::domain::claim::{
    Chargeback, Claim, ClaimState, ClaimedCost, EightD, Failure, Origin, Recorded, Settlement, Verdict,
};

/// A claim's state on the wire.
pub fn state(s: ClaimState) -> pb::ClaimState {
    match s {
        ClaimState::Drafted => pb::ClaimState::Drafted,
        ClaimState::Sent => pb::ClaimState::Sent,
        ClaimState::Acknowledged => pb::ClaimState::Acknowledged,
        ClaimState::SolutionProposed => pb::ClaimState::SolutionProposed,
        ClaimState::Contained => pb::ClaimState::Contained,
        ClaimState::EightDSubmitted => pb::ClaimState::EightDSubmitted,
        ClaimState::Rejected => pb::ClaimState::Rejected,
        ClaimState::Accepted => pb::ClaimState::Accepted,
        ClaimState::CostDisputed => pb::ClaimState::CostDisputed,
        ClaimState::CostAgreed => pb::ClaimState::CostAgreed,
        ClaimState::ChargedBack => pb::ClaimState::ChargedBack,
        ClaimState::Closed => pb::ClaimState::Closed,
        ClaimState::Withdrawn => pb::ClaimState::Withdrawn,
    }
}

/// A wire state back to the domain's (None for UNSPECIFIED).
pub fn state_from(s: pb::ClaimState) -> Option<ClaimState> {
    ClaimState::ALL.into_iter().find(|known| state(*known) == s)
}

fn time(t: Option<DateTime<Utc>>) -> Option<prost_types::Timestamp> {
    t.map(to_timestamp)
}

fn record(r: &Recorded) -> pb::ClaimRecord {
    pb::ClaimRecord { text: r.text.clone(), by: r.by.clone(), time: Some(to_timestamp(r.at)) }
}

fn text_of(id: Option<impl ToString>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// A claim on the wire (and as stored).
pub fn claim(c: &Claim) -> pb::Claim {
    let (origin, case_id, dealer_id, repair_order_id, requisition_id) = match &c.origin {
        Origin::Case { case_id } => (pb::ClaimOrigin::Case, case_id.to_string(), String::new(), None, None),
        Origin::Warranty { dealer_id, repair_order_id, requisition_id } => {
            (pb::ClaimOrigin::Warranty, String::new(), dealer_id.to_string(), *repair_order_id, *requisition_id)
        }
        Origin::Manual => (pb::ClaimOrigin::Manual, String::new(), String::new(), None, None),
    };
    let settlement = c.settlement.as_ref();
    pb::Claim {
        id: c.id.to_string(),
        supplier_id: c.supplier_id.to_string(),
        origin: origin as i32,
        case_id,
        dealer_id,
        repair_order_id: text_of(repair_order_id),
        requisition_id: text_of(requisition_id),
        part_number: c.failure.part_number.clone(),
        batch: c.failure.batch.clone(),
        model: c.failure.model.clone(),
        symptom: c.failure.symptom.clone(),
        failure_time: time(c.failure.failed_at),
        mileage_km: c.failure.mileage_km,
        evidence_references: c.failure.evidence.clone(),
        parts_cost: Some(to_money(c.cost.parts)),
        labour_cost: Some(to_money(c.cost.labour)),
        claimed_total: Some(to_money(c.cost.total())),
        state: state(c.state) as i32,
        drafted_by: c.drafted_by.clone(),
        draft_time: Some(to_timestamp(c.drafted_at)),
        send_time: time(c.sent_at),
        committed_solution_time: time(c.committed_solution_at),
        acknowledge_time: time(c.acknowledged_at),
        solution: c.solution.as_ref().map(record),
        containment: c.containment.as_ref().map(record),
        eight_d: c.eight_d.as_ref().map(|d| pb::EightDReport {
            team: d.team.clone(),
            problem: d.problem.clone(),
            containment: d.containment.clone(),
            root_cause: d.root_cause.clone(),
            corrective_action: d.corrective_action.clone(),
            verification: d.verification.clone(),
            prevention: d.prevention.clone(),
            closure: d.closure.clone(),
            submitted_by: d.by.clone(),
            submit_time: Some(to_timestamp(d.at)),
            revision: d.revision as i32,
        }),
        verdict: c.verdict.as_ref().map(|v| pb::EightDVerdict {
            accepted: v.accepted,
            reasons: v.reasons.clone(),
            judged_by: v.by.clone(),
            judge_time: Some(to_timestamp(v.at)),
            eight_d_revision: v.eight_d_revision as i32,
        }),
        cost_dispute: settlement.and_then(|s| s.dispute.as_ref()).map(record),
        settlement: settlement.and_then(|s| s.resolution.as_ref()).map(record),
        agreed_amount: settlement.and_then(|s| s.agreed).map(to_money),
        chargeback: c.chargeback.as_ref().map(|b| pb::Chargeback {
            amount: Some(to_money(b.amount)),
            reference: b.reference.clone(),
            recorded_by: b.by.clone(),
            record_time: Some(to_timestamp(b.at)),
        }),
        end_time: time(c.ended_at),
        update_time: Some(to_timestamp(c.updated_at)),
        revision: c.revision,
    }
}

/// Why a stored record does not restore.
#[derive(Debug, thiserror::Error)]
#[error("stored claim has an invalid {0}")]
pub struct CorruptClaim(&'static str);

fn required<T>(value: Option<T>, what: &'static str) -> Result<T, CorruptClaim> {
    value.ok_or(CorruptClaim(what))
}

fn at(t: Option<&prost_types::Timestamp>, what: &'static str) -> Result<DateTime<Utc>, CorruptClaim> {
    required(from_timestamp(t), what)
}

fn optional_id<T>(
    text: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<Option<T>, CorruptClaim> {
    if text.is_empty() { Ok(None) } else { required(parse(text), what).map(Some) }
}

fn recorded(r: Option<&pb::ClaimRecord>, what: &'static str) -> Result<Option<Recorded>, CorruptClaim> {
    r.map(|r| Ok(Recorded { text: r.text.clone(), by: r.by.clone(), at: at(r.time.as_ref(), what)? })).transpose()
}

/// A stored record back to the claim it was written from.
pub fn claim_from_record(r: &pb::Claim) -> Result<Claim, CorruptClaim> {
    let origin = match pb::ClaimOrigin::try_from(r.origin) {
        Ok(pb::ClaimOrigin::Case) => Origin::Case { case_id: required(CaseId::parse(&r.case_id).ok(), "case_id")? },
        Ok(pb::ClaimOrigin::Warranty) => Origin::Warranty {
            dealer_id: required(DealerId::parse(&r.dealer_id).ok(), "dealer_id")?,
            repair_order_id: optional_id(&r.repair_order_id, |t| RepairOrderId::parse(t).ok(), "repair_order_id")?,
            requisition_id: optional_id(&r.requisition_id, |t| uuid::Uuid::try_parse(t).ok(), "requisition_id")?,
        },
        Ok(pb::ClaimOrigin::Manual) => Origin::Manual,
        _ => return Err(CorruptClaim("origin")),
    };
    let state = pb::ClaimState::try_from(r.state).ok().and_then(state_from);
    let state = required(state, "state")?;
    // A settlement exists from the 8D's acceptance on (`Claim::judge_eight_d`), and no verdict follows an acceptance.
    let settlement = if r.verdict.as_ref().is_some_and(|v| v.accepted) {
        Some(Settlement {
            dispute: recorded(r.cost_dispute.as_ref(), "cost_dispute")?,
            agreed: r.agreed_amount.as_ref().map(|m| required(from_money(Some(m)), "agreed_amount")).transpose()?,
            resolution: recorded(r.settlement.as_ref(), "settlement")?,
        })
    } else {
        None
    };
    Ok(Claim {
        id: required(ClaimId::parse(&r.id).ok(), "id")?,
        supplier_id: required(SupplierId::parse(&r.supplier_id).ok(), "supplier_id")?,
        origin,
        failure: Failure {
            part_number: r.part_number.clone(),
            batch: r.batch.clone(),
            model: r.model.clone(),
            symptom: r.symptom.clone(),
            failed_at: from_timestamp(r.failure_time.as_ref()),
            mileage_km: r.mileage_km,
            evidence: r.evidence_references.clone(),
        },
        cost: ClaimedCost {
            parts: required(from_money(r.parts_cost.as_ref()), "parts_cost")?,
            labour: required(from_money(r.labour_cost.as_ref()), "labour_cost")?,
        },
        state,
        drafted_by: r.drafted_by.clone(),
        drafted_at: at(r.draft_time.as_ref(), "draft_time")?,
        sent_at: from_timestamp(r.send_time.as_ref()),
        committed_solution_at: from_timestamp(r.committed_solution_time.as_ref()),
        acknowledged_at: from_timestamp(r.acknowledge_time.as_ref()),
        solution: recorded(r.solution.as_ref(), "solution")?,
        containment: recorded(r.containment.as_ref(), "containment")?,
        eight_d: r
            .eight_d
            .as_ref()
            .map(|d| {
                Ok(EightD {
                    team: d.team.clone(),
                    problem: d.problem.clone(),
                    containment: d.containment.clone(),
                    root_cause: d.root_cause.clone(),
                    corrective_action: d.corrective_action.clone(),
                    verification: d.verification.clone(),
                    prevention: d.prevention.clone(),
                    closure: d.closure.clone(),
                    by: d.submitted_by.clone(),
                    at: at(d.submit_time.as_ref(), "eight_d.submit_time")?,
                    revision: required(u32::try_from(d.revision).ok(), "eight_d.revision")?,
                })
            })
            .transpose()?,
        verdict: r
            .verdict
            .as_ref()
            .map(|v| {
                Ok(Verdict {
                    accepted: v.accepted,
                    reasons: v.reasons.clone(),
                    by: v.judged_by.clone(),
                    at: at(v.judge_time.as_ref(), "verdict.judge_time")?,
                    eight_d_revision: required(u32::try_from(v.eight_d_revision).ok(), "verdict.eight_d_revision")?,
                })
            })
            .transpose()?,
        settlement,
        chargeback: r
            .chargeback
            .as_ref()
            .map(|b| {
                Ok(Chargeback {
                    amount: required(from_money(b.amount.as_ref()), "chargeback.amount")?,
                    reference: b.reference.clone(),
                    by: b.recorded_by.clone(),
                    at: at(b.record_time.as_ref(), "chargeback.record_time")?,
                })
            })
            .transpose()?,
        ended_at: from_timestamp(r.end_time.as_ref()),
        updated_at: at(r.update_time.as_ref(), "update_time")?,
        revision: r.revision,
    })
}

#[cfg(test)]
mod tests {
    use aftersales_kernel::{Currency, Money};
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
    }

    fn by(text: &str, hours: i64) -> Recorded {
        Recorded { text: text.into(), by: "someone".into(), at: at(hours) }
    }

    fn report(hours: i64) -> EightD {
        let d = |name: &str| format!("{name} text");
        EightD {
            team: d("team"),
            problem: d("problem"),
            containment: d("containment"),
            root_cause: d("root cause"),
            corrective_action: d("corrective action"),
            verification: d("verification"),
            prevention: d("prevention"),
            closure: d("closure"),
            by: "supplier-sys".into(),
            at: at(hours),
            revision: 0,
        }
    }

    fn verdict(accepted: bool, hours: i64) -> Verdict {
        let reasons = if accepted { String::new() } else { "no verification data".into() };
        Verdict { accepted, reasons, by: "quality-1".into(), at: at(hours), eight_d_revision: 0 }
    }

    /// Every stage of a claim restores from its record exactly, through a rejection, a dispute and a chargeback.
    #[test]
    fn every_stage_of_a_claim_restores_from_its_record() {
        let cny = |minor| Money::new(Currency::parse("CNY").unwrap(), minor);
        let failure = Failure {
            part_number: "INJ-4410".into(),
            batch: "B2026-07".into(),
            model: "WP10".into(),
            symptom: "sticks open".into(),
            failed_at: Some(at(-30)),
            mileage_km: Some(12_000),
            evidence: vec!["photo-1".into(), "lab-2".into()],
        };
        let origin = Origin::Warranty {
            dealer_id: DealerId::new(),
            repair_order_id: Some(RepairOrderId::new()),
            requisition_id: Some(uuid::Uuid::now_v7()),
        };
        let cost = ClaimedCost { parts: cny(10_000), labour: cny(2_500) };
        let mut claim = Claim::draft(SupplierId::new(), origin, failure, cost, "parts", at(0)).unwrap();
        let mut stages = vec![claim.clone()];
        let mut step = |claim: &mut Claim, f: &dyn Fn(&mut Claim)| {
            f(claim);
            stages.push(claim.clone());
        };
        step(&mut claim, &|c| c.send(at(1)).unwrap());
        step(&mut claim, &|c| c.acknowledge(at(100), at(2)).unwrap());
        step(&mut claim, &|c| c.propose_solution(by("replace the spring", 3)).unwrap());
        step(&mut claim, &|c| c.record_containment(by("stock sorted", 4)).unwrap());
        step(&mut claim, &|c| c.submit_eight_d(report(5)).unwrap());
        step(&mut claim, &|c| c.judge_eight_d(verdict(false, 6)).unwrap());
        step(&mut claim, &|c| c.submit_eight_d(report(7)).unwrap());
        step(&mut claim, &|c| c.judge_eight_d(verdict(true, 8)).unwrap());
        step(&mut claim, &|c| c.dispute_cost(by("labour too high", 9)).unwrap());
        step(&mut claim, &|c| c.settle_dispute(cny(11_000), by("split the labour", 10)).unwrap());
        let amount = cny(11_000);
        step(&mut claim, &|c| {
            c.charge_back(Chargeback { amount, reference: "DN-1".into(), by: "quality-1".into(), at: at(11) }).unwrap()
        });
        step(&mut claim, &|c| c.close(at(12)).unwrap());
        for stage in stages {
            assert_eq!(claim_from_record(&super::claim(&stage)).unwrap(), stage, "at {:?}", stage.state);
        }
    }
}
