//! A dealer's warehouses (仓库) and their bins (货位): codes unique per dealer and per warehouse.

use aftersales_kernel::DealerId;
use chrono::{DateTime, Utc};

use super::stock::{BinCode, WarehouseCode};

/// A bin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bin {
    /// Code, unique in the warehouse.
    pub code: BinCode,
    /// What or where it is.
    pub description: String,
}

/// A warehouse with its bins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// Code, unique per dealer.
    pub code: WarehouseCode,
    /// Name.
    pub name: String,
    /// Bins in code order.
    pub bins: Vec<Bin>,
    /// Opened at.
    pub created_at: DateTime<Utc>,
}

/// The bin code is already used in the warehouse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bin {0} is already in this warehouse")]
pub struct BinTaken(pub BinCode);

impl Warehouse {
    /// A new warehouse of `dealer`, with no bins.
    pub fn open(dealer_id: DealerId, code: WarehouseCode, name: String, now: DateTime<Utc>) -> Warehouse {
        Warehouse { id: uuid::Uuid::now_v7(), dealer_id, code, name, bins: Vec::new(), created_at: now }
    }

    /// Adds a bin; its code must be new in the warehouse.
    pub fn add_bin(&mut self, bin: Bin) -> Result<(), BinTaken> {
        if self.has_bin(&bin.code) {
            return Err(BinTaken(bin.code));
        }
        self.bins.push(bin);
        self.bins.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(())
    }

    /// Whether the warehouse has the bin.
    pub fn has_bin(&self, code: &BinCode) -> bool {
        self.bins.iter().any(|b| b.code == *code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(code: &str) -> Bin {
        Bin { code: BinCode::parse(code).unwrap(), description: String::new() }
    }

    #[test]
    fn bins_are_unique_in_their_warehouse_and_kept_in_code_order() {
        let mut w = Warehouse::open(DealerId::new(), WarehouseCode::parse("MAIN").unwrap(), "Main".into(), Utc::now());
        w.add_bin(bin("B-02")).unwrap();
        w.add_bin(bin("A-01")).unwrap();
        assert_eq!(w.add_bin(bin("A-01")), Err(BinTaken(BinCode::parse("A-01").unwrap())));
        assert_eq!(w.bins.iter().map(|b| b.code.as_str()).collect::<Vec<_>>(), ["A-01", "B-02"]);
        assert!(w.has_bin(&BinCode::parse("B-02").unwrap()) && !w.has_bin(&BinCode::parse("C-03").unwrap()));
    }
}
