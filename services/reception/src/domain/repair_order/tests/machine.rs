//! The order's state machine under random command sequences: whatever the customer, the advisor and workshop's
//! feed do, in whatever order, every change of state is one DOMAIN.md allows, a refused command changes nothing,
//! and an order never charges a line it has not consented to.

use proptest::prelude::*;

use super::*;
use crate::domain::{AdditionalWorkRequest, CustomerAnswer, FollowUp, FollowUpChannel, OldParts, Pricing, Score};

#[derive(Debug, Clone)]
enum Command {
    Approve,
    Cancel,
    JobStarted,
    AskForWork,
    ApproveWork,
    RefuseWork,
    JobReady,
    Settle,
    Deliver,
    FollowUp,
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::Approve),
        Just(Command::Cancel),
        Just(Command::JobStarted),
        Just(Command::AskForWork),
        Just(Command::ApproveWork),
        Just(Command::RefuseWork),
        Just(Command::JobReady),
        Just(Command::Settle),
        Just(Command::Deliver),
        Just(Command::FollowUp),
    ]
}

fn answer() -> CustomerAnswer {
    CustomerAnswer {
        by: "Li Wei".into(),
        channel: ConsentChannel::Phone,
        signature_reference: String::new(),
        recorded_by: "advisor-1".into(),
        at: now(),
    }
}

fn pending(order: &RepairOrder) -> Option<uuid::Uuid> {
    order.additional_work.iter().find(|w| w.is_pending()).map(|w| w.request.id)
}

/// Applies `command`; whether it was accepted.
fn apply(order: &mut RepairOrder, command: &Command) -> bool {
    match command {
        Command::Approve => order.approve(consent(order.estimate_version), &[], now()).is_ok(),
        Command::Cancel => order.cancel("changed mind", now()).is_ok(),
        Command::JobStarted => order.job_started(now()),
        Command::AskForWork => {
            let request = AdditionalWorkRequest {
                id: uuid::Uuid::now_v7(),
                job_id: uuid::Uuid::now_v7(),
                finding: "worn".into(),
                operations: vec![(OperationCode::parse("BRK-0100").unwrap(), Hundredths::from_hundredths(50).unwrap())],
                parts: vec![],
                media_references: vec![],
                requested_by: "tech".into(),
                requested_at: now(),
            };
            order.additional_work_requested(request, now()).unwrap_or(false)
        }
        Command::ApproveWork => pending(order).is_some_and(|id| {
            let pricing = Pricing { hourly_rate: Some(eur(8000)), part_unit_prices: vec![] };
            order.approve_additional_work(id, &pricing, answer(), now()).is_ok()
        }),
        Command::RefuseWork => {
            pending(order).is_some_and(|id| order.refuse_additional_work(id, "no", answer(), now()).is_ok())
        }
        Command::JobReady => order.job_ready(&[], now()),
        Command::Settle => order.settle(now()).is_ok(),
        Command::Deliver => order.deliver("a", OldParts::Shown, None, None, chrono::Duration::days(3), now()).is_ok(),
        Command::FollowUp => order
            .follow_up(FollowUp {
                channel: FollowUpChannel::Phone,
                score: Score::new(4).unwrap(),
                comments: String::new(),
                complaint: false,
                recorded_by: "a".into(),
                recorded_at: now(),
            })
            .is_ok(),
    }
}

proptest! {
    #[test]
    fn random_commands_only_ever_make_allowed_moves(commands in prop::collection::vec(command(), 0..40)) {
        let mut order =
            RepairOrder::open(new_order(vec![labour(150, eur(8000), LineRequirement::Required)]), &opening_terms(), now()).unwrap();
        for command in &commands {
            let before = order.clone();
            let accepted = apply(&mut order, command);
            if !accepted {
                prop_assert_eq!(&order, &before, "a refused {:?} changed the order", command);
                continue;
            }
            prop_assert!(
                order.state == before.state || before.state.may_become(order.state),
                "{:?} moved {:?} → {:?}", command, before.state, order.state
            );
            prop_assert_eq!(
                order.state == RepairOrderState::AwaitingAdditionalConsent,
                order.additional_work.iter().any(|w| w.is_pending()),
                "the order waits exactly while a request waits"
            );
            if order.state == RepairOrderState::Cancelled {
                prop_assert!(matches!(before.state, RepairOrderState::Estimated | RepairOrderState::Approved));
            }
            // Lines only come from the first estimate or from approved requests.
            for line in &order.lines {
                if let Some(id) = line.additional_work_id {
                    let approved = order.additional_work.iter().any(|w| {
                        w.request.id == id && matches!(w.decision, crate::domain::Decision::Approved { .. })
                    });
                    prop_assert!(approved, "a line from a request the customer did not approve");
                }
            }
        }
    }
}
