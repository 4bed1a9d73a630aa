//! The command line's own syntax, parsed without I/O: decimal money text, labour and part line specs
//! (`CODE:HOURS:RATE`, `PARTNO:QTY:UNIT_PRICE`), declined lines (`LINE_ID=REASON`) and ids.
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
    if code.trim().is_empty() {
        return Err(format!("the code is empty; expected {shape}"));
    }
    let amount = Hundredths::parse(amount).map_err(|e| format!("{amount_name} {amount:?} {e}"))?;
    if amount == Hundredths::ZERO {
        return Err(format!("{amount_name} must be more than 0"));
    }
    let price = Decimal::parse(price).map_err(|e| format!("price {e}"))?;
    Ok(LineSpec { code: code.trim().to_string(), amount, price })
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
    fn dealer_ids_must_be_uuid_v7() {
        let fresh = aftersales_kernel::DealerId::new().to_string();
        assert_eq!(dealer_id(&fresh), Ok(fresh.clone()));
        assert!(dealer_id("not-a-uuid").is_err());
        assert!(dealer_id("6ba7b810-9dad-11d1-80b4-00c04fd430c8").is_err());
    }
}
