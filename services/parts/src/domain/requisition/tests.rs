//! The requisition rules, one test each.

use chrono::TimeZone;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

fn job() -> JobLink {
    JobLink {
        job_id: uuid::Uuid::now_v7(),
        dealer_id: DealerId::new(),
        order_id: RepairOrderId::new(),
        vin: Vin::parse("1M8GDM9AXKP042788").unwrap(),
        mileage_km: 42_800,
    }
}

fn asked(quantity: i64) -> Requisition {
    Requisition::request(
        job(),
        Some(uuid::Uuid::now_v7()),
        PartNumber::parse("A-1001").unwrap(),
        quantity,
        "tech",
        now(),
    )
}

fn moved(batch: &str, quantity: i64) -> BatchMove {
    BatchMove {
        movement_id: uuid::Uuid::now_v7(),
        warehouse_id: uuid::Uuid::nil(),
        bin: BinCode::parse("A-01").unwrap(),
        batch: BatchCode::parse(batch).unwrap(),
        quantity,
        by: "clerk".into(),
        at: now(),
    }
}

#[test]
fn only_an_approved_requisition_is_issued() {
    let mut r = asked(200);
    assert!(matches!(r.check_issue(100), Err(RequisitionError::WrongState { .. })));
    r.approve("advisor", now()).unwrap();
    assert_eq!(r.check_issue(100), Ok(()));
    let mut refused = asked(200);
    refused.refuse("not needed", "advisor", now()).unwrap();
    assert_eq!(refused.outstanding(), 0);
    assert!(matches!(refused.approve("advisor", now()), Err(RequisitionError::WrongState { .. })));
}

#[test]
fn issues_may_be_partial_but_never_beyond_what_was_asked() {
    let mut r = asked(200);
    r.approve("advisor", now()).unwrap();
    r.record_issues(vec![moved("L1", 150)]);
    assert_eq!((r.state, r.outstanding()), (RequisitionState::Approved, 50));
    assert_eq!(r.check_issue(51), Err(RequisitionError::BeyondOutstanding { outstanding: 50 }));
    r.record_issues(vec![moved("L1", 30), moved("L2", 20)]);
    assert_eq!((r.state, r.outstanding()), (RequisitionState::Issued, 0));
}

#[test]
fn a_return_names_an_issued_batch_and_never_exceeds_what_is_out() {
    let mut r = asked(200);
    r.approve("advisor", now()).unwrap();
    r.record_issues(vec![moved("L1", 150), moved("L2", 50)]);
    r.record_return(moved("L2", 30)).unwrap();
    assert_eq!(
        r.record_return(moved("L2", 21)),
        Err(RequisitionError::BeyondIssued { batch: BatchCode::parse("L2").unwrap(), out: 20 })
    );
    assert!(matches!(r.record_return(moved("L9", 1)), Err(RequisitionError::BeyondIssued { out: 0, .. })));
    assert_eq!((r.issued(), r.returned()), (200, 30));
}

#[test]
fn what_is_charged_is_issued_less_returned_per_order_line() {
    let mut a = asked(200);
    let line = a.line_id;
    a.approve("advisor", now()).unwrap();
    a.record_issues(vec![moved("L1", 200)]);
    a.record_return(moved("L1", 50)).unwrap();
    let mut b = Requisition { line_id: line, ..asked(100) };
    b.approve("advisor", now()).unwrap();
    b.record_issues(vec![moved("L1", 100)]);
    let mut unused = Requisition { line_id: None, ..asked(100) };
    unused.approve("advisor", now()).unwrap();
    unused.record_issues(vec![moved("L1", 100)]);
    unused.record_return(moved("L1", 100)).unwrap();
    let charged = actuals(&[a, b, unused]);
    assert_eq!(charged, [(line, PartNumber::parse("A-1001").unwrap(), 250)]);
}

#[test]
fn an_order_is_closed_only_when_nothing_is_outstanding() {
    let mut waiting = asked(100);
    assert!(!nothing_outstanding(std::slice::from_ref(&waiting)), "asked and undecided is outstanding");
    waiting.approve("advisor", now()).unwrap();
    waiting.record_issues(vec![moved("L1", 50)]);
    assert!(!nothing_outstanding(std::slice::from_ref(&waiting)), "half issued is outstanding");
    waiting.record_issues(vec![moved("L1", 50)]);
    let mut refused = asked(100);
    refused.refuse("fitted from the car's own stock", "advisor", now()).unwrap();
    assert!(nothing_outstanding(&[waiting, refused]));
    assert!(nothing_outstanding(&[]), "an order without requisitions closes too");
}
