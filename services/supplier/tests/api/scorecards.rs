//! ScorecardService over real gRPC, following a fake escalation feed: the on-time rate is the engine's verdicts
//! (a clock it waives leaves the rate), the ranking orders suppliers by score, and a supplier reads only its own.

use std::time::Duration;

use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_proto::escalation::v1 as escalation;
use aftersales_proto::supplier::v1 as pb;
use aftersales_proto::supplier::v1::scorecard_service_client::ScorecardServiceClient;
use aftersales_runtime::auth::Role;
use tonic::Code;

use crate::claims::{acknowledge, sent_claim, supplier};
use crate::helpers::{TestApp, spawn_app_with, violated_fields};

fn period() -> (Option<prost_types::Timestamp>, Option<prost_types::Timestamp>) {
    let now = chrono::Utc::now().timestamp();
    let at = |seconds| Some(prost_types::Timestamp { seconds, nanos: 0 });
    (at(now - 86_400), at(now + 86_400))
}

fn scorecard_of(supplier: &str) -> pb::GetScorecardRequest {
    let (start_time, end_time) = period();
    pb::GetScorecardRequest { supplier_id: supplier.into(), start_time, end_time }
}

fn closed(claim: &str, policy: &str, outcome: escalation::ClockOutcome) -> escalation::ClockClosed {
    escalation::ClockClosed {
        clock_id: uuid::Uuid::now_v7().to_string(),
        policy: policy.into(),
        version: 1,
        subject_kind: "claim".into(),
        subject_id: claim.into(),
        outcome: outcome as i32,
        ..Default::default()
    }
}

