//! The scorecard's formulas against figures computed by hand.

use chrono::{Duration, TimeZone};

use super::*;

fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn claim(supplier: SupplierId, acknowledgement: ClockVerdict, solution: ClockVerdict) -> ClaimFacts {
    ClaimFacts {
        supplier_id: supplier,
        sent_at: at(0),
        acknowledged_at: None,
        resolved: false,
        repeat: false,
        acknowledgement,
        solution,
        currency: currency("CNY"),
        claimed_minor: 0,
        recovered_minor: 0,
    }
}

/// Five claims sent in the period:
/// 1. acknowledged on time after 2 h, 8D accepted, solution on time; 1,000.00 CNY claimed, all recovered;
/// 2. acknowledged late after 30 h, solution clock breached; 500.00 CNY claimed;
/// 3. never acknowledged, its clock breached; 200.00 CNY claimed;
/// 4. acknowledgement clock waived (acknowledged after 10 h), 8D accepted, solution on time, a repeat failure;
///    300.00 CNY claimed, 240.00 recovered;
/// 5. just sent: both clocks undecided; 10.00 USD claimed.
fn five(supplier: SupplierId) -> Vec<ClaimFacts> {
    use ClockVerdict::*;
    vec![
        ClaimFacts {
            acknowledged_at: Some(at(2)),
            resolved: true,
            claimed_minor: 100_000,
            recovered_minor: 100_000,
            ..claim(supplier, OnTime, OnTime)
        },
        ClaimFacts { acknowledged_at: Some(at(30)), claimed_minor: 50_000, ..claim(supplier, MetLate, Breached) },
        ClaimFacts { claimed_minor: 20_000, ..claim(supplier, Breached, Undecided) },
        ClaimFacts {
            acknowledged_at: Some(at(10)),
            resolved: true,
            repeat: true,
            claimed_minor: 30_000,
            recovered_minor: 24_000,
            ..claim(supplier, Excused, OnTime)
        },
        ClaimFacts { currency: currency("USD"), claimed_minor: 1_000, ..claim(supplier, Undecided, Undecided) },
    ]
}

#[test]
fn every_figure_of_a_scorecard_follows_its_formula() {
    let supplier = SupplierId::new();
    let card = Scorecard::of(supplier, &five(supplier));
    assert_eq!(card.claims_sent, 5);
    // Acknowledgement: 1 on time; 2 late (met late, breached); 1 waived counts in neither; 1 undecided.
    assert_eq!((card.acknowledged_on_time, card.acknowledged_late, card.acknowledgement_excused), (1, 2, 1));
    assert_eq!(card.acknowledgement_on_time_rate_bp, 3_333, "1 / 3");
    assert_eq!(card.mean_seconds_to_acknowledge, 50_400, "(7,200 + 108,000 + 36,000) / 3");
    assert_eq!((card.resolved, card.resolution_rate_bp), (2, 4_000), "2 / 5");
    assert_eq!((card.corrective_actions_on_time, card.corrective_actions_late), (2, 1));
    assert_eq!(card.corrective_action_on_time_rate_bp, 6_667, "2 / 3");
    assert_eq!(card.repeat_failures, 1);
    assert_eq!(
        card.costs,
        [
            CostFigures {
                currency: currency("CNY"),
                claimed_minor: 200_000,
                recovered_minor: 124_000,
                recovery_rate_bp: 6_200
            },
            CostFigures { currency: currency("USD"), claimed_minor: 1_000, recovered_minor: 0, recovery_rate_bp: 0 },
        ]
    );
    // (4 × 3,333 + 3 × 6,667 + 3 × 4,000) / 10 = 4,533.3 → 4,533; less 500 for the repeat failure.
    assert_eq!(card.score_bp, 4_033);
}

#[test]
fn a_clock_the_engine_waived_counts_in_neither_part_of_the_rate() {
    let supplier = SupplierId::new();
    let mut facts = five(supplier);
    facts[1].acknowledgement = ClockVerdict::Excused;
    let card = Scorecard::of(supplier, &facts);
    assert_eq!((card.acknowledged_on_time, card.acknowledged_late, card.acknowledgement_excused), (1, 1, 2));
    assert_eq!(card.acknowledgement_on_time_rate_bp, 5_000, "1 / 2");
}

#[test]
fn a_breach_never_overrides_how_a_clock_ended() {
    use ClockVerdict::*;
    assert_eq!(Undecided.then(Breached), Breached);
    assert_eq!(Breached.then(MetLate), MetLate);
    assert_eq!(Breached.then(Excused), Excused, "waived after its breach");
    assert_eq!(OnTime.then(Breached), OnTime, "a late-delivered breach of a clock met in time");
    assert_eq!(Excused.then(Breached), Excused);
    for verdict in [Undecided, OnTime, MetLate, Breached, Excused] {
        assert_eq!(ClockVerdict::parse(verdict.as_str()), Some(verdict));
    }
}

#[test]
fn the_score_never_falls_below_zero_and_nothing_scores_zero() {
    assert_eq!(score_bp(10_000, 10_000, 10_000, 0), 10_000);
    assert_eq!(score_bp(10_000, 10_000, 10_000, 3), 8_500);
    assert_eq!(score_bp(1_000, 0, 0, 2), 0, "400 − 1,000 is floored at 0");
    let empty = Scorecard::of(SupplierId::new(), &[]);
    assert_eq!((empty.claims_sent, empty.score_bp, empty.mean_seconds_to_acknowledge), (0, 0, 0));
    assert!(empty.costs.is_empty());
}

#[test]
fn suppliers_rank_by_score_then_acknowledgement_then_fewer_repeats_then_code() {
    let card = |score_bp, acknowledgement_on_time_rate_bp, repeat_failures| Scorecard {
        score_bp,
        acknowledgement_on_time_rate_bp,
        repeat_failures,
        ..Scorecard::of(SupplierId::new(), &[])
    };
    let ranked = rank(vec![
        ("A", card(4_033, 3_333, 1)),
        ("B", card(4_033, 5_000, 1)),
        ("C", card(9_000, 0, 0)),
        ("D", card(4_033, 5_000, 0)),
        ("E", card(4_033, 5_000, 0)),
    ]);
    let order: Vec<&str> = ranked.iter().map(|(code, _)| *code).collect();
    assert_eq!(order, ["C", "D", "E", "B", "A"]);
}
