//! Invoice numbers are gap-free and unique per dealer under concurrent signing, on SQLite and PostgreSQL: a dozen
//! ready orders (made ready by a fake workshop feed that reports the estimated hours as clocked) are each signed by
//! two advisors at once; every order is signed exactly once, the other attempt is refused, and the numbers are
//! exactly 1..=12 — no gap, no repeat — each with one SettlementSigned on the feed. Credit notes count in their own
//! series.

use aftersales_e2e::auth::service_token;
use aftersales_e2e::directory;
use aftersales_e2e::reception::{order_in, requisitions_closed};
use aftersales_e2e::{Backend, Caller, Suite, SuiteOptions, clients, fixtures};
use aftersales_proto::parts::v1 as parts;
use aftersales_proto::reception::v1 as pb;
use aftersales_proto::workshop::v1 as workshop;

const ORDERS: usize = 12;

async fn gap_free_numbers(backend: Backend) {
    let Some(mut suite) = Suite::start(backend, &["reception"], SuiteOptions::default()).await else {
        return;
    };
    let workshop_feed = suite.fake_workshop.clone().expect("the suite's fake workshop feed");
    let parts_feed = suite.fake_parts.clone().expect("the suite's fake parts feed");
    let data = suite.data_dir();
    let dealer = aftersales_kernel::DealerId::new().to_string();
    directory::register_dealer(suite.service("reception"), &data, &dealer, "INV", 1300).await;
    let advisor = Caller::dealer("service_advisor", &dealer).token(&data);
    let orders = clients::orders(suite.service("reception"), &advisor).await;
    let settlements = clients::settlements(suite.service("reception"), &advisor).await;

    let mut ids = Vec::new();
    for _ in 0..ORDERS {
        let order =
            orders.clone().create_repair_order(fixtures::create_repair_order(false)).await.unwrap().into_inner();
        let approved = orders.clone().approve_estimate(fixtures::approve(&order.id)).await.unwrap().into_inner();
        let job = uuid::Uuid::now_v7().to_string();
        let started = workshop::JobStarted {
            job_id: job.clone(),
            dealer_id: dealer.clone(),
            repair_order_id: order.id.clone(),
            ..Default::default()
        };
        workshop_feed.publish(&dealer, &job, &started);
        // Workshop clocked exactly the estimate: no variance to explain.
        let operations = approved
            .lines
            .iter()
            .filter_map(|line| match &line.item {
                Some(pb::repair_order_line::Item::Labour(labour)) => Some(workshop::JobOperation {
                    line_id: line.line_id.clone(),
                    operation_code: labour.operation_code.clone(),
                    estimated_hours_hundredths: labour.estimated_hours_hundredths,
                    actual_hours_hundredths: labour.estimated_hours_hundredths,
                    additional_work_id: String::new(),
                }),
                _ => None,
            })
            .collect();
        let ready = workshop::JobReady {
            job_id: job.clone(),
            dealer_id: dealer.clone(),
            repair_order_id: order.id.clone(),
            operations,
            ..Default::default()
        };
        workshop_feed.publish(&dealer, &job, &ready);
        // Parts issued exactly the consented parts and closed the order's requisitions.
        let used = approved
            .lines
            .iter()
            .filter_map(|line| match &line.item {
                Some(pb::repair_order_line::Item::Part(part)) => Some(parts::UsedPart {
                    line_id: line.line_id.clone(),
                    part_number: part.part_number.clone(),
                    quantity_hundredths: part.quantity_hundredths,
                }),
                _ => None,
            })
            .collect();
        let closed = parts::RequisitionsClosed {
            repair_order_id: order.id.clone(),
            dealer_id: dealer.clone(),
            used,
            ..Default::default()
        };
        parts_feed.publish(&dealer, &order.id, &closed);
        ids.push(order.id);
    }
    for id in &ids {
        order_in(&orders, id, pb::RepairOrderState::Ready).await;
        requisitions_closed(&settlements, id).await;
    }

    // Two advisors sign every order at the same moment.
    let attempts = ids.iter().flat_map(|id| [id.clone(), id.clone()]).map(|id| {
        let mut settlements = settlements.clone();
        tokio::spawn(async move {
            let request = pb::SignSettlementRequest {
                request_id: uuid::Uuid::now_v7().to_string(),
                repair_order_id: id,
                signed_by: "Li Wei".into(),
                signature_reference: "sig://desk".into(),
            };
            settlements.sign_settlement(request).await
        })
    });
    let results = futures::future::join_all(attempts).await;
    let mut numbers = Vec::new();
    let mut refused = 0;
    for result in results {
        match result.expect("task") {
            Ok(signed) => numbers.push(signed.into_inner().invoice_number),
            Err(status) => {
                assert!(matches!(status.code(), tonic::Code::FailedPrecondition | tonic::Code::Aborted), "{status:?}");
                refused += 1;
            }
        }
    }
    numbers.sort();
    let expected: Vec<String> = (1..=ORDERS).map(|n| format!("INV-{n:06}")).collect();
    assert_eq!(numbers, expected, "every order signed once, numbers 1..={ORDERS} without gaps");
    assert_eq!(refused, ORDERS, "each second signature refused");

    // Credit notes have their own series.
    let manager = Caller::dealer("dealer_manager", &dealer).token(&data);
    let mut credits = clients::settlements(suite.service("reception"), &manager).await;
    for (n, id) in ids.iter().take(2).enumerate() {
        let request = pb::IssueCreditNoteRequest {
            request_id: uuid::Uuid::now_v7().to_string(),
            repair_order_id: id.clone(),
            amount: fixtures::eur(500),
            reason: "goodwill for the wait".into(),
        };
        let credited = credits.issue_credit_note(request).await.unwrap().into_inner();
        assert_eq!(credited.credit_notes.last().unwrap().number, format!("INV-CN-{:06}", n + 1));
    }

    let feed = clients::feed(suite.service("reception"), &service_token(&data, "workshop")).await;
    // The dealer, each order created, approved and signed, two credit notes.
    let events = clients::at_least_events(&feed, 1 + 3 * ORDERS + 2).await;
    let signed = events.iter().filter(|e| e.event_type.ends_with(".SettlementSigned"));
    assert_eq!(signed.count(), ORDERS);
}

#[tokio::test(flavor = "multi_thread")]
async fn invoice_numbers_are_gap_free_under_concurrent_signing_on_sqlite() {
    gap_free_numbers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn invoice_numbers_are_gap_free_under_concurrent_signing_on_postgres() {
    gap_free_numbers(Backend::Postgres).await;
}
