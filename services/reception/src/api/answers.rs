//! Proto → domain for the requests that answer the workshop, inform the customer and hand the car back:
//! additional-work decisions, customer notices, delivery and follow-up. Every field checked, every violation named.

use aftersales_kernel::RepairOrderId;
use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::AppError;
use aftersales_runtime::validate::{Check, NAME_MAX, REFERENCE_MAX, TEXT_MAX};
use chrono::{DateTime, Utc};

use super::parse::{consent_channel, money, time};
use crate::domain::{
    ConsentChannel, CustomerAnswer, FollowUp, FollowUpChannel, NoticeChannel, OldParts, Pricing, Score,
};

/// Longest compensation offer.
const OFFER_MAX: usize = 1000;
/// Most parts priced in one answer (workshop's requests are far smaller).
const MAX_PRICES: usize = 200;

/// Which order and request an answer is about, and its idempotency key.
pub struct Target {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// Workshop's request.
    pub additional_work_id: uuid::Uuid,
}

fn target(check: &mut Check, request_id: &str, order: &str, work: &str) -> Option<Target> {
    let request_id = check.request_id("request_id", request_id);
    let order = check.parse("repair_order_id", RepairOrderId::parse(order));
    let work = check.parse("additional_work_id", uuid::Uuid::try_parse(work));
    Some(Target { request_id: request_id?, repair_order_id: order?, additional_work_id: work? })
}

/// `ApproveAdditionalWorkRequest` → the target, the pricing and the customer's consent (its time set by the use
/// case).
pub fn approval(
    request: &pb::ApproveAdditionalWorkRequest,
    recorded_by: &str,
) -> Result<(Target, Pricing, CustomerAnswer), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &request.request_id, &request.repair_order_id, &request.additional_work_id);
    let rate = request.hourly_rate.as_ref().map(|rate| money(&mut check, "hourly_rate", Some(rate)));
    if request.part_unit_prices.len() > MAX_PRICES {
        check.fail("part_unit_prices", format!("must have at most {MAX_PRICES} prices"));
    }
    let prices: Vec<_> = request
        .part_unit_prices
        .iter()
        .take(MAX_PRICES)
        .enumerate()
        .map(|(i, price)| money(&mut check, &format!("part_unit_prices[{i}]"), Some(price)))
        .collect();
    let by = check.text("consented_by", &request.consented_by, 1, NAME_MAX);
    let channel = consent_channel(&mut check, "channel", request.channel);
    let min_reference = if channel == Some(ConsentChannel::Phone) { 0 } else { 1 };
    let reference = check.text("signature_reference", &request.signature_reference, min_reference, REFERENCE_MAX);
    check.finish_with(|| {
        let pricing = Pricing {
            hourly_rate: match rate {
                Some(rate) => Some(rate?),
                None => None,
            },
            part_unit_prices: prices.into_iter().collect::<Option<_>>()?,
        };
        let answer = answer(by?, channel?, reference?, recorded_by);
        Some((target?, pricing, answer))
    })
}

/// `RefuseAdditionalWorkRequest` → the target, the reason and who refused.
pub fn refusal(
    request: &pb::RefuseAdditionalWorkRequest,
    recorded_by: &str,
) -> Result<(Target, String, CustomerAnswer), AppError> {
    let mut check = Check::new();
    let target = target(&mut check, &request.request_id, &request.repair_order_id, &request.additional_work_id);
    let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
    let by = check.text("refused_by", &request.refused_by, 1, NAME_MAX);
    let channel = consent_channel(&mut check, "channel", request.channel);
    check.finish_with(|| Some((target?, reason?, answer(by?, channel?, String::new(), recorded_by))))
}

fn answer(by: String, channel: ConsentChannel, signature_reference: String, recorded_by: &str) -> CustomerAnswer {
    CustomerAnswer { by, channel, signature_reference, recorded_by: recorded_by.to_string(), at: DateTime::UNIX_EPOCH }
}

fn notice_channel(check: &mut Check, raw: i32) -> Option<NoticeChannel> {
    match pb::NoticeChannel::try_from(raw) {
        Ok(pb::NoticeChannel::Phone) => Some(NoticeChannel::Phone),
        Ok(pb::NoticeChannel::Sms) => Some(NoticeChannel::Sms),
        Ok(pb::NoticeChannel::App) => Some(NoticeChannel::App),
        Ok(pb::NoticeChannel::InPerson) => Some(NoticeChannel::InPerson),
        _ => {
            check.fail("channel", "must be PHONE, SMS, APP or IN_PERSON");
            None
        }
    }
}

/// A checked `NotifyCustomerProgressRequest`.
pub struct Progress {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// What was said.
    pub message: String,
    /// How.
    pub channel: NoticeChannel,
    /// Expected ready time, if said.
    pub expected_ready_at: Option<DateTime<Utc>>,
}

