//! The four verticals Waybill serves. Trackstar's documents disagree on the list, so every
//! place that accepts an integration type accepts all four.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which kind of external system a connection talks to; it selects the path prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum IntegrationType {
    /// Warehouse management systems and 3PL portals (`/wms/...`).
    Wms,
    /// Shopping carts and marketplaces (`/cart/...`).
    Cart,
    /// Parcel carriers' invoice data (`/carrier/...`).
    Carrier,
    /// Freight forwarders (`/freight/...`).
    Freight,
}

impl IntegrationType {
    /// Every vertical, in display order.
    pub const ALL: [IntegrationType; 4] = [Self::Wms, Self::Cart, Self::Carrier, Self::Freight];

    /// The wire spelling, which is also the path prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wms => "wms",
            Self::Cart => "cart",
            Self::Carrier => "carrier",
            Self::Freight => "freight",
        }
    }

    /// The sandbox integration's display name for this vertical.
    pub fn sandbox_display_name(self) -> &'static str {
        match self {
            Self::Wms => "WMS Sandbox",
            Self::Cart => "Cart Sandbox",
            Self::Carrier => "Carrier Sandbox",
            Self::Freight => "Freight Sandbox",
        }
    }
}

impl fmt::Display for IntegrationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IntegrationType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "wms" => Ok(Self::Wms),
            "cart" => Ok(Self::Cart),
            "carrier" => Ok(Self::Carrier),
            "freight" => Ok(Self::Freight),
            other => Err(format!(
                "Unknown integration type '{other}'. Must be one of: wms, cart, carrier, freight."
            )),
        }
    }
}
