//! Policies are data, on SQLite and PostgreSQL, with escalation following fake reception and workshop feeds on a
//! manual clock. Through PolicyService the OEM publishes version 2: the appointment confirmation target raised to
//! 1 hour, and a new policy — a created urgent order's estimate approved within 20 minutes, on an event pair and a
//! condition no default uses, climbing the OEM ladder. A clock started under version 1 keeps its 15 minutes; one
//! started after gets the hour; the new policy's clock starts only where its condition holds, breaches and escalates
//! with no code change. A job estimated over 2 hours needs a customer notice every hour: the first hour's notice
//! meets it, the second hour breaches, and the job's readiness stops it. Bad policy sets are refused naming where.
//! A general inquiry's reply clock counts only the dealer's opening hours.

use std::time::Duration;

use aftersales_e2e::auth::service_token;
use aftersales_e2e::expect::names_field;
use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_e2e::{Backend, Bearer, Caller, Suite, SuiteOptions, clients, wait};
use aftersales_proto::escalation::v1 as esc;
use aftersales_proto::escalation::v1::clock_service_client::ClockServiceClient;
use aftersales_proto::escalation::v1::policy_service_client::PolicyServiceClient;
use aftersales_proto::reception::v1 as reception;
use aftersales_proto::workshop::v1 as workshop;
use aftersales_runtime::outbox::decode_payload;

const ESTIMATE_SIGNOFF: &str = r#"
[[policy]]
name = "estimate_signoff"
description = "An urgent order's estimate is approved within 20 minutes of the order."
subject_kind = "repair_order"
start = [{ event = "aftersales.reception.v1.RepairOrderCreated", subject = "repair_order_id" }]
conditions = [{ field = "urgent", op = "eq", value = true }, { field = "estimate_version", op = "ge", value = 1 }]
due = { after = "20m" }
met_by = [{ event = "aftersales.reception.v1.RepairOrderApproved", subject = "repair_order_id" }]
ladder = "oem"
"#;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

