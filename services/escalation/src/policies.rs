//! The default policy set — the files under `config/policies/`, compiled in — published as version 1 on the first
//! start; later versions come through `PolicyService/PublishPolicies`.

use crate::domain::sla::{PolicyError, PolicySet};

/// The files of the default set, in the order they are merged.
const DEFAULT_FILES: [(&str, &str); 4] = [
    ("ladders.toml", include_str!("../../../config/policies/ladders.toml")),
    ("dealer.toml", include_str!("../../../config/policies/dealer.toml")),
    ("supplier.toml", include_str!("../../../config/policies/supplier.toml")),
    ("cases.toml", include_str!("../../../config/policies/cases.toml")),
];

/// The default set.
pub fn defaults() -> Result<PolicySet, PolicyError> {
    let mut set = PolicySet::default();
    for (name, text) in DEFAULT_FILES {
        let file = PolicySet::from_toml(text)
            .map_err(|e| PolicyError { path: format!("{name}: {}", e.path), message: e.message })?;
        set.merge(file);
    }
    Ok(set)
}
