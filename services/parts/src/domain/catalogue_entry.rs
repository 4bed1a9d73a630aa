//! A catalogue entry (配件目录条目): one OEM part number and what the OEM says about it — its name and
//! specification, the models it fits, who makes and who delivers it, its list price, its warranty and the part
//! that replaces it. Dealers look parts up here before they order or fit them; warranty decisions start from
//! the entry's warranty limits.
//!
//! Rules (parts/v1/catalogue.proto):
//! - the part number is the entry's natural key and never changes;
//! - the name has 1..=200 characters and the maker at most 200, each on one line; the specification is free
//!   text of at most 4,000 characters and may span lines;
//! - an entry fits at most 100 models, each named in 1..=200 characters on one line, none listed twice, kept in
//!   the order given;
//! - the list price is not negative;
//! - the warranty runs 0..=240 months and 0..=2,000,000 km from fitting (see [`super::warranty`]);
//! - a part is never superseded by itself. That the replacement is in the catalogue is asked of the store by
//!   the use case; since a replacement must exist before the part that points at it and entries never change
//!   their `superseded_by`, following replacements can never loop back.

use std::collections::HashSet;

use aftersales_kernel::{Money, PartNumber, SupplierId};
use chrono::{DateTime, Utc};

use super::warranty::{KM_MAX, Limit, MONTHS_MAX, Warranty};
use aftersales_kernel::text::{self, Lines, TextRule};

/// Longest part name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest specification, in characters.
pub const SPECIFICATION_MAX: usize = 4000;
/// Longest maker name, in characters.
pub const MAKER_MAX: usize = 200;
/// Most models one entry fits.
pub const MODELS_MAX: usize = 100;
/// Longest model name, in characters.
pub const MODEL_MAX: usize = 200;

/// An entry as asked for, before the catalogue's rules are checked. Values with a kernel type (part numbers,
/// the supplier id, the price) were parsed at the edge already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The part number.
    pub part_number: PartNumber,
    /// Name of the part.
    pub name: String,
    /// Technical specification; may be empty.
    pub specification: String,
    /// Models it fits.
    pub applicable_models: Vec<String>,
    /// Manufacturer; may be empty.
    pub maker: String,
    /// The supplier that delivers it, if one is designated.
    pub supplier_id: Option<SupplierId>,
    /// Price of one unit.
    pub list_price: Money,
    /// Warranty months from fitting.
    pub warranty_months: i32,
    /// Warranty km from fitting.
    pub warranty_km: i64,
    /// The part that replaces it, if any.
    pub superseded_by: Option<PartNumber>,
}

/// The part of an entry a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryField {
    /// The name.
    Name,
    /// The specification.
    Specification,
    /// The list of models as a whole.
    ApplicableModels,
    /// One model, by its position in the list.
    ApplicableModel(usize),
    /// The maker.
    Maker,
    /// The list price.
    ListPrice,
    /// The warranty months.
    WarrantyMonths,
    /// The warranty km.
    WarrantyKm,
    /// The replacing part number.
    SupersededBy,
}

/// A broken rule, as a sentence the caller reads after the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rule {
    /// A text rule (length, line breaks, control characters).
    #[error(transparent)]
    Text(#[from] TextRule),
    /// Too many models.
    #[error("must list at most {0} models")]
    TooManyModels(usize),
    /// A model listed twice.
    #[error("is already listed")]
    DuplicateModel,
    /// A negative price.
    #[error("must not be negative")]
    Negative,
    /// A number outside `0..=max`.
    #[error("must be between 0 and {0}")]
    OutOfRange(i64),
    /// A part pointing at itself as its replacement.
    #[error("must not be the part number itself")]
    SupersedesItself,
}

/// One rule an entry broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where.
    pub field: EntryField,
    /// What.
    pub rule: Rule,
}

