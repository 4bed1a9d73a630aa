//! The codes of the stock ledger: warehouse and bin codes, batch codes and document types.

use std::fmt;

/// Why a code is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CodeError(&'static str);

/// `A-Z 0-9` and single `-` (not first or last), 1..=20 characters.
fn location_code(text: &str) -> Result<String, CodeError> {
    let ok = (1..=20).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--");
    ok.then(|| text.to_string())
        .ok_or(CodeError("must be 1 to 20 characters: A-Z, 0-9 and single '-' (not first or last)"))
}

macro_rules! code {
    ($(#[$doc:meta])* $name:ident, $parse:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps `text`.
            pub fn parse(text: &str) -> Result<$name, CodeError> {
                let parse: fn(&str) -> Result<String, CodeError> = $parse;
                parse(text).map($name)
            }

            /// The code.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code!(
    /// A warehouse's code, unique per dealer.
    WarehouseCode,
    location_code
);
code!(
    /// A bin's code, unique in its warehouse.
    BinCode,
    location_code
);
code!(
    /// A batch (lot) code: 1..=40 characters, letters, digits and single `-`, `.` or `/` (not first or last).
    BatchCode,
    |text| {
        let separator = |b: u8| matches!(b, b'-' | b'.' | b'/');
        let bytes = text.as_bytes();
        let ok = (1..=40).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || separator(*b))
            && !separator(bytes[0])
            && !separator(bytes[bytes.len() - 1])
            && !bytes.windows(2).any(|w| separator(w[0]) && separator(w[1]));
        ok.then(|| text.to_string()).ok_or(CodeError(
            "must be 1 to 40 characters: letters, digits and single '-', '.' or '/' (not first or last)",
        ))
    }
);
code!(
    /// What kind of document a movement belongs to: 1..=40 characters, a-z, 0-9 and `-` (e.g. `counter-issue`).
    DocumentType,
    |text| {
        let ok = (1..=40).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && text.as_bytes()[0].is_ascii_lowercase();
        ok.then(|| text.to_string())
            .ok_or(CodeError("must be 1 to 40 characters: a-z, 0-9 and '-', starting with a letter"))
    }
);
