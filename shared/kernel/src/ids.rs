//! Typed UUIDv7 identifiers.
//!
//! Each entity gets its own id type so that a [`DealerId`] can never be passed
//! where a [`SupplierId`] is expected. Ids are version-7 UUIDs: time-ordered,
//! so they index well and sort by creation time.

/// Why a text is not a typed id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text is not a hyphenated UUID such as
    /// `0190a5e4-7c3b-7def-8a12-3456789abcde`.
    #[error("must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]
    Malformed,
    /// The text is a UUID but not a version-7 one (this includes the nil
    /// UUID).
    #[error("must be a version 7 UUID")]
    NotVersion7,
}

/// Parses the canonical hyphenated form of a version-7 UUID (any case).
///
/// Used by [`typed_id!`]; public only so that the macro can reach it from
/// other crates.
#[doc(hidden)]
pub fn parse_v7(text: &str) -> Result<uuid::Uuid, IdError> {
    let bytes = text.as_bytes();
    let canonical = bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, &byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        });
    if !canonical {
        return Err(IdError::Malformed);
    }
    let uuid = uuid::Uuid::try_parse(text).map_err(|_| IdError::Malformed)?;
    if is_v7(&uuid) { Ok(uuid) } else { Err(IdError::NotVersion7) }
}

/// Whether `uuid` is an RFC 9562 version-7 UUID (which rules out nil and max).
fn is_v7(uuid: &uuid::Uuid) -> bool {
    uuid.get_version_num() == 7 && uuid.get_variant() == uuid::Variant::RFC4122
}

/// Defines a typed id: a newtype over a version-7 [`uuid::Uuid`].
///
/// ```
/// aftersales_kernel::typed_id! {
///     /// Identifies an invoice.
///     InvoiceId
/// }
///
/// let id = InvoiceId::new();
/// assert_eq!(InvoiceId::parse(&id.to_string()), Ok(id));
/// ```
///
/// The generated type has `new()` (a fresh UUIDv7), `parse(&str)` (canonical
/// hyphenated version-7 UUIDs only, any case), `from_uuid(Uuid)` (trusted,
/// unchecked: for values read back from storage), `as_uuid()`, `Display`
/// (lowercase hyphenated), `FromStr`, and `Copy, Clone, Debug, PartialEq, Eq,
/// Hash, PartialOrd, Ord`.
#[macro_export]
macro_rules! typed_id {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name($crate::uuid::Uuid);

        // A fresh random id is not a sensible `Default`.
        #[allow(clippy::new_without_default)]
        impl $name {
            /// A fresh, time-ordered (version 7) id.
            pub fn new() -> Self {
                Self($crate::uuid::Uuid::now_v7())
            }

            /// Parses the canonical hyphenated form of a version-7 UUID, in
            /// lowercase or uppercase.
            pub fn parse(text: &str) -> ::core::result::Result<Self, $crate::IdError> {
                $crate::ids::parse_v7(text).map(Self)
            }

            /// Wraps a UUID without checking it. Meant for values this system
            /// generated itself and read back from storage.
            pub fn from_uuid(uuid: $crate::uuid::Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> &$crate::uuid::Uuid {
                &self.0
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::IdError;

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::parse(text)
            }
        }
    };
}