/// A part number of the catalogue. Only [`CatalogueEntry::parse`] and [`CatalogueEntry::restore`] make one, so
/// every entry obeys the rules above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueEntry {
    part_number: PartNumber,
    name: String,
    specification: String,
    applicable_models: Vec<String>,
    maker: String,
    supplier_id: Option<SupplierId>,
    list_price: Money,
    warranty: Warranty,
    superseded_by: Option<PartNumber>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl CatalogueEntry {
    /// A new entry entered into the catalogue at `now`, or every rule the draft breaks.
    pub fn parse(draft: Draft, now: DateTime<Utc>) -> Result<CatalogueEntry, Vec<Violation>> {
        Self::restore(draft, now, now)
    }

    /// An entry read back from storage, checked by the same rules (a stored entry that breaks them is corrupt).
    pub fn restore(
        draft: Draft,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Result<CatalogueEntry, Vec<Violation>> {
        let mut violations = Vec::new();
        let mut fail = |field, rule: Rule| violations.push(Violation { field, rule });
        let name = text::check(&draft.name, 1, NAME_MAX, Lines::One);
        let specification = text::check(&draft.specification, 0, SPECIFICATION_MAX, Lines::Many);
        let maker = text::check(&draft.maker, 0, MAKER_MAX, Lines::One);
        for (field, result) in
            [(EntryField::Name, name), (EntryField::Specification, specification), (EntryField::Maker, maker)]
        {
            if let Err(rule) = result {
                fail(field, rule.into());
            }
        }
        // Past the limit only the count is reported: a 4 MB request of tiny models would otherwise answer with
        // hundreds of thousands of violations.
        if draft.applicable_models.len() > MODELS_MAX {
            fail(EntryField::ApplicableModels, Rule::TooManyModels(MODELS_MAX));
        } else {
            let mut seen = HashSet::new();
            for (index, model) in draft.applicable_models.iter().enumerate() {
                if let Err(rule) = text::check(model, 1, MODEL_MAX, Lines::One) {
                    fail(EntryField::ApplicableModel(index), rule.into());
                } else if !seen.insert(model) {
                    fail(EntryField::ApplicableModel(index), Rule::DuplicateModel);
                }
            }
        }
        if draft.list_price.is_negative() {
            fail(EntryField::ListPrice, Rule::Negative);
        }
        let warranty = Warranty::new(draft.warranty_months, draft.warranty_km).map_err(|limits| {
            for limit in limits {
                match limit {
                    Limit::Months => fail(EntryField::WarrantyMonths, Rule::OutOfRange(MONTHS_MAX.into())),
                    Limit::Km => fail(EntryField::WarrantyKm, Rule::OutOfRange(KM_MAX)),
                }
            }
        });
        if draft.superseded_by.as_ref() == Some(&draft.part_number) {
            fail(EntryField::SupersededBy, Rule::SupersedesItself);
        }
        let (true, Ok(warranty)) = (violations.is_empty(), warranty) else {
            return Err(violations);
        };
        Ok(CatalogueEntry {
            part_number: draft.part_number,
            name: draft.name,
            specification: draft.specification,
            applicable_models: draft.applicable_models,
            maker: draft.maker,
            supplier_id: draft.supplier_id,
            list_price: draft.list_price,
            warranty,
            superseded_by: draft.superseded_by,
            created_at,
            updated_at,
        })
    }

    /// The part number (the key).
    pub fn part_number(&self) -> &PartNumber {
        &self.part_number
    }

    /// Name of the part.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Technical specification (may be empty).
    pub fn specification(&self) -> &str {
        &self.specification
    }

    /// Models it fits, in the order given.
    pub fn applicable_models(&self) -> &[String] {
        &self.applicable_models
    }

    /// Manufacturer (may be empty).
    pub fn maker(&self) -> &str {
        &self.maker
    }

    /// The designated supplier.
    pub fn supplier_id(&self) -> Option<SupplierId> {
        self.supplier_id
    }

    /// Price of one unit.
    pub fn list_price(&self) -> Money {
        self.list_price
    }

    /// The warranty limits.
    pub fn warranty(&self) -> Warranty {
        self.warranty
    }

    /// The part that replaces it.
    pub fn superseded_by(&self) -> Option<&PartNumber> {
        self.superseded_by.as_ref()
    }

    /// When it entered the catalogue.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// When it last changed.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

#[cfg(test)]
mod tests;
