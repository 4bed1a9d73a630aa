//! A contact: a person at the supplier whom the OEM's quality and claims staff write to or call.

use aftersales_kernel::text::{self, Lines, TextRule};

/// Longest name, e-mail address and duty, in characters.
pub const TEXT_MAX: usize = 200;
/// Longest telephone number, in characters.
pub const PHONE_MAX: usize = 40;

/// A person at the supplier. Checked as part of a [`super::Supplier`], which holds only valid ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Name, 1..=200 characters.
    pub name: String,
    /// E-mail address, 1..=200 characters, containing '@'.
    pub email: String,
    /// Telephone number, ≤ 40 characters of digits, spaces, '+', '-', '(' and ')'; may be empty.
    pub phone: String,
    /// What the person handles ("quality", "claims"), ≤ 200 characters; may be empty.
    pub duty: String,
}

/// The part of a contact a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactField {
    /// The name.
    Name,
    /// The e-mail address.
    Email,
    /// The telephone number.
    Phone,
    /// The duty.
    Duty,
}

/// A broken contact rule, as a sentence the caller reads after the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactRule {
    /// A text rule (length, line breaks, control characters).
    #[error(transparent)]
    Text(#[from] TextRule),
    /// An e-mail address without '@'.
    #[error("must be an e-mail address (containing '@')")]
    NotAnEmail,
    /// A telephone number with letters or other signs.
    #[error("may contain only digits, spaces, '+', '-', '(' and ')'")]
    NotAPhoneNumber,
}

impl Contact {
    /// Every rule the contact breaks, in field order.
    pub fn violations(&self) -> Vec<(ContactField, ContactRule)> {
        let mut out = Vec::new();
        if let Err(rule) = text::check(&self.name, 1, TEXT_MAX, Lines::One) {
            out.push((ContactField::Name, rule.into()));
        }
        match text::check(&self.email, 1, TEXT_MAX, Lines::One) {
            Err(rule) => out.push((ContactField::Email, rule.into())),
            Ok(()) if !self.email.contains('@') => out.push((ContactField::Email, ContactRule::NotAnEmail)),
            Ok(()) => {}
        }
        match text::check(&self.phone, 0, PHONE_MAX, Lines::One) {
            Err(rule) => out.push((ContactField::Phone, rule.into())),
            Ok(()) if !self.phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) => {
                out.push((ContactField::Phone, ContactRule::NotAPhoneNumber))
            }
            Ok(()) => {}
        }
        if let Err(rule) = text::check(&self.duty, 0, TEXT_MAX, Lines::One) {
            out.push((ContactField::Duty, rule.into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn li_wei() -> Contact {
        Contact {
            name: "李伟".into(),
            email: "li.wei@bosch.example".into(),
            phone: "+86 (21) 5555-0100".into(),
            duty: "quality".into(),
        }
    }

    fn broken(contact: Contact) -> Vec<ContactField> {
        contact.violations().into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn a_complete_contact_breaks_no_rule() {
        assert!(broken(li_wei()).is_empty());
    }

    #[test]
    fn phone_and_duty_may_be_empty_but_name_and_email_may_not() {
        let contact = Contact { phone: String::new(), duty: String::new(), ..li_wei() };
        assert!(broken(contact).is_empty());
        let contact = Contact { name: String::new(), email: String::new(), ..li_wei() };
        assert_eq!(broken(contact), [ContactField::Name, ContactField::Email]);
    }

    #[test]
    fn an_email_address_contains_an_at_sign_and_at_most_200_characters() {
        let contact = Contact { email: "li.wei.bosch.example".into(), ..li_wei() };
        assert_eq!(contact.violations(), [(ContactField::Email, ContactRule::NotAnEmail)]);
        let contact = Contact { email: format!("{}@x", "l".repeat(198)), ..li_wei() };
        assert!(broken(contact).is_empty(), "200 characters");
        let contact = Contact { email: format!("{}@x", "l".repeat(199)), ..li_wei() };
        assert_eq!(broken(contact), [ContactField::Email], "201 characters");
    }

    #[test]
    fn a_phone_number_has_at_most_40_digits_spaces_and_plus_dash_brackets() {
        let contact = Contact { phone: "0800-CALL-BOSCH".into(), ..li_wei() };
        assert_eq!(contact.violations(), [(ContactField::Phone, ContactRule::NotAPhoneNumber)]);
        let contact = Contact { phone: "1".repeat(41), ..li_wei() };
        assert_eq!(broken(contact), [ContactField::Phone]);
    }

    #[test]
    fn names_and_duties_are_one_line_of_at_most_200_characters() {
        let contact = Contact { name: "Li\nWei".into(), duty: "x".repeat(201), ..li_wei() };
        assert_eq!(broken(contact), [ContactField::Name, ContactField::Duty]);
    }
}
