//! Inquiries on the wire.

use aftersales_proto::reception::v1 as pb;
use aftersales_runtime::to_timestamp;

use crate::domain::inquiry::{Inquiry, InquiryChannel, InquiryKind};

/// A kind on the wire.
pub fn kind(kind: InquiryKind) -> pb::InquiryKind {
    match kind {
        InquiryKind::Inquiry => pb::InquiryKind::Inquiry,
        InquiryKind::Complaint => pb::InquiryKind::Complaint,
    }
}

/// A channel on the wire.
pub fn channel(channel: InquiryChannel) -> pb::InquiryChannel {
    match channel {
        InquiryChannel::Phone => pb::InquiryChannel::Phone,
        InquiryChannel::WalkIn => pb::InquiryChannel::WalkIn,
        InquiryChannel::App => pb::InquiryChannel::App,
        InquiryChannel::Hotline => pb::InquiryChannel::Hotline,
        InquiryChannel::Email => pb::InquiryChannel::Email,
        InquiryChannel::Other => pb::InquiryChannel::Other,
    }
}

/// An inquiry on the wire.
pub fn inquiry(i: &Inquiry) -> pb::Inquiry {
    let d = &i.details;
    let closure = i.closure.as_ref();
    pb::Inquiry {
        id: i.id.to_string(),
        dealer_id: i.dealer_id.to_string(),
        kind: kind(d.kind) as i32,
        channel: channel(d.channel) as i32,
        urgent: d.urgent,
        customer_name: d.customer_name.clone(),
        customer_contact: d.customer_contact.clone(),
        vin: d.vin.as_ref().map(|v| v.to_string()).unwrap_or_default(),
        subject: d.subject.clone(),
        description: d.description.clone(),
        owner: i.owner.clone(),
        received_by: i.received_by.clone(),
        received_at: Some(to_timestamp(i.received_at)),
        state: if closure.is_some() { pb::InquiryState::Closed } else { pb::InquiryState::Open } as i32,
        hand_overs: i
            .hand_overs
            .iter()
            .map(|h| pb::HandOver {
                from_subject: h.from.clone(),
                to_subject: h.to.clone(),
                reason: h.reason.clone(),
                handed_over_by: h.by.clone(),
                at: Some(to_timestamp(h.at)),
            })
            .collect(),
        replies: i
            .replies
            .iter()
            .map(|r| pb::InquiryReply {
                text: r.text.clone(),
                channel: channel(r.channel) as i32,
                replied_by: r.by.clone(),
                at: Some(to_timestamp(r.at)),
            })
            .collect(),
        resolution: closure.map(|c| c.resolution.clone()).unwrap_or_default(),
        closed_by: closure.map(|c| c.by.clone()).unwrap_or_default(),
        closed_at: closure.map(|c| to_timestamp(c.at)),
    }
}
