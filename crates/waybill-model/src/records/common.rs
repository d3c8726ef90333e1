//! Value types shared by several verticals: addresses, measurements and the free-form
//! `additional_fields` bag. Every field is nullable on the wire, so every field is an
//! `Option` that serializes as `null` rather than disappearing.

use serde::{Deserialize, Serialize};

/// Integration-specific leftovers that Waybill carries without normalizing them.
pub type AdditionalFields = serde_json::Map<String, serde_json::Value>;

/// Allowed values of `Measurements::unit`.
pub const LENGTH_UNITS: &[&str] = &["cm", "in"];
/// Allowed values of `Measurements::weight_unit`.
pub const WEIGHT_UNITS: &[&str] = &["kg", "oz", "lb"];

/// Where something is delivered: a person or company and how to reach them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ShipToAddress {
    /// Recipient's name as printed on the label.
    pub full_name: Option<String>,
    /// Recipient's company, mostly for business orders.
    pub company: Option<String>,
    /// First street line.
    pub address1: Option<String>,
    /// Second street line (apartment, suite).
    pub address2: Option<String>,
    /// Third street line, rarely used.
    pub address3: Option<String>,
    /// City or locality.
    pub city: Option<String>,
    /// State, province or region code.
    pub state: Option<String>,
    /// Postal or ZIP code.
    pub postal_code: Option<String>,
    /// Country code, e.g. `US`.
    pub country: Option<String>,
    /// Recipient's phone number for the carrier.
    pub phone_number: Option<String>,
    /// Recipient's email for delivery notices.
    pub email_address: Option<String>,
}

/// A physical origin without a contact: warehouses, suppliers, shipment origins.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ShipFromAddress {
    /// First street line.
    pub address1: Option<String>,
    /// Second street line.
    pub address2: Option<String>,
    /// Third street line.
    pub address3: Option<String>,
    /// City or locality.
    pub city: Option<String>,
    /// State, province or region code.
    pub state: Option<String>,
    /// Postal or ZIP code.
    pub postal_code: Option<String>,
    /// Country code, e.g. `US`.
    pub country: Option<String>,
}

/// The payer's address on a cart order; like a ship-to address without company or contact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct BillToAddress {
    /// Payer's name.
    pub full_name: Option<String>,
    /// First street line.
    pub address1: Option<String>,
    /// Second street line.
    pub address2: Option<String>,
    /// Third street line.
    pub address3: Option<String>,
    /// City or locality.
    pub city: Option<String>,
    /// State, province or region code.
    pub state: Option<String>,
    /// Postal or ZIP code.
    pub postal_code: Option<String>,
    /// Country code, e.g. `US`.
    pub country: Option<String>,
}

/// Dimensions and weight of a package, pack, item or location; units travel with the values.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Measurements {
    /// Length in `unit`.
    pub length: Option<f64>,
    /// Width in `unit`.
    pub width: Option<f64>,
    /// Height in `unit`.
    pub height: Option<f64>,
    /// Length unit, one of [`LENGTH_UNITS`].
    pub unit: Option<String>,
    /// Weight in `weight_unit`.
    pub weight: Option<f64>,
    /// Weight unit, one of [`WEIGHT_UNITS`].
    pub weight_unit: Option<String>,
}
