//! A supplier's record lists the part numbers the parts catalogue designates it for, followed from parts'
//! `CatalogueEntryCreated` (a fake parts feed here): in part-number order, once each, a part without a supplier
//! on no record.

use std::time::Duration;

use aftersales_e2e::fake_feed::FakeFeed;
use aftersales_proto::parts::v1::CatalogueEntryCreated;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Role;

use crate::claims::supplier;
use crate::helpers::spawn_app_with;

fn created(part_number: &str, supplier_id: &str) -> CatalogueEntryCreated {
    CatalogueEntryCreated {
        part_number: part_number.into(),
        supplier_id: supplier_id.into(),
        name: "Injector".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_catalogue_designations_appear_on_the_suppliers_record() {
    let (parts, url) = FakeFeed::serve("catalogue_entry").await;
    let app = spawn_app_with(&[("AFTERSALES__PEERS__PARTS", &url)]).await;
    let a = supplier(&app, "SUPPLIER-A").await;
    let b = supplier(&app, "SUPPLIER-B").await;
    for (part, supplier) in [
        ("INJ-4410", a.as_str()),
        ("A-1001", a.as_str()),
        ("INJ-4410", a.as_str()),
        ("F-2002", b.as_str()),
        ("X-9", ""),
    ] {
        parts.publish_oem("catalogue_entry", part, &created(part, supplier));
    }
    let mut suppliers = app.client.clone();
    // The feed is applied in order: once B's part (the last designation) is there, all before it are too.
    for _ in 0..500 {
        let own = suppliers.get_supplier(app.as_supplier(&b, pb::GetSupplierRequest { id: b.clone() })).await;
        if own.unwrap().into_inner().part_numbers == ["F-2002"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let request = app.as_role(Role::Quality, pb::GetSupplierRequest { id: a.clone() });
    let record = suppliers.get_supplier(request).await.unwrap().into_inner();
    assert_eq!(record.part_numbers, ["A-1001", "INJ-4410"], "in order, once each");
    let listed =
        suppliers.list_suppliers(app.as_role(Role::OemManager, pb::ListSuppliersRequest::default())).await.unwrap();
    let parts_by_code: Vec<(String, Vec<String>)> =
        listed.into_inner().suppliers.into_iter().map(|s| (s.code, s.part_numbers)).collect();
    assert_eq!(
        parts_by_code,
        [("SUPPLIER-A".into(), vec!["A-1001".into(), "INJ-4410".into()]), ("SUPPLIER-B".into(), vec!["F-2002".into()])]
    );
}
