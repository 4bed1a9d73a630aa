//! The claim state machine under random commands (proptest): whatever `quality` and the supplier do, in any order —
//! - a refused command changes nothing; an accepted one bumps the revision by exactly one;
//! - the state moves only along `ClaimState::may_become`, and a final claim takes nothing more;
//! - a claim is acknowledged with a date after the acknowledgement; a judged 8D had all eight disciplines;
//! - whatever is agreed never exceeds the claimed cost, and what is charged back is exactly what was agreed.

use aftersales_kernel::{Currency, Money};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::tests::{drafted, eight_d, verdict};
use super::*;

#[derive(Debug, Clone)]
enum Command {
    Send,
    Withdraw,
    Acknowledge(i64),
    Propose,
    Contain,
    SubmitEightD(bool),
    Judge(bool, bool),
    AgreeCost,
    DisputeCost,
    Settle(i64),
    ChargeBack(bool),
    Close,
    Wait(u16),
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::Send),
        Just(Command::Withdraw),
        (-48i64..24 * 100).prop_map(Command::Acknowledge),
        Just(Command::Propose),
        Just(Command::Contain),
        any::<bool>().prop_map(Command::SubmitEightD),
        (any::<bool>(), any::<bool>()).prop_map(|(a, r)| Command::Judge(a, r)),
        Just(Command::AgreeCost),
        Just(Command::DisputeCost),
        (-10i64..200_000).prop_map(Command::Settle),
        any::<bool>().prop_map(Command::ChargeBack),
        Just(Command::Close),
        (1u16..600).prop_map(Command::Wait),
    ]
}

fn cny(minor: i64) -> Money {
    Money::new(Currency::parse("CNY").unwrap(), minor)
}

fn apply(claim: &mut Claim, command: &Command, now: DateTime<Utc>) -> Result<(), ClaimError> {
    let recorded = |text: &str| Recorded { text: text.into(), by: "someone".into(), at: now };
    match command {
        Command::Send => claim.send(now),
        Command::Withdraw => claim.withdraw(now),
        Command::Acknowledge(hours) => claim.acknowledge(now + Duration::hours(*hours), now),
        Command::Propose => claim.propose_solution(recorded("fix")),
        Command::Contain => claim.record_containment(recorded("quarantine")),
        Command::SubmitEightD(complete) => {
            let mut report = EightD { at: now, ..eight_d(0) };
            if !complete {
                report.prevention.clear();
            }
            claim.submit_eight_d(report)
        }
        Command::Judge(accepted, with_reasons) => {
            let reasons = if *with_reasons { "no data" } else { "" };
            claim.judge_eight_d(Verdict { at: now, ..verdict(*accepted, reasons, 0) })
        }
        Command::AgreeCost => claim.agree_cost(now),
        Command::DisputeCost => claim.dispute_cost(recorded("too high")),
        Command::Settle(minor) => claim.settle_dispute(cny(*minor), recorded("settled")),
        Command::ChargeBack(agreed) => {
            let amount = match claim.settlement.as_ref().and_then(|s| s.agreed) {
                Some(amount) if *agreed => amount,
                _ => cny(1),
            };
            claim.charge_back(Chargeback { amount, reference: "DN".into(), by: "quality".into(), at: now })
        }
        Command::Close => claim.close(now),
        Command::Wait(_) => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_run_of_commands_keeps_the_claim_rules(commands in proptest::collection::vec(command(), 1..80)) {
        let mut claim = drafted();
        let mut now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        for command in &commands {
            if let Command::Wait(minutes) = command {
                now += Duration::minutes(i64::from(*minutes));
                continue;
            }
            let before = claim.clone();
            match apply(&mut claim, command, now) {
                Err(_) => prop_assert_eq!(&claim, &before, "a refused {:?} changed the claim", command),
                Ok(()) => {
                    prop_assert_eq!(claim.revision, before.revision + 1, "{:?}", command);
                    prop_assert!(!before.state.is_final(), "a final claim took {:?}", command);
                    prop_assert!(before.state.may_become(claim.state), "{:?} → {:?} by {:?}", before.state, claim.state, command);
                    if let (Some(committed), Some(acknowledged)) = (claim.committed_solution_at, claim.acknowledged_at) {
                        prop_assert!(committed > acknowledged);
                    }
                    if let Some(report) = &claim.eight_d {
                        prop_assert!(report.disciplines().iter().all(|(_, text)| !text.trim().is_empty()));
                    }
                    if let Some(agreed) = claim.settlement.as_ref().and_then(|s| s.agreed) {
                        prop_assert!(agreed.minor_units() <= claim.cost.total().minor_units());
                        prop_assert!(!agreed.is_negative());
                    }
                    if let Some(chargeback) = &claim.chargeback {
                        prop_assert_eq!(Some(chargeback.amount), claim.settlement.as_ref().and_then(|s| s.agreed));
                    }
                }
            }
        }
    }
}

#[test]
fn the_straight_path_closes_a_claim() {
    let mut claim = drafted();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    for command in [
        Command::Send,
        Command::Acknowledge(48),
        Command::Propose,
        Command::Contain,
        Command::SubmitEightD(true),
        Command::Judge(true, false),
        Command::AgreeCost,
        Command::ChargeBack(true),
        Command::Close,
    ] {
        apply(&mut claim, &command, now).unwrap_or_else(|e| panic!("{command:?}: {e}"));
    }
    assert_eq!(claim.state, ClaimState::Closed);
}
