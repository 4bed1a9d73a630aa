//! The command line's own syntax, parsed without I/O: decimal money text, labour and part line specs
//! (`CODE:HOURS:RATE`, `PARTNO:QTY:UNIT_PRICE`) and their unpriced forms (`CODE:HOURS`, `PARTNO:QTY`), declined
//! lines (`LINE_ID=REASON`), times (RFC 3339), days (`YYYY-MM-DD`) and ids.
//!
//! Identifiers inside the specs (operation codes, part numbers, line ids) are left to the services, which name the
//! field that is wrong; the CLI parses only what its syntax needs.
#![forbid(unsafe_code)]

use aftersales_kernel::{Currency, Hundredths};

/// A non-negative decimal number as typed, e.g. `80.00`: its digits without the point, and how many were decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    digits: u64,
    scale: u32,
}

/// More decimals than this are surely a typo.
const MAX_SCALE: usize = 9;

impl Decimal {
    /// Parses `80`, `80.5`, `80.00`: digits, optionally a point and more digits; no sign, spaces or grouping.
    pub fn parse(text: &str) -> Result<Decimal, String> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(fraction)
            || (text.contains('.') && fraction.is_empty())
        {
            return Err(format!("{text:?} is not an amount such as 80 or 80.00 (no sign, no spaces)"));
        }
        if fraction.len() > MAX_SCALE {
            return Err(format!("{text:?} has too many decimal places"));
        }
        let digits = format!("{whole}{fraction}").parse::<u64>().map_err(|_| format!("{text:?} is too large"))?;
        Ok(Decimal {
            digits,
            // At most MAX_SCALE, so the cast is lossless.
            scale: fraction.len() as u32,
        })
    }

    /// The amount in minor units of `currency` (cents for EUR). More decimals than the currency has are refused
    /// unless they are zeros (`80.000` EUR is 8000 cents, `19.999` EUR is an error): money is never rounded here.
    pub fn to_minor(self, currency: Currency) -> Result<i64, String> {
        let minor_digits = currency.minor_digits();
        let minor = if self.scale > minor_digits {
            let drop = 10u64.pow(self.scale - minor_digits);
            if !self.digits.is_multiple_of(drop) {
                return Err(format!("{self} has more decimal places than {currency} has ({minor_digits})"));
            }
            self.digits / drop
        } else {
            self.digits
                .checked_mul(10u64.pow(minor_digits - self.scale))
                .ok_or_else(|| format!("{self} is too large"))?
        };
        i64::try_from(minor).map_err(|_| format!("{self} is too large"))
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.digits);
        }
        let scale = 10u64.pow(self.scale);
        let width = self.scale as usize;
        write!(f, "{}.{:0width$}", self.digits / scale, self.digits % scale)
    }
}

/// A labour or part line as typed: what (operation code or part number), how much (hours or quantity, in
/// hundredths) and the price of one unit (an hour or a piece), in the currency given separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSpec {
    /// Operation code or part number, as typed.
    pub code: String,
    /// Hours or quantity.
    pub amount: Hundredths,
    /// Hourly rate or unit price.
    pub price: Decimal,
}

/// `CODE:HOURS:RATE`, e.g. `ENG-0420:1.5:80.00`.
pub fn labour(text: &str) -> Result<LineSpec, String> {
    line(text, "CODE:HOURS:RATE, e.g. ENG-0420:1.5:80.00", "hours")
}

/// `PARTNO:QTY:UNIT_PRICE`, e.g. `A-1001:2:19.99`.
pub fn part(text: &str) -> Result<LineSpec, String> {
    line(text, "PARTNO:QTY:UNIT_PRICE, e.g. A-1001:2:19.99", "quantity")
}

fn line(text: &str, shape: &str, amount_name: &str) -> Result<LineSpec, String> {
    let fields: Vec<&str> = text.split(':').collect();
    let [code, amount, price] = fields.as_slice() else {
        return Err(format!("expected {shape}"));
    };
    let item = code_and_amount(code, amount, shape, amount_name)?;
    let price = Decimal::parse(price).map_err(|e| format!("price {e}"))?;
    Ok(LineSpec { code: item.code, amount: item.amount, price })
}

/// An operation or part asked for without a price (reception prices it): what, and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSpec {
    /// Operation code or part number, as typed.
    pub code: String,
    /// Hours or quantity.
    pub amount: Hundredths,
}

/// `CODE:HOURS`, e.g. `BRK-0100:0.8`: an operation asked for as additional work.
pub fn labour_hours(text: &str) -> Result<ItemSpec, String> {
    item(text, "CODE:HOURS, e.g. BRK-0100:0.8", "hours")
}

