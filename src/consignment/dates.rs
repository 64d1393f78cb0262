//! ISO dates for consignment terms, settlement periods and message dates.
//!
//! Nothing here reads a clock (wasm32 has none, and output must be reproducible): every
//! date comes from input, such as a `date` or `as_of` option.

use crate::error::{code, Diagnostic, Result};
use crate::model::{Warehouse, WarehouseKind};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Parses a calendar date written exactly `YYYY-MM-DD` (a real day: no 2026-02-30).
pub fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// Whether `text` is a valid `YYYY-MM-DD` date.
pub fn is_date(text: &str) -> bool {
    parse_date(text).is_some()
}

/// Parses a `YYYY-MM-DD` date, or returns a data error naming `path` (e.g.
/// `warehouses[4].terms.period_end`).
pub fn require_date(text: &str, path: &str) -> Result<Date> {
    parse_date(text).ok_or_else(|| date_error(text, path).into())
}

/// The diagnostic for a value that is not a `YYYY-MM-DD` date.
pub fn date_error(text: &str, path: &str) -> Diagnostic {
    Diagnostic::new(
        code::DATA_INVALID,
        format!("`{path}` must be a date written YYYY-MM-DD, got `{text}`"),
    )
    .with_path(path)
    .with_help("for example `2026-10-31`")
}

/// Parses a message date: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time
/// (`2026-11-30T14:05:00+01:00`).
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    if let Some(date) = parse_date(text) {
        return Some(date.midnight().assume_utc());
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// An RFC 5322 `Date` header value, e.g. `Mon, 30 Nov 2026 00:00:00 +0000`.
pub fn rfc5322(moment: OffsetDateTime) -> Option<String> {
    moment.format(&Rfc2822).ok()
}

/// The end of a consignment location's period when it is before `as_of`: past it the
/// location no longer ships (unless a rule decides otherwise). The period end is the last
/// day goods may ship, so a location whose period ends on `as_of` still ships. `None` for
/// own warehouses, for locations without a period end, and for a period end that is not a
/// date (the inventory check reports it).
pub fn period_end_passed(warehouse: &Warehouse, as_of: Date) -> Option<&str> {
    if warehouse.kind != WarehouseKind::Consignment {
        return None;
    }
    let end_text = warehouse.terms.as_ref()?.period_end.as_deref()?;
    (as_of > parse_date(end_text)?).then_some(end_text)
}

/// Where today's date comes from on platforms without a system clock.
static CLOCK: std::sync::OnceLock<fn() -> Option<Date>> = std::sync::OnceLock::new();

/// Sets where [`today`] reads the date on platforms without a system clock
/// (`wasm32-unknown-unknown`: the binding installs JavaScript's `Date`). The first call wins.
pub fn set_clock(clock: fn() -> Option<Date>) {
    let _ = CLOCK.set(clock);
}

/// Today's date (UTC): from the system clock, or from the clock the host installed with
/// [`set_clock`]; `None` when neither exists.
pub fn today() -> Option<Date> {
    if let Some(clock) = CLOCK.get() {
        return clock();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Some(OffsetDateTime::now_utc().date())
    }
    #[cfg(target_arch = "wasm32")]
    {
        None
    }
}

/// A settlement period: every day from `from` to `to`, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day (`YYYY-MM-DD`), included.
    pub to: String,
}

impl Period {
    /// Parses `YYYY-MM` (a calendar month) or `YYYY-MM-DD..YYYY-MM-DD` (both days included).
    pub fn parse(text: &str) -> Result<Period> {
        let bad = || -> crate::error::StockrouteError {
            Diagnostic::new(
                code::OPTIONS_INVALID,
                format!(
                    "period must be a month `YYYY-MM` or `YYYY-MM-DD..YYYY-MM-DD`, got `{text}`"
                ),
            )
            .with_path("period")
            .with_help("for example `2026-11` or `2026-11-01..2026-11-15`")
            .into()
        };
        if let Some((from, to)) = text.split_once("..") {
            let (Some(a), Some(b)) = (parse_date(from), parse_date(to)) else {
                return Err(bad());
            };
            if b < a {
                return Err(Diagnostic::new(
                    code::OPTIONS_INVALID,
                    format!("period `{text}` ends before it starts"),
                )
                .with_path("period")
                .into());
            }
            return Ok(Period {
                from: from.to_string(),
                to: to.to_string(),
            });
        }
        let first = format!("{text}-01");
        if text.len() != 7 {
            return Err(bad());
        }
        let start = parse_date(&first).ok_or_else(bad)?;
        let last_day = start.month().length(start.year());
        let end = start.replace_day(last_day).map_err(|_| bad())?;
        Ok(Period {
            from: first,
            to: format_date(end),
        })
    }

