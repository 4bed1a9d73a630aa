//! Customers: one row each.

use aftersales_kernel::DealerId;
use aftersales_runtime::auth::DealerScope;
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use super::sql::{corrupt, execute, query};
use crate::domain::customer::{ContactChannel, Customer, CustomerDetails, Phone};

/// Stores a new customer.
pub async fn insert(conn: &impl ConnectionTrait, c: &Customer) -> AppResult<()> {
    let d = &c.details;
    execute(
        conn,
        "INSERT INTO customers (id, dealer_id, name, phone, email, address, preferred_channel, created_at_us, \
         updated_at_us, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        vec![
            c.id.to_string().into(),
            c.dealer_id.to_string().into(),
            d.name.clone().into(),
            d.phone.as_str().into(),
            d.email.clone().into(),
            d.address.clone().into(),
            d.preferred_channel.as_str().into(),
            to_micros(c.created_at).into(),
            to_micros(c.updated_at).into(),
            c.revision.into(),
        ],
    )
    .await?;
    Ok(())
}

/// Saves new details if nobody changed the customer since `previous_revision` (else ABORTED).
pub async fn update(conn: &impl ConnectionTrait, c: &Customer, previous_revision: i64) -> AppResult<()> {
    let d = &c.details;
    let updated = execute(
        conn,
        "UPDATE customers SET name = $1, phone = $2, email = $3, address = $4, preferred_channel = $5, \
         updated_at_us = $6, revision = $7 WHERE id = $8 AND revision = $9",
        vec![
            d.name.clone().into(),
            d.phone.as_str().into(),
            d.email.clone().into(),
            d.address.clone().into(),
            d.preferred_channel.as_str().into(),
            to_micros(c.updated_at).into(),
            c.revision.into(),
            c.id.to_string().into(),
            previous_revision.into(),
        ],
    )
    .await?;
    if updated == 0 {
        return Err(AppError::Aborted("the customer changed since read; read them again".into()));
    }
    Ok(())
}

/// A customer.
pub async fn find(conn: &impl ConnectionTrait, id: uuid::Uuid) -> AppResult<Option<Customer>> {
    let rows = query(conn, "SELECT * FROM customers WHERE id = $1", vec![id.to_string().into()]).await?;
    rows.first().map(from_row).transpose()
}

/// A page of customers in `scope`, by id.
pub async fn list(
    conn: &impl ConnectionTrait,
    scope: &DealerScope,
    phone: Option<&Phone>,
    name_prefix: Option<&str>,
    after: Option<uuid::Uuid>,
    limit: u64,
) -> AppResult<Vec<Customer>> {
    let mut sql = String::from("SELECT * FROM customers WHERE 1 = 1");
    let mut values: Vec<Value> = Vec::new();
    if let DealerScope::Only(dealer) = scope {
        values.push(dealer.to_string().into());
        sql.push_str(&format!(" AND dealer_id = ${}", values.len()));
    }
    if let Some(phone) = phone {
        values.push(phone.as_str().into());
        sql.push_str(&format!(" AND phone = ${}", values.len()));
    }
    if let Some(prefix) = name_prefix {
        // substr is the same on both backends, and needs no LIKE escaping of % and _ in the prefix.
        values.push(prefix.into());
        values.push((prefix.chars().count() as i64).into());
        sql.push_str(&format!(" AND substr(name, 1, CAST(${} AS INTEGER)) = ${}", values.len(), values.len() - 1));
    }
    if let Some(after) = after {
        values.push(after.to_string().into());
        sql.push_str(&format!(" AND id > ${}", values.len()));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {}", limit.min(10_000)));
    query(conn, &sql, values).await?.iter().map(from_row).collect()
}

fn from_row(row: &QueryResult) -> AppResult<Customer> {
    let bad = |what| corrupt("customers", what);
    Ok(Customer {
        id: uuid::Uuid::parse_str(&row.try_get::<String>("", "id")?).map_err(|_| bad("id"))?,
        dealer_id: DealerId::parse(&row.try_get::<String>("", "dealer_id")?).map_err(|_| bad("dealer id"))?,
        details: CustomerDetails {
            name: row.try_get("", "name")?,
            phone: Phone::parse(&row.try_get::<String>("", "phone")?).map_err(|_| bad("phone"))?,
            email: row.try_get("", "email")?,
            address: row.try_get("", "address")?,
            preferred_channel: ContactChannel::parse(&row.try_get::<String>("", "preferred_channel")?)
                .ok_or_else(|| bad("channel"))?,
        },
        created_at: from_micros(row.try_get("", "created_at_us")?),
        updated_at: from_micros(row.try_get("", "updated_at_us")?),
        revision: row.try_get("", "revision")?,
    })
}
