//! Great-circle distances for the default rank and the `distance_km` helper.

use crate::model::Location;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Great-circle distance in kilometres between two positions, rounded to metres.
///
/// Trigonometry on degrees has no exact decimal form, so this one function works in binary
/// floating point internally; the result is a `Decimal` like every number the engine shows.
pub fn distance_km(a: &Location, b: &Location) -> Decimal {
    let p = |l: &Location| (l.lat.to_f64().unwrap_or(0.0), l.lon.to_f64().unwrap_or(0.0));
    haversine_km(p(a), p(b))
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
    Decimal::from_f64_retain(km)
        .map(|d| d.round_dp(3))
        .unwrap_or(Decimal::ZERO)
}