/// `PARTNO:QTY`, e.g. `A-1001:2`: a part asked for as additional work.
pub fn part_quantity(text: &str) -> Result<ItemSpec, String> {
    item(text, "PARTNO:QTY, e.g. A-1001:2", "quantity")
}

fn item(text: &str, shape: &str, amount_name: &str) -> Result<ItemSpec, String> {
    let fields: Vec<&str> = text.split(':').collect();
    let [code, amount] = fields.as_slice() else {
        return Err(format!("expected {shape}"));
    };
    code_and_amount(code, amount, shape, amount_name)
}

/// The code (not empty) and amount (more than 0) common to every spec.
fn code_and_amount(code: &str, amount: &str, shape: &str, amount_name: &str) -> Result<ItemSpec, String> {
    if code.trim().is_empty() {
        return Err(format!("the code is empty; expected {shape}"));
    }
    let parsed = Hundredths::parse(amount).map_err(|e| format!("{amount_name} {amount:?} {e}"))?;
    if parsed == Hundredths::ZERO {
        return Err(format!("{amount_name} must be more than 0"));
    }
    Ok(ItemSpec { code: code.trim().to_string(), amount: parsed })
}

/// Hours such as `1.5` (more than 0, at most two decimals).
pub fn hours(text: &str) -> Result<Hundredths, String> {
    let parsed = Hundredths::parse(text).map_err(|e| format!("hours {text:?} {e}"))?;
    if parsed == Hundredths::ZERO {
        return Err("hours must be more than 0".into());
    }
    Ok(parsed)
}

/// A time as RFC 3339, e.g. `2026-03-01T17:00:00+08:00` or `2026-03-01T09:00:00Z`.
pub fn time(text: &str) -> Result<prost_types::Timestamp, String> {
    let parsed = chrono::DateTime::parse_from_rfc3339(text.trim())
        .map_err(|e| format!("{text:?} is not an RFC 3339 time such as 2026-03-01T17:00:00Z ({e})"))?;
    // Subsecond nanos are below 10^9 except for leap seconds, which the services do not take.
    let nanos = i32::try_from(parsed.timestamp_subsec_nanos()).map_err(|_| format!("{text:?} is a leap second"))?;
    Ok(prost_types::Timestamp { seconds: parsed.timestamp(), nanos })
}

/// A calendar day `YYYY-MM-DD`, returned as typed (normalised).
pub fn day(text: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("{text:?} is not a day such as 2026-03-01 (YYYY-MM-DD)"))
}

/// `LINE_ID=REASON`: an optional line the customer declines, and why.
pub fn decline(text: &str) -> Result<(String, String), String> {
    let (line_id, reason) =
        text.split_once('=').ok_or("expected LINE_ID=REASON (line ids are shown by `aftersales orders get`)")?;
    let (line_id, reason) = (line_id.trim(), reason.trim());
    if line_id.is_empty() || reason.is_empty() {
        return Err("expected LINE_ID=REASON with both parts given".into());
    }
    Ok((line_id.to_string(), reason.to_string()))
}

/// A currency code such as `EUR` (`eur` is read as `EUR`).
pub fn currency(text: &str) -> Result<Currency, String> {
    Currency::parse(&text.trim().to_ascii_uppercase()).map_err(|e| format!("currency {e}"))
}

/// A dealer id: a UUIDv7 (`aftersales dealer-id` prints a fresh one).
pub fn dealer_id(text: &str) -> Result<String, String> {
    aftersales_kernel::DealerId::parse(text.trim())
        .map(|id| id.to_string())
        .map_err(|e| format!("{e} (`aftersales dealer-id` prints a fresh one)"))
}

