//! Great-circle distances for the default rank and the `distance_km` helper.

use crate::model::Location;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Great-circle distance in kilometres between two positions, rounded to metres.
///
/// Trigonometry on degrees has no exact decimal form, so this one function works in binary
/// floating point internally; the result is a `Decimal` like every number the engine shows.
pub fn distance_km(a: &Location, b: &Location) -> Decimal {
    let p = |l: &Location| (degrees(l.lat), degrees(l.lon));
    haversine_km(p(a), p(b))
}

/// The nearest `f64` to a coordinate. A coordinate's digits fit a 53-bit mantissa and its
/// scale is at most 28, so one correctly rounded division by an exact power of ten gives
/// the same value as the general conversion, at a fraction of its cost (it runs for every
/// warehouse a rank compares).
fn degrees(d: Decimal) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let m = d.mantissa();
    match POW10.get(d.scale() as usize) {
        Some(p) if m.unsigned_abs() < 1 << 53 => m as f64 / p,
        _ => d.to_f64().unwrap_or(0.0),
    }
}

/// [`distance_km`] on (latitude, longitude) pairs in degrees.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> Decimal {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    let km = 2.0 * EARTH_RADIUS_KM * h.sqrt().clamp(0.0, 1.0).asin();
    if !km.is_finite() {
        return Decimal::ZERO;
    }
    // Whole metres, ties to even like `Decimal::round_dp`; `km` is at most ≈ 20,038, so the
    // metre count is exact in an i64.
    Decimal::new((km * 1000.0).round_ties_even() as i64, 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn coordinates_convert_like_the_general_conversion() {
        for text in [
            "0",
            "52.52",
            "-33.8688",
            "13.404954",
            "89.999999999",
            "-179.9999",
            "45.7412",
            "0.000001",
            "1.1",
            "2.6277",
            "48.137154",
            "-0.1276",
            "90",
            "180.0000000000001",
        ] {
            let d = Decimal::from_str(text).unwrap_or_default();
            assert_eq!(degrees(d), d.to_f64().unwrap_or(f64::NAN), "{text}");
        }
    }

    #[test]
    fn distances_are_rounded_to_metres() {
        let at = |lat: &str, lon: &str| Location {
            lat: Decimal::from_str(lat).unwrap_or_default(),
            lon: Decimal::from_str(lon).unwrap_or_default(),
        };
        // Berlin to Munich: about 504 km; Berlin to itself: 0.
        let d = distance_km(&at("52.52", "13.405"), &at("48.1374", "11.5755"));
        assert!(d > Decimal::from(500) && d < Decimal::from(510), "{d}");
        assert!(d.scale() <= 3);
        assert_eq!(
            distance_km(&at("52.52", "13.405"), &at("52.52", "13.405")),
            Decimal::ZERO
        );
        // Antipodes: half the Earth's circumference.
        let far = distance_km(&at("0", "0"), &at("0", "180"));
        assert_eq!(far, Decimal::from_str("20015.114").unwrap_or_default());
    }
}
