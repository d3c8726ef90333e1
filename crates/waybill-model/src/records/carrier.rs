//! Canonical parcel-carrier records (`/carrier/...`). The reference OpenAPI has no carrier
//! vertical, so these follow SPEC §17.4/§17.5 plus the common fields every stored record has.

use serde::{Deserialize, Serialize};

use super::common::AdditionalFields;

/// One charge on a carrier invoice (`/carrier/invoice-line-items`); a shipment usually has
/// several, and its cost is the sum of `net_cost` over equal `tracking_number`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InvoiceLineItem {
    /// Source's id for the charge row.
    pub id: String,
    /// When the carrier produced the row.
    pub created_date: String,
    /// When the carrier last changed the row.
    pub updated_date: String,
    /// Tracking number of the charged shipment.
    pub tracking_number: String,
    /// Invoice the charge appears on.
    pub invoice_id: String,
    /// Carrier account billed.
    pub account_id: String,
    /// When the charge was incurred.
    pub transaction_date: String,
    /// What was charged, e.g. `Fuel Surcharge`.
    pub charge_description: String,
    /// Amount before discounts; never below `net_cost`.
    pub gross_cost: f64,
    /// Amount after discounts.
    pub net_cost: f64,
    /// The invoice's original columns, unparsed.
    pub raw: serde_json::Map<String, serde_json::Value>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A raw invoice document the carrier published (`/carrier/files`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CarrierFile {
    /// Source's file id.
    pub id: String,
    /// When the carrier published it.
    pub created_date: String,
    /// When the carrier last changed it.
    pub updated_date: String,
    /// Original file name.
    pub file_name: String,
    /// Format, e.g. `csv` or `pdf`.
    pub file_type: String,
    /// When the carrier generated the document.
    pub generated_time: String,
    /// Short-lived download link, minted by the API on each read.
    pub download_url: Option<String>,
    /// When `download_url` stops working.
    pub download_url_expires_at: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}