/// A supplier id: a UUIDv7.
pub fn supplier_id(text: &str) -> Result<String, String> {
    aftersales_kernel::SupplierId::parse(text.trim()).map(|id| id.to_string()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minor(text: &str, currency: Currency) -> Result<i64, String> {
        Decimal::parse(text)?.to_minor(currency)
    }

    #[test]
    fn money_text_becomes_minor_units_of_the_currency() {
        assert_eq!(minor("80.00", Currency::EUR), Ok(8000));
        assert_eq!(minor("80", Currency::EUR), Ok(8000));
        assert_eq!(minor("80.5", Currency::EUR), Ok(8050));
        assert_eq!(minor("0.05", Currency::EUR), Ok(5));
        assert_eq!(minor("1200", Currency::JPY), Ok(1200));
        assert_eq!(minor("1.5", Currency::parse("KWD").unwrap()), Ok(1500));
    }

    #[test]
    fn money_text_is_never_rounded() {
        assert!(minor("19.999", Currency::EUR).is_err());
        assert!(minor("1200.5", Currency::JPY).is_err());
        assert_eq!(minor("19.990", Currency::EUR), Ok(1999));
    }

    #[test]
    fn money_text_refuses_signs_spaces_and_garbage() {
        for text in ["", "-1", "+1", " 1", "1 ", "1,5", "1.", ".5", "1.2.3", "1e3", "abc"] {
            assert!(Decimal::parse(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn money_text_refuses_amounts_that_do_not_fit() {
        assert!(Decimal::parse("99999999999999999999").is_err());
        assert!(minor("999999999999999999", Currency::EUR).is_err());
    }

    #[test]
    fn decimals_print_as_typed() {
        assert_eq!(Decimal::parse("80.00").unwrap().to_string(), "80.00");
        assert_eq!(Decimal::parse("7").unwrap().to_string(), "7");
    }

    #[test]
    fn a_labour_spec_has_code_hours_and_rate() {
        let spec = labour("ENG-0420:1.5:80.00").unwrap();
        assert_eq!(spec.code, "ENG-0420");
        assert_eq!(spec.amount.as_hundredths(), 150);
        assert_eq!(spec.price.to_minor(Currency::EUR), Ok(8000));
    }

    #[test]
    fn a_part_spec_has_number_quantity_and_unit_price() {
        let spec = part("A-1001.2:2:19.99").unwrap();
        assert_eq!(spec.code, "A-1001.2");
        assert_eq!(spec.amount.as_hundredths(), 200);
        assert_eq!(spec.price.to_minor(Currency::EUR), Ok(1999));
    }

    #[test]
    fn line_specs_refuse_wrong_shapes_and_amounts() {
        for text in [
            "ENG-0420",
            "ENG-0420:1.5",
            "ENG-0420:1.5:80:1",
            ":1.5:80",
            "ENG-0420:0:80",
            "ENG-0420:1.255:80",
            "ENG-0420:-1:80",
            "ENG-0420:1.5:-80",
            "ENG-0420:1.5:",
        ] {
            assert!(labour(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn a_declined_line_needs_an_id_and_a_reason() {
        assert_eq!(decline("0190-x=too expensive"), Ok(("0190-x".into(), "too expensive".into())));
        assert_eq!(decline("id=a=b"), Ok(("id".into(), "a=b".into())));
        for text in ["id", "id=", "=reason", " = "] {
            assert!(decline(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn unpriced_specs_have_a_code_and_an_amount() {
        let hours = labour_hours("BRK-0100:0.8").unwrap();
        assert_eq!((hours.code.as_str(), hours.amount.as_hundredths()), ("BRK-0100", 80));
        let quantity = part_quantity(" A-1001 :2").unwrap();
        assert_eq!((quantity.code.as_str(), quantity.amount.as_hundredths()), ("A-1001", 200));
        for text in ["BRK-0100", "BRK-0100:0", ":1", "BRK-0100:1:80.00", "BRK-0100:-1", "BRK-0100:1.234"] {
            assert!(labour_hours(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn hours_are_positive_hundredths() {
        assert_eq!(hours("1.5").map(|h| h.as_hundredths()), Ok(150));
        for text in ["0", "-1", "1.234", "x", ""] {
            assert!(hours(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn times_are_rfc3339_with_an_offset() {
        let t = time("2026-03-01T17:00:00+08:00").unwrap();
        assert_eq!((t.seconds, t.nanos), (1_772_355_600, 0));
        assert_eq!(time("2026-03-01T09:00:00.5Z").unwrap().nanos, 500_000_000);
        for text in ["2026-03-01", "2026-03-01T09:00:00", "tomorrow", ""] {
            assert!(time(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn days_are_calendar_dates() {
        assert_eq!(day("2026-03-01"), Ok("2026-03-01".into()));
        for text in ["2026-02-30", "01.03.2026", "2026-3", ""] {
            assert!(day(text).is_err(), "{text:?} accepted");
        }
    }

    #[test]
    fn dealer_ids_must_be_uuid_v7() {
        let fresh = aftersales_kernel::DealerId::new().to_string();
        assert_eq!(dealer_id(&fresh), Ok(fresh.clone()));
        assert!(dealer_id("not-a-uuid").is_err());
        assert!(dealer_id("6ba7b810-9dad-11d1-80b4-00c04fd430c8").is_err());
    }
}
