//! The one way every quantity, price and coordinate of the model is read: exactly, or not
//! at all.
//!
//! [`deserialize`] accepts a JSON number (`2`, `-0.5`, `1e3`) or a string holding one
//! (`"2.5"`) and returns the [`Decimal`] with exactly that value. It never rounds: a value
//! with more than [`Decimal::MAX_SCALE`] (28) significant decimal places, or too large for a
//! `Decimal`, is an error, as are `NaN`, `Infinity`, empty strings, a leading `+`, digit
//! separators (`1_0`), spaces, `.5` and `5.`. Trailing zeros are not precision
//! (`"1.50000000000000000000000000000000"` is 1.5).
//!
//! From JSON text the number's own digits are read (through serde_json's raw-value hook), so
//! `1.999999999999999999999999999999` is rejected rather than seen as the nearest `f64`, 2.
//! Where only an `f64` exists (a JavaScript number passed as an object), its shortest exact
//! decimal form is used: the digits JavaScript itself prints.
//!
//! Error messages are phrased as what the field must be (`must be a number such as ...`), so
//! [`crate::json`] can prefix the field path: "`lines[0].qty` must be a number such as `2`
//! or `"2.5"`, got `"lots"`".

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// serde_json's private token for raw values (feature `raw_value`): asking a JSON
/// deserializer for a newtype struct of this name hands over the value's source text.
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// What a quantity must look like, used in every message.
pub const EXPECTED: &str = "a number such as `2` or `\"2.5\"`";

/// Why a text is not an exact decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number at all (letters, separators, empty, ...).
    NotANumber,
    /// More significant decimal places than the engine keeps: reading it would round.
    TooPrecise,
    /// Beyond the range of a `Decimal` (about ±7.9 × 10^28).
    TooLarge,
}

/// Parses the text of a decimal number exactly.
///
/// Grammar: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?` (a JSON number, leading zeros
/// allowed). See the module docs for what is rejected.
pub fn parse(text: &str) -> Result<Decimal, NumberError> {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (mantissa_part, exponent_part) = match rest.iter().position(|&b| b == b'e' || b == b'E') {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            Some(rest.get(i + 1..).unwrap_or_default()),
        ),
        None => (rest, None),
    };
    let (int_part, frac_part) = match mantissa_part.iter().position(|&b| b == b'.') {
        Some(i) => (
            mantissa_part.get(..i).unwrap_or_default(),
            Some(mantissa_part.get(i + 1..).unwrap_or_default()),
        ),
        None => (mantissa_part, None),
    };
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        return Err(NumberError::NotANumber);
    }
    let exponent: i64 = match exponent_part {
        None => 0,
        Some(e) => {
            let (sign, digits) = match e.split_first() {
                Some((b'-', d)) => (-1, d),
                Some((b'+', d)) => (1, d),
                _ => (1, e),
            };
            if !all_digits(digits) {
                return Err(NumberError::NotANumber);
            }
            // Saturate: an exponent beyond ±10^17 is out of range whatever the mantissa.
            let magnitude = digits.iter().fold(0i64, |acc, &d| {
                acc.saturating_mul(10)
                    .saturating_add(i64::from(d - b'0'))
                    .min(100_000_000_000_000_000)
            });
            sign * magnitude
        }
    };
    let frac = frac_part.unwrap_or_default();
    let digits = || int_part.iter().chain(frac).copied();
    let total = int_part.len() + frac.len();
    let leading = digits().take_while(|&d| d == b'0').count();
    if leading == total {
        return Ok(Decimal::ZERO);
    }
    // value = significant digits × 10^(-scale); the written scale is kept (`2.50` stays
    // 2.50) unless trailing zeros must go to fit: dropping them never changes the value.
    let trailing = digits().rev().take_while(|&d| d == b'0').count();
    let mut significant = total - leading;
    let frac_len = i64::try_from(frac.len()).unwrap_or(i64::MAX);
    let mut scale = frac_len.saturating_sub(exponent);
    let mut droppable = trailing;
    let mut drop = |n: usize, significant: &mut usize, scale: &mut i64| {
        let n = n.min(droppable);
        droppable -= n;
        *significant -= n;
        *scale -= i64::try_from(n).unwrap_or(0);
    };
    let max_scale = i64::from(Decimal::MAX_SCALE);
    if scale > max_scale {
        let excess = usize::try_from(scale - max_scale).unwrap_or(usize::MAX);
        drop(excess, &mut significant, &mut scale);
        if scale > max_scale {
            return Err(NumberError::TooPrecise);
        }
    }
    // 29 digits is the most a Decimal's 96-bit mantissa can hold (≈ 7.9 × 10^28).
    let zeros = usize::try_from(scale.min(0).unsigned_abs()).unwrap_or(usize::MAX);
    if significant.saturating_add(zeros) > 29 && scale > 0 {
        let excess = significant.saturating_add(zeros) - 29;
        let allowed = usize::try_from(scale).unwrap_or(usize::MAX);
        drop(excess.min(allowed), &mut significant, &mut scale);
    }
    if significant.saturating_add(zeros) > 29 {
        return Err(if scale > 0 {
            NumberError::TooPrecise
        } else {
            NumberError::TooLarge
        });
    }
    let mut mantissa: i128 = 0;
    for d in digits().skip(leading).take(significant) {
        mantissa = mantissa * 10 + i128::from(d - b'0');
    }
    for _ in 0..zeros {
        mantissa *= 10;
    }
    if negative {
        mantissa = -mantissa;
    }
    let scale = u32::try_from(scale.max(0)).unwrap_or(u32::MAX);
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| {
        if scale > 0 {
            NumberError::TooPrecise
        } else {
            NumberError::TooLarge
        }
    })
}

