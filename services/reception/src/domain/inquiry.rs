//! First-contact responsibility (首问负责制, DOMAIN.md Reception 2): the staff member who first takes a customer's
//! inquiry or complaint owns it until it is closed or explicitly handed over. Rules:
//! - the taker is the owner;
//! - only the owner replies (the first reply is what the customer waited for: escalation's reply clock);
//! - the owner or the dealer's manager hands it over, to another member of the dealer's staff, with a reason; every
//!   hand-over is kept;
//! - the owner or the manager closes it with a resolution; closed is final.

use aftersales_kernel::{DealerId, Vin};
use chrono::{DateTime, Utc};

/// An inquiry or a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryKind {
    /// 咨询.
    Inquiry,
    /// 投诉.
    Complaint,
}

/// How the customer reached the dealer (or was replied to).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryChannel {
    /// A call.
    Phone,
    /// At the desk.
    WalkIn,
    /// The app.
    App,
    /// The OEM's hotline.
    Hotline,
    /// E-mail.
    Email,
    /// Anything else.
    Other,
}

impl InquiryChannel {
    /// Every channel.
    pub const ALL: [InquiryChannel; 6] = [
        InquiryChannel::Phone,
        InquiryChannel::WalkIn,
        InquiryChannel::App,
        InquiryChannel::Hotline,
        InquiryChannel::Email,
        InquiryChannel::Other,
    ];

    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryChannel::Phone => "phone",
            InquiryChannel::WalkIn => "walk_in",
            InquiryChannel::App => "app",
            InquiryChannel::Hotline => "hotline",
            InquiryChannel::Email => "email",
            InquiryChannel::Other => "other",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<InquiryChannel> {
        InquiryChannel::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What the customer brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInquiry {
    /// Inquiry or complaint.
    pub kind: InquiryKind,
    /// How it came in.
    pub channel: InquiryChannel,
    /// Car will not start / safety.
    pub urgent: bool,
    /// The customer's name as given.
    pub customer_name: String,
    /// Their phone or e-mail as given.
    pub customer_contact: String,
    /// The vehicle, if named.
    pub vin: Option<Vin>,
    /// What it is about.
    pub subject: String,
    /// The customer's words.
    pub description: String,
}

/// A hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOver {
    /// Owner before.
    pub from: String,
    /// Owner after.
    pub to: String,
    /// Why.
    pub reason: String,
    /// Who did it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// What was said.
    pub text: String,
    /// How.
    pub channel: InquiryChannel,
    /// The owner.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// How it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The resolution.
    pub resolution: String,
    /// Who closed it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InquiryError {
    /// Closed inquiries take nothing more.
    #[error("the inquiry is closed")]
    Closed,
    /// Only the owner replies; only the owner or the manager hands over or closes.
    #[error("only {owner}, who owns it, {what}")]
    NotOwner {
        /// The owner.
        owner: String,
        /// What was tried.
        what: &'static str,
    },
    /// Handing over to the current owner.
    #[error("already owns it")]
    SameOwner,
}

/// An inquiry or complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inquiry {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// What the customer brought.
    pub details: NewInquiry,
    /// Responsible now.
    pub owner: String,
    /// Took it first.
    pub received_by: String,
    /// When.
    pub received_at: DateTime<Utc>,
    /// Hand-overs, oldest first.
    pub hand_overs: Vec<HandOver>,
    /// Replies, oldest first.
    pub replies: Vec<Reply>,
    /// Set once closed.
    pub closure: Option<Closure>,
    /// Bumped by every change.
    pub revision: i64,
}

impl Inquiry {
    /// `by` takes the customer's inquiry: they own it.
    pub fn receive(dealer_id: DealerId, details: NewInquiry, by: &str, now: DateTime<Utc>) -> Inquiry {
        Inquiry {
            id: uuid::Uuid::now_v7(),
            dealer_id,
            details,
            owner: by.to_string(),
            received_by: by.to_string(),
            received_at: now,
            hand_overs: Vec::new(),
            replies: Vec::new(),
            closure: None,
            revision: 1,
        }
    }

    fn open(&self) -> Result<(), InquiryError> {
        if self.closure.is_some() { Err(InquiryError::Closed) } else { Ok(()) }
    }

    fn owner_or_manager(&self, by: &str, manager: bool, what: &'static str) -> Result<(), InquiryError> {
        if by == self.owner || manager {
            Ok(())
        } else {
            Err(InquiryError::NotOwner { owner: self.owner.clone(), what })
        }
    }

