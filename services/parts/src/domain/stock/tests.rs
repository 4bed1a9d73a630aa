//! The ledger's rules, one test each, and a property test of the ledger against its balances.

use std::collections::BTreeMap;

use aftersales_kernel::{DealerId, PartNumber};
use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn t(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0).unwrap()
}

fn key(bin: &str, batch: &str) -> LotKey {
    LotKey {
        warehouse_id: uuid::Uuid::nil(),
        bin: BinCode::parse(bin).unwrap(),
        part_number: PartNumber::parse("A-1001").unwrap(),
        batch: BatchCode::parse(batch).unwrap(),
    }
}

fn lot(bin: &str, batch: &str, on_hand: i64, received_minute: u32) -> Lot {
    Lot { key: key(bin, batch), on_hand, received_at: t(received_minute) }
}

fn context() -> Context {
    Context {
        dealer_id: DealerId::new(),
        document: Document { kind: DocumentType::parse("adjustment").unwrap(), reference: "opening".into() },
        reason: "opening balance".into(),
        by: "manager-1".into(),
        at: t(30),
    }
}

#[test]
fn a_movement_changes_its_lot_and_records_the_balance_after_it() {
    let mut l = lot("A-01", "B1", 0, 0);
    let m = l.apply(MovementKind::Adjustment, 1000, &context()).unwrap();
    assert_eq!((m.quantity, m.on_hand_after, l.on_hand), (1000, 1000, 1000));
    let m = l.apply(MovementKind::Issue, -300, &context()).unwrap();
    assert_eq!((m.quantity, m.on_hand_after, l.on_hand), (-300, 700, 700));
}

#[test]
fn stock_never_goes_below_zero_and_a_refused_movement_changes_nothing() {
    let mut l = lot("A-01", "B1", 200, 0);
    assert_eq!(l.apply(MovementKind::Issue, -201, &context()), Err(MoveError::Short { on_hand: 200 }));
    assert_eq!(l.apply(MovementKind::Adjustment, -201, &context()), Err(MoveError::Short { on_hand: 200 }));
    assert_eq!(l.on_hand, 200);
}

#[test]
fn ins_are_positive_outs_negative_and_an_adjustment_never_zero() {
    assert!(MovementKind::Receipt.allows(1) && !MovementKind::Receipt.allows(-1));
    assert!(MovementKind::Issue.allows(-1) && !MovementKind::Issue.allows(1));
    assert!(MovementKind::Adjustment.allows(-5) && MovementKind::Adjustment.allows(5));
    assert!(!MovementKind::Adjustment.allows(0));
    let mut l = lot("A-01", "B1", 200, 0);
    assert!(matches!(l.apply(MovementKind::Return, -1, &context()), Err(MoveError::WrongSign { .. })));
}

#[test]
fn an_issue_takes_the_oldest_batch_first_across_bins() {
    let lots = [lot("A-02", "B2", 500, 20), lot("A-01", "B1", 300, 10), lot("A-03", "B3", 900, 30)];
    let plan = plan_issue(&lots, 600, None).unwrap();
    let taken: Vec<(&str, i64)> = plan.iter().map(|(l, q)| (l.key.batch.as_str(), *q)).collect();
    assert_eq!(taken, [("B1", 300), ("B2", 300)]);
}

#[test]
fn a_named_batch_is_the_only_one_taken() {
    let lots = [lot("A-01", "B1", 300, 10), lot("A-02", "B2", 500, 20)];
    let plan = plan_issue(&lots, 400, Some(&BatchCode::parse("B2").unwrap())).unwrap();
    assert_eq!(plan.len(), 1);
    assert_eq!((plan[0].0.key.batch.as_str(), plan[0].1), ("B2", 400));
    assert_eq!(
        plan_issue(&lots, 400, Some(&BatchCode::parse("B1").unwrap())),
        Err(IssueError::Short { on_hand: 300, wanted: 400 })
    );
}

#[test]
fn an_issue_is_whole_or_nothing() {
    let lots = [lot("A-01", "B1", 300, 10), lot("A-02", "B2", 500, 20)];
    assert_eq!(plan_issue(&lots, 801, None), Err(IssueError::Short { on_hand: 800, wanted: 801 }));
}

