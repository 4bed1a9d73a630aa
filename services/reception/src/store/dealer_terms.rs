//! What settlement and estimates need of a dealer, read from the dealer directory: the tax rate, the invoice prefix
//! and the currency.

use aftersales_kernel::{Currency, DealerId};
use aftersales_runtime::AppResult;
use sea_orm::ConnectionTrait;

use super::sql::{corrupt, query};
use crate::domain::settlement::DealerTerms;

/// `dealer`'s tax rate, invoice prefix and currency; `None` while the dealer is not in the directory.
pub async fn terms(conn: &impl ConnectionTrait, dealer: DealerId) -> AppResult<Option<DealerTerms>> {
    let rows = query(
        conn,
        "SELECT tax_rate_bp, invoice_prefix, currency FROM dealers WHERE id = $1",
        vec![dealer.to_string().into()],
    )
    .await?;
    let Some(row) = rows.first() else { return Ok(None) };
    Ok(Some(DealerTerms {
        tax_rate_bp: row.try_get("", "tax_rate_bp")?,
        invoice_prefix: row.try_get("", "invoice_prefix")?,
        currency: Currency::parse(&row.try_get::<String>("", "currency")?)
            .map_err(|_| corrupt("dealers", "currency"))?,
    }))
}
