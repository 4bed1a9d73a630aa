//! Settlements on the wire: a draft with what blocks signing, or the signed invoice with its credit notes.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::{AppError, AppResult, to_timestamp};

use super::money;
use crate::domain::settlement::{ChargeLine, Discount, Draft, Invoice, Totals};
use crate::domain::{LineItem, RepairOrder};

/// A draft settlement.
pub fn draft(order: &RepairOrder, draft: &Draft, blockers: Vec<String>) -> AppResult<pb::Settlement> {
    let totals = draft.totals().map_err(|e| AppError::internal(anyhow::anyhow!("settlement totals: {e}")))?;
    Ok(pb::Settlement {
        repair_order_id: order.id.to_string(),
        dealer_id: order.dealer_id.to_string(),
        state: pb::SettlementState::Draft as i32,
        lines: draft.lines.iter().map(line).collect(),
        discounts: draft.discounts.iter().map(discount).collect(),
        tax_rate_basis_points: draft.tax_rate_bp,
        blockers,
        credited_total: Some(money(aftersales_kernel::Money::zero(draft.currency))),
        ..sums(&totals)
    })
}

/// A signed settlement: the invoice.
pub fn signed(order: &RepairOrder, invoice: &Invoice) -> pb::Settlement {
    pb::Settlement {
        repair_order_id: order.id.to_string(),
        dealer_id: order.dealer_id.to_string(),
        state: pb::SettlementState::Signed as i32,
        lines: invoice.lines.iter().map(line).collect(),
        discounts: invoice.discounts.iter().map(discount).collect(),
        tax_rate_basis_points: invoice.tax_rate_bp,
        invoice_number: invoice.number.text.clone(),
        signed_by: invoice.signed_by.clone(),
        signature_reference: invoice.signature_reference.clone(),
        signed_at: Some(to_timestamp(invoice.signed_at)),
        credit_notes: invoice
            .credit_notes
            .iter()
            .map(|c| pb::CreditNote {
                number: c.number.text.clone(),
                amount: Some(money(c.amount)),
                reason: c.reason.clone(),
                issued_by: c.issued_by.clone(),
                issued_at: Some(to_timestamp(c.issued_at)),
            })
            .collect(),
        credited_total: Some(money(invoice.credited())),
        ..sums(&invoice.totals)
    }
}

fn sums(t: &Totals) -> pb::Settlement {
    pb::Settlement {
        subtotal: Some(money(t.subtotal)),
        discount_total: Some(money(t.discounts)),
        net: Some(money(t.net)),
        tax: Some(money(t.tax)),
        total: Some(money(t.total)),
        ..Default::default()
    }
}

fn line(l: &ChargeLine) -> pb::SettlementLine {
    let (code, labour, price) = match &l.item {
        LineItem::Labour { operation_code, hourly_rate, .. } => {
            (operation_code.as_str().to_string(), true, hourly_rate)
        }
        LineItem::Part { part_number, unit_price, .. } => (part_number.to_string(), false, unit_price),
    };
    pb::SettlementLine {
        line_id: l.line_id.0.to_string(),
        code,
        labour,
        estimated_hundredths: l.estimated().as_hundredths(),
        actual_hundredths: l.actual.as_hundredths(),
        unit_price: Some(money(*price)),
        consented_amount: Some(money(l.consented_amount)),
        actual_amount: Some(money(l.actual_amount)),
        charged_amount: Some(money(l.charged_amount)),
        variance_reason: l.variance_reason.clone().unwrap_or_default(),
        additional_work_id: l.additional_work_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

fn discount(d: &Discount) -> pb::Discount {
    pb::Discount {
        id: d.id.to_string(),
        description: d.description.clone(),
        amount: Some(money(d.amount)),
        reason: d.reason.clone(),
        added_by: d.added_by.clone(),
        added_at: Some(to_timestamp(d.added_at)),
    }
}
