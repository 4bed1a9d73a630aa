//! Whom support calls about a case: a name, and a phone number and/or e-mail address.
//!
//! This is customer personal data. It stays in the case: it is never put on the event feed (which every OEM role
//! and service reads) and never shown to a supplier. The phone and e-mail rules are loose on purpose — callers come
//! from many countries and channels — but strict enough that what is stored can be dialled or written to.

/// Longest phone number, in characters.
const PHONE_MAX: usize = 40;
/// Longest e-mail address, in characters.
const EMAIL_MAX: usize = 200;

/// The person to contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Name, 1..=200 characters.
    pub name: String,
    /// Telephone, if given.
    pub phone: Option<Phone>,
    /// E-mail, if given.
    pub email: Option<Email>,
}

/// A telephone number: digits, spaces, '+', '-', '(' and ')', with at least one digit, ≤ 40 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

/// Why a text is not a telephone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Longer than 40 characters.
    #[error("must be at most {PHONE_MAX} characters")]
    TooLong,
    /// Something other than digits, spaces, '+', '-', '(' and ')'.
    #[error("may contain only digits, spaces, '+', '-', '(' and ')'")]
    Character,
    /// Punctuation only: nothing to dial.
    #[error("must contain at least one digit")]
    NoDigit,
}

impl Phone {
    /// Parses an optional number: empty means none was given.
    pub fn parse_optional(text: &str) -> Result<Option<Phone>, PhoneError> {
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > PHONE_MAX {
            return Err(PhoneError::TooLong);
        }
        if !text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')) {
            return Err(PhoneError::Character);
        }
        if !text.chars().any(|c| c.is_ascii_digit()) {
            return Err(PhoneError::NoDigit);
        }
        Ok(Some(Phone(text.to_string())))
    }

    /// The number as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address: something '@' something, no whitespace, ≤ 200 characters. Deliverability is not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// Why a text is not an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Longer than 200 characters.
    #[error("must be at most {EMAIL_MAX} characters")]
    TooLong,
    /// No '@' with text on both sides.
    #[error("must be an address of the form name@domain")]
    Shape,
    /// Spaces or control characters.
    #[error("must not contain spaces or control characters")]
    Character,
}

impl Email {
    /// Parses an optional address: empty means none was given.
    pub fn parse_optional(text: &str) -> Result<Option<Email>, EmailError> {
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > EMAIL_MAX {
            return Err(EmailError::TooLong);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Character);
        }
        match text.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => Ok(Some(Email(text.to_string()))),
            _ => Err(EmailError::Shape),
        }
    }

    /// The address as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_phone_and_email_mean_none_given() {
        assert_eq!(Phone::parse_optional(""), Ok(None));
        assert_eq!(Email::parse_optional(""), Ok(None));
    }

    #[test]
    fn international_and_local_phone_spellings_are_accepted() {
        for text in ["+86 (10) 6552-9988", "010-65529988", "13800138000"] {
            assert_eq!(Phone::parse_optional(text).unwrap().unwrap().as_str(), text);
        }
    }

    #[test]
    fn a_phone_with_letters_or_without_digits_is_refused() {
        assert_eq!(Phone::parse_optional("call me"), Err(PhoneError::Character));
        assert_eq!(Phone::parse_optional("138.0013.8000"), Err(PhoneError::Character));
        assert_eq!(Phone::parse_optional("(-)"), Err(PhoneError::NoDigit));
    }

    #[test]
    fn a_phone_over_forty_characters_is_refused() {
        assert_eq!(Phone::parse_optional(&"1".repeat(41)), Err(PhoneError::TooLong));
        assert!(Phone::parse_optional(&"1".repeat(40)).is_ok());
    }

    #[test]
    fn an_email_needs_text_on_both_sides_of_an_at_sign() {
        assert!(Email::parse_optional("li.wei@example.cn").unwrap().is_some());
        for text in ["li.wei", "@example.cn", "li.wei@"] {
            assert_eq!(Email::parse_optional(text), Err(EmailError::Shape), "{text}");
        }
    }

    #[test]
    fn an_email_with_spaces_or_over_two_hundred_characters_is_refused() {
        assert_eq!(Email::parse_optional("li wei@example.cn"), Err(EmailError::Character));
        let long = format!("{}@example.cn", "a".repeat(190));
        assert_eq!(Email::parse_optional(&long), Err(EmailError::TooLong));
    }
}