/// `NotifyCustomerProgressRequest` → [`Progress`].
pub fn progress(request: &pb::NotifyCustomerProgressRequest) -> Result<Progress, AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
    let message = check.text("message", &request.message, 1, TEXT_MAX);
    let channel = notice_channel(&mut check, request.channel);
    let expected = time(&mut check, "expected_ready_at", request.expected_ready_at.as_ref(), false);
    check.finish_with(|| {
        Some(Progress {
            request_id: request_id?,
            repair_order_id: order?,
            message: message?,
            channel: channel?,
            expected_ready_at: expected?,
        })
    })
}

/// A checked `NotifyCustomerDelayRequest`.
pub struct Delay {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// Why.
    pub reason: String,
    /// The new promise.
    pub new_promised_at: DateTime<Utc>,
    /// The offer.
    pub compensation_offer: String,
    /// How.
    pub channel: NoticeChannel,
}

/// `NotifyCustomerDelayRequest` → [`Delay`].
pub fn delay(request: &pb::NotifyCustomerDelayRequest) -> Result<Delay, AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
    let reason = check.text("reason", &request.reason, 1, TEXT_MAX);
    let new_promised_at = time(&mut check, "new_promised_at", request.new_promised_at.as_ref(), true);
    let offer = check.text("compensation_offer", &request.compensation_offer, 1, OFFER_MAX);
    let channel = notice_channel(&mut check, request.channel);
    check.finish_with(|| {
        Some(Delay {
            request_id: request_id?,
            repair_order_id: order?,
            reason: reason?,
            new_promised_at: new_promised_at??,
            compensation_offer: offer?,
            channel: channel?,
        })
    })
}

/// Highest odometer reading accepted, km.
const MAX_KM: i64 = 2_000_000;

/// A checked `DeliverVehicleRequest`.
pub struct Delivery {
    /// Idempotency key.
    pub request_id: uuid::Uuid,
    /// The order.
    pub repair_order_id: RepairOrderId,
    /// The old parts.
    pub old_parts: OldParts,
    /// Next service day.
    pub next_service_on: Option<chrono::NaiveDate>,
    /// Next service reading.
    pub next_service_km: Option<i64>,
}

/// `DeliverVehicleRequest` → [`Delivery`].
pub fn delivery(request: &pb::DeliverVehicleRequest) -> Result<Delivery, AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
    let old_parts = match pb::OldPartsHandling::try_from(request.old_parts) {
        Ok(pb::OldPartsHandling::Shown) => Some(OldParts::Shown),
        Ok(pb::OldPartsHandling::HandedOver) => Some(OldParts::HandedOver),
        Ok(pb::OldPartsHandling::Retained) => Some(OldParts::Retained),
        Ok(pb::OldPartsHandling::NoneReplaced) => Some(OldParts::NoneReplaced),
        _ => {
            check.fail("old_parts", "must be SHOWN, HANDED_OVER, RETAINED or NONE_REPLACED");
            None
        }
    };
    let next_on = if request.next_service_on.is_empty() {
        Some(None)
    } else {
        check
            .parse("next_service_on", chrono::NaiveDate::parse_from_str(&request.next_service_on, "%Y-%m-%d"))
            .map(Some)
    };
    let next_km = match request.next_service_km {
        0 => Some(None),
        km => check.range("next_service_km", km, 1, MAX_KM).map(Some),
    };
    check.finish_with(|| {
        Some(Delivery {
            request_id: request_id?,
            repair_order_id: order?,
            old_parts: old_parts?,
            next_service_on: next_on?,
            next_service_km: next_km?,
        })
    })
}

/// `RecordFollowUpRequest` → the idempotency key, the order and the follow-up by `recorded_by` (its time set by the
/// use case).
pub fn follow_up(
    request: &pb::RecordFollowUpRequest,
    recorded_by: &str,
) -> Result<(uuid::Uuid, RepairOrderId, FollowUp), AppError> {
    let mut check = Check::new();
    let request_id = check.request_id("request_id", &request.request_id);
    let order = check.parse("repair_order_id", RepairOrderId::parse(&request.repair_order_id));
    let channel = match pb::FollowUpChannel::try_from(request.channel) {
        Ok(pb::FollowUpChannel::Phone) => Some(FollowUpChannel::Phone),
        Ok(pb::FollowUpChannel::Sms) => Some(FollowUpChannel::Sms),
        Ok(pb::FollowUpChannel::Survey) => Some(FollowUpChannel::Survey),
        _ => {
            check.fail("channel", "must be PHONE, SMS or SURVEY");
            None
        }
    };
    let score = Score::new(request.score);
    if score.is_none() {
        check.fail("score", "must be 1 to 5");
    }
    let comments = check.text("comments", &request.comments, 0, TEXT_MAX);
    check.finish_with(|| {
        let follow_up = FollowUp {
            channel: channel?,
            score: score?,
            comments: comments?,
            complaint: request.complaint,
            recorded_by: recorded_by.to_string(),
            recorded_at: DateTime::UNIX_EPOCH,
        };
        Some((request_id?, order?, follow_up))
    })
}
