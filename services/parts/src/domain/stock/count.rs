//! Stock counts (盘点, DOMAIN.md Parts 6). Rules:
//! - a count covers one or more bins of one warehouse and freezes them while it is open: no movement into or out of
//!   a frozen bin until the count is posted or cancelled;
//! - each lot of the bins is counted (a later count of the same lot replaces the earlier), beside what the ledger
//!   held when it was counted;
//! - posting needs the dealer manager and every lot with stock in the bins counted; each variance (counted − on
//!   hand) becomes one adjustment; a cancelled count posts nothing.

use aftersales_kernel::{DealerId, PartNumber};
use chrono::{DateTime, Utc};

use super::{BatchCode, BinCode, Lot, LotKey};

/// Where a count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountState {
    /// Counting; its bins are frozen.
    Open,
    /// Variances posted; bins free again.
    Posted,
    /// Dropped; nothing posted; bins free again.
    Cancelled,
}

impl CountState {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CountState::Open => "open",
            CountState::Posted => "posted",
            CountState::Cancelled => "cancelled",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<CountState> {
        [CountState::Open, CountState::Posted, CountState::Cancelled].into_iter().find(|s| s.as_str() == name)
    }
}

/// One counted lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountLine {
    /// The bin.
    pub bin: BinCode,
    /// The part.
    pub part_number: PartNumber,
    /// The batch.
    pub batch: BatchCode,
    /// What was found, hundredths.
    pub counted: i64,
    /// What the ledger held when it was counted.
    pub on_hand: i64,
    /// Who counted.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl CountLine {
    /// Counted − on hand.
    pub fn variance(&self) -> i64 {
        self.counted - self.on_hand
    }
}

/// A stock count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockCount {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// The warehouse.
    pub warehouse_id: uuid::Uuid,
    /// The bins it covers, in code order.
    pub bins: Vec<BinCode>,
    /// Where it is.
    pub state: CountState,
    /// Counted lots.
    pub lines: Vec<CountLine>,
    /// Who started it.
    pub started_by: String,
    /// When.
    pub started_at: DateTime<Utc>,
    /// Who posted or cancelled it, and when.
    pub closed: Option<(String, DateTime<Utc>)>,
}

/// Why a count cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    /// No bins.
    #[error("a count covers at least one bin")]
    NoBins,
    /// A bin twice.
    #[error("bin {0} is listed twice")]
    DuplicateBin(BinCode),
    /// Not a bin of the count.
    #[error("bin {0} is not covered by this count")]
    NotCovered(BinCode),
    /// The count is closed.
    #[error("the count is {}", .0.as_str())]
    Closed(CountState),
    /// Lots with stock in the counted bins have not been counted.
    #[error("not counted yet: {}", .0.iter().map(|k| format!("{} {} {}", k.bin, k.part_number, k.batch)).collect::<Vec<_>>().join(", "))]
    Uncounted(Vec<LotKey>),
}