    /// Hands it to `to` (a member of the dealer's staff, checked by the caller) with `reason`.
    pub fn hand_over(
        &mut self,
        to: &str,
        reason: &str,
        by: &str,
        manager: bool,
        now: DateTime<Utc>,
    ) -> Result<&HandOver, InquiryError> {
        self.open()?;
        self.owner_or_manager(by, manager, "or the manager hands it over")?;
        if to == self.owner {
            return Err(InquiryError::SameOwner);
        }
        let from = std::mem::replace(&mut self.owner, to.to_string());
        self.hand_overs.push(HandOver {
            from,
            to: to.to_string(),
            reason: reason.to_string(),
            by: by.to_string(),
            at: now,
        });
        self.revision += 1;
        Ok(self.hand_overs.last().expect("just pushed"))
    }

    /// The owner replies; `true` when it is the first reply.
    pub fn reply(
        &mut self,
        text: &str,
        channel: InquiryChannel,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, InquiryError> {
        self.open()?;
        if by != self.owner {
            return Err(InquiryError::NotOwner { owner: self.owner.clone(), what: "replies" });
        }
        self.replies.push(Reply { text: text.to_string(), channel, by: by.to_string(), at: now });
        self.revision += 1;
        Ok(self.replies.len() == 1)
    }

    /// Closes it with `resolution`.
    pub fn close(&mut self, resolution: &str, by: &str, manager: bool, now: DateTime<Utc>) -> Result<(), InquiryError> {
        self.open()?;
        self.owner_or_manager(by, manager, "or the manager closes it")?;
        self.closure = Some(Closure { resolution: resolution.to_string(), by: by.to_string(), at: now });
        self.revision += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn complaint() -> Inquiry {
        let details = NewInquiry {
            kind: InquiryKind::Complaint,
            channel: InquiryChannel::Phone,
            urgent: true,
            customer_name: "Li Wei".into(),
            customer_contact: "+8613800000000".into(),
            vin: None,
            subject: "car will not start after the repair".into(),
            description: "picked up yesterday, dead this morning".into(),
        };
        Inquiry::receive(DealerId::new(), details, "alice", now())
    }

    #[test]
    fn the_first_staff_member_who_takes_it_owns_it() {
        let inquiry = complaint();
        assert_eq!((inquiry.owner.as_str(), inquiry.received_by.as_str()), ("alice", "alice"));
    }

    #[test]
    fn only_the_owner_replies_and_the_first_reply_is_marked() {
        let mut inquiry = complaint();
        assert!(matches!(
            inquiry.reply("on it", InquiryChannel::Phone, "bob", now()),
            Err(InquiryError::NotOwner { .. })
        ));
        assert_eq!(inquiry.reply("a technician calls you back", InquiryChannel::Phone, "alice", now()), Ok(true));
        assert_eq!(inquiry.reply("booked for 14:00", InquiryChannel::Phone, "alice", now()), Ok(false));
    }

    #[test]
    fn a_hand_over_moves_ownership_and_is_kept() {
        let mut inquiry = complaint();
        assert!(matches!(inquiry.hand_over("carol", "r", "bob", false, now()), Err(InquiryError::NotOwner { .. })));
        inquiry.hand_over("bob", "bob knows the car", "alice", false, now()).unwrap();
        assert_eq!(inquiry.owner, "bob");
        assert!(matches!(
            inquiry.reply("x", InquiryChannel::Phone, "alice", now()),
            Err(InquiryError::NotOwner { .. })
        ));
        inquiry.hand_over("carol", "bob is off sick", "manager", true, now()).unwrap();
        assert_eq!(inquiry.hand_overs.iter().map(|h| h.to.as_str()).collect::<Vec<_>>(), ["bob", "carol"]);
        assert_eq!(inquiry.hand_over("carol", "again", "carol", false, now()), Err(InquiryError::SameOwner));
    }

    #[test]
    fn closed_is_final() {
        let mut inquiry = complaint();
        inquiry.close("battery replaced under warranty", "alice", false, now()).unwrap();
        assert_eq!(inquiry.reply("x", InquiryChannel::Phone, "alice", now()), Err(InquiryError::Closed));
        assert_eq!(inquiry.hand_over("bob", "r", "alice", false, now()).map(|_| ()), Err(InquiryError::Closed));
        assert_eq!(inquiry.close("again", "alice", false, now()), Err(InquiryError::Closed));
    }
}
