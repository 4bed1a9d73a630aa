//! Where a repair order is in its life: the state machine of DOMAIN.md in one place, so every transition is
//! decided by `may_become` and nothing else.

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairOrderState {
    /// Being written; no estimate yet.
    Draft,
    /// An estimate waits for consent.
    Estimated,
    /// The customer consented; the workshop queues the job.
    Approved,
    /// The job started.
    InWorkshop,
    /// Extra work waits for the customer's decision.
    AwaitingAdditionalConsent,
    /// Work and inspection done.
    Ready,
    /// Settlement signed.
    Settled,
    /// Car handed back.
    Delivered,
    /// Follow-up recorded.
    FollowedUp,
    /// Cancelled before the job started.
    Cancelled,
}

impl RepairOrderState {
    /// Stable name, stored and shown in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairOrderState::Draft => "draft",
            RepairOrderState::Estimated => "estimated",
            RepairOrderState::Approved => "approved",
            RepairOrderState::InWorkshop => "in_workshop",
            RepairOrderState::AwaitingAdditionalConsent => "awaiting_additional_consent",
            RepairOrderState::Ready => "ready",
            RepairOrderState::Settled => "settled",
            RepairOrderState::Delivered => "delivered",
            RepairOrderState::FollowedUp => "followed_up",
            RepairOrderState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<RepairOrderState> {
        use RepairOrderState::*;
        [
            Draft,
            Estimated,
            Approved,
            InWorkshop,
            AwaitingAdditionalConsent,
            Ready,
            Settled,
            Delivered,
            FollowedUp,
            Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether the state machine allows `self → next`. The one place transitions are decided.
    pub fn may_become(self, next: RepairOrderState) -> bool {
        use RepairOrderState::*;
        match self {
            Draft => matches!(next, Estimated | Cancelled),
            Estimated => matches!(next, Estimated | Approved | Cancelled),
            Approved => matches!(next, InWorkshop | Cancelled),
            InWorkshop => matches!(next, AwaitingAdditionalConsent | Ready),
            AwaitingAdditionalConsent => matches!(next, InWorkshop),
            Ready => matches!(next, Settled),
            Settled => matches!(next, Delivered),
            Delivered => matches!(next, FollowedUp),
            FollowedUp | Cancelled => false,
        }
    }
}
