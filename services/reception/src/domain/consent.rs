//! The customer's consent (服务项目确认单) to one estimate version: who, how, when, with which signature.

use chrono::{DateTime, Utc};

/// How consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentChannel {
    /// Signed at the desk.
    InPerson,
    /// On the phone.
    Phone,
    /// In the app.
    App,
}

/// The customer's consent to one estimate version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The version consented to.
    pub estimate_version: i32,
    /// Who consented.
    pub consented_by: String,
    /// How.
    pub channel: ConsentChannel,
    /// Signature or call reference.
    pub signature_reference: String,
    /// Staff who recorded it.
    pub recorded_by: String,
    /// When.
    pub consented_at: DateTime<Utc>,
}
