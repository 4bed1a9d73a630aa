//! A dealer's customer: who to call, and how they like to be reached. Personal data: it stays in reception.

use aftersales_kernel::DealerId;
use chrono::{DateTime, Utc};

/// How the customer likes to be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactChannel {
    /// A call.
    Phone,
    /// A text message.
    Sms,
    /// The app.
    App,
    /// E-mail.
    Email,
}

impl ContactChannel {
    /// Stable name, stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::App => "app",
            ContactChannel::Email => "email",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<ContactChannel> {
        [ContactChannel::Phone, ContactChannel::Sms, ContactChannel::App, ContactChannel::Email]
            .into_iter()
            .find(|c| c.as_str() == name)
    }
}

/// A phone number: '+' and 6 to 15 digits (E.164), spaces and dashes dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Parses `+86 138-0000-0000` as `+8613800000000`.
    pub fn parse(text: &str) -> Result<Phone, &'static str> {
        let compact: String = text.chars().filter(|c| *c != ' ' && *c != '-').collect();
        let digits = compact.strip_prefix('+').ok_or("must start with '+' and the country code")?;
        if !(6..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("must be '+' and 6 to 15 digits");
        }
        Ok(Phone(compact))
    }

    /// As stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only (one '@', a dot in the domain, no spaces, ≤ 254 characters).
pub fn check_email(text: &str) -> Result<(), &'static str> {
    let (local, domain) = text.split_once('@').ok_or("must contain '@'")?;
    let shaped = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && text.len() <= 254
        && !text.chars().any(char::is_whitespace);
    if shaped { Ok(()) } else { Err("is not an e-mail address") }
}

/// What the advisor records about a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: Phone,
    /// E-mail, if given.
    pub email: Option<String>,
    /// Address, if given.
    pub address: Option<String>,
    /// Preferred channel.
    pub preferred_channel: ContactChannel,
}

/// A customer of a dealer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Id.
    pub id: uuid::Uuid,
    /// The dealer.
    pub dealer_id: DealerId,
    /// Details.
    pub details: CustomerDetails,
    /// When registered.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change.
    pub revision: i64,
}

impl Customer {
    /// A customer registered now.
    pub fn register(dealer_id: DealerId, details: CustomerDetails, now: DateTime<Utc>) -> Customer {
        Customer { id: uuid::Uuid::now_v7(), dealer_id, details, created_at: now, updated_at: now, revision: 1 }
    }

    /// Replaces the details.
    pub fn update(&mut self, details: CustomerDetails, now: DateTime<Utc>) {
        self.details = details;
        self.updated_at = now;
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_stored_in_one_shape() {
        assert_eq!(Phone::parse("+86 138-0000-0000").unwrap().as_str(), "+8613800000000");
        assert!(Phone::parse("13800000000").is_err(), "the country code is needed");
        assert!(Phone::parse("+12345").is_err(), "too short");
        assert!(Phone::parse("+86 138 0000 000a").is_err());
    }

    #[test]
    fn e_mail_addresses_are_checked_for_shape() {
        assert!(check_email("li.wei@example.cn").is_ok());
        for bad in ["li.wei", "@example.cn", "li@cn", "li@.cn", "li wei@example.cn", "a@b@c.cn"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
