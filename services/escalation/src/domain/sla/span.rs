//! A signed duration as policies write it: a number and a unit — `s`, `m`, `h`, `d` — optionally several
//! (`1h30m`), optionally negative (`-30m`, for "30 minutes before a time field").

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A signed duration with second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span(i64);

impl Span {
    /// From seconds.
    pub fn seconds(seconds: i64) -> Span {
        Span(seconds)
    }

    /// In seconds.
    pub fn as_seconds(self) -> i64 {
        self.0
    }

    /// As a chrono duration.
    pub fn duration(self) -> chrono::Duration {
        chrono::Duration::seconds(self.0)
    }

    /// Whether it is longer than zero.
    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Parses `15m`, `2h`, `1h30m`, `-30m`, `1d`, `45s`.
    pub fn parse(text: &str) -> Result<Span, String> {
        let (sign, body) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text),
        };
        if body.is_empty() {
            return Err(format!("{text:?} is not a duration (e.g. \"15m\", \"2h\", \"-30m\")"));
        }
        let mut total: i64 = 0;
        let mut number = String::new();
        for c in body.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return Err(format!("{text:?}: unknown unit {c:?} (s, m, h, d)")),
            };
            let n: i64 = number.parse().map_err(|_| format!("{text:?}: a number must come before {c:?}"))?;
            total = n
                .checked_mul(unit)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| format!("{text:?} is too long"))?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(format!("{text:?}: the last number has no unit"));
        }
        Ok(Span(sign * total))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let mut left = self.0.abs();
        if left == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            if left >= size {
                write!(f, "{}{unit}", left / size)?;
                left %= size;
            }
        }
        Ok(())
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        let text = String::deserialize(d)?;
        Span::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_write_durations_with_units() {
        assert_eq!(Span::parse("15m"), Ok(Span::seconds(900)));
        assert_eq!(Span::parse("2h"), Ok(Span::seconds(7200)));
        assert_eq!(Span::parse("1h30m"), Ok(Span::seconds(5400)));
        assert_eq!(Span::parse("-30m"), Ok(Span::seconds(-1800)));
        assert_eq!(Span::parse("1d"), Ok(Span::seconds(86_400)));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "-", "15", "m", "15x", "1.5h", "h2"] {
            assert!(Span::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn it_prints_as_it_parses() {
        for text in ["15m", "2h", "1h30m", "-30m", "1d", "45s"] {
            assert_eq!(Span::parse(text).unwrap().to_string(), text);
        }
    }
}
