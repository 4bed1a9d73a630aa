//! No customer personal data in anything a supplier receives: every field of every message `ClaimService` answers
//! or streams — nested messages included — is checked by name against what would identify a customer or their
//! vehicle. (The values are checked end to end in `tests/tests/supplier_day.rs`: a claim drafted from a real case
//! and a real warranty failure carries none of their customer's or vehicle's data.)

use std::collections::{BTreeSet, VecDeque};

use prost::Message;
use prost_types::{DescriptorProto, FileDescriptorSet};

/// Name parts that would carry a customer's identity or their vehicle's.
const PERSONAL: [&str; 10] =
    ["vin", "serial", "customer", "owner", "phone", "address", "email", "plate", "name", "contact"];

fn messages() -> Vec<(String, DescriptorProto)> {
    let set = FileDescriptorSet::decode(aftersales_proto::FILE_DESCRIPTOR_SET).expect("descriptor set");
    let mut all = Vec::new();
    for file in set.file {
        let package = file.package().to_string();
        for message in file.message_type {
            all.push((format!(".{package}.{}", message.name()), message));
        }
    }
    all
}

#[test]
fn no_field_a_supplier_receives_names_a_customer_or_their_vehicle() {
    let set = FileDescriptorSet::decode(aftersales_proto::FILE_DESCRIPTOR_SET).expect("descriptor set");
    let service = set
        .file
        .iter()
        .flat_map(|f| &f.service)
        .find(|s| s.name() == "ClaimService")
        .expect("ClaimService is compiled");
    let messages = messages();
    let mut queue: VecDeque<String> = service.method.iter().map(|m| m.output_type().to_string()).collect();
    let mut seen = BTreeSet::new();
    let mut fields = 0;
    while let Some(type_name) = queue.pop_front() {
        if !seen.insert(type_name.clone()) {
            continue;
        }
        let Some((_, message)) = messages.iter().find(|(name, _)| *name == type_name) else {
            continue; // google.protobuf well-known types: timestamps
        };
        for field in &message.field {
            fields += 1;
            let name = field.name().to_lowercase();
            let hit = PERSONAL.iter().find(|part| name.split('_').any(|word| word == **part));
            assert!(hit.is_none(), "{type_name}.{} is supplier-visible and names {hit:?}", field.name());
            if !field.type_name().is_empty() {
                queue.push_back(field.type_name().to_string());
            }
        }
    }
    assert!(seen.contains(".aftersales.supplier.v1.Claim") && seen.contains(".aftersales.supplier.v1.ClaimChange"));
    assert!(fields > 60, "every field of the claim and what nests in it was walked ({fields})");
}