    /// Whether a `YYYY-MM-DD` date lies in the period.
    pub fn contains(&self, date: &str) -> bool {
        self.from.as_str() <= date && date <= self.to.as_str()
    }
}

/// `YYYY-MM-DD` of a date.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConsignmentTerms;

    fn location(kind: WarehouseKind, period_end: Option<&str>) -> Warehouse {
        let json = serde_json::json!({
            "id": "CON", "kind": kind.as_str(),
            "terms": { "period_end": period_end },
        });
        let mut w: Warehouse = serde_json::from_value(json).unwrap();
        if period_end.is_none() {
            w.terms = Some(ConsignmentTerms::default());
        }
        w
    }

    #[test]
    fn only_real_days_written_yyyy_mm_dd_are_dates() {
        assert!(is_date("2026-10-31"));
        assert!(is_date("2028-02-29")); // 2028 is a leap year
        for bad in [
            "2026-02-29", // not a leap year
            "2026-04-31", // April has 30 days
            "2026-13-01",
            "2026-1-31",
            "31.10.2026",
            "2026-10-31T00:00:00Z",
            "+2026-10-3",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_period_ends_after_its_last_day() {
        let w = location(WarehouseKind::Consignment, Some("2026-10-31"));
        let day = |d: &str| parse_date(d).unwrap();
        // The last day of the period still ships; the day after does not.
        assert_eq!(period_end_passed(&w, day("2026-10-30")), None);
        assert_eq!(period_end_passed(&w, day("2026-10-31")), None);
        assert_eq!(period_end_passed(&w, day("2026-11-01")), Some("2026-10-31"));
        assert_eq!(period_end_passed(&w, day("2027-01-15")), Some("2026-10-31"));
    }

    #[test]
    fn no_period_end_own_warehouses_and_bad_dates_never_end() {
        let day = |d: &str| parse_date(d).unwrap();
        let open = location(WarehouseKind::Consignment, None);
        assert_eq!(period_end_passed(&open, day("2099-01-01")), None);
        let own = location(WarehouseKind::Own, Some("2026-10-31"));
        assert_eq!(period_end_passed(&own, day("2026-11-01")), None);
        let w = location(WarehouseKind::Consignment, Some("next tuesday"));
        assert_eq!(period_end_passed(&w, day("2099-01-01")), None);
    }

    #[test]
    fn months_and_ranges_are_periods() {
        let nov = Period::parse("2026-11").unwrap();
        assert_eq!(
            (nov.from.as_str(), nov.to.as_str()),
            ("2026-11-01", "2026-11-30")
        );
        let feb = Period::parse("2028-02").unwrap();
        assert_eq!(feb.to, "2028-02-29"); // leap year
        let range = Period::parse("2026-11-03..2026-11-10").unwrap();
        assert!(range.contains("2026-11-03") && range.contains("2026-11-10"));
        assert!(!range.contains("2026-11-11") && !range.contains("2026-11-02"));
        for bad in [
            "2026-13",
            "2026-11-31..2026-12-01",
            "2026-12-01..2026-11-01",
            "Nov",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert_eq!(e.code, code::OPTIONS_INVALID, "{bad}");
            assert_eq!(e.diagnostics[0].path.as_deref(), Some("period"));
        }
    }

    #[test]
    fn message_dates_become_rfc_5322_headers() {
        let t = parse_timestamp("2026-11-30").unwrap();
        assert_eq!(rfc5322(t).unwrap(), "Mon, 30 Nov 2026 00:00:00 +0000");
        let t = parse_timestamp("2026-11-30T14:05:09+01:00").unwrap();
        assert_eq!(rfc5322(t).unwrap(), "Mon, 30 Nov 2026 14:05:09 +0100");
        assert!(parse_timestamp("yesterday").is_none());
    }
}