async fn policies_are_data(backend: Backend) {
    let (reception_feed, reception_url) = FakeFeed::serve("repair_order").await;
    let (workshop_feed, workshop_url) = FakeFeed::serve("job").await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__CLOCK__MODE", "manual")
        .with_for("escalation", "AFTERSALES__PEERS__RECEPTION", &reception_url)
        .with_for("escalation", "AFTERSALES__PEERS__WORKSHOP", &workshop_url);
    let Some(mut suite) = Suite::start(backend, &["escalation"], options).await else { return };
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let channel = suite.service("escalation").channel().await;
    let oem = |role: &str| Bearer(Some(Caller::role(role).token(&data)));
    let mut policies = PolicyServiceClient::with_interceptor(channel.clone(), oem("oem_manager"));
    let clocks = ClockServiceClient::with_interceptor(channel.clone(), oem("oem_support"));
    let clocks_of = |subject: &str, count: usize| {
        let (clocks, subject) = (clocks.clone(), subject.to_string());
        async move {
            wait::until(Duration::from_secs(15), "the subject's clocks", || {
                let (mut clocks, subject) = (clocks.clone(), subject.clone());
                async move {
                    let request = esc::ListClocksRequest { subject_id: subject, page: None };
                    Some(clocks.list_clocks(request).await.ok()?.into_inner().clocks).filter(|c| c.len() == count)
                }
            })
            .await
        }
    };
    let requested = |appointment: &str| reception::AppointmentRequested {
        appointment_id: appointment.to_string(),
        dealer_id: dealer.clone(),
        ..Default::default()
    };

    // Under version 1: 15 minutes to confirm.
    let (before, after) = (id(), id());
    reception_feed.publish(&dealer, &before, &requested(&before));
    let old = clocks_of(&before, 1).await.remove(0);
    assert_eq!(old.version, 1);

    // Version 2: the defaults with a 1-hour confirmation, and the new policy.
    let v1 = policies.get_policies(esc::GetPoliciesRequest { version: 0 }).await.unwrap().into_inner();
    assert_eq!((v1.version, v1.published_by.as_str()), (1, "defaults"));
    let text = v1.policies_toml.replacen("after = \"15m\"", "after = \"1h\"", 1) + ESTIMATE_SIGNOFF;
    let publish = |text: String| esc::PublishPoliciesRequest {
        request_id: id(),
        policies_toml: text,
        note: "2027 targets".into(),
    };
    let v2 = policies.publish_policies(publish(text.clone())).await.unwrap().into_inner();
    assert_eq!(v2.version, 2);
    assert!(v2.policy_names.iter().any(|n| n == "estimate_signoff"));

    // Bad sets are refused with where; nothing is published.
    for (broken, case) in [
        (text.replace("RepairOrderCreated", "RepairOrderCreatd"), "an event that does not exist"),
        (text.replace("\"estimate_version\"", "\"estimate\""), "a field the event lacks"),
        (text.replace("ladder = \"oem\"\n", "ladder = \"nobody\"\n"), "a ladder the set lacks"),
        ("policy = 3".to_string(), "not the form"),
    ] {
        let refused = policies.publish_policies(publish(broken)).await;
        names_field(refused, "policies_toml", case);
    }
    let newest = policies.get_policies(esc::GetPoliciesRequest { version: 0 }).await.unwrap().into_inner();
    assert_eq!(newest.version, 2, "nothing else was published");

    reception_feed.publish(&dealer, &after, &requested(&after));
    let new = clocks_of(&after, 1).await.remove(0);
    assert_eq!(new.version, 2);
    let span =
        |c: &esc::ClockExplanation| c.due_time.as_ref().unwrap().seconds - c.start_time.as_ref().unwrap().seconds;
    assert_eq!((span(&old), span(&new)), (15 * 60, 60 * 60), "a running clock keeps its version's target");

    // The new policy: only an urgent order with an estimate starts it.
    let created = |order: &str, urgent: bool, estimate_version: i32| reception::RepairOrderCreated {
        repair_order_id: order.to_string(),
        dealer_id: dealer.clone(),
        urgent,
        estimate_version,
        ..Default::default()
    };
    let (urgent, plain) = (id(), id());
    reception_feed.publish(&dealer, &plain, &created(&plain, false, 1));
    reception_feed.publish(&dealer, &urgent, &created(&urgent, true, 1));
    let signoff = clocks_of(&urgent, 1).await.remove(0);
    assert_eq!(signoff.policy, "estimate_signoff");
    assert!(clocks_of(&plain, 0).await.is_empty(), "the condition does not hold");

    // A job estimated at 2.5 h starts the hourly customer-progress clock; the first hour's notice meets it.
    let order = id();
    let started = workshop::JobStarted {
        job_id: id(),
        dealer_id: dealer.clone(),
        repair_order_id: order.clone(),
        estimated_hours_hundredths: 250,
        ..Default::default()
    };
    workshop_feed.publish(&dealer, &order, &started);
    let progress = clocks_of(&order, 1).await.remove(0);
    assert_eq!(progress.policy, "customer_progress");
    let notice = reception::CustomerProgressNotified {
        repair_order_id: order.clone(),
        dealer_id: dealer.clone(),
        notice_id: id(),
        ..Default::default()
    };
    reception_feed.publish(&dealer, &order, &notice);
    let explain = |clock: &str| {
        let (mut clocks, clock) = (clocks.clone(), clock.to_string());
        async move { clocks.explain_clock(esc::ExplainClockRequest { clock_id: clock }).await.unwrap().into_inner() }
    };
    wait::until(Duration::from_secs(15), "the first hour met", || async {
        Some(explain(&progress.clock_id).await).filter(|c| c.period == 1)
    })
    .await;

    // 21 minutes on: the urgent estimate was not approved — the OEM ladder's support lead hears of it.
    suite.advance(minutes(21)).await;
    let breached = wait::until(Duration::from_secs(15), "the estimate clock's breach", || async {
        Some(explain(&signoff.clock_id).await).filter(|c| c.level == 1)
    })
    .await;
    let kinds: Vec<&str> = breached.history.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["started", "breached", "escalated"]);
    assert_eq!(breached.history[2].role, "support_lead");

    // 2 h 1 min in: no notice in the second hour.
    suite.advance(minutes(100)).await;
    wait::until(Duration::from_secs(15), "the second hour breached", || async {
        let clock = explain(&progress.clock_id).await;
        clock.history.iter().any(|e| e.kind == "breached" && e.period == 1).then_some(())
    })
    .await;
    let ready = workshop::JobReady {
        job_id: id(),
        dealer_id: dealer.clone(),
        repair_order_id: order.clone(),
        ..Default::default()
    };
    workshop_feed.publish(&dealer, &order, &ready);
    let stopped = wait::until(Duration::from_secs(15), "the progress clock stopped", || async {
        Some(explain(&progress.clock_id).await).filter(|c| c.status() == esc::ClockStatus::Stopped)
    })
    .await;
    assert_eq!(stopped.history.iter().filter(|e| e.kind == "breached").count(), 1, "one missed hour, once");

    let feed = clients::feed(suite.service("escalation"), &service_token(&data, "supplier")).await;
    wait::until(Duration::from_secs(15), "ClockClosed on the feed", || {
        let mut feed = feed.clone();
        async move {
            let events = clients::all_events(&mut feed).await;
            events.iter().filter_map(decode_payload::<esc::ClockClosed>).map(Result::unwrap).find(|c| {
                c.policy == "customer_progress" && c.outcome() == esc::ClockOutcome::Stopped && c.breaches == 1
            })
        }
    })
    .await;
}

