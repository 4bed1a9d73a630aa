//! The approved-supplier list follows the supplier service's feed: each `SupplierStatusChanged` (a registration or
//! a status change) becomes the supplier's row, set by "supplier-service" at the event's time; an event parts cannot
//! list is passed over without holding up the feed, and the same change published twice leaves the row as it was.
//! The supplier feed here is a fake one the test publishes on; the rest of the suite runs the real service.

use std::time::Duration;

use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_kernel::SupplierId;
use aftersales_proto::parts::v1::{ListSuppliersRequest, Supplier, SupplierStatus};
use aftersales_proto::supplier::v1 as supplier;
use aftersales_runtime::auth::Role;
use aftersales_runtime::to_timestamp;
use chrono::{DateTime, SubsecRound, Utc};

use crate::helpers::{TestApp, spawn_app_with};

/// Parts following a fresh fake supplier feed.
async fn following_a_supplier_feed() -> (TestApp, FakeFeed) {
    let (feed, url) = FakeFeed::serve("supplier").await;
    let app = spawn_app_with(&[("AFTERSALES__PEERS__SUPPLIER", &url)]).await;
    (app, feed)
}

fn changed(
    id: &str,
    status: supplier::SupplierStatus,
    previous: supplier::SupplierStatus,
    reason: &str,
) -> supplier::SupplierStatusChanged {
    supplier::SupplierStatusChanged {
        supplier_id: id.into(),
        code: "MANN-NJ".into(),
        name: "Mann+Hummel Nanjing".into(),
        status: status as i32,
        previous_status: previous as i32,
        reason: reason.into(),
    }
}

/// A registration of a fresh supplier with `status`, published at `at`; its id.
fn register(feed: &FakeFeed, status: supplier::SupplierStatus, at: DateTime<Utc>) -> String {
    let id = SupplierId::new().to_string();
    feed.publish_for_supplier_at(&id, &id, &changed(&id, status, supplier::SupplierStatus::Unspecified, ""), at);
    id
}

/// Now, to the microsecond parts keeps.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The whole list, as the OEM's manager reads it.
async fn list(app: &TestApp) -> Vec<Supplier> {
    let request = app.as_role(Role::OemManager, ListSuppliersRequest::default());
    app.purchasing.clone().list_suppliers(request).await.expect("list suppliers").into_inner().suppliers
}

/// `id` as listed once `done` holds for it (failing after 15 s: parts follows the feed as it is appended).
async fn listed_when(app: &TestApp, id: &str, done: impl Fn(&Supplier) -> bool) -> Supplier {
    for _ in 0..1500 {
        if let Some(found) = list(app).await.into_iter().find(|s| s.supplier_id == id && done(s)) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("parts never listed supplier {id} as expected");
}

#[tokio::test]
async fn a_registered_supplier_is_listed_and_each_status_change_replaces_its_standing() {
    // Arrange
    let (app, feed) = following_a_supplier_feed().await;
    let registered_at = now();

    // Act: registered on probation.
    let id = register(&feed, supplier::SupplierStatus::Probation, registered_at);

    // Assert
    let listed = listed_when(&app, &id, |_| true).await;
    assert_eq!(
        listed,
        Supplier {
            supplier_id: id.clone(),
            name: "Mann+Hummel Nanjing".into(),
            status: SupplierStatus::Probation as i32,
            reason: String::new(),
            updated_by: "supplier-service".into(),
            update_time: Some(to_timestamp(registered_at)),
        }
    );

    // Act: blocked, then approved again.
    for (status, previous, standing) in [
        (supplier::SupplierStatus::Blocked, supplier::SupplierStatus::Probation, SupplierStatus::Blocked),
        (supplier::SupplierStatus::Approved, supplier::SupplierStatus::Blocked, SupplierStatus::Approved),
    ] {
        let at = now();
        let reason = format!("scorecard review: {standing:?}");
        feed.publish_for_supplier_at(&id, &id, &changed(&id, status, previous, &reason), at);

        // Assert
        let listed = listed_when(&app, &id, |s| s.status() == standing).await;
        assert_eq!(
            (listed.reason.as_str(), listed.updated_by.as_str(), listed.update_time),
            (reason.as_str(), "supplier-service", Some(to_timestamp(at))),
            "{standing:?}"
        );
    }
    assert_eq!(list(&app).await.len(), 1, "one row per supplier");
}

#[tokio::test]
async fn the_feed_goes_on_past_an_event_parts_cannot_list_and_a_change_published_twice() {
    // Arrange
    let (app, feed) = following_a_supplier_feed().await;
    let at = now();
    let kept = register(&feed, supplier::SupplierStatus::Approved, at);
    let first = listed_when(&app, &kept, |_| true).await;

    // Act: a status parts has no standing for, the same registration again, then another supplier.
    let unusable = SupplierId::new().to_string();
    let no_status =
        changed(&unusable, supplier::SupplierStatus::Unspecified, supplier::SupplierStatus::Unspecified, "");
    feed.publish_for_supplier_at(&unusable, &unusable, &no_status, at);
    let again = changed(&kept, supplier::SupplierStatus::Approved, supplier::SupplierStatus::Unspecified, "");
    feed.publish_for_supplier_at(&kept, &kept, &again, at);
    let next = register(&feed, supplier::SupplierStatus::Blocked, now());

    // Assert: the next one is listed, so parts went past both; the unusable one is not, the first is unchanged.
    listed_when(&app, &next, |s| s.status() == SupplierStatus::Blocked).await;
    let all = list(&app).await;
    assert!(all.iter().all(|s| s.supplier_id != unusable), "the unusable event listed nothing");
    assert_eq!(all.iter().filter(|s| s.supplier_id == kept).collect::<Vec<_>>(), [&first], "the same row");
    assert_eq!(all.len(), 2);
}
