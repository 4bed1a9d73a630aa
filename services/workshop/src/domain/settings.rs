//! A dealer's workshop settings (DOMAIN.md, Workshop 2: "dealer workshop settings (e.g. automatic assignment)
//! live here").
//!
//! Rules: a dealer that never saved settings has the defaults — automatic assignment **off**, revision 0; every
//! save bumps the revision (the etag), and a save against a stale revision is refused; saving what is already
//! there changes nothing.

use aftersales_kernel::DealerId;
use chrono::{DateTime, Utc};

/// One dealer's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopSettings {
    /// The dealer.
    pub dealer_id: DealerId,
    /// Jobs go to the suggested technician without the foreman.
    pub automatic_assignment: bool,
    /// Bumped by every change; 0 for the defaults.
    pub revision: i64,
    /// When last changed; `None` for the defaults.
    pub updated_at: Option<DateTime<Utc>>,
}

/// The etag sent was not the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the settings changed since they were read (revision {current})")]
pub struct StaleSettings {
    /// The current revision.
    pub current: i64,
}

impl WorkshopSettings {
    /// The defaults: automatic assignment off.
    pub fn defaults(dealer_id: DealerId) -> WorkshopSettings {
        WorkshopSettings { dealer_id, automatic_assignment: false, revision: 0, updated_at: None }
    }

    /// The etag of this revision.
    pub fn etag(&self) -> String {
        self.revision.to_string()
    }

    /// Applies a full replacement read at revision `etag`. `Ok(true)` when something changed.
    pub fn update(&mut self, etag: i64, automatic_assignment: bool, now: DateTime<Utc>) -> Result<bool, StaleSettings> {
        if etag != self.revision {
            return Err(StaleSettings { current: self.revision });
        }
        if self.automatic_assignment == automatic_assignment {
            return Ok(false);
        }
        self.automatic_assignment = automatic_assignment;
        self.revision += 1;
        self.updated_at = Some(now);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dealer_starts_with_automatic_assignment_off_at_revision_zero() {
        let settings = WorkshopSettings::defaults(DealerId::new());
        assert!(!settings.automatic_assignment);
        assert_eq!(settings.etag(), "0");
    }

    #[test]
    fn a_change_bumps_the_revision_and_a_stale_etag_is_refused() {
        let now = chrono::Utc::now();
        let mut settings = WorkshopSettings::defaults(DealerId::new());
        assert_eq!(settings.update(0, true, now), Ok(true));
        assert_eq!((settings.revision, settings.updated_at), (1, Some(now)));
        assert_eq!(settings.update(0, false, now), Err(StaleSettings { current: 1 }));
        assert!(settings.automatic_assignment);
    }

    #[test]
    fn saving_what_is_there_changes_nothing() {
        let mut settings = WorkshopSettings::defaults(DealerId::new());
        assert_eq!(settings.update(0, false, chrono::Utc::now()), Ok(false));
        assert_eq!(settings.revision, 0);
    }
}
