//! A dealer's staff: a token subject belongs to one dealer, with a display name, a role and a contact; someone who
//! leaves is deactivated, never deleted (their name stays on the records they signed).

use aftersales_kernel::DealerId;
use chrono::{DateTime, Utc};

/// What a member of staff does at the dealer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffRole {
    /// 服务顾问.
    ServiceAdvisor,
    /// 班组长.
    Foreman,
    /// 维修技师.
    Technician,
    /// 质量检验员.
    QcInspector,
    /// 配件管理人员.
    PartsClerk,
    /// The manager.
    DealerManager,
}

impl StaffRole {
    /// Every role.
    pub const ALL: [StaffRole; 6] = [
        StaffRole::ServiceAdvisor,
        StaffRole::Foreman,
        StaffRole::Technician,
        StaffRole::QcInspector,
        StaffRole::PartsClerk,
        StaffRole::DealerManager,
    ];

    /// Stable name (the token role name).
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::ServiceAdvisor => "service_advisor",
            StaffRole::Foreman => "foreman",
            StaffRole::Technician => "technician",
            StaffRole::QcInspector => "qc_inspector",
            StaffRole::PartsClerk => "parts_clerk",
            StaffRole::DealerManager => "dealer_manager",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<StaffRole> {
        StaffRole::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// What the manager keeps about a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffProfile {
    /// Display name.
    pub name: String,
    /// Role.
    pub role: StaffRole,
    /// Contact for customers; may be empty.
    pub contact: String,
    /// Still working there.
    pub active: bool,
}

/// A member of a dealer's staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    /// Token subject.
    pub subject: String,
    /// The dealer.
    pub dealer_id: DealerId,
    /// Name, role, contact, active.
    pub profile: StaffProfile,
    /// When added.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change (the etag).
    pub revision: i64,
}

impl StaffMember {
    /// A member added now to `dealer`.
    pub fn add(subject: String, dealer_id: DealerId, profile: StaffProfile, now: DateTime<Utc>) -> StaffMember {
        StaffMember { subject, dealer_id, profile, created_at: now, updated_at: now, revision: 1 }
    }

    /// Replaces the profile.
    pub fn update(&mut self, profile: StaffProfile, now: DateTime<Utc>) {
        self.profile = profile;
        self.updated_at = now;
        self.revision += 1;
    }
}
