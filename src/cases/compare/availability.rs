//! Availability expectations: per channel and SKU, the offer and its per-warehouse
//! breakdown.

use super::{q, Expectation};
use crate::cases::schema::AvailabilityExpect;
use crate::model::Availability;

/// The availability entries of a case, each with its channel (its own, or the request's).
pub(in crate::cases) struct ChannelOffers<'a> {
    entries: Vec<(&'a str, &'a AvailabilityExpect)>,
}

impl<'a> ChannelOffers<'a> {
    /// `Err` names the entry that says no channel when the request gives none either.
    pub(in crate::cases) fn new(
        expected: &'a [AvailabilityExpect],
        channel: Option<&'a str>,
    ) -> Result<Self, String> {
        let entries = expected
            .iter()
            .enumerate()
            .map(|(i, x)| match x.channel.as_deref().or(channel) {
                Some(ch) => Ok((ch, x)),
                None => Err(format!(
                    "`expect[{i}]` needs a `channel` (or give `availability.channel`)"
                )),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { entries })
    }
}

impl Expectation for ChannelOffers<'_> {
    type Actual = Availability;

    fn mismatches(&self, a: &Availability) -> Vec<String> {
        let mut f = Vec::new();
        for (ch, x) in &self.entries {
            let ch = *ch;
            let Some(item) = a
                .items
                .iter()
                .find(|it| it.channel == ch && it.sku == x.sku)
            else {
                f.push(format!(
                    "channel `{ch}`, sku `{}`: expected {} offered, got no entry",
                    x.sku,
                    q(x.offered)
                ));
                continue;
            };
            if item.offered != x.offered {
                f.push(format!(
                    "channel `{ch}`, sku `{}`: offered expected {}, got {}",
                    x.sku,
                    q(x.offered),
                    q(item.offered)
                ));
            }
            if let Some(b) = x.backorder {
                if item.backorder != b {
                    f.push(format!(
                        "channel `{ch}`, sku `{}`: backorder expected {}, got {}",
                        x.sku,
                        q(b),
                        q(item.backorder)
                    ));
                }
            }
            if let Some(u) = x.unlimited {
                if item.unlimited != u {
                    f.push(format!(
                        "channel `{ch}`, sku `{}`: expected {}, got {}",
                        x.sku,
                        if u { "unlimited" } else { "a limited offer" },
                        if item.unlimited {
                            "unlimited"
                        } else {
                            "a limited offer"
                        }
                    ));
                }
            }
            for w in x.warehouses.iter().flatten() {
                let Some(c) = item.warehouses.iter().find(|c| c.warehouse == w.warehouse) else {
                    f.push(format!(
                    "channel `{ch}`, sku `{}`: expected warehouse `{}` in the breakdown, got none",
                    x.sku, w.warehouse
                ));
                    continue;
                };
                if c.offered != w.offered {
                    f.push(format!(
                        "channel `{ch}`, sku `{}` at `{}`: offered expected {}, got {}",
                        x.sku,
                        w.warehouse,
                        q(w.offered),
                        q(c.offered)
                    ));
                }
                if let Some(b) = w.backorder {
                    if c.backorder != b {
                        f.push(format!(
                            "channel `{ch}`, sku `{}` at `{}`: backorder expected {}, got {}",
                            x.sku,
                            w.warehouse,
                            q(b),
                            q(c.backorder)
                        ));
                    }
                }
                if let Some(inc) = w.included {
                    if inc != c.included {
                        f.push(format!(
                            "channel `{ch}`, sku `{}` at `{}`: expected {}, got {}",
                            x.sku,
                            w.warehouse,
                            if inc { "included" } else { "excluded" },
                            if c.included { "included" } else { "excluded" }
                        ));
                    }
                }
            }
        }
        f
    }
}
