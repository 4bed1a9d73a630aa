//! How times and durations of clocks are written when a clock is stored: microseconds and seconds since the epoch,
//! the same on both databases.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// A time as microseconds since the epoch.
pub mod micros {
    use super::*;

    /// Writes it.
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(at.timestamp_micros())
    }

    /// Reads it.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let us = i64::deserialize(d)?;
        DateTime::from_timestamp_micros(us).ok_or_else(|| serde::de::Error::custom("time out of range"))
    }
}

/// An optional time as microseconds since the epoch.
pub mod micros_opt {
    use super::*;

    /// Writes it.
    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_some(&at.timestamp_micros()),
            None => s.serialize_none(),
        }
    }

    /// Reads it.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(|us| DateTime::from_timestamp_micros(us).ok_or_else(|| serde::de::Error::custom("time out of range")))
            .transpose()
    }
}

/// An optional duration as seconds.
pub mod seconds_opt {
    use super::*;

    /// Writes it.
    pub fn serialize<S: Serializer>(span: &Option<chrono::Duration>, s: S) -> Result<S::Ok, S::Error> {
        match span {
            Some(span) => s.serialize_some(&span.num_seconds()),
            None => s.serialize_none(),
        }
    }

    /// Reads it.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<chrono::Duration>, D::Error> {
        Ok(Option::<i64>::deserialize(d)?.map(chrono::Duration::seconds))
    }
}