/// The message for a value that was given as `shown` (already formatted for the user).
fn problem(e: &NumberError, shown: &str) -> String {
    match e {
        NumberError::NotANumber => format!("must be {EXPECTED}, got {shown}"),
        NumberError::TooPrecise => format!(
            "must have at most 28 decimal places, got {shown}: the engine keeps 28 and never rounds a quantity"
        ),
        NumberError::TooLarge => format!("is too large, got {shown}"),
    }
}

/// Deserializes a [`Decimal`] exactly from a JSON number or numeric string (see the module
/// docs). Use it on every decimal field: `#[serde(deserialize_with = "crate::decimal::deserialize")]`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_TOKEN, DecimalVisitor)
}

/// [`deserialize`] for optional decimal fields (`null` or absent is `None`).
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Decimal>, D::Error> {
    struct OptionVisitor;
    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTED)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            deserialize(d).map(Some)
        }
    }
    deserializer.deserialize_option(OptionVisitor)
}

/// [`deserialize`] for maps of decimals (`{"SKU-1": "12.50", ...}`), each value read exactly.
pub fn deserialize_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::collections::BTreeMap<String, Decimal>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Exact(#[serde(deserialize_with = "deserialize")] Decimal);
    let map: std::collections::BTreeMap<String, Exact> =
        serde::Deserialize::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(k, Exact(v))| (k, v)).collect())
}

struct DecimalVisitor;

impl DecimalVisitor {
    fn text(s: &str) -> Result<Decimal, String> {
        parse(s).map_err(|e| problem(&e, &format!("`{}`", serde_json::Value::from(s))))
    }
}

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(EXPECTED)
    }

    // Deserializers other than serde_json's text reader (values, JavaScript objects,
    // buffered content) do not know the raw-value token and land here.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }

    // serde_json's raw value: one entry whose value is the source text of the JSON value.
    // Read through borrowed text where the reader allows it: no allocation per quantity.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        if map.next_key_seed(IsRawToken)? != Some(true) {
            return Err(de::Error::custom(format!(
                "must be {EXPECTED}, got an object"
            )));
        }
        // The problem is raised here, outside the value, so the error's path is the field's
        // (`lines[0].qty`), not the raw-value token's.
        map.next_value_seed(RawText)?.map_err(de::Error::custom)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Decimal, E> {
        Self::text(s).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(n))
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(n, 0)
            .map_err(|_| E::custom(problem(&NumberError::TooLarge, &format!("`{n}`"))))
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Decimal, E> {
        let shown = format!("`{n}`");
        i128::try_from(n)
            .ok()
            .and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
            .ok_or_else(|| E::custom(problem(&NumberError::TooLarge, &shown)))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Decimal, E> {
        if !n.is_finite() {
            return Err(E::custom(format!("must be {EXPECTED}, got `{n}`")));
        }
        // Rust prints the shortest digits that read back as the same f64, never in
        // exponent form: what JavaScript shows for the number.
        let text = format!("{n}");
        parse(&text).map_err(|e| E::custom(problem(&e, &format!("`{text}`"))))
    }
}

/// Whether a map key is serde_json's raw-value token.
struct IsRawToken;

impl<'de> de::DeserializeSeed<'de> for IsRawToken {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsRawToken {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == RAW_TOKEN)
    }
}

/// The source text of a JSON value, as a decimal or the message saying why it is not one.
struct RawText;

