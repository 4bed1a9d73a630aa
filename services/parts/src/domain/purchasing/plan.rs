//! What a purchase plan suggests for a part (DOMAIN.md Parts 5: from reorder point / min–max and recent demand):
//! - projected = on hand − reserved + on order (ordered, not yet received);
//! - with a stocking policy, the part is suggested once projected ≤ min (the reorder point), for target − projected,
//!   where target = the larger of max and the last 30 days' demand (a policy set too low for what the dealer now
//!   uses still orders a month's worth);
//! - without a policy, only when the dealer's approved orders need more than it has and has ordered (projected < 0),
//!   for exactly what they lack;
//! - a plan is a draft until the dealer's manager approves it; while a draft its lines may be changed (quantity 0
//!   removes a line); approving it places one purchase order per supplier, so every line needs a supplier.

use aftersales_kernel::{DealerId, PartNumber, SupplierId};
use chrono::{DateTime, Utc};

/// The 30 days of demand a plan looks back on.
pub const DEMAND_DAYS: i64 = 30;

/// Why a part is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanReason {
    /// At or below the reorder point.
    BelowReorderPoint,
    /// No policy, but short for approved orders.
    ShortForOrders,
}

impl PlanReason {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanReason::BelowReorderPoint => "below_reorder_point",
            PlanReason::ShortForOrders => "short_for_orders",
        }
    }

    /// From the stored name.
    pub fn parse(name: &str) -> Option<PlanReason> {
        [PlanReason::BelowReorderPoint, PlanReason::ShortForOrders].into_iter().find(|r| r.as_str() == name)
    }
}

/// A part's figures at a dealer, in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    /// On hand in all warehouses.
    pub on_hand: i64,
    /// Reserved for approved orders.
    pub reserved: i64,
    /// On open purchase orders, not yet received.
    pub on_order: i64,
    /// Issued in the last [`DEMAND_DAYS`] days.
    pub demand: i64,
    /// The stocking policy: (min, max).
    pub policy: Option<(i64, i64)>,
}

/// A suggested quantity and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    /// How much to order.
    pub quantity: i64,
    /// Why.
    pub reason: PlanReason,
}

impl Figures {
    /// On hand − reserved + on order.
    pub fn projected(&self) -> i64 {
        self.on_hand - self.reserved + self.on_order
    }
}

/// What the plan suggests for a part with these figures, if anything.
pub fn suggest(f: &Figures) -> Option<Suggestion> {
    let projected = f.projected();
    match f.policy {
        Some((min, max)) if projected <= min => {
            let quantity = max.max(f.demand) - projected;
            (quantity > 0).then_some(Suggestion { quantity, reason: PlanReason::BelowReorderPoint })
        }
        Some(_) => None,
        None if projected < 0 => Some(Suggestion { quantity: -projected, reason: PlanReason::ShortForOrders }),
        None => None,
    }
}

/// One purchase order to place: the supplier and its parts with quantities.
pub type SupplierOrder = (SupplierId, Vec<(PartNumber, i64)>);

/// One part of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    /// The part.
    pub part_number: PartNumber,
    /// From whom.
    pub supplier_id: Option<SupplierId>,
    /// How much, hundredths.
    pub quantity: i64,
    /// What the rule suggested (0 for a line the manager added).
    pub suggested: i64,
    /// Why (None for a line the manager added).
    pub reason: Option<PlanReason>,
    /// The figures as drafted.
    pub figures: Figures,
}

/// A purchase plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchasePlan {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// Its lines, by part number.
    pub lines: Vec<PlanLine>,
    /// Who drafted it.
    pub drafted_by: String,
    /// When.
    pub drafted_at: DateTime<Utc>,
    /// Who approved it and when.
    pub approved: Option<(String, DateTime<Utc>)>,
}

/// Why a plan cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Already approved.
    #[error("the plan is approved")]
    Approved,
    /// A line without a supplier (its index).
    #[error("line {0} has no supplier")]
    NoSupplier(usize),
    /// Nothing to order.
    #[error("the plan has no lines")]
    Empty,
}

impl PurchasePlan {
    /// A draft from the parts' figures: one line per part the rule suggests, from its designated supplier.
    pub fn draft(
        dealer_id: DealerId,
        parts: Vec<(PartNumber, Option<SupplierId>, Figures)>,
        by: &str,
        now: DateTime<Utc>,
    ) -> PurchasePlan {
        let mut lines: Vec<PlanLine> = parts
            .into_iter()
            .filter_map(|(part_number, supplier_id, figures)| {
                suggest(&figures).map(|s| PlanLine {
                    part_number,
                    supplier_id,
                    quantity: s.quantity,
                    suggested: s.quantity,
                    reason: Some(s.reason),
                    figures,
                })
            })
            .collect();
        lines.sort_by(|a, b| a.part_number.cmp(&b.part_number));
        PurchasePlan {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            lines,
            drafted_by: by.to_string(),
            drafted_at: now,
            approved: None,
        }
    }

    /// Sets a part's quantity (0 removes it) and, if given, its supplier; a part not on the plan is added with
    /// `designated` unless a supplier is given.
    pub fn edit(
        &mut self,
        part: PartNumber,
        quantity: i64,
        supplier: Option<SupplierId>,
        designated: Option<SupplierId>,
    ) -> Result<(), PlanError> {
        if self.approved.is_some() {
            return Err(PlanError::Approved);
        }
        match self.lines.iter().position(|l| l.part_number == part) {
            Some(i) if quantity == 0 => {
                self.lines.remove(i);
            }
            Some(i) => {
                self.lines[i].quantity = quantity;
                self.lines[i].supplier_id = supplier.or(self.lines[i].supplier_id);
            }
            None if quantity == 0 => {}
            None => {
                self.lines.push(PlanLine {
                    part_number: part,
                    supplier_id: supplier.or(designated),
                    quantity,
                    suggested: 0,
                    reason: None,
                    figures: Figures::default(),
                });
                self.lines.sort_by(|a, b| a.part_number.cmp(&b.part_number));
            }
        }
        Ok(())
    }

