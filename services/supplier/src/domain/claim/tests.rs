//! The claim's rules, as DOMAIN.md states them.

use aftersales_kernel::{CaseId, Currency, Money, SupplierId};
use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn cny(minor: i64) -> Money {
    Money::new(Currency::parse("CNY").unwrap(), minor)
}

fn failure() -> Failure {
    Failure {
        part_number: "INJ-4410".into(),
        batch: "B2026-07".into(),
        model: "WP10".into(),
        symptom: "injector sticks open under load".into(),
        failed_at: Some(at(-48)),
        mileage_km: Some(81_200),
        evidence: vec!["lab-report-7731".into()],
    }
}

/// A draft from a case: 1,200.00 CNY of parts and 300.00 of labour.
pub(super) fn drafted() -> Claim {
    let cost = ClaimedCost { parts: cny(120_000), labour: cny(30_000) };
    Claim::draft(SupplierId::new(), Origin::Case { case_id: CaseId::new() }, failure(), cost, "escalation", at(0))
        .unwrap()
}

fn recorded(text: &str, hours: i64) -> Recorded {
    Recorded { text: text.into(), by: "supplier".into(), at: at(hours) }
}

pub(super) fn eight_d(hours: i64) -> EightD {
    EightD {
        team: "quality lead, process engineer".into(),
        problem: "injector needle sticks".into(),
        containment: "batch B2026-07 quarantined".into(),
        root_cause: "burr left by a worn deburring tool".into(),
        corrective_action: "tool replaced, wear check every shift".into(),
        verification: "500 parts inspected, none with burrs".into(),
        prevention: "tool life added to the control plan".into(),
        closure: "team thanked; lesson shared".into(),
        by: "supplier".into(),
        at: at(hours),
        revision: 0,
    }
}

pub(super) fn verdict(accepted: bool, reasons: &str, hours: i64) -> Verdict {
    Verdict { accepted, reasons: reasons.into(), by: "quality".into(), at: at(hours), eight_d_revision: 0 }
}

/// A claim brought to an accepted 8D.
fn accepted() -> Claim {
    let mut claim = drafted();
    claim.send(at(1)).unwrap();
    claim.acknowledge(at(24 * 7), at(2)).unwrap();
    claim.propose_solution(recorded("replace the batch", 30)).unwrap();
    claim.record_containment(recorded("batch quarantined", 31)).unwrap();
    claim.submit_eight_d(eight_d(100)).unwrap();
    claim.judge_eight_d(verdict(true, "", 101)).unwrap();
    claim
}

#[test]
fn a_claim_goes_from_the_draft_through_the_8d_to_its_chargeback_and_close() {
    let mut claim = accepted();
    assert_eq!(claim.state, ClaimState::Accepted);
    assert_eq!(claim.committed_solution_at, Some(at(24 * 7)));
    claim.agree_cost(at(102)).unwrap();
    assert_eq!(claim.settlement.as_ref().unwrap().agreed, Some(cny(150_000)), "parts + labour");
    let chargeback =
        Chargeback { amount: cny(150_000), reference: "DN-2026-0042".into(), by: "quality".into(), at: at(103) };
    claim.charge_back(chargeback).unwrap();
    claim.close(at(104)).unwrap();
    assert_eq!((claim.state, claim.ended_at), (ClaimState::Closed, Some(at(104))));
    assert_eq!(claim.revision, 1 + 9, "one per step");
}

#[test]
fn the_supplier_commits_to_a_date_after_now_and_within_ninety_days() {
    let mut claim = drafted();
    assert!(matches!(claim.acknowledge(at(48), at(1)), Err(ClaimError::NotNow { .. })), "not before it is sent");
    claim.send(at(1)).unwrap();
    assert_eq!(claim.acknowledge(at(2), at(2)), Err(ClaimError::CommitDate));
    assert_eq!(claim.acknowledge(at(2 + 24 * 91), at(2)), Err(ClaimError::CommitDate));
    assert_eq!(claim.state, ClaimState::Sent);
    claim.acknowledge(at(2 + 24 * 90), at(2)).unwrap();
}

#[test]
fn a_rejected_8d_goes_back_to_the_supplier_and_a_revision_follows() {
    let mut claim = drafted();
    claim.send(at(1)).unwrap();
    claim.acknowledge(at(48), at(2)).unwrap();
    claim.propose_solution(recorded("replace the batch", 3)).unwrap();
    assert!(claim.submit_eight_d(eight_d(4)).is_err(), "containment comes first");
    claim.record_containment(recorded("batch quarantined", 4)).unwrap();
    let mut incomplete = eight_d(5);
    incomplete.verification = " ".into();
    assert_eq!(claim.submit_eight_d(incomplete), Err(ClaimError::EmptyDiscipline("verification")));
    claim.submit_eight_d(eight_d(5)).unwrap();
    assert_eq!(claim.judge_eight_d(verdict(false, "", 6)), Err(ClaimError::NoReasons), "a rejection says why");
    claim.judge_eight_d(verdict(false, "no verification data", 6)).unwrap();
    assert_eq!(claim.state, ClaimState::Rejected);
    assert!(claim.agree_cost(at(7)).is_err(), "nothing to pay for yet");
    claim.submit_eight_d(eight_d(8)).unwrap();
    assert_eq!(claim.eight_d.as_ref().unwrap().revision, 2);
    claim.judge_eight_d(verdict(true, "", 9)).unwrap();
    assert_eq!(claim.verdict.as_ref().unwrap().eight_d_revision, 2, "the verdict names the revision it judged");
}

