//! The caller as handlers see it, and the tenancy questions they ask of it.

use aftersales_kernel::{DealerId, SupplierId};

use crate::errors::AppError;

/// Every role of DOMAIN.md ("Roles and who may see what").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 服务顾问: receives customers, writes orders, records consent, settles.
    ServiceAdvisor,
    /// 班组长: assigns jobs.
    Foreman,
    /// 维修技师: works jobs.
    Technician,
    /// 质量检验员: inspects finished jobs.
    QcInspector,
    /// 配件管理人员: stock.
    PartsClerk,
    /// Everything of one dealer.
    DealerManager,
    /// 技术支持: handles cases for all dealers.
    OemSupport,
    /// 技术支持组长: leads a support group.
    SupportLead,
    /// 售后服务部门负责人: runs the after-sales department.
    OemManager,
    /// 公司管理层: approves responsibility reports.
    OemExecutive,
    /// 质量控制部门: investigations, supplier claims.
    Quality,
    /// One supplier's system.
    Supplier,
    /// One of the five services.
    Service,
}

impl Role {
    /// Every role, for tests and tooling.
    pub const ALL: [Role; 13] = [
        Role::ServiceAdvisor,
        Role::Foreman,
        Role::Technician,
        Role::QcInspector,
        Role::PartsClerk,
        Role::DealerManager,
        Role::OemSupport,
        Role::SupportLead,
        Role::OemManager,
        Role::OemExecutive,
        Role::Quality,
        Role::Supplier,
        Role::Service,
    ];

    /// Every member of staff: the six dealer roles and the five OEM roles (not suppliers, not services).
    pub const STAFF: [Role; 11] = [
        Role::ServiceAdvisor,
        Role::Foreman,
        Role::Technician,
        Role::QcInspector,
        Role::PartsClerk,
        Role::DealerManager,
        Role::OemSupport,
        Role::SupportLead,
        Role::OemManager,
        Role::OemExecutive,
        Role::Quality,
    ];

    /// The role's name in tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ServiceAdvisor => "service_advisor",
            Role::Foreman => "foreman",
            Role::Technician => "technician",
            Role::QcInspector => "qc_inspector",
            Role::PartsClerk => "parts_clerk",
            Role::DealerManager => "dealer_manager",
            Role::OemSupport => "oem_support",
            Role::SupportLead => "support_lead",
            Role::OemManager => "oem_manager",
            Role::OemExecutive => "oem_executive",
            Role::Quality => "quality",
            Role::Supplier => "supplier",
            Role::Service => "service",
        }
    }

    /// Parses a token's `role` claim.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Staff of one dealer.
    pub fn is_dealer_staff(self) -> bool {
        matches!(
            self,
            Role::ServiceAdvisor
                | Role::Foreman
                | Role::Technician
                | Role::QcInspector
                | Role::PartsClerk
                | Role::DealerManager
        )
    }

    /// Staff of the OEM (see every dealer).
    pub fn is_oem_staff(self) -> bool {
        matches!(self, Role::OemSupport | Role::SupportLead | Role::OemManager | Role::OemExecutive | Role::Quality)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose data the caller belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tenant {
    /// A dealer's staff.
    Dealer(DealerId),
    /// A supplier's system.
    Supplier(SupplierId),
    /// The OEM's staff: every dealer.
    Oem,
    /// A service (its name).
    Service(String),
}

/// A verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Token subject: the staff member, supplier system or service name.
    pub subject: String,
    /// What they may do.
    pub role: Role,
    /// Whose data they may see.
    pub tenant: Tenant,
}

/// Which dealers a list call covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DealerScope {
    /// Every dealer (OEM callers who named none).
    All,
    /// One dealer.
    Only(DealerId),
}

impl Principal {
    /// PERMISSION_DENIED unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::PermissionDenied(format!("role {} may not make this call", self.role)))
        }
    }

    /// The caller's dealer, if it is a dealer's staff.
    pub fn dealer(&self) -> Option<DealerId> {
        match &self.tenant {
            Tenant::Dealer(id) => Some(*id),
            _ => None,
        }
    }

    /// The caller's supplier, if it is a supplier system.
    pub fn supplier(&self) -> Option<SupplierId> {
        match &self.tenant {
            Tenant::Supplier(id) => Some(*id),
            _ => None,
        }
    }

    /// Whether the caller may see data of `dealer` (its own dealer, or any for OEM staff and services).
    pub fn can_see_dealer(&self, dealer: &DealerId) -> bool {
        match &self.tenant {
            Tenant::Dealer(own) => own == dealer,
            Tenant::Oem | Tenant::Service(_) => true,
            Tenant::Supplier(_) => false,
        }
    }

    /// The dealers a list covers, given the dealer the request names (empty for none). Dealer staff naming
    /// another dealer are refused with PERMISSION_DENIED (they named another tenant explicitly).
    pub fn dealer_scope(&self, requested: Option<DealerId>) -> Result<DealerScope, AppError> {
        match (&self.tenant, requested) {
            (Tenant::Dealer(own), None) => Ok(DealerScope::Only(*own)),
            (Tenant::Dealer(own), Some(asked)) if asked == *own => Ok(DealerScope::Only(asked)),
            (Tenant::Dealer(_), Some(_)) => {
                Err(AppError::PermissionDenied("dealer staff may only list their own dealer".into()))
            }
            (Tenant::Oem | Tenant::Service(_), None) => Ok(DealerScope::All),
            (Tenant::Oem | Tenant::Service(_), Some(asked)) => Ok(DealerScope::Only(asked)),
            (Tenant::Supplier(_), _) => Err(AppError::PermissionDenied("suppliers may not list dealer data".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor(dealer: DealerId) -> Principal {
        Principal { subject: "alice".into(), role: Role::ServiceAdvisor, tenant: Tenant::Dealer(dealer) }
    }

    #[test]
    fn every_role_round_trips_through_its_token_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("janitor"), None);
    }

    #[test]
    fn staff_are_exactly_the_dealer_and_oem_roles() {
        for role in Role::ALL {
            assert_eq!(Role::STAFF.contains(&role), role.is_dealer_staff() || role.is_oem_staff(), "{role}");
        }
    }

    #[test]
    fn dealer_staff_see_only_their_own_dealer() {
        let (own, other) = (DealerId::new(), DealerId::new());
        assert!(advisor(own).can_see_dealer(&own));
        assert!(!advisor(own).can_see_dealer(&other));
    }

    #[test]
    fn dealer_staff_naming_another_dealer_are_refused() {
        let (own, other) = (DealerId::new(), DealerId::new());
        assert_eq!(advisor(own).dealer_scope(None).unwrap(), DealerScope::Only(own));
        assert!(matches!(advisor(own).dealer_scope(Some(other)), Err(AppError::PermissionDenied(_))));
    }

    #[test]
    fn oem_staff_list_every_dealer_unless_they_name_one() {
        let oem = Principal { subject: "o".into(), role: Role::OemSupport, tenant: Tenant::Oem };
        assert_eq!(oem.dealer_scope(None).unwrap(), DealerScope::All);
    }
}