#[test]
fn codes_follow_their_formats() {
    assert!(BinCode::parse("A-01-03").is_ok());
    for bad in ["", "a-01", "-A", "A-", "A--1", "ABCDEFGHIJKLMNOPQRSTU"] {
        assert!(BinCode::parse(bad).is_err(), "{bad:?}");
    }
    assert!(BatchCode::parse("2026/03.L-7").is_ok());
    assert!(BatchCode::parse("L 7").is_err() && BatchCode::parse("/L7").is_err());
    assert!(DocumentType::parse("counter-issue").is_ok() && DocumentType::parse("Counter").is_err());
}

/// What the property test does to the ledger.
#[derive(Debug, Clone)]
enum Op {
    /// Put stock into lot `lot` by an in-kind movement.
    In(usize, MovementKind, i64),
    /// Take stock out of lot `lot` by an out-kind movement (may exceed what it holds).
    Out(usize, MovementKind, i64),
    /// Issue across lots, oldest first, optionally one batch.
    Issue(i64, Option<usize>),
}

fn op() -> impl Strategy<Value = Op> {
    let ins = prop_oneof![
        Just(MovementKind::Receipt),
        Just(MovementKind::Return),
        Just(MovementKind::TransferIn),
        Just(MovementKind::Adjustment)
    ];
    let outs = prop_oneof![Just(MovementKind::TransferOut), Just(MovementKind::Adjustment), Just(MovementKind::Issue)];
    prop_oneof![
        (0..4usize, ins, 1..1000i64).prop_map(|(l, k, q)| Op::In(l, k, q)),
        (0..4usize, outs, 1..1000i64).prop_map(|(l, k, q)| Op::Out(l, k, q)),
        (1..2000i64, proptest::option::of(0..4usize)).prop_map(|(q, b)| Op::Issue(q, b)),
    ]
}

proptest! {
    /// Random receipts, issues, returns, adjustments and transfers: every lot's balance equals the sum of its
    /// movements and never goes below zero; a refused operation writes no movement and changes no balance.
    #[test]
    fn balances_equal_ledger_sums_and_never_go_negative(ops in proptest::collection::vec(op(), 1..80)) {
        let keys: Vec<LotKey> = (0..4).map(|i| key(&format!("A-0{i}"), &format!("B{i}"))).collect();
        let mut lots: Vec<Lot> = keys.iter().enumerate().map(|(i, k)| Lot::empty(k.clone(), t(i as u32))).collect();
        let mut ledger: Vec<Movement> = Vec::new();
        for op in ops {
            let before = lots.clone();
            let written = ledger.len();
            match op {
                Op::In(i, kind, q) => { let _ = lots[i].apply(kind, q, &context()).map(|m| ledger.push(m)); }
                Op::Out(i, kind, q) => {
                    let refused = lots[i].on_hand < q;
                    let result = lots[i].apply(kind, -q, &context());
                    prop_assert_eq!(result.is_err(), refused);
                    if let Ok(m) = result { ledger.push(m); }
                }
                Op::Issue(q, batch) => {
                    let batch = batch.map(|b| keys[b].batch.clone());
                    if let Ok(plan) = plan_issue(&lots, q, batch.as_ref()) {
                        prop_assert_eq!(plan.iter().map(|(_, take)| take).sum::<i64>(), q);
                        for (planned, take) in plan {
                            let lot = lots.iter_mut().find(|l| l.key == planned.key).unwrap();
                            ledger.push(lot.apply(MovementKind::Issue, -take, &context()).unwrap());
                        }
                    }
                }
            }
            if ledger.len() == written {
                prop_assert_eq!(&lots, &before, "a refused operation changes nothing");
            }
            let mut sums: BTreeMap<&LotKey, i64> = BTreeMap::new();
            for m in &ledger {
                *sums.entry(&m.key).or_default() += m.quantity;
            }
            for l in &lots {
                prop_assert!(l.on_hand >= 0);
                prop_assert_eq!(l.on_hand, sums.get(&l.key).copied().unwrap_or(0));
            }
        }
    }
}
