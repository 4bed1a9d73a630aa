//! Domain → proto: how repair orders look on the wire and on the feed. (Proto → domain, with validation, is in
//! `api::parse`.)

pub mod appointments;
pub mod check_ins;
pub mod customers;
pub mod directory;
pub mod inquiries;
pub mod settlement;

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::{
    AdditionalWork, ConsentChannel, CustomerNotice, Decision, Delivery, FollowUp, FollowUpChannel, LabourOperation,
    LineItem, LineRequirement, NoticeChannel, NoticeContent, OldParts, RepairOrder, RepairOrderLine, RepairOrderState,
};

/// Money on the wire (the runtime's one conversion).
pub use aftersales_runtime::to_money as money;

/// State on the wire.
pub fn state(s: RepairOrderState) -> pb::RepairOrderState {
    match s {
        RepairOrderState::Draft => pb::RepairOrderState::Draft,
        RepairOrderState::Estimated => pb::RepairOrderState::Estimated,
        RepairOrderState::Approved => pb::RepairOrderState::Approved,
        RepairOrderState::InWorkshop => pb::RepairOrderState::InWorkshop,
        RepairOrderState::AwaitingAdditionalConsent => pb::RepairOrderState::AwaitingAdditionalConsent,
        RepairOrderState::Ready => pb::RepairOrderState::Ready,
        RepairOrderState::Settled => pb::RepairOrderState::Settled,
        RepairOrderState::Delivered => pb::RepairOrderState::Delivered,
        RepairOrderState::FollowedUp => pb::RepairOrderState::FollowedUp,
        RepairOrderState::Cancelled => pb::RepairOrderState::Cancelled,
    }
}

/// A line on the wire.
pub fn line(l: &RepairOrderLine) -> pb::RepairOrderLine {
    let item = match &l.item {
        LineItem::Labour { operation_code, hours, hourly_rate } => {
            pb::repair_order_line::Item::Labour(pb::LabourItem {
                operation_code: operation_code.as_str().to_string(),
                estimated_hours_hundredths: hours.as_hundredths(),
                hourly_rate: Some(money(*hourly_rate)),
            })
        }
        LineItem::Part { part_number, quantity, unit_price } => pb::repair_order_line::Item::Part(pb::PartItem {
            part_number: part_number.to_string(),
            quantity_hundredths: quantity.as_hundredths(),
            unit_price: Some(money(*unit_price)),
        }),
    };
    pb::RepairOrderLine {
        line_id: l.id.0.to_string(),
        item: Some(item),
        requirement: match l.requirement {
            LineRequirement::Required => pb::LineRequirement::Required,
            LineRequirement::Optional => pb::LineRequirement::Optional,
        } as i32,
        estimated_amount: l.item.amount().ok().map(money),
        declined: l.is_declined(),
        declined_reason: l.declined_reason.clone().unwrap_or_default(),
        additional_work_id: l.additional_work_id.map(|id| id.to_string()).unwrap_or_default(),
        actual_hours_hundredths: matches!(l.item, LineItem::Labour { .. })
            .then_some(l.actual)
            .flatten()
            .map(|h| h.as_hundredths()),
        actual_quantity_hundredths: matches!(l.item, LineItem::Part { .. })
            .then_some(l.actual)
            .flatten()
            .map(|h| h.as_hundredths()),
    }
}

/// How consent or an answer was given, on the wire.
pub fn consent_channel(c: ConsentChannel) -> pb::ConsentChannel {
    match c {
        ConsentChannel::InPerson => pb::ConsentChannel::InPerson,
        ConsentChannel::Phone => pb::ConsentChannel::Phone,
        ConsentChannel::App => pb::ConsentChannel::App,
    }
}

