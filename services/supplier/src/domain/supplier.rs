//! A supplier (供应商): a company the OEM buys parts from, named by a code the catalogue uses, reached through
//! its contacts, and in a status that says whether the OEM still buys from it. Supplier systems call the suite
//! with tokens naming their supplier id and see only their own record.
//!
//! Rules (supplier/v1/suppliers.proto):
//! - the name has 1..=200 characters on one line;
//! - the code is 2..=40 upper-case letters, digits and '-' ([`SupplierCode`]), unique among suppliers (asked of
//!   the store by the use case) and never changed;
//! - a supplier has 1..=20 contacts, kept in the order given, each obeying [`Contact`]'s rules;
//! - its status is approved, on probation or blocked — never "unknown".

use aftersales_kernel::SupplierId;
use chrono::{DateTime, Utc};

use super::contact::{Contact, ContactField, ContactRule};
use super::supplier_code::{SupplierCode, SupplierCodeError};
use aftersales_kernel::text::{self, Lines, TextRule};

/// Longest name, in characters.
pub const NAME_MAX: usize = 200;
/// Most contacts of one supplier.
pub const CONTACTS_MAX: usize = 20;

/// Whether the OEM buys from a supplier; its scorecard moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierStatus {
    /// In good standing: may be designated for parts and chosen in purchase plans.
    Approved,
    /// Poor performance: still supplies, under closer watch.
    Probation,
    /// Not chosen for new purchases; its open claims continue.
    Blocked,
}

impl SupplierStatus {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplierStatus::Approved => "approved",
            SupplierStatus::Probation => "probation",
            SupplierStatus::Blocked => "blocked",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<SupplierStatus> {
        [SupplierStatus::Approved, SupplierStatus::Probation, SupplierStatus::Blocked]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A supplier as asked for, before the rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Legal or trading name.
    pub name: String,
    /// Supplier code.
    pub code: String,
    /// Contacts.
    pub contacts: Vec<Contact>,
    /// Status.
    pub status: SupplierStatus,
}

/// The part of a supplier a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplierField {
    /// The name.
    Name,
    /// The code.
    Code,
    /// The list of contacts as a whole.
    Contacts,
    /// One field of one contact, by the contact's position.
    Contact(usize, ContactField),
}

/// A broken rule, as a sentence the caller reads after the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rule {
    /// A text rule of the name.
    #[error(transparent)]
    Text(#[from] TextRule),
    /// A malformed code.
    #[error(transparent)]
    Code(#[from] SupplierCodeError),
    /// Too few or too many contacts.
    #[error("must list 1 to {CONTACTS_MAX} contacts")]
    ContactCount,
    /// A contact's rule.
    #[error(transparent)]
    Contact(#[from] ContactRule),
}

/// One rule a supplier broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where.
    pub field: SupplierField,
    /// What.
    pub rule: Rule,
}

/// A registered supplier. Only [`Supplier::register`] and [`Supplier::restore`] make one, so every supplier
/// obeys the rules above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supplier {
    id: SupplierId,
    name: String,
    code: SupplierCode,
    contacts: Vec<Contact>,
    status: SupplierStatus,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Supplier {
    /// A newly registered supplier with a fresh id, or every rule the draft breaks.
    pub fn register(draft: Draft, now: DateTime<Utc>) -> Result<Supplier, Vec<Violation>> {
        Self::restore(SupplierId::new(), draft, now, now)
    }

    /// A supplier read back from storage, checked by the same rules (one that breaks them is corrupt).
    pub fn restore(
        id: SupplierId,
        draft: Draft,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Result<Supplier, Vec<Violation>> {
        let mut violations = Vec::new();
        let mut fail = |field, rule: Rule| violations.push(Violation { field, rule });
        if let Err(rule) = text::check(&draft.name, 1, NAME_MAX, Lines::One) {
            fail(SupplierField::Name, rule.into());
        }
        let code = SupplierCode::parse(&draft.code).map_err(|rule| fail(SupplierField::Code, rule.into()));
        // Past the limit only the count is reported: a 4 MB request of contacts would otherwise answer with
        // thousands of violations.
        if draft.contacts.is_empty() || draft.contacts.len() > CONTACTS_MAX {
            fail(SupplierField::Contacts, Rule::ContactCount);
        } else {
            for (index, contact) in draft.contacts.iter().enumerate() {
                for (field, rule) in contact.violations() {
                    fail(SupplierField::Contact(index, field), rule.into());
                }
            }
        }
        let (true, Ok(code)) = (violations.is_empty(), code) else {
            return Err(violations);
        };
        Ok(Supplier {
            id,
            name: draft.name,
            code,
            contacts: draft.contacts,
            status: draft.status,
            created_at,
            updated_at,
        })
    }

    /// Id (the `supplier_id` of its tokens).
    pub fn id(&self) -> SupplierId {
        self.id
    }

    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Code.
    pub fn code(&self) -> &SupplierCode {
        &self.code
    }

    /// Contacts, in the order given.
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// Status.
    pub fn status(&self) -> SupplierStatus {
        self.status
    }

    /// Moves it to `next` at `now`: the status before, or None when it already has it (nothing changes).
    pub fn set_status(&mut self, next: SupplierStatus, now: DateTime<Utc>) -> Option<SupplierStatus> {
        if self.status == next {
            return None;
        }
        let before = std::mem::replace(&mut self.status, next);
        self.updated_at = now;
        Some(before)
    }

    /// When registered.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

#[cfg(test)]
mod tests;
