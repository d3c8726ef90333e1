//! The sandboxes' write schemas: what the simulated WMS and cart accept, mirroring the
//! reference's "WMS Sandbox" and "Cart Sandbox" variants. Base members a type leaves out
//! are accepted and reported in `unused_fields` (for instance `warehouse_customer_id` on
//! orders, which the sandbox decides itself).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use waybill_connect::WriteVariant;
use waybill_model::writes::base::{AdjustmentType, LengthUnit, OrderStatus, WeightUnit};
use waybill_model::IntegrationType;

/// Measurements the sandbox requires in full when given.
#[derive(Debug, Clone, Deserialize, serde::Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FullMeasurements {
    pub length: f64,
    pub width: f64,
    pub height: f64,
    pub unit: LengthUnit,
    pub weight: f64,
    pub weight_unit: WeightUnit,
}

/// A full shipping address.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateShipTo {
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

/// An address change: any part.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateShipTo {
    pub full_name: Option<String>,
    pub company: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

/// An ordered product, named by id.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateLine {
    pub product_id: String,
    pub sku: Option<String>,
    pub quantity: i64,
    pub unit_price: Option<f64>,
    pub discount_amount: Option<f64>,
}

/// An ordered product on an update.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateLine {
    pub product_id: Option<String>,
    pub sku: Option<String>,
    pub quantity: Option<i64>,
    pub unit_price: Option<f64>,
    pub discount_amount: Option<f64>,
}

/// `create_order`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateOrder {
    pub trackstar_tags: Option<Vec<Value>>,
    pub reference_id: Option<String>,
    pub order_number: String,
    pub channel: Option<String>,
    pub trading_partner: Option<String>,
    pub shipping_method_id: Option<String>,
    pub shipping_method: Option<String>,
    pub service_level: Option<String>,
    pub invoice_currency_code: Option<String>,
    pub total_price: Option<f64>,
    pub total_tax: Option<f64>,
    pub total_discount: Option<f64>,
    pub total_shipping: Option<f64>,
    pub ship_to_address: CreateShipTo,
    pub line_items: Vec<CreateLine>,
}

/// `update_order`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateOrder {
    pub trackstar_tags: Option<Vec<Value>>,
    pub reference_id: Option<String>,
    pub order_number: Option<String>,
    pub channel: Option<String>,
    pub trading_partner: Option<String>,
    pub shipping_method_id: Option<String>,
    pub shipping_method: Option<String>,
    pub service_level: Option<String>,
    pub invoice_currency_code: Option<String>,
    pub total_price: Option<f64>,
    pub total_tax: Option<f64>,
    pub total_discount: Option<f64>,
    pub total_shipping: Option<f64>,
    pub ship_to_address: Option<UpdateShipTo>,
    pub line_items: Option<Vec<UpdateLine>>,
    pub status: Option<OrderStatus>,
}

/// A body-less action.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// A package of a shipment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Package {
    pub package_id: String,
    pub tracking_number: String,
}

/// A quantity of a SKU.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SkuQuantity {
    pub sku: String,
    pub quantity: i64,
}

/// `create_order_shipment` (WMS).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateShipment {
    pub shipped_date: String,
    pub tracking_number: String,
    pub tracking_url: Option<String>,
    pub carrier_id: Option<String>,
    pub carrier: Option<String>,
    pub shipping_method_id: Option<String>,
    pub shipping_method: Option<String>,
    pub shipping_cost: f64,
    pub measurements: FullMeasurements,
    pub warehouse_id: String,
    pub packages: Option<Vec<Package>>,
    /// Lines shipped; all of the order when absent.
    pub line_items: Option<Vec<SkuQuantity>>,
}

/// `create_product`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateProduct {
    pub trackstar_tags: Option<Vec<Value>>,
    pub sku: String,
    pub name: String,
    pub gtin: Option<String>,
    pub measurements: Option<FullMeasurements>,
}

/// `update_product`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateProduct {
    pub trackstar_tags: Option<Vec<Value>>,
    pub sku: Option<String>,
    pub name: Option<String>,
    pub gtin: Option<String>,
    pub measurements: Option<FullMeasurements>,
}

/// A component of a kit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct KitItem {
    pub sku: String,
    pub unit_quantity: i64,
}

/// `create_kit`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateKit {
    pub trackstar_tags: Option<Vec<Value>>,
    pub sku: String,
    pub name: String,
    pub gtin: String,
    pub measurements: FullMeasurements,
    pub inventory_items: Vec<KitItem>,
}