impl<'de> de::DeserializeSeed<'de> for RawText {
    type Value = Result<Decimal, String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RawText {
    type Value = Result<Decimal, String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the text of a JSON value")
    }
    fn visit_str<E: de::Error>(self, raw: &str) -> Result<Self::Value, E> {
        let raw = raw.trim();
        Ok(match raw.as_bytes().first() {
            // Plain strings (no escapes) are read in place; others are unescaped first.
            Some(b'"') => match raw.get(1..raw.len() - 1).filter(|s| !s.contains('\\')) {
                Some(s) => DecimalVisitor::text(s),
                None => match serde_json::from_str::<String>(raw) {
                    Ok(s) => DecimalVisitor::text(&s),
                    Err(_) => Err(format!(
                        "must be {EXPECTED}, got a string that is not valid text"
                    )),
                },
            },
            Some(b'-' | b'0'..=b'9') => parse(raw).map_err(|e| problem(&e, &format!("`{raw}`"))),
            Some(b'{') => Err(format!("must be {EXPECTED}, got an object")),
            Some(b'[') => Err(format!("must be {EXPECTED}, got an array")),
            _ => Err(format!("must be {EXPECTED}, got `{raw}`")),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn exact_values() {
        for (text, value) in [
            ("2", "2"),
            ("-0.5", "-0.5"),
            ("007", "7"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("25e-1", "2.5"),
            ("1e-7", "0.0000001"),
            ("0e-999999", "0"),
            ("-0", "0"),
            ("1.50000000000000000000000000000000", "1.5"),
            ("2.50", "2.50"),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
        ] {
            assert_eq!(parse(text), Ok(d(value)), "{text}");
        }
    }

    #[test]
    fn the_written_scale_is_kept_where_it_fits() {
        assert_eq!(parse("2.50").unwrap().to_string(), "2.50");
        assert_eq!(parse("25e-1").unwrap().to_string(), "2.5");
        assert_eq!(parse("1e3").unwrap().to_string(), "1000");
        assert_eq!(
            parse("1.50000000000000000000000000000000")
                .unwrap()
                .to_string(),
            "1.5000000000000000000000000000"
        );
    }

    #[test]
    fn optional_fields_read_the_same_way() {
        #[derive(serde::Deserialize)]
        struct Row {
            #[serde(default, deserialize_with = "deserialize_option")]
            price: Option<Decimal>,
        }
        let read = |text: &str| serde_json::from_str::<Row>(text).map(|r| r.price);
        assert_eq!(read("{}").unwrap(), None);
        assert_eq!(read(r#"{"price": null}"#).unwrap(), None);
        assert_eq!(read(r#"{"price": "2.5"}"#).unwrap(), Some(d("2.5")));
        assert_eq!(read(r#"{"price": 25e-1}"#).unwrap(), Some(d("2.5")));
        let e = read(r#"{"price": "1_0"}"#).unwrap_err().to_string();
        assert!(e.starts_with("must be a number such as"), "{e}");
        assert!(read(r#"{"price": 1.999999999999999999999999999999}"#).is_err());
    }

    #[test]
    fn maps_of_decimals_read_each_value_exactly() {
        #[derive(serde::Deserialize)]
        struct Terms {
            #[serde(default, deserialize_with = "deserialize_map")]
            prices: std::collections::BTreeMap<String, Decimal>,
        }
        let read = |text: &str| serde_json::from_str::<Terms>(text).map(|t| t.prices);
        let prices = read(r#"{"prices": {"A": "12.50", "B": 3}}"#).unwrap();
        assert_eq!(prices.get("A"), Some(&d("12.50")));
        assert_eq!(prices.get("B"), Some(&d("3")));
        assert!(read("{}").unwrap().is_empty());
        let e = read(r#"{"prices": {"A": "1_0"}}"#).unwrap_err().to_string();
        assert!(e.starts_with("must be a number such as"), "{e}");
    }

    #[test]
    fn rejected_values() {
        use NumberError::*;
        for (text, why) in [
            ("1.999999999999999999999999999999", TooPrecise),
            ("0.00000000000000000000000000001", TooPrecise),
            ("1e-29", TooPrecise),
            ("79228162514264337593543950336", TooLarge),
            ("1e29", TooLarge),
            ("1e99999999999999999999", TooLarge),
            ("1_0", NotANumber),
            ("", NotANumber),
            ("+1", NotANumber),
            (" 1", NotANumber),
            (".5", NotANumber),
            ("5.", NotANumber),
            ("NaN", NotANumber),
            ("Infinity", NotANumber),
            ("0x10", NotANumber),
            ("1e", NotANumber),
            ("--1", NotANumber),
        ] {
            assert_eq!(parse(text), Err(why), "{text}");
        }
    }
}
