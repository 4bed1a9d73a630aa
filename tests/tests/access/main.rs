//! The role × tenant harness. Who may call what is data (`tests/access.toml`), kept beside the tests and read by
//! no service. For every RPC of every service, over real gRPC against the real binaries, the harness calls once
//! per role × {a resource of the caller's own tenant, one of a foreign tenant, an id that does not exist} and
//! compares the gRPC code with the table. An RPC a service serves without a row (or without a call here) fails.

mod calls;
mod case_calls;
mod claim_calls;
mod clock_calls;
mod purchasing_calls;
mod requisition_calls;
mod stock_calls;
mod world;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// Roles of DOMAIN.md, in table order.
const ROLES: [&str; 13] = [
    "service_advisor",
    "foreman",
    "technician",
    "qc_inspector",
    "parts_clerk",
    "dealer_manager",
    "oem_support",
    "support_lead",
    "oem_manager",
    "oem_executive",
    "quality",
    "supplier",
    "service",
];

#[derive(Debug, Deserialize)]
struct Table {
    rpc: Vec<Row>,
}

#[derive(Debug, Deserialize)]
struct Row {
    /// The service serving it.
    at: String,
    /// `package.Service/Method`.
    method: String,
    /// Role → [own, foreign, missing].
    #[serde(flatten)]
    expected: BTreeMap<String, [String; 3]>,
}

/// Which resource a call targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The caller's own tenant's.
    Own,
    /// Another tenant's.
    Foreign,
    /// An id that does not exist.
    Missing,
}

const TARGETS: [Target; 3] = [Target::Own, Target::Foreign, Target::Missing];

fn load_table() -> Table {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/access.toml");
    toml::from_str(&std::fs::read_to_string(path).expect("tests/access.toml")).expect("access.toml parses")
}

/// Every RPC the suite serves: (service, `package.Service/Method`), from the compiled descriptor set.
fn served_rpcs() -> BTreeSet<(String, String)> {
    use prost::Message;
    let set = prost_types::FileDescriptorSet::decode(aftersales_proto::FILE_DESCRIPTOR_SET).expect("descriptor set");
    let mut rpcs = BTreeSet::new();
    for file in set.file {
        let package = file.package().to_string();
        for service in &file.service {
            for method in &service.method {
                let name = format!("{package}.{}/{}", service.name(), method.name());
                let hosts: Vec<&str> = match package.strip_prefix("aftersales.").and_then(|p| p.strip_suffix(".v1")) {
                    Some("common") => aftersales_e2e::process::ALL.to_vec(),
                    Some(own) => vec![own],
                    None => vec![],
                };
                for host in hosts {
                    rpcs.insert((host.to_string(), name.clone()));
                }
            }
        }
    }
    rpcs
}

#[tokio::test(flavor = "multi_thread")]
async fn every_rpc_answers_every_role_and_tenant_as_the_table_says() {
    let table = load_table();
    let rows: BTreeMap<(String, String), &Row> =
        table.rpc.iter().map(|r| ((r.at.clone(), r.method.clone()), r)).collect();
    let served = served_rpcs();
    let missing_rows: Vec<_> = served.iter().filter(|key| !rows.contains_key(*key)).collect();
    assert!(missing_rows.is_empty(), "RPCs without a row in tests/access.toml: {missing_rows:#?}");
    let stale_rows: Vec<_> = rows.keys().filter(|key| !served.contains(*key)).collect();
    assert!(stale_rows.is_empty(), "rows for RPCs nobody serves: {stale_rows:#?}");

    let mut world = world::World::build().await;
    let mut mismatches = Vec::new();
    for ((at, method), row) in &rows {
        for role in ROLES {
            let expected = row.expected.get(role).unwrap_or_else(|| panic!("{at} {method}: no entry for role {role}"));
            for (target, expected) in TARGETS.into_iter().zip(expected) {
                let code = calls::call(&mut world, at, method, role, target)
                    .await
                    .unwrap_or_else(|| panic!("{at} {method}: the harness has no call for it"));
                let got = calls::code_name(code);
                if got != expected {
                    mismatches.push(format!("{at} {method} as {role} on {target:?}: expected {expected}, got {got}"));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}