/// `update_kit`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateKit {
    pub trackstar_tags: Option<Vec<Value>>,
    pub sku: Option<String>,
    pub name: Option<String>,
    pub gtin: Option<String>,
    pub measurements: Option<FullMeasurements>,
    pub inventory_items: Option<Vec<KitItem>>,
}

/// An announced line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct InboundLine {
    pub sku: String,
    pub expected_quantity: i64,
}

/// `create_inbound_shipment`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CreateInbound {
    pub trackstar_tags: Option<Vec<Value>>,
    pub supplier: String,
    pub purchase_order_number: String,
    pub expected_arrival_date: String,
    pub warehouse_id: String,
    pub tracking_number: String,
    pub line_items: Vec<InboundLine>,
}

/// `update_inbound_shipment`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct UpdateInbound {
    pub trackstar_tags: Option<Vec<Value>>,
    pub supplier: Option<String>,
    pub purchase_order_number: Option<String>,
    pub expected_arrival_date: Option<String>,
    pub warehouse_id: Option<String>,
    pub tracking_number: Option<String>,
    pub line_items: Option<Vec<InboundLine>>,
}

/// `receive_inbound_shipment`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Receive {
    pub line_items: Vec<SkuQuantity>,
    pub warehouse_location_id: String,
}

/// `create_return` and `update_return`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReturnBody {
    pub trackstar_tags: Option<Vec<Value>>,
    pub warehouse_id: Option<String>,
    pub order_id: Option<String>,
    pub line_items: Option<Vec<SkuQuantity>>,
}

/// `adjust_inventory` (WMS).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Adjust {
    pub quantity: i64,
    pub adjustment_type: AdjustmentType,
    pub warehouse_id: String,
    pub location_id: Option<String>,
}

/// `adjust_inventory` (cart): the simulated cart keeps one stock figure per variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CartAdjust {
    pub quantity: i64,
    pub adjustment_type: AdjustmentType,
}

/// One adjustment of a batch.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CartBatchLine {
    pub product_id: String,
    pub quantity: i64,
    pub adjustment_type: AdjustmentType,
}

/// `batch_adjust_inventory`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CartBatch {
    pub adjustments: Vec<CartBatchLine>,
}

/// `create_order_shipment` (cart).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CartShipment {
    pub tracking_number: String,
    pub tracking_url: String,
    pub carrier_name: String,
    pub requested_shipping_method: String,
}

/// A refunded line.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RefundLine {
    pub line_item_id: String,
    pub quantity: i64,
}

/// `refund_order`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Refund {
    pub amount: Option<f64>,
    pub reason: Option<String>,
    pub line_items: Option<Vec<RefundLine>>,
    pub notify_customer: Option<bool>,
}

/// The writes a sandbox of `vertical` offers.
pub fn variants(vertical: IntegrationType) -> Vec<WriteVariant> {
    match vertical {
        IntegrationType::Wms => vec![
            WriteVariant::of::<CreateOrder>("create_order"),
            WriteVariant::of::<UpdateOrder>("update_order"),
            WriteVariant::of::<Empty>("cancel_order"),
            WriteVariant::of::<CreateShipment>("create_order_shipment"),
            WriteVariant::of::<Empty>("attach_order_file"),
            WriteVariant::of::<CreateProduct>("create_product"),
            WriteVariant::of::<UpdateProduct>("update_product"),
            WriteVariant::of::<CreateKit>("create_kit"),
            WriteVariant::of::<UpdateKit>("update_kit"),
            WriteVariant::of::<CreateInbound>("create_inbound_shipment"),
            WriteVariant::of::<UpdateInbound>("update_inbound_shipment"),
            WriteVariant::of::<Receive>("receive_inbound_shipment"),
            WriteVariant::of::<ReturnBody>("create_return"),
            WriteVariant::of::<ReturnBody>("update_return"),
            WriteVariant::of::<Empty>("cancel_return"),
            WriteVariant::of::<Adjust>("adjust_inventory"),
        ],
        IntegrationType::Cart => vec![
            WriteVariant::of::<CartAdjust>("adjust_inventory"),
            WriteVariant::of::<CartBatch>("batch_adjust_inventory"),
            WriteVariant::of::<CartShipment>("create_order_shipment"),
            WriteVariant::of::<Refund>("refund_order"),
        ],
        _ => vec![],
    }
}
