//! Case categories and support groups are configuration (`config/cases/routing.toml`). Rules:
//! - triage picks one of the configured categories;
//! - every category names the support group that handles it; assignment without a group goes there;
//! - a case may be assigned only to a configured group;
//! - names are lower-case letters, digits and '_', each used once.

use serde::Deserialize;

/// A support group.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Its name, e.g. `engine_support`.
    pub name: String,
    /// What it handles.
    #[serde(default)]
    pub description: String,
}

/// A case category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Its name, e.g. `cold_start`.
    pub name: String,
    /// What it covers.
    #[serde(default)]
    pub description: String,
    /// The group its cases go to.
    pub group: String,
}

/// The categories and groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Support groups.
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    /// Categories.
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
}

/// Why a routing file is refused: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct RoutingError {
    /// E.g. `category[2].group`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Routing {
    /// Reads and checks a routing file.
    pub fn from_toml(text: &str) -> Result<Routing, RoutingError> {
        let routing: Routing =
            toml::from_str(text).map_err(|e| RoutingError { path: "routing".into(), message: e.to_string() })?;
        routing.check()?;
        Ok(routing)
    }

    fn check(&self) -> Result<(), RoutingError> {
        let fail = |path: String, message: &str| Err(RoutingError { path, message: message.into() });
        let mut seen = std::collections::BTreeSet::new();
        for (i, g) in self.groups.iter().enumerate() {
            if !is_name(&g.name) || !seen.insert(g.name.as_str()) {
                return fail(format!("group[{i}].name"), "must be a new name of lower-case letters, digits and '_'");
            }
        }
        let mut categories = std::collections::BTreeSet::new();
        for (i, c) in self.categories.iter().enumerate() {
            if !is_name(&c.name) || !categories.insert(c.name.as_str()) {
                return fail(format!("category[{i}].name"), "must be a new name of lower-case letters, digits and '_'");
            }
            if self.group(&c.group).is_none() {
                return fail(format!("category[{i}].group"), "names no group of the file");
            }
        }
        if self.categories.is_empty() {
            return fail("category".into(), "needs at least one category");
        }
        Ok(())
    }

    /// A configured category.
    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// A configured group.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// The category names, for error messages.
    pub fn category_names(&self) -> String {
        self.categories.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[group]]
name = "engine_support"

[[group]]
name = "fuel_system_support"

[[category]]
name = "cold_start"
group = "engine_support"

[[category]]
name = "fuel_system"
group = "fuel_system_support"
"#;

    #[test]
    fn every_category_goes_to_its_group() {
        let routing = Routing::from_toml(FILE).unwrap();
        assert_eq!(routing.category("cold_start").unwrap().group, "engine_support");
        assert_eq!(routing.category("fuel_system").unwrap().group, "fuel_system_support");
        assert!(routing.category("gearbox").is_none(), "only configured categories");
        assert!(routing.group("fuel_system_support").is_some());
    }

    #[test]
    fn a_category_naming_no_group_is_refused_naming_where() {
        let error =
            Routing::from_toml(&FILE.replace("group = \"fuel_system_support\"", "group = \"nobody\"")).unwrap_err();
        assert_eq!(error.path, "category[1].group");
    }

    #[test]
    fn names_are_lower_case_and_used_once() {
        let twice = format!("{FILE}\n[[category]]\nname = \"cold_start\"\ngroup = \"engine_support\"\n");
        assert_eq!(Routing::from_toml(&twice).unwrap_err().path, "category[2].name");
        let upper = FILE.replace("name = \"engine_support\"", "name = \"Engine\"");
        assert_eq!(Routing::from_toml(&upper).unwrap_err().path, "group[0].name");
    }

    #[test]
    fn the_file_in_config_is_valid() {
        let routing = Routing::from_toml(include_str!("../../../../config/cases/routing.toml")).unwrap();
        assert_eq!(routing.category("cold_start").unwrap().group, "engine_support");
    }
}
