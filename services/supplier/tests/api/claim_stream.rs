//! WatchClaims: a supplier's system follows its claims, disconnects, and on reconnecting with its cursor receives
//! every change it missed exactly once, in order — never another supplier's, never a draft.

use std::time::Duration;

use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Role;
use futures::StreamExt;
use tonic::Code;

use crate::claims::{acknowledge, draft, sent_claim, supplier};
use crate::helpers::{TestApp, spawn_app};

/// Opens the stream of `supplier` after `cursor`.
async fn watch(app: &TestApp, supplier: &str, cursor: i64) -> tonic::Streaming<pb::ClaimChange> {
    let request = app.as_supplier(supplier, pb::WatchClaimsRequest { after_cursor: cursor });
    app.claims.clone().watch_claims(request).await.expect("stream opens").into_inner()
}

/// The next `n` changes on `stream`, each within a generous timeout.
async fn next(stream: &mut tonic::Streaming<pb::ClaimChange>, n: usize) -> Vec<pb::ClaimChange> {
    let mut changes = Vec::new();
    for _ in 0..n {
        let change = tokio::time::timeout(Duration::from_secs(10), stream.next()).await;
        changes.push(change.expect("a change within 10 s").expect("stream open").expect("a change"));
    }
    changes
}

fn seen(changes: &[pb::ClaimChange]) -> Vec<(String, i32)> {
    changes.iter().map(|c| (c.claim.as_ref().unwrap().id.clone(), c.kind)).collect()
}

const SENT: i32 = pb::ClaimChangeKind::Sent as i32;
const ACKNOWLEDGED: i32 = pb::ClaimChangeKind::Acknowledged as i32;
const PROPOSED: i32 = pb::ClaimChangeKind::SolutionProposed as i32;

#[tokio::test]
async fn a_reconnecting_supplier_receives_every_missed_change_exactly_once_in_order() {
    let app = spawn_app().await;
    let a = supplier(&app, "SUPPLIER-A").await;
    let b = supplier(&app, "SUPPLIER-B").await;

    // Connected: the claims sent so far, then a live one.
    let first = sent_claim(&app, &a).await;
    let second = sent_claim(&app, &a).await;
    let mut stream = watch(&app, &a, 0).await;
    let before = next(&mut stream, 2).await;
    assert_eq!(seen(&before), [(first.id.clone(), SENT), (second.id.clone(), SENT)]);
    let live = sent_claim(&app, &a).await;
    let live_change = next(&mut stream, 1).await;
    assert_eq!(seen(&live_change), [(live.id.clone(), SENT)]);
    let cursor = live_change[0].cursor;
    assert!(before[0].cursor < before[1].cursor && before[1].cursor < cursor, "cursors increase");
    drop(stream);

    // Away: a new claim, old ones change, another supplier's claim and a draft of its own appear.
    let mut claims = app.claims.clone();
    claims.acknowledge_claim(app.as_supplier(&a, acknowledge(&first.id))).await.unwrap();
    let while_away = sent_claim(&app, &a).await;
    sent_claim(&app, &b).await;
    claims.draft_claim(app.as_role(Role::Quality, draft(&a))).await.unwrap();
    let propose = pb::ProposeClaimSolutionRequest {
        request_id: uuid::Uuid::now_v7().to_string(),
        claim_id: first.id.clone(),
        solution: "new spring".into(),
    };
    claims.propose_claim_solution(app.as_supplier(&a, propose)).await.unwrap();
    claims.acknowledge_claim(app.as_supplier(&a, acknowledge(&live.id))).await.unwrap();

    // Back with the cursor of the last change handled.
    let mut stream = watch(&app, &a, cursor).await;
    let missed = next(&mut stream, 4).await;
    assert_eq!(
        seen(&missed),
        [
            (first.id.clone(), ACKNOWLEDGED),
            (while_away.id.clone(), SENT),
            (first.id.clone(), PROPOSED),
            (live.id.clone(), ACKNOWLEDGED),
        ]
    );
    let proposed = missed[2].claim.as_ref().unwrap();
    assert_eq!(
        (proposed.state, proposed.solution.as_ref().map(|s| s.text.as_str())),
        (pb::ClaimState::SolutionProposed as i32, Some("new spring")),
        "each change carries the claim as it stood right after it"
    );
    assert_eq!(missed[0].claim.as_ref().unwrap().state, pb::ClaimState::Acknowledged as i32);
    let nothing_more = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(nothing_more.is_err(), "nothing else: not B's claim, not the draft, nothing twice: {nothing_more:?}");

    // Starting over from 0 replays the whole history of A's claims.
    let mut replay = watch(&app, &a, 0).await;
    assert_eq!(next(&mut replay, 7).await.last().map(|c| c.cursor), missed.last().map(|c| c.cursor));
}

#[tokio::test]
async fn only_a_supplier_watches_and_a_negative_cursor_is_refused() {
    let app = spawn_app().await;
    let a = supplier(&app, "SUPPLIER-A").await;
    for role in [Role::Quality, Role::ServiceAdvisor] {
        let request = app.as_role(role, pb::WatchClaimsRequest { after_cursor: 0 });
        let refused = app.claims.clone().watch_claims(request).await.unwrap_err();
        assert_eq!(refused.code(), Code::PermissionDenied, "{role}");
    }
    let negative = app.as_supplier(&a, pb::WatchClaimsRequest { after_cursor: -1 });
    let refused = app.claims.clone().watch_claims(negative).await.unwrap_err();
    assert_eq!(crate::helpers::violated_fields(&refused), ["after_cursor"]);
}