/// An additional-work request and its decision on the wire.
pub fn additional_work(w: &AdditionalWork) -> pb::AdditionalWorkRequest {
    let r = &w.request;
    let (decision, answer, reason, version) = match &w.decision {
        Decision::Pending => (pb::AdditionalWorkDecision::Pending, None, String::new(), 0),
        Decision::Approved { version, answer } => {
            (pb::AdditionalWorkDecision::Approved, Some(answer), String::new(), *version)
        }
        Decision::Refused { reason, answer } => (pb::AdditionalWorkDecision::Refused, Some(answer), reason.clone(), 0),
    };
    pb::AdditionalWorkRequest {
        id: r.id.to_string(),
        job_id: r.job_id.to_string(),
        finding: r.finding.clone(),
        operations: r
            .operations
            .iter()
            .map(|(code, hours)| pb::AdditionalOperation {
                operation_code: code.as_str().to_string(),
                estimated_hours_hundredths: hours.as_hundredths(),
            })
            .collect(),
        parts: r
            .parts
            .iter()
            .map(|(number, quantity)| pb::AdditionalPart {
                part_number: number.to_string(),
                quantity_hundredths: quantity.as_hundredths(),
            })
            .collect(),
        media_references: r.media_references.clone(),
        requested_by: r.requested_by.clone(),
        requested_at: Some(to_timestamp(r.requested_at)),
        decision: decision as i32,
        decided_by: answer.map(|a| a.by.clone()).unwrap_or_default(),
        channel: answer.map_or(pb::ConsentChannel::Unspecified, |a| consent_channel(a.channel)) as i32,
        signature_reference: answer.map(|a| a.signature_reference.clone()).unwrap_or_default(),
        recorded_by: answer.map(|a| a.recorded_by.clone()).unwrap_or_default(),
        decided_at: answer.map(|a| to_timestamp(a.at)),
        refusal_reason: reason,
        estimate_version: version,
    }
}

/// An order on the wire.
pub fn repair_order(o: &RepairOrder) -> pb::RepairOrder {
    pb::RepairOrder {
        id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        mileage_km: o.mileage_km,
        urgent: o.urgent,
        fault_description: o.fault_description.clone(),
        promised_at: Some(to_timestamp(o.promised_at)),
        state: state(o.state) as i32,
        estimate_version: o.estimate_version,
        lines: o.lines.iter().map(line).collect(),
        estimate_total: o.estimate_total().ok().map(money),
        consent: o.consent.as_ref().map(|c| pb::Consent {
            estimate_version: c.estimate_version,
            consented_by: c.consented_by.clone(),
            channel: consent_channel(c.channel) as i32,
            signature_reference: c.signature_reference.clone(),
            recorded_by: c.recorded_by.clone(),
            consented_at: Some(to_timestamp(c.consented_at)),
        }),
        created_by: o.created_by.clone(),
        create_time: Some(to_timestamp(o.created_at)),
        update_time: Some(to_timestamp(o.updated_at)),
        etag: format!("\"{}\"", o.revision),
        cancellation_reason: o.cancellation_reason.clone().unwrap_or_default(),
        additional_work: o.additional_work.iter().map(additional_work).collect(),
        delivery: o.delivery.as_ref().map(delivery),
        follow_up: o.follow_up.as_ref().map(follow_up),
        check_in_id: o.check_in_id.map(|id| id.to_string()).unwrap_or_default(),
        requisitions_close_time: o.requisitions_closed_at.map(to_timestamp),
    }
}

/// A catalogue operation of reception's copy on the wire.
pub fn labour_operation(o: &LabourOperation) -> pb::LabourOperation {
    pb::LabourOperation {
        code: o.code.to_string(),
        name: o.name.clone(),
        skill_family: o.skill_family.clone(),
        minimum_level: o.minimum_level,
        standard_hours_hundredths: o.standard_hours.as_hundredths(),
        active: o.active,
        update_time: Some(to_timestamp(o.changed_at)),
    }
}

/// A delivery on the wire.
pub fn delivery(d: &Delivery) -> pb::Delivery {
    pb::Delivery {
        delivered_by: d.delivered_by.clone(),
        delivered_at: Some(to_timestamp(d.delivered_at)),
        old_parts: match d.old_parts {
            OldParts::Shown => pb::OldPartsHandling::Shown,
            OldParts::HandedOver => pb::OldPartsHandling::HandedOver,
            OldParts::Retained => pb::OldPartsHandling::Retained,
            OldParts::NoneReplaced => pb::OldPartsHandling::NoneReplaced,
        } as i32,
        next_service_on: d.next_service_on.map(|day| day.to_string()).unwrap_or_default(),
        next_service_km: d.next_service_km.unwrap_or_default(),
        follow_up_due_at: Some(to_timestamp(d.follow_up_due_at)),
        on_time: d.on_time,
    }
}

/// A follow-up on the wire.
pub fn follow_up(f: &FollowUp) -> pb::FollowUp {
    pb::FollowUp {
        channel: match f.channel {
            FollowUpChannel::Phone => pb::FollowUpChannel::Phone,
            FollowUpChannel::Sms => pb::FollowUpChannel::Sms,
            FollowUpChannel::Survey => pb::FollowUpChannel::Survey,
        } as i32,
        score: i32::from(f.score.value()),
        comments: f.comments.clone(),
        complaint: f.complaint,
        recorded_by: f.recorded_by.clone(),
        recorded_at: Some(to_timestamp(f.recorded_at)),
        dissatisfied: f.dissatisfied(),
    }
}

