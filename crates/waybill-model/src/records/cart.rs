//! Canonical shopping-cart records (`/cart/...`). Cart orders carry no
//! `warehouse_customer_id`; prices and stock are authoritative on variants only.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{AdditionalFields, BillToAddress, ShipFromAddress, ShipToAddress};

/// Allowed values of a cart shipment's or shipping group's `status`.
pub const CART_SHIPMENT_STATUSES: &[&str] = &[
    "open",
    "shipped",
    "delivered",
    "cancelled",
    "exception",
    "on_hold",
    "other",
];

/// An order placed in a shop (`/cart/orders`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartOrder {
    /// Source's order id.
    pub id: String,
    /// Human-facing order number (defaults to `id`).
    pub order_number: String,
    /// When the shop created it.
    pub created_date: String,
    /// When the shop last changed it.
    pub updated_date: String,
    /// Normalized status, one of `CART_ORDER_STATUSES`.
    pub status: String,
    /// Shop's status text.
    pub raw_status: Option<String>,
    /// Shipping option the buyer chose at checkout.
    pub requested_shipping_method: Option<String>,
    /// Id of the shipping method.
    pub shipping_method_id: Option<String>,
    /// Name of the shipping method.
    pub shipping_method_name: Option<String>,
    /// Id of the carrier.
    pub carrier_id: Option<String>,
    /// Name of the carrier.
    pub carrier_name: Option<String>,
    /// Currency of the amounts (USD when the shop says nothing).
    pub invoice_currency_code: String,
    /// Grand total charged.
    pub total_price: Option<f64>,
    /// Tax charged.
    pub total_tax: Option<f64>,
    /// Discounts applied.
    pub total_discount: Option<f64>,
    /// Shipping charged.
    pub total_shipping: Option<f64>,
    /// Destination.
    pub ship_to_address: ShipToAddress,
    /// Payer's address.
    pub bill_to_address: BillToAddress,
    /// Earliest date it may ship.
    pub earliest_ship_date: Option<String>,
    /// Latest date it should ship.
    pub latest_ship_date: Option<String>,
    /// Products ordered.
    pub line_items: Vec<CartOrderLineItem>,
    /// Fulfilment orders, grouping lines by the location that ships them.
    pub shipping_groups: Vec<CartShippingGroup>,
    /// Shipments sent for the order.
    pub shipments: Vec<CartShipment>,
    /// Deep link into the shop's admin.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// One product line of a cart order; discount and tax are per unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartOrderLineItem {
    /// Shop's line id.
    pub line_item_id: String,
    /// The ordered `CartProduct` (a variant).
    pub product_id: String,
    /// Its SKU.
    pub product_sku: Option<String>,
    /// The variant's parent product.
    pub parent_product_id: Option<String>,
    /// The parent's SKU.
    pub parent_product_sku: Option<String>,
    /// Units ordered.
    pub quantity: i64,
    /// Price per unit.
    pub unit_price: Option<f64>,
    /// Discount per unit.
    pub discount: Option<f64>,
    /// Tax per unit.
    pub tax: Option<f64>,
}

/// A fulfilment order: the lines one location ships.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartShippingGroup {
    /// Shop's id for the group.
    pub shipping_group_id: String,
    /// When the shop created it.
    pub created_date: String,
    /// When the shop last changed it.
    pub updated_date: String,
    /// Shop's status text.
    pub raw_status: Option<String>,
    /// Normalized status, one of [`CART_SHIPMENT_STATUSES`].
    pub status: Option<String>,
    /// The shipping location, a `CartWarehouse`.
    pub warehouse_id: String,
    /// Lines in the group.
    pub line_items: Vec<CartShippingGroupLineItem>,
}

/// A line of a shipping group.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartShippingGroupLineItem {
    /// The order line it refers to.
    pub line_item_id: String,
    /// The `CartProduct`.
    pub product_id: String,
    /// Its SKU.
    pub product_sku: Option<String>,
    /// The variant's parent product.
    pub parent_product_id: Option<String>,
    /// Units in the group.
    pub quantity: i64,
}

/// A shipment the shop recorded for an order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartShipment {
    /// Shop's shipment id.
    pub shipment_id: String,
    /// Shop's status text.
    pub raw_status: Option<String>,
    /// Normalized status, one of [`CART_SHIPMENT_STATUSES`].
    pub status: Option<String>,
    /// The shipping location.
    pub warehouse_id: Option<String>,
    /// Id of the shipping method.
    pub shipping_method_id: Option<String>,
    /// Name of the shipping method.
    pub shipping_method_name: Option<String>,
    /// Id of the carrier.
    pub carrier_id: Option<String>,
    /// Name of the carrier.
    pub carrier_name: Option<String>,
    /// Carrier tracking number.
    pub tracking_number: Option<String>,
    /// Carrier tracking page.
    pub tracking_url: Option<String>,
    /// Lines shipped.
    pub line_items: Vec<CartShipmentLineItem>,
    /// Ids of the shipping groups it fulfils.
    pub shipping_groups: Vec<String>,
    /// When the shop created it.
    pub created_date: Option<String>,
    /// When the shop last changed it.
    pub updated_date: Option<String>,
}

/// A line of a cart shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartShipmentLineItem {
    /// Shop's id for the shipped line.
    pub shipment_line_item_id: String,
    /// The `CartProduct` shipped.
    pub product_id: String,
    /// Its SKU.
    pub product_sku: Option<String>,
    /// The variant's parent product.
    pub parent_product_id: Option<String>,
    /// The parent's SKU.
    pub parent_product_sku: Option<String>,
    /// Units shipped.
    pub quantity: i64,
}

/// A product or variant listed in a shop (`/cart/products`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartProduct {
    /// Shop's product id.
    pub id: String,
    /// When the shop created it.
    pub created_date: String,
    /// When the shop last changed it.
    pub updated_date: String,
    /// Display name.
    pub name: String,
    /// Stock keeping unit.
    pub sku: Option<String>,
    /// The parent product; equals `id` on parents.
    pub parent_product_id: String,
    /// Whether it is a bundle.
    pub is_kit: bool,
    /// Whether it is published.
    pub active: bool,
    /// Selling price.
    pub price: Option<f64>,
    /// Purchase cost.
    pub unit_cost: Option<f64>,
    /// Units available across locations.
    pub inventory: Option<i64>,
    /// Units available per `CartWarehouse` id.
    pub inventory_by_warehouse_id: BTreeMap<String, i64>,
    /// The shop's own tags.
    pub tags: Vec<String>,
    /// Deep link into the shop's admin.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A location a shop ships from (`/cart/warehouses`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CartWarehouse {
    /// Shop's location id.
    pub id: String,
    /// When the shop created it.
    pub created_date: String,
    /// When the shop last changed it.
    pub updated_date: String,
    /// Display name.
    pub name: String,
    /// Short code.
    pub code: Option<String>,
    /// Street address.
    pub address: ShipFromAddress,
}