impl StockCount {
    /// Opens a count of `bins` (each a bin of the warehouse — the use case checks that).
    pub fn start(
        dealer_id: DealerId,
        warehouse_id: uuid::Uuid,
        mut bins: Vec<BinCode>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<StockCount, CountError> {
        if bins.is_empty() {
            return Err(CountError::NoBins);
        }
        bins.sort();
        if let Some(pair) = bins.windows(2).find(|w| w[0] == w[1]) {
            return Err(CountError::DuplicateBin(pair[0].clone()));
        }
        Ok(StockCount {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            warehouse_id,
            bins,
            state: CountState::Open,
            lines: Vec::new(),
            started_by: by.to_string(),
            started_at: now,
            closed: None,
        })
    }

    /// Whether the count freezes `bin` now.
    pub fn freezes(&self, bin: &BinCode) -> bool {
        self.state == CountState::Open && self.bins.contains(bin)
    }

    /// Records what was found of one lot (replacing an earlier count of it), beside the ledger's on-hand.
    pub fn record(&mut self, line: CountLine) -> Result<(), CountError> {
        self.open()?;
        if !self.bins.contains(&line.bin) {
            return Err(CountError::NotCovered(line.bin));
        }
        self.lines.retain(|l| (&l.bin, &l.part_number, &l.batch) != (&line.bin, &line.part_number, &line.batch));
        self.lines.push(line);
        Ok(())
    }

    /// Posts the count given the lots of its bins now: the changes that make each counted lot hold what was found
    /// (counted − on hand now; the bins were frozen, so that is the variance recorded), only non-zero ones. Every
    /// lot with stock must have been counted.
    pub fn post(&mut self, lots: &[Lot], by: &str, now: DateTime<Utc>) -> Result<Vec<(LotKey, i64)>, CountError> {
        self.open()?;
        let counted = |key: &LotKey| {
            self.lines.iter().any(|l| l.bin == key.bin && l.part_number == key.part_number && l.batch == key.batch)
        };
        let uncounted: Vec<LotKey> = lots
            .iter()
            .filter(|lot| lot.on_hand > 0 && self.bins.contains(&lot.key.bin) && !counted(&lot.key))
            .map(|lot| lot.key.clone())
            .collect();
        if !uncounted.is_empty() {
            return Err(CountError::Uncounted(uncounted));
        }
        let variances = self
            .lines
            .iter()
            .map(|l| {
                let key = LotKey {
                    warehouse_id: self.warehouse_id,
                    bin: l.bin.clone(),
                    part_number: l.part_number.clone(),
                    batch: l.batch.clone(),
                };
                let on_hand = lots.iter().find(|lot| lot.key == key).map_or(0, |lot| lot.on_hand);
                (key, l.counted - on_hand)
            })
            .filter(|(_, change)| *change != 0)
            .collect();
        self.state = CountState::Posted;
        self.closed = Some((by.to_string(), now));
        Ok(variances)
    }

    /// Drops the count: nothing posted, bins free.
    pub fn cancel(&mut self, by: &str, now: DateTime<Utc>) -> Result<(), CountError> {
        self.open()?;
        self.state = CountState::Cancelled;
        self.closed = Some((by.to_string(), now));
        Ok(())
    }

    fn open(&self) -> Result<(), CountError> {
        if self.state != CountState::Open {
            return Err(CountError::Closed(self.state));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 18, 0, 0).unwrap()
    }

    fn bin(code: &str) -> BinCode {
        BinCode::parse(code).unwrap()
    }

    fn count(bins: &[&str]) -> StockCount {
        StockCount::start(DealerId::new(), uuid::Uuid::nil(), bins.iter().map(|b| bin(b)).collect(), "manager", now())
            .unwrap()
    }

    fn line(b: &str, batch: &str, counted: i64, on_hand: i64) -> CountLine {
        CountLine {
            bin: bin(b),
            part_number: PartNumber::parse("A-1001").unwrap(),
            batch: BatchCode::parse(batch).unwrap(),
            counted,
            on_hand,
            by: "clerk".into(),
            at: now(),
        }
    }

    fn lot(b: &str, batch: &str, on_hand: i64) -> Lot {
        Lot {
            key: LotKey {
                warehouse_id: uuid::Uuid::nil(),
                bin: bin(b),
                part_number: PartNumber::parse("A-1001").unwrap(),
                batch: BatchCode::parse(batch).unwrap(),
            },
            on_hand,
            received_at: now(),
        }
    }

    #[test]
    fn an_open_count_freezes_exactly_its_bins() {
        let mut c = count(&["A-01", "B-01"]);
        assert!(c.freezes(&bin("A-01")) && !c.freezes(&bin("C-01")));
        c.cancel("manager", now()).unwrap();
        assert!(!c.freezes(&bin("A-01")), "a cancelled count frees its bins");
    }

    #[test]
    fn a_count_needs_bins_each_once() {
        let start = |bins: Vec<BinCode>| StockCount::start(DealerId::new(), uuid::Uuid::nil(), bins, "m", now());
        assert_eq!(start(vec![]), Err(CountError::NoBins));
        assert_eq!(start(vec![bin("A-01"), bin("A-01")]), Err(CountError::DuplicateBin(bin("A-01"))));
    }

    #[test]
    fn a_recount_of_a_lot_replaces_the_first_and_only_covered_bins_are_counted() {
        let mut c = count(&["A-01"]);
        c.record(line("A-01", "L1", 400, 500)).unwrap();
        c.record(line("A-01", "L1", 480, 500)).unwrap();
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.lines[0].variance(), -20);
        assert_eq!(c.record(line("B-01", "L1", 1, 0)), Err(CountError::NotCovered(bin("B-01"))));
    }

    #[test]
    fn posting_adjusts_each_variance_once_every_lot_is_counted() {
        let mut c = count(&["A-01", "B-01"]);
        let lots = [lot("A-01", "L1", 500), lot("B-01", "L2", 200), lot("B-01", "L3", 0)];
        c.record(line("A-01", "L1", 480, 500)).unwrap();
        let err = c.post(&lots, "manager", now()).unwrap_err();
        assert!(matches!(&err, CountError::Uncounted(keys) if keys.len() == 1 && keys[0].batch.as_str() == "L2"));
        assert_eq!(c.state, CountState::Open, "a refused post changes nothing");
        c.record(line("B-01", "L2", 200, 200)).unwrap();
        c.record(line("B-01", "L9", 100, 0)).unwrap(); // found a batch the ledger did not know
        let variances = c.post(&lots, "manager", now()).unwrap();
        let v: Vec<(&str, i64)> = variances.iter().map(|(k, d)| (k.batch.as_str(), *d)).collect();
        assert_eq!(v, [("L1", -20), ("L9", 100)]);
        assert_eq!(c.state, CountState::Posted);
        assert_eq!(c.post(&lots, "manager", now()), Err(CountError::Closed(CountState::Posted)));
    }
}