/// `RepairOrderCreated` for the feed.
pub fn created_event(o: &RepairOrder) -> pb::RepairOrderCreated {
    pb::RepairOrderCreated {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        urgent: o.urgent,
        estimate_version: o.estimate_version,
    }
}

/// `RepairOrderApproved` for the feed: the consented lines only.
pub fn approved_event(o: &RepairOrder) -> pb::RepairOrderApproved {
    pb::RepairOrderApproved {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        vin: o.vin.to_string(),
        mileage_km: o.mileage_km,
        urgent: o.urgent,
        promised_at: Some(to_timestamp(o.promised_at)),
        estimate_version: o.estimate_version,
        lines: o.consented_lines().map(line).collect(),
        approved_at: o.consent.as_ref().map(|c| to_timestamp(c.consented_at)),
    }
}

/// `RepairOrderCancelled` for the feed.
pub fn cancelled_event(o: &RepairOrder) -> pb::RepairOrderCancelled {
    pb::RepairOrderCancelled {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        reason: o.cancellation_reason.clone().unwrap_or_default(),
        cancelled_at: Some(aftersales_runtime::to_timestamp(o.updated_at)),
    }
}

/// `AdditionalWorkApproved` for the feed: the lines approved with request `work`.
pub fn additional_work_approved_event(
    o: &RepairOrder,
    work: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> pb::AdditionalWorkApproved {
    pb::AdditionalWorkApproved {
        repair_order_id: o.id.to_string(),
        dealer_id: o.dealer_id.to_string(),
        additional_work_id: work.to_string(),
        lines: o.lines_of_request(work).map(line).collect(),
        estimate_version: o.estimate_version,
        approved_at: Some(to_timestamp(now)),
    }
}

/// A notice on the wire.
pub fn notice(n: &CustomerNotice) -> pb::CustomerNotice {
    let mut wire = pb::CustomerNotice {
        id: n.id.to_string(),
        repair_order_id: n.repair_order_id.to_string(),
        dealer_id: n.dealer_id.to_string(),
        channel: match n.channel {
            NoticeChannel::Phone => pb::NoticeChannel::Phone,
            NoticeChannel::Sms => pb::NoticeChannel::Sms,
            NoticeChannel::App => pb::NoticeChannel::App,
            NoticeChannel::InPerson => pb::NoticeChannel::InPerson,
        } as i32,
        notified_by: n.notified_by.clone(),
        notified_at: Some(to_timestamp(n.notified_at)),
        ..Default::default()
    };
    match &n.content {
        NoticeContent::Progress { message, expected_ready_at } => {
            wire.kind = pb::NoticeKind::Progress as i32;
            wire.message = message.clone();
            wire.expected_ready_at = expected_ready_at.map(to_timestamp);
        }
        NoticeContent::Delay { reason, previous_promised_at, new_promised_at, compensation_offer } => {
            wire.kind = pb::NoticeKind::Delay as i32;
            wire.reason = reason.clone();
            wire.previous_promised_at = Some(to_timestamp(*previous_promised_at));
            wire.new_promised_at = Some(to_timestamp(*new_promised_at));
            wire.compensation_offer = compensation_offer.clone();
        }
    }
    wire
}

/// `CustomerProgressNotified` for the feed.
pub fn progress_event(n: &CustomerNotice) -> pb::CustomerProgressNotified {
    let expected = match &n.content {
        NoticeContent::Progress { expected_ready_at, .. } => expected_ready_at.map(to_timestamp),
        NoticeContent::Delay { .. } => None,
    };
    pb::CustomerProgressNotified {
        repair_order_id: n.repair_order_id.to_string(),
        dealer_id: n.dealer_id.to_string(),
        notice_id: n.id.to_string(),
        expected_ready_at: expected,
        notified_at: Some(to_timestamp(n.notified_at)),
    }
}

/// `CustomerDelayNotified` for the feed.
pub fn delay_event(n: &CustomerNotice) -> pb::CustomerDelayNotified {
    let mut event = pb::CustomerDelayNotified {
        repair_order_id: n.repair_order_id.to_string(),
        dealer_id: n.dealer_id.to_string(),
        notice_id: n.id.to_string(),
        notified_at: Some(to_timestamp(n.notified_at)),
        ..Default::default()
    };
    if let NoticeContent::Delay { reason, previous_promised_at, new_promised_at, compensation_offer } = &n.content {
        event.previous_promised_at = Some(to_timestamp(*previous_promised_at));
        event.promised_at = Some(to_timestamp(*new_promised_at));
        event.reason = reason.clone();
        event.compensation_offer = compensation_offer.clone();
    }
    event
}