    /// Approves the plan: its lines grouped by supplier (suppliers and parts in order), one order each.
    pub fn approve(&mut self, by: &str, now: DateTime<Utc>) -> Result<Vec<SupplierOrder>, PlanError> {
        if self.approved.is_some() {
            return Err(PlanError::Approved);
        }
        if self.lines.is_empty() {
            return Err(PlanError::Empty);
        }
        let mut orders: Vec<SupplierOrder> = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let supplier = line.supplier_id.ok_or(PlanError::NoSupplier(i))?;
            match orders.iter_mut().find(|(s, _)| *s == supplier) {
                Some((_, lines)) => lines.push((line.part_number.clone(), line.quantity)),
                None => orders.push((supplier, vec![(line.part_number.clone(), line.quantity)])),
            }
        }
        orders.sort_by_key(|(s, _)| s.to_string());
        self.approved = Some((by.to_string(), now));
        Ok(orders)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(on_hand: i64, reserved: i64, on_order: i64, demand: i64, policy: Option<(i64, i64)>) -> Figures {
        Figures { on_hand, reserved, on_order, demand, policy }
    }

    fn reorder(quantity: i64) -> Option<Suggestion> {
        Some(Suggestion { quantity, reason: PlanReason::BelowReorderPoint })
    }

    #[test]
    fn at_the_reorder_point_the_plan_orders_up_to_max() {
        // min 5, max 20; 5 on hand: order 15.
        assert_eq!(suggest(&figures(500, 0, 0, 0, Some((500, 2000)))), reorder(1500));
    }

    #[test]
    fn above_the_reorder_point_nothing_is_ordered() {
        assert_eq!(suggest(&figures(600, 0, 0, 0, Some((500, 2000)))), None);
    }

    #[test]
    fn reservations_lower_and_open_orders_raise_the_projection() {
        // 10 on hand, 6 reserved, 3 on order: projected 7, above min 5.
        assert_eq!(suggest(&figures(1000, 600, 300, 0, Some((500, 2000)))), None);
        // Without the open order: projected 4 → order 16.
        assert_eq!(suggest(&figures(1000, 600, 0, 0, Some((500, 2000)))), reorder(1600));
    }

    #[test]
    fn a_month_of_demand_above_max_raises_the_target() {
        // 30 issued in the last 30 days, max 20, nothing on hand: order 30.
        assert_eq!(suggest(&figures(0, 0, 0, 3000, Some((500, 2000)))), reorder(3000));
    }

    #[test]
    fn without_a_policy_only_what_promised_orders_lack() {
        assert_eq!(
            suggest(&figures(200, 500, 100, 9000, None)),
            Some(Suggestion { quantity: 200, reason: PlanReason::ShortForOrders })
        );
        assert_eq!(suggest(&figures(200, 200, 0, 9000, None)), None, "demand alone orders nothing without a policy");
    }

    fn part(n: &str) -> PartNumber {
        PartNumber::parse(n).unwrap()
    }

    fn drafted(supplier: SupplierId) -> PurchasePlan {
        let low = figures(0, 0, 0, 0, Some((500, 2000)));
        let enough = figures(5000, 0, 0, 0, Some((500, 2000)));
        let short = figures(0, 300, 0, 0, None);
        PurchasePlan::draft(
            DealerId::new(),
            vec![(part("B-2"), Some(supplier), low), (part("C-3"), None, enough), (part("A-1"), None, short)],
            "clerk",
            Utc::now(),
        )
    }

    #[test]
    fn a_draft_lists_the_parts_the_rule_suggests_in_part_order() {
        let plan = drafted(SupplierId::new());
        let lines: Vec<(&str, i64)> = plan.lines.iter().map(|l| (l.part_number.as_str(), l.quantity)).collect();
        assert_eq!(lines, [("A-1", 300), ("B-2", 2000)]);
    }

    #[test]
    fn the_manager_edits_removes_and_adds_lines_while_it_is_a_draft() {
        let (designated, other) = (SupplierId::new(), SupplierId::new());
        let mut plan = drafted(designated);
        plan.edit(part("B-2"), 2500, Some(other), None).unwrap();
        plan.edit(part("A-1"), 0, None, None).unwrap();
        plan.edit(part("D-4"), 100, None, Some(designated)).unwrap();
        let lines: Vec<(&str, i64, Option<SupplierId>, i64)> =
            plan.lines.iter().map(|l| (l.part_number.as_str(), l.quantity, l.supplier_id, l.suggested)).collect();
        assert_eq!(lines, [("B-2", 2500, Some(other), 2000), ("D-4", 100, Some(designated), 0)]);
    }

    #[test]
    fn approval_needs_a_supplier_on_every_line_and_groups_lines_by_supplier() {
        let supplier = SupplierId::new();
        let mut plan = drafted(supplier);
        assert_eq!(plan.approve("manager", Utc::now()), Err(PlanError::NoSupplier(0)));
        assert!(plan.approved.is_none(), "nothing approved");
        plan.edit(part("A-1"), 300, Some(supplier), None).unwrap();
        let orders = plan.approve("manager", Utc::now()).unwrap();
        assert_eq!(orders, [(supplier, vec![(part("A-1"), 300), (part("B-2"), 2000)])]);
        assert_eq!(plan.edit(part("A-1"), 1, None, None), Err(PlanError::Approved));
        assert_eq!(plan.approve("manager", Utc::now()), Err(PlanError::Approved));
    }
}