#[test]
fn a_disputed_cost_is_settled_by_quality_up_to_the_claimed_cost() {
    let mut claim = accepted();
    claim.dispute_cost(recorded("labour hours too high", 102)).unwrap();
    let note = Recorded { text: "half the labour".into(), by: "quality".into(), at: at(103) };
    assert_eq!(claim.settle_dispute(cny(150_001), note.clone()), Err(ClaimError::SettlementAmount));
    assert_eq!(claim.settle_dispute(cny(-1), note.clone()), Err(ClaimError::SettlementAmount));
    let usd = Money::new(Currency::parse("USD").unwrap(), 100);
    assert_eq!(claim.settle_dispute(usd, note.clone()), Err(ClaimError::SettlementAmount));
    claim.settle_dispute(cny(135_000), note).unwrap();
    let settlement = claim.settlement.as_ref().unwrap();
    assert_eq!((settlement.agreed, settlement.dispute.is_some()), (Some(cny(135_000)), true));
    let wrong = Chargeback { amount: cny(150_000), reference: "DN-1".into(), by: "quality".into(), at: at(104) };
    assert_eq!(claim.charge_back(wrong), Err(ClaimError::ChargebackAmount), "the agreed amount, not the claimed");
}

#[test]
fn a_draft_is_sent_or_withdrawn_and_a_withdrawn_one_takes_nothing_more() {
    let mut claim = drafted();
    claim.withdraw(at(1)).unwrap();
    assert!(claim.state.is_final());
    let before = claim.clone();
    assert!(claim.send(at(2)).is_err());
    assert_eq!(claim, before, "a refused step changes nothing");
}

#[test]
fn parts_and_labour_are_claimed_in_one_currency_and_never_negative() {
    let usd = Money::new(Currency::parse("USD").unwrap(), 100);
    let origin = || Origin::Manual;
    let mixed = ClaimedCost { parts: cny(100), labour: usd };
    assert_eq!(Claim::draft(SupplierId::new(), origin(), failure(), mixed, "q", at(0)), Err(ClaimError::Currency));
    let negative = ClaimedCost { parts: cny(-1), labour: cny(0) };
    assert_eq!(
        Claim::draft(SupplierId::new(), origin(), failure(), negative, "q", at(0)),
        Err(ClaimError::NegativeCost)
    );
}

#[test]
fn states_are_stored_by_name() {
    for state in ClaimState::ALL {
        assert_eq!(ClaimState::parse(state.as_str()), Some(state));
    }
}

#[test]
fn quality_revises_a_draft_from_the_revision_it_read_but_never_its_part_or_batch() {
    let mut claim = drafted();
    let revised =
        Failure { part_number: "OTHER".into(), batch: "B-9".into(), symptom: "Seal leaks".into(), ..failure() };
    let cost = ClaimedCost { parts: cny(50_000), labour: cny(12_000) };
    assert_eq!(claim.revise(2, revised.clone(), cost, at(1)), Err(ClaimError::StaleRevision { current: 1 }));
    assert_eq!(claim.revision, 1, "a refused revision changes nothing");
    claim.revise(1, revised, cost, at(1)).unwrap();
    assert_eq!((claim.failure.symptom.as_str(), claim.cost.total()), ("Seal leaks", cny(62_000)));
    assert_eq!(claim.failure.part_number, failure().part_number, "another part is another claim");
    assert_eq!(claim.failure.batch, failure().batch);
    assert_eq!(claim.revision, 2);
    let usd = ClaimedCost { parts: cny(1), labour: Money::new(Currency::parse("USD").unwrap(), 1) };
    assert_eq!(claim.revise(2, failure(), usd, at(2)), Err(ClaimError::Currency));
    claim.send(at(3)).unwrap();
    assert_eq!(
        claim.revise(3, failure(), cost, at(4)).unwrap_err().reason(),
        "CLAIM_STATE",
        "a sent claim is the supplier's"
    );
}

#[test]
fn a_failure_is_never_in_the_future() {
    let cost = ClaimedCost::zero(Currency::parse("CNY").unwrap());
    let later = Failure { failed_at: Some(at(1)), ..failure() };
    assert_eq!(
        Claim::draft(SupplierId::new(), Origin::Manual, later.clone(), cost, "q", at(0)),
        Err(ClaimError::FailureTime)
    );
    let mut claim = drafted();
    assert_eq!(claim.revise(1, later, cost, at(0)), Err(ClaimError::FailureTime));
    assert_eq!(claim, drafted_like(&claim), "a refused revision changes nothing");
}

/// The draft of [`drafted`] with `claim`'s generated ids (for comparing whole claims).
fn drafted_like(claim: &Claim) -> Claim {
    Claim { id: claim.id, supplier_id: claim.supplier_id, origin: claim.origin.clone(), ..drafted() }
}