typed_id! {
    /// Identifies a dealer (a workshop and its reception).
    DealerId
}
typed_id! {
    /// Identifies a parts supplier.
    SupplierId
}
typed_id! {
    /// Identifies a repair order.
    RepairOrderId
}
typed_id! {
    /// Identifies a job (one line of work) on a repair order.
    JobId
}
typed_id! {
    /// Identifies a part in the catalogue or in stock.
    PartId
}
typed_id! {
    /// Identifies an escalation case.
    CaseId
}
typed_id! {
    /// Identifies a supplier claim.
    ClaimId
}
typed_id! {
    /// Identifies a domain event.
    EventId
}
typed_id! {
    /// Identifies a customer.
    CustomerId
}
typed_id! {
    /// Identifies a vehicle.
    VehicleId
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    const V7: &str = "0190a5e4-7c3b-7def-8a12-3456789abcde";

    #[test]
    fn new_ids_are_version_7() {
        let id = DealerId::new();
        assert_eq!(id.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn new_ids_are_distinct() {
        assert_ne!(JobId::new(), JobId::new());
    }

    #[test]
    fn id_accepts_a_lowercase_version_7_uuid() {
        let id = RepairOrderId::parse(V7).unwrap();
        assert_eq!(id.to_string(), V7);
    }

    #[test]
    fn id_accepts_an_uppercase_version_7_uuid_and_displays_it_lowercase() {
        let id = RepairOrderId::parse(&V7.to_ascii_uppercase()).unwrap();
        assert_eq!(id.to_string(), V7);
    }

    #[test]
    fn id_is_rejected_when_it_is_not_version_7() {
        assert_eq!(CaseId::parse("0190a5e4-7c3b-4def-8a12-3456789abcde"), Err(IdError::NotVersion7));
    }

    #[test]
    fn id_is_rejected_when_it_has_the_wrong_variant() {
        assert_eq!(CaseId::parse("0190a5e4-7c3b-7def-ca12-3456789abcde"), Err(IdError::NotVersion7));
    }

    #[test]
    fn id_is_rejected_when_it_is_nil() {
        assert_eq!(CaseId::parse("00000000-0000-0000-0000-000000000000"), Err(IdError::NotVersion7));
    }

    #[test]
    fn id_is_rejected_when_it_is_max() {
        assert_eq!(CaseId::parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), Err(IdError::NotVersion7));
    }

    #[test]
    fn id_is_rejected_when_it_lacks_hyphens() {
        assert_eq!(PartId::parse("0190a5e47c3b7def8a123456789abcde"), Err(IdError::Malformed));
    }

    #[test]
    fn id_is_rejected_when_braced_or_urn() {
        assert_eq!(PartId::parse(&format!("{{{V7}}}")), Err(IdError::Malformed));
        assert_eq!(PartId::parse(&format!("urn:uuid:{V7}")), Err(IdError::Malformed));
    }

    #[test]
    fn id_is_rejected_when_it_has_surrounding_spaces() {
        assert_eq!(PartId::parse(&format!(" {V7}")), Err(IdError::Malformed));
    }

    #[test]
    fn id_is_rejected_when_it_contains_non_hex_digits() {
        assert_eq!(PartId::parse("0190a5e4-7c3b-7def-8a12-3456789abcdg"), Err(IdError::Malformed));
    }

    #[test]
    fn id_is_rejected_when_empty() {
        assert_eq!(EventId::parse(""), Err(IdError::Malformed));
    }

    #[test]
    fn id_wraps_a_uuid_unchecked() {
        let uuid = Uuid::nil();
        assert_eq!(VehicleId::from_uuid(uuid).as_uuid(), &uuid);
    }

    #[test]
    fn id_parses_with_from_str() {
        let id: CustomerId = V7.parse().unwrap();
        assert_eq!(id, CustomerId::parse(V7).unwrap());
        let other: Result<SupplierId, _> = "nope".parse();
        assert_eq!(other, Err(IdError::Malformed));
    }

    #[test]
    fn ids_sort_by_creation_time() {
        let earlier = EventId::parse("0190a5e4-7c3b-7def-8a12-3456789abcde").unwrap();
        let later = EventId::parse("0190a5e4-7c3c-7000-8000-000000000000").unwrap();
        assert!(earlier < later);
    }

    #[test]
    fn id_error_messages_are_sentences() {
        assert_eq!(IdError::NotVersion7.to_string(), "must be a version 7 UUID");
    }

    /// Random bytes stamped with the given version and the RFC variant.
    fn uuid_with_version(mut bytes: [u8; 16], version: u8) -> Uuid {
        bytes[6] = (bytes[6] & 0x0f) | (version << 4);
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid::from_bytes(bytes)
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(bytes in any::<[u8; 16]>()) {
            let id = DealerId::from_uuid(uuid_with_version(bytes, 7));
            prop_assert_eq!(DealerId::parse(&id.to_string()), Ok(id));
            prop_assert_eq!(DealerId::parse(&id.to_string().to_ascii_uppercase()), Ok(id));
        }

        #[test]
        fn other_versions_are_rejected(bytes in any::<[u8; 16]>(), version in 0u8..16) {
            prop_assume!(version != 7);
            let text = uuid_with_version(bytes, version).to_string();
            prop_assert_eq!(DealerId::parse(&text), Err(IdError::NotVersion7));
        }

        #[test]
        fn display_is_lowercase_hyphenated(bytes in any::<[u8; 16]>()) {
            let text = JobId::from_uuid(Uuid::from_bytes(bytes)).to_string();
            prop_assert!(text.len() == 36);
            prop_assert!(!text.bytes().any(|b| b.is_ascii_uppercase()));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in "\\PC{0,40}") {
            let _ = DealerId::parse(&text);
        }
    }
}
