//! Scorecards and the ranking, counted on request from the claims and the engine's clock verdicts; and the
//! verdicts themselves, kept as escalation publishes them.

use std::collections::BTreeMap;

use aftersales_kernel::SupplierId;
use aftersales_proto::supplier::v1 as pb;
use aftersales_runtime::auth::Principal;
use aftersales_runtime::db::{Db, WriteTxn};
use aftersales_runtime::{AppError, AppResult};
use chrono::{DateTime, Utc};

use super::SupplierScope;
use crate::convert::scorecards::scorecard as wire;
use crate::domain::scorecard::{ClockVerdict, Scorecard, rank};
use crate::store::{scorecards, suppliers};

/// A period `[start, end)`.
pub type Period = (DateTime<Utc>, DateTime<Utc>);

/// A verdict of the engine on one of a claim's clocks.
#[derive(Debug, Clone)]
pub struct ClockWord {
    /// The clock.
    pub clock_id: String,
    /// Its subject: the claim.
    pub claim_id: String,
    /// Its policy.
    pub policy: String,
    /// What the engine said.
    pub verdict: ClockVerdict,
    /// When.
    pub at: DateTime<Utc>,
}

/// The scorecards' application layer.
#[derive(Clone, Debug)]
pub struct Scorecards {
    db: Db,
    /// The policies of the acknowledgement and the solution clocks.
    policies: (String, String),
}

impl Scorecards {
    /// Over a database and the names of the acknowledgement and solution policies.
    pub fn new(db: Db, acknowledgement_policy: String, solution_policy: String) -> Self {
        Self { db, policies: (acknowledgement_policy, solution_policy) }
    }

    /// Whether the scorecard counts clocks of `policy`.
    pub fn counts(&self, policy: &str) -> bool {
        policy == self.policies.0 || policy == self.policies.1
    }

    /// Keeps the engine's latest word on a claim's clock, inside the consumer's transaction.
    pub async fn clock_word(&self, txn: &WriteTxn, word: ClockWord) -> AppResult<()> {
        let before = scorecards::verdict(&**txn, &word.clock_id).await?.unwrap_or(ClockVerdict::Undecided);
        let verdict = before.then(word.verdict);
        scorecards::record_verdict(&**txn, &word.clock_id, &word.claim_id, &word.policy, verdict, word.at).await
    }

    fn policies(&self) -> (&str, &str) {
        (&self.policies.0, &self.policies.1)
    }

    /// A supplier's scorecard over `period`: a supplier caller its own only.
    pub async fn scorecard(
        &self,
        caller: &Principal,
        supplier: Option<SupplierId>,
        period: Period,
    ) -> AppResult<pb::Scorecard> {
        let id = match (SupplierScope::of(caller), supplier) {
            (SupplierScope::Only(own), None) => own,
            (SupplierScope::Only(own), Some(named)) if named != own => {
                return Err(AppError::PermissionDenied("a supplier reads only its own scorecard".into()));
            }
            (_, Some(named)) => named,
            (SupplierScope::All, None) => return Err(AppError::invalid("supplier_id", "is required")),
        };
        let conn = self.db.reader();
        let found = suppliers::find(conn, id).await?.ok_or(AppError::NotFound("supplier"))?;
        let facts = scorecards::claim_facts(conn, Some(id), period, self.policies()).await?;
        Ok(wire(&Scorecard::of(id, &facts), found.code().as_str(), period, 0))
    }

    /// Every supplier with a claim sent in `period`, ranked.
    pub async fn ranking(&self, period: Period) -> AppResult<Vec<pb::Scorecard>> {
        let conn = self.db.reader();
        let facts = scorecards::claim_facts(conn, None, period, self.policies()).await?;
        let mut by_supplier: BTreeMap<SupplierId, Vec<_>> = BTreeMap::new();
        for fact in facts {
            by_supplier.entry(fact.supplier_id).or_default().push(fact);
        }
        let codes: BTreeMap<String, String> = scorecards::supplier_codes(conn).await?.into_iter().collect();
        let cards = by_supplier
            .into_iter()
            .map(|(id, facts)| {
                // A claim drafted from an event may name a supplier not registered here: ranked by its id.
                let code = codes.get(&id.to_string()).cloned().unwrap_or_else(|| id.to_string());
                (code, Scorecard::of(id, &facts))
            })
            .collect();
        Ok(rank(cards)
            .into_iter()
            .enumerate()
            .map(|(place, (code, card))| wire(&card, &code, period, place as i32 + 1))
            .collect())
    }
}