/// Asks for `supplier`'s scorecard as quality until `done` holds (the feed is followed asynchronously).
async fn scorecard_once(app: &TestApp, supplier: &str, done: impl Fn(&pb::Scorecard) -> bool) -> pb::Scorecard {
    let mut scorecards = ScorecardServiceClient::new(app.channel());
    for _ in 0..500 {
        let card = scorecards.get_scorecard(app.as_role(Role::Quality, scorecard_of(supplier))).await.unwrap();
        let card = card.into_inner();
        if done(&card) {
            return card;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the scorecard never reached what the feed said");
}

#[tokio::test]
async fn the_on_time_rate_is_the_engines_verdict_and_a_waived_clock_leaves_it() {
    let (engine, url) = FakeFeed::serve("clock").await;
    let app = spawn_app_with(&[("AFTERSALES__PEERS__ESCALATION", &url)]).await;
    let a = supplier(&app, "SUPPLIER-A").await;
    let b = supplier(&app, "SUPPLIER-B").await;
    let claims = [sent_claim(&app, &a).await, sent_claim(&app, &a).await, sent_claim(&app, &a).await];
    sent_claim(&app, &b).await;
    for claim in &claims[..2] {
        app.claims.clone().acknowledge_claim(app.as_supplier(&a, acknowledge(&claim.id))).await.unwrap();
    }
    let publish = |event: &escalation::ClockClosed| {
        engine.publish_for_supplier_at(&a, &event.clock_id, event, chrono::Utc::now())
    };
    publish(&closed(&claims[0].id, "supplier_response", escalation::ClockOutcome::MetOnTime));
    publish(&closed(&claims[1].id, "supplier_response", escalation::ClockOutcome::MetLate));
    let breach_clock = uuid::Uuid::now_v7().to_string();
    let breached = escalation::ClockBreached {
        clock_id: breach_clock.clone(),
        policy: "supplier_response".into(),
        subject_kind: "claim".into(),
        subject_id: claims[2].id.clone(),
        ..Default::default()
    };
    engine.publish_for_supplier_at(&a, &breach_clock, &breached, chrono::Utc::now());
    // Another policy's clock on the same claim, and a case's clock, count for nothing here.
    publish(&closed(&claims[2].id, "some_other_policy", escalation::ClockOutcome::MetLate));
    let case_clock = escalation::ClockClosed {
        subject_kind: "case".into(),
        ..closed(&claims[0].id, "supplier_response", escalation::ClockOutcome::MetLate)
    };
    publish(&case_clock);

    let card = scorecard_once(&app, &a, |c| c.acknowledged_on_time + c.acknowledged_late == 3).await;
    assert_eq!(
        (card.claims_sent, card.acknowledged_on_time, card.acknowledged_late, card.acknowledgement_excused),
        (3, 1, 2, 0)
    );
    assert_eq!(card.acknowledgement_on_time_rate_bp, 3_333, "1 on time of 3 judged");
    assert_eq!(card.costs.len(), 1);
    assert_eq!(card.costs[0].claimed.as_ref().map(|m| m.units_minor), Some(375_000), "3 × 1,250.00 CNY");
    assert!(card.mean_seconds_to_acknowledge >= 0);

    // The OEM waives the breached clock: the engine closes it WAIVED, and it leaves the rate.
    let waived = escalation::ClockClosed {
        clock_id: breach_clock.clone(),
        ..closed(&claims[2].id, "supplier_response", escalation::ClockOutcome::Waived)
    };
    engine.publish_for_supplier_at(&a, &breach_clock, &waived, chrono::Utc::now());
    let card = scorecard_once(&app, &a, |c| c.acknowledgement_excused == 1).await;
    assert_eq!((card.acknowledged_on_time, card.acknowledged_late), (1, 1));
    assert_eq!(card.acknowledgement_on_time_rate_bp, 5_000, "1 on time of 2 judged");
    // (4 × 5,000 + 3 × 0 + 3 × 0) / 10
    assert_eq!(card.score_bp, 2_000);

    let mut scorecards = ScorecardServiceClient::new(app.channel());
    let (start_time, end_time) = period();
    let ranking = scorecards
        .rank_suppliers(app.as_role(Role::OemManager, pb::RankSuppliersRequest { start_time, end_time }))
        .await
        .unwrap()
        .into_inner()
        .scorecards;
    let order: Vec<(&str, i32, i64)> = ranking.iter().map(|c| (c.supplier_code.as_str(), c.rank, c.score_bp)).collect();
    assert_eq!(order, [("SUPPLIER-A", 1, 2_000), ("SUPPLIER-B", 2, 0)]);
}

#[tokio::test]
async fn a_supplier_reads_only_its_own_scorecard_and_never_the_ranking() {
    let (_engine, url) = FakeFeed::serve("clock").await;
    let app = spawn_app_with(&[("AFTERSALES__PEERS__ESCALATION", &url)]).await;
    let a = supplier(&app, "SUPPLIER-A").await;
    let b = supplier(&app, "SUPPLIER-B").await;
    let mut scorecards = ScorecardServiceClient::new(app.channel());
    let own = scorecards.get_scorecard(app.as_supplier(&a, scorecard_of(""))).await.unwrap().into_inner();
    assert_eq!((own.supplier_id.as_str(), own.claims_sent), (a.as_str(), 0));
    let other = scorecards.get_scorecard(app.as_supplier(&a, scorecard_of(&b))).await.unwrap_err();
    assert_eq!(other.code(), Code::PermissionDenied);
    let (start_time, end_time) = period();
    let ranking = scorecards.rank_suppliers(app.as_supplier(&a, pb::RankSuppliersRequest { start_time, end_time }));
    assert_eq!(ranking.await.unwrap_err().code(), Code::PermissionDenied);
    let unknown = scorecard_of(&aftersales_kernel::SupplierId::new().to_string());
    assert_eq!(scorecards.get_scorecard(app.as_role(Role::Quality, unknown)).await.unwrap_err().code(), Code::NotFound);
    let backwards = pb::GetScorecardRequest { start_time: period().1, end_time: period().0, ..scorecard_of(&a) };
    let refused = scorecards.get_scorecard(app.as_role(Role::Quality, backwards)).await.unwrap_err();
    assert_eq!(violated_fields(&refused), ["end_time"]);
    let unnamed = scorecards.get_scorecard(app.as_role(Role::Quality, scorecard_of(""))).await.unwrap_err();
    assert_eq!(violated_fields(&unnamed), ["supplier_id"]);
}
