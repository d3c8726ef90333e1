//! Canonical freight-forwarder records (`/freight/...`).

use serde::{Deserialize, Serialize};

use super::common::AdditionalFields;

/// Usual values of `FreightShipment::shipment_method` (the wire allows any text).
pub const FREIGHT_SHIPMENT_METHODS: &[&str] = &["air", "ocean", "truck"];

/// A forwarded freight shipment (`/freight/shipments`); `status` is one of `FREIGHT_STATUSES`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FreightShipment {
    /// Forwarder's shipment id.
    pub id: String,
    /// Estimated arrival.
    pub eta_date: Option<String>,
    /// When the forwarder created it.
    pub created_date: String,
    /// When the forwarder last changed it.
    pub updated_date: String,
    /// Total freight cost.
    pub cost: Option<f64>,
    /// When it departed.
    pub shipment_date: Option<String>,
    /// When it arrived.
    pub arrival_date: Option<String>,
    /// Forwarder's status text.
    pub raw_status: Option<String>,
    /// Normalized status, one of `FREIGHT_STATUSES`.
    pub status: String,
    /// Mode of transport, e.g. [`FREIGHT_SHIPMENT_METHODS`].
    pub shipment_method: String,
    /// Deep link into the forwarder's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}
