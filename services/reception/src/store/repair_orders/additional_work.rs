//! The additional-work requests of orders: workshop's request kept as it came (operations, parts and media as JSON
//! arrays: an immutable copy, read and written whole), and the customer's answer in columns.

use std::collections::HashMap;

use aftersales_kernel::{Hundredths, OperationCode, PartNumber};
use aftersales_runtime::db::{from_micros, to_micros};
use aftersales_runtime::{AppError, AppResult};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::rows::{channel_from_name, channel_name, corrupt};
use crate::domain::{AdditionalWork, AdditionalWorkRequest, CustomerAnswer, Decision, RepairOrder};
use crate::store::entities::additional_work as row;

/// The requests of `orders`, by order id, oldest first.
pub(super) async fn load(
    conn: &impl ConnectionTrait,
    orders: &[String],
) -> AppResult<HashMap<String, Vec<AdditionalWork>>> {
    let mut by_order: HashMap<String, Vec<AdditionalWork>> = HashMap::new();
    for model in row::Entity::find()
        .filter(row::Column::RepairOrderId.is_in(orders.iter().cloned()))
        .order_by_asc(row::Column::RequestedAtUs)
        .order_by_asc(row::Column::Id)
        .all(conn)
        .await?
    {
        let order = model.repair_order_id.clone();
        by_order.entry(order).or_default().push(from_row(model)?);
    }
    Ok(by_order)
}

/// Inserts the requests new since `before` and records the decisions taken since.
pub(super) async fn save(conn: &impl ConnectionTrait, order: &RepairOrder, before: &RepairOrder) -> AppResult<()> {
    for work in &order.additional_work {
        match before.additional_work.iter().find(|old| old.request.id == work.request.id) {
            None => {
                row::Entity::insert(to_row(order, work)?).exec_without_returning(conn).await?;
            }
            Some(old) if old.decision != work.decision => {
                let answer = to_row(order, work)?;
                row::Entity::update_many()
                    .set(row::ActiveModel {
                        decision: answer.decision,
                        decided_by: answer.decided_by,
                        answer_channel: answer.answer_channel,
                        signature_reference: answer.signature_reference,
                        recorded_by: answer.recorded_by,
                        decided_at_us: answer.decided_at_us,
                        refusal_reason: answer.refusal_reason,
                        estimate_version: answer.estimate_version,
                        ..Default::default()
                    })
                    .filter(row::Column::Id.eq(work.request.id.to_string()))
                    .filter(row::Column::Decision.eq(old.decision.as_str()))
                    .exec(conn)
                    .await?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

fn to_row(order: &RepairOrder, work: &AdditionalWork) -> AppResult<row::ActiveModel> {
    let request = &work.request;
    let operations: Vec<serde_json::Value> = request
        .operations
        .iter()
        .map(|(code, hours)| serde_json::json!({"code": code.as_str(), "hours": hours.as_hundredths()}))
        .collect();
    let parts: Vec<serde_json::Value> = request
        .parts
        .iter()
        .map(|(number, quantity)| serde_json::json!({"part_number": number.to_string(), "quantity": quantity.as_hundredths()}))
        .collect();
    let (answer, reason, version) = match &work.decision {
        Decision::Pending => (None, None, None),
        Decision::Approved { version, answer } => (Some(answer), None, Some(*version)),
        Decision::Refused { reason, answer } => (Some(answer), Some(reason.clone()), None),
    };
    Ok(row::ActiveModel {
        id: Set(request.id.to_string()),
        repair_order_id: Set(order.id.to_string()),
        job_id: Set(request.job_id.to_string()),
        finding: Set(request.finding.clone()),
        operations_json: Set(encode(&operations)?),
        parts_json: Set(encode(&parts)?),
        media_json: Set(encode(&request.media_references)?),
        requested_by: Set(request.requested_by.clone()),
        requested_at_us: Set(to_micros(request.requested_at)),
        decision: Set(work.decision.as_str().to_string()),
        decided_by: Set(answer.map(|a| a.by.clone())),
        answer_channel: Set(answer.map(|a| channel_name(a.channel).to_string())),
        signature_reference: Set(answer.map(|a| a.signature_reference.clone())),
        recorded_by: Set(answer.map(|a| a.recorded_by.clone())),
        decided_at_us: Set(answer.map(|a| to_micros(a.at))),
        refusal_reason: Set(reason),
        estimate_version: Set(version),
    })
}

fn from_row(model: row::Model) -> AppResult<AdditionalWork> {
    let operations: Vec<serde_json::Value> = decode(&model.operations_json)?;
    let parts: Vec<serde_json::Value> = decode(&model.parts_json)?;
    let request = AdditionalWorkRequest {
        id: uuid::Uuid::parse_str(&model.id).map_err(|_| corrupt("additional work id"))?,
        job_id: uuid::Uuid::parse_str(&model.job_id).map_err(|_| corrupt("job id"))?,
        finding: model.finding,
        operations: operations
            .iter()
            .map(|o| {
                let code = o["code"].as_str().and_then(|c| OperationCode::parse(c).ok());
                let hours = o["hours"].as_i64().and_then(|h| Hundredths::from_hundredths(h).ok());
                code.zip(hours).ok_or_else(|| corrupt("requested operation"))
            })
            .collect::<AppResult<_>>()?,
        parts: parts
            .iter()
            .map(|p| {
                let number = p["part_number"].as_str().and_then(|n| PartNumber::parse(n).ok());
                let quantity = p["quantity"].as_i64().and_then(|q| Hundredths::from_hundredths(q).ok());
                number.zip(quantity).ok_or_else(|| corrupt("requested part"))
            })
            .collect::<AppResult<_>>()?,
        media_references: decode(&model.media_json)?,
        requested_by: model.requested_by,
        requested_at: from_micros(model.requested_at_us),
    };
    let answer = || -> AppResult<CustomerAnswer> {
        Ok(CustomerAnswer {
            by: model.decided_by.clone().unwrap_or_default(),
            channel: channel_from_name(model.answer_channel.as_deref().unwrap_or_default())?,
            signature_reference: model.signature_reference.clone().unwrap_or_default(),
            recorded_by: model.recorded_by.clone().unwrap_or_default(),
            at: from_micros(model.decided_at_us.ok_or_else(|| corrupt("decision time"))?),
        })
    };
    let decision = match model.decision.as_str() {
        "pending" => Decision::Pending,
        "approved" => Decision::Approved {
            version: model.estimate_version.ok_or_else(|| corrupt("approved version"))?,
            answer: answer()?,
        },
        "refused" => Decision::Refused { reason: model.refusal_reason.clone().unwrap_or_default(), answer: answer()? },
        _ => return Err(corrupt("decision")),
    };
    Ok(AdditionalWork { request, decision })
}

fn decode<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|_| corrupt("additional work JSON"))
}

fn encode<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::internal(anyhow::anyhow!(e)))
}