/// The general inquiry reply counts the dealer's opening hours (reception's directory): taken on Friday at 17:00 in
/// Berlin with hours 08:00–18:00 on weekdays, its 2 hours run out on Monday at 09:00; an urgent one counts every hour.
async fn dealer_hours(backend: Backend) {
    const FRIDAY_5PM_BERLIN: &str = "2026-12-11T16:00:00Z";
    let (reception_feed, reception_url) = FakeFeed::serve("inquiry").await;
    let options = SuiteOptions::default()
        .with("AFTERSALES__CLOCK__MODE", "manual")
        .with("AFTERSALES__CLOCK__START", FRIDAY_5PM_BERLIN)
        .with_for("escalation", "AFTERSALES__PEERS__RECEPTION", &reception_url);
    let Some(mut suite) = Suite::start(backend, &["escalation"], options).await else { return };
    let data = suite.data_dir();
    let at = chrono::DateTime::parse_from_rfc3339(FRIDAY_5PM_BERLIN).unwrap().with_timezone(&chrono::Utc);
    let stamp = |t: chrono::DateTime<chrono::Utc>| Some(prost_types::Timestamp { seconds: t.timestamp(), nanos: 0 });
    let dealer = aftersales_kernel::DealerId::new().to_string();
    let weekday = |day: reception::Weekday| reception::OpeningHours {
        day: day as i32,
        opens: "08:00".into(),
        closes: "18:00".into(),
    };
    use reception::Weekday::*;
    let entry = reception::DealerUpdated {
        dealer: Some(reception::Dealer {
            dealer_id: dealer.clone(),
            time_zone: "Europe/Berlin".into(),
            opening_hours: [Monday, Tuesday, Wednesday, Thursday, Friday].into_iter().map(weekday).collect(),
            update_time: stamp(at),
            ..Default::default()
        }),
    };
    reception_feed.publish_at(&dealer, &dealer, &entry, at);
    let inquiry = |urgent: bool| {
        let id = id();
        let event = reception::InquiryReceived {
            inquiry_id: id.clone(),
            dealer_id: dealer.clone(),
            urgent,
            ..Default::default()
        };
        reception_feed.publish_at(&dealer, &id, &event, at);
        id
    };
    let (general, urgent) = (inquiry(false), inquiry(true));
    let support = Bearer(Some(Caller::role("oem_support").token(&data)));
    let clocks = ClockServiceClient::with_interceptor(suite.service("escalation").channel().await, support);
    let due_of = |subject: String| {
        let clocks = clocks.clone();
        async move {
            wait::until(Duration::from_secs(15), "the inquiry's clock", || {
                let (mut clocks, subject) = (clocks.clone(), subject.clone());
                async move {
                    let request = esc::ListClocksRequest { subject_id: subject, page: None };
                    clocks.list_clocks(request).await.ok()?.into_inner().clocks.pop().and_then(|c| c.due_time)
                }
            })
            .await
        }
    };
    let monday_9am_berlin =
        chrono::DateTime::parse_from_rfc3339("2026-12-14T08:00:00Z").unwrap().with_timezone(&chrono::Utc);
    assert_eq!(Some(due_of(general).await), stamp(monday_9am_berlin), "1 h on Friday, 1 h on Monday");
    assert_eq!(Some(due_of(urgent).await), stamp(at + chrono::Duration::minutes(30)), "every hour counts");
}

#[tokio::test(flavor = "multi_thread")]
async fn dealer_hours_on_sqlite() {
    dealer_hours(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dealer_hours_on_postgres() {
    dealer_hours(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_are_data_on_sqlite() {
    policies_are_data(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_are_data_on_postgres() {
    policies_are_data(Backend::Postgres).await;
}
