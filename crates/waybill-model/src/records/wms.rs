//! Canonical WMS records (`/wms/...`). Enumerated fields are plain strings whose allowed
//! values live in [`crate::resource`] (e.g. `ORDER_STATUSES`) or below when only a nested
//! object uses them. The store adds `trackstar_tags` and the `trackstar_*` dates itself, so
//! they are not fields here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{AdditionalFields, Measurements, ShipFromAddress, ShipToAddress};

/// Allowed values of `OrderShipment::status`.
pub const ORDER_SHIPMENT_STATUSES: &[&str] = &["open", "shipped", "cancelled", "other"];
/// Allowed values of `Order::international_duty_paid_by`.
pub const DUTY_PAYERS: &[&str] = &["sender", "recipient", "third_party"];
/// Allowed values of `InventoryLedgerEntry::object_type`.
pub const LEDGER_OBJECT_TYPES: &[&str] = &["order", "inbound_shipment", "return"];

/// A customer order the warehouse fulfils (`/wms/orders`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Order {
    /// Source system's id, stable per connection.
    pub id: String,
    /// Owning merchant in a multi-tenant 3PL.
    pub warehouse_customer_id: Option<String>,
    /// Warehouse assigned to fulfil the order.
    pub warehouse_id: Option<String>,
    /// When the source created the order.
    pub created_date: String,
    /// When the source last changed the order.
    pub updated_date: String,
    /// The merchant's own reference (defaults to `id`).
    pub reference_id: String,
    /// Human-facing order number (defaults to `reference_id`).
    pub order_number: String,
    /// Normalized status, one of `ORDER_STATUSES`.
    pub status: String,
    /// The source's own status text.
    pub raw_status: Option<String>,
    /// Sales channel name (deprecated in favour of `channel_object`).
    pub channel: Option<String>,
    /// Sales channel the order came from.
    pub channel_object: Option<ChannelObject>,
    /// Order type, one of `ORDER_TYPES`.
    #[serde(rename = "type")]
    pub order_type: Option<String>,
    /// EDI trading partner of business orders.
    pub trading_partner: Option<String>,
    /// Requested shipping method (deprecated).
    pub shipping_method: Option<String>,
    /// Requested service level, e.g. `ground`.
    pub service_level: Option<String>,
    /// Id of the requested shipping method.
    pub shipping_method_id: Option<String>,
    /// Name of the requested shipping method.
    pub shipping_method_name: Option<String>,
    /// Id of the requested carrier.
    pub carrier_id: Option<String>,
    /// Name of the requested carrier.
    pub carrier_name: Option<String>,
    /// Carrier's Standard Carrier Alpha Code.
    pub scac: Option<String>,
    /// Whether a third party pays the freight.
    pub is_third_party_freight: Option<bool>,
    /// Carrier account billed when a third party pays.
    pub third_party_freight_account_number: Option<String>,
    /// Merchant's own carrier account.
    pub first_party_freight_account_number: Option<String>,
    /// Currency of the amounts (USD when the source says nothing).
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
    /// Products ordered.
    pub line_items: Vec<OrderLineItem>,
    /// The source's own tags, key-value tags flattened to `key:value`.
    pub tags: Vec<String>,
    /// Date by which the order must leave the warehouse.
    pub required_ship_date: Option<String>,
    /// Whether Saturday delivery was requested.
    pub saturday_delivery: Option<bool>,
    /// Whether delivery needs a signature.
    pub signature_required: Option<bool>,
    /// Who pays import duties, one of [`DUTY_PAYERS`].
    pub international_duty_paid_by: Option<String>,
    /// Shipments sent out for this order.
    pub shipments: Vec<OrderShipment>,
    /// Deep link into the source's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// The sales channel an order or channel reference names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ChannelObject {
    /// Id of an `OrderChannel`.
    pub channel_id: String,
    /// Its display name.
    pub channel_name: Option<String>,
}

/// One product line of a WMS order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderLineItem {
    /// The ordered `Product`'s id.
    pub product_id: String,
    /// The product's SKU.
    pub sku: Option<String>,
    /// Units ordered.
    pub quantity: i64,
    /// Price per unit.
    pub unit_price: Option<f64>,
    /// Whether the line has been picked.
    pub is_picked: bool,
    /// Discount on the whole line.
    pub discount_amount: Option<f64>,
}

/// A shipment that left the warehouse for an order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderShipment {
    /// Source's shipment id.
    pub shipment_id: String,
    /// Warehouse it shipped from.
    pub warehouse_id: String,
    /// Source's shipment status text.
    pub raw_status: Option<String>,
    /// Normalized status, one of [`ORDER_SHIPMENT_STATUSES`].
    pub status: String,
    /// When it shipped.
    pub shipped_date: Option<String>,
    /// Shipping method used (deprecated).
    pub shipping_method: Option<String>,
    /// Inventory items shipped.
    pub line_items: Vec<ShipmentLineItem>,
    /// Destination.
    pub ship_to_address: ShipToAddress,
    /// Origin.
    pub ship_from_address: ShipFromAddress,
    /// Boxes the shipment consists of.
    pub packages: Vec<Package>,
}

/// Inventory shipped within an order shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ShipmentLineItem {
    /// The `InventoryItem` shipped.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units shipped.
    pub quantity: i64,
    /// The kit product this component was shipped for, if any.
    pub parent_product_id: Option<String>,
}

/// One box of a shipment with its tracking and contents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Package {
    /// Source's package id.
    pub package_id: String,
    /// Box name, e.g. `12x9x4`.
    pub package_name: Option<String>,
    /// Carrier tracking number.
    pub tracking_number: Option<String>,
    /// Carrier tracking page.
    pub tracking_url: Option<String>,
    /// Shipping method (deprecated).
    pub shipping_method: Option<String>,
    /// Carrier (deprecated).
    pub carrier: Option<String>,
    /// Id of the shipping method used.
    pub shipping_method_id: Option<String>,
    /// Name of the shipping method used.
    pub shipping_method_name: Option<String>,
    /// Id of the carrier used.
    pub carrier_id: Option<String>,
    /// Name of the carrier used.
    pub carrier_name: Option<String>,
    /// Carrier's SCAC.
    pub scac: Option<String>,
    /// Label cost.
    pub shipping_cost: Option<f64>,
    /// Box dimensions and weight.
    pub measurements: Measurements,
    /// Contents of the box.
    pub line_items: Vec<PackageLineItem>,
}

/// Inventory inside a package, with its lot when lot-tracked.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PackageLineItem {
    /// The `InventoryItem` packed.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units packed.
    pub quantity: i64,
    /// Lot the units came from.
    pub lot_id: Option<String>,
    /// That lot's expiration.
    pub expiration_date: Option<String>,
    /// The kit product this component was packed for, if any.
    pub parent_product_id: Option<String>,
}

/// How an order was packed (`/wms/orders/{order_id}/packs`); keyed by the order's id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderPack {
    /// Boxes packed.
    pub packs: Vec<Pack>,
    /// Carrier (deprecated).
    pub carrier: Option<String>,
    /// Id of the carrier.
    pub carrier_id: Option<String>,
    /// Name of the carrier.
    pub carrier_name: Option<String>,
    /// Carrier's SCAC.
    pub scac: Option<String>,
    /// Shipping method (deprecated).
    pub shipping_method: Option<String>,
    /// Id of the shipping method.
    pub shipping_method_id: Option<String>,
    /// Name of the shipping method.
    pub shipping_method_name: Option<String>,
    /// Destination.
    pub ship_to_address: ShipToAddress,
    /// The order's product lines.
    pub order_line_items: Vec<OrderPackLineItem>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// One packed box.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Pack {
    /// Source's pack id.
    pub pack_id: String,
    /// Box dimensions and weight.
    pub measurements: Measurements,
    /// Contents.
    pub line_items: Vec<PackLineItem>,
}

/// Inventory inside a pack.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PackLineItem {
    /// The `InventoryItem` packed.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units packed.
    pub quantity: i64,
}

/// An order's product line as the packs view repeats it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderPackLineItem {
    /// The ordered `Product`'s id.
    pub product_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units ordered.
    pub quantity: i64,
}

/// A sales channel orders arrive through (`/wms/orders/channels`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderChannel {
    /// Source's channel id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A sellable product or kit (`/wms/products`); kits list their components.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Product {
    /// Source's product id.
    pub id: String,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Display name.
    pub name: String,
    /// Stock keeping unit.
    pub sku: Option<String>,
    /// UPC, EAN or ISBN.
    pub gtin: Option<String>,
    /// Selling price per unit.
    pub unit_price: Option<f64>,
    /// Inventory items it consists of (one for a plain product, the components of a kit).
    pub inventory_items: Vec<ProductInventoryItem>,
    /// Whether it is a kit of several inventory items.
    pub is_kit: bool,
    /// Whether it can be ordered.
    pub active: bool,
    /// Supplier name (deprecated in favour of `supplier_object`).
    pub supplier: Option<String>,
    /// Main supplier.
    pub supplier_object: Option<SupplierObject>,
    /// Country of manufacture.
    pub country_of_origin: Option<String>,
    /// HS tariff code for customs.
    pub harmonized_code: Option<String>,
    /// Every supplier and its terms.
    pub supplier_products: Vec<SupplierProduct>,
    /// Deep link into the source's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// An inventory item a product consumes, and how many per product unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ProductInventoryItem {
    /// The `InventoryItem`'s id.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units of it per product unit.
    pub unit_quantity: i64,
}

/// A reference to a `Supplier` from a product or inbound shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SupplierObject {
    /// The supplier's id.
    pub supplier_id: String,
    /// The supplier's name.
    pub supplier_name: Option<String>,
}

/// A supplier's terms for a product.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SupplierProduct {
    /// The supplier's id.
    pub supplier_id: String,
    /// The supplier's name.
    pub supplier_name: Option<String>,
    /// The supplier's own id for the product.
    pub external_id: Option<String>,
    /// Purchase cost per unit, as text like the source sends it.
    pub unit_cost: Option<String>,
}

/// A stocked item and its quantities (`/wms/inventory`); totals are the sum over warehouses.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InventoryItem {
    /// Source's inventory item id.
    pub id: String,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Display name.
    pub name: String,
    /// Stock keeping unit.
    pub sku: Option<String>,
    /// Purchase cost per unit.
    pub unit_cost: Option<f64>,
    /// Whether it is still stocked.
    pub active: bool,
    /// Expected inbound, not yet on hand.
    pub awaiting: i64,
    /// Physically present: committed + unfulfillable + fulfillable.
    pub onhand: i64,
    /// Allocated to orders.
    pub committed: i64,
    /// Damaged, quarantined or held.
    pub unfulfillable: i64,
    /// Free to ship.
    pub fulfillable: i64,
    /// Reserved from sales channels (deprecated).
    pub unsellable: i64,
    /// Exposed to sales channels.
    pub sellable: i64,
    /// SKUs that may ship in its place.
    pub substitute_skus: Vec<String>,
    /// Quantities per warehouse id.
    pub inventory_by_warehouse_id: BTreeMap<String, InventoryInWarehouse>,
    /// Lots on hand.
    pub lots: Vec<Lot>,
    /// Dimensions and weight of one unit.
    pub measurements: Measurements,
    /// Bin locations holding it.
    pub locations: Vec<InventoryLocation>,
    /// Deep link into the source's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// An inventory item's quantities in one warehouse.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InventoryInWarehouse {
    /// Expected inbound.
    pub awaiting: Option<i64>,
    /// Physically present.
    pub onhand: i64,
    /// Allocated to orders.
    pub committed: Option<i64>,
    /// Damaged, quarantined or held.
    pub unfulfillable: Option<i64>,
    /// Free to ship.
    pub fulfillable: Option<i64>,
    /// Reserved from channels (deprecated).
    pub unsellable: Option<i64>,
    /// Exposed to channels.
    pub sellable: Option<i64>,
}

/// A production lot of an inventory item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Lot {
    /// Lot number.
    pub lot_id: String,
    /// Units of the lot on hand.
    pub onhand: i64,
    /// When the lot expires.
    pub expiration_date: Option<String>,
    /// Warehouse holding it.
    pub warehouse_id: Option<String>,
}

/// Units of an inventory item in one warehouse location.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InventoryLocation {
    /// The `WarehouseLocation`'s id.
    pub location_id: String,
    /// Units there.
    pub quantity: i64,
    /// The location's warehouse.
    pub warehouse_id: String,
}

/// One immutable stock movement (`/wms/inventory/ledger`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InventoryLedgerEntry {
    /// Source's entry id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// When the movement happened.
    pub entry_date: String,
    /// The `InventoryItem` that moved.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: String,
    /// Signed change in units.
    pub quantity: i64,
    /// Source's event type text.
    pub raw_event_type: Option<String>,
    /// Normalized event type, one of `LEDGER_EVENT_TYPES`.
    pub event_type: String,
    /// Why it moved.
    pub reason: Option<String>,
    /// The record that caused it.
    pub object_id: Option<String>,
    /// That record's kind, one of [`LEDGER_OBJECT_TYPES`].
    pub object_type: Option<String>,
    /// Warehouse where it moved.
    pub warehouse_id: Option<String>,
    /// Location where it moved.
    pub location_id: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// An advance shipping notice: stock a supplier sends in (`/wms/inbound-shipments`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InboundShipment {
    /// Source's id.
    pub id: String,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Purchase order it fulfils.
    pub purchase_order_number: Option<String>,
    /// Normalized status, one of `INBOUND_STATUSES`.
    pub status: String,
    /// Source's status text.
    pub raw_status: Option<String>,
    /// Supplier name (deprecated in favour of `supplier_object`).
    pub supplier: Option<String>,
    /// Sending supplier.
    pub supplier_object: Option<SupplierObject>,
    /// When it is due.
    pub expected_arrival_date: Option<String>,
    /// Receiving warehouse.
    pub warehouse_id: Option<String>,
    /// Items expected and received.
    pub line_items: Vec<InboundShipmentLineItem>,
    /// Receiving events.
    pub receipts: Vec<InboundReceipt>,
    /// Origin.
    pub ship_from_address: ShipFromAddress,
    /// Carrier tracking numbers.
    pub tracking_numbers: Vec<String>,
    /// Free-text notes.
    pub notes: Vec<String>,
    /// Deep link into the source's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// An inventory item expected on an inbound shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InboundShipmentLineItem {
    /// The `InventoryItem` expected.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units announced.
    pub expected_quantity: i64,
    /// Units received so far (sum over receipts).
    pub received_quantity: i64,
    /// Purchase cost per unit.
    pub unit_cost: Option<f64>,
    /// Source's line id.
    pub external_id: Option<String>,
}

/// One receiving event of an inbound shipment.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InboundReceipt {
    /// Source's receipt id.
    pub id: String,
    /// When the goods arrived.
    pub arrived_date: String,
    /// What was received.
    pub line_items: Vec<InboundReceiptLineItem>,
}

/// Units of an inventory item received in one receipt.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct InboundReceiptLineItem {
    /// The `InventoryItem` received.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units received.
    pub quantity: i64,
}

/// A supplier inbound shipments come from (`/wms/inbound-shipments/suppliers`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Supplier {
    /// Source's supplier id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A return merchandise authorization (`/wms/returns`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Return {
    /// Source's id.
    pub id: String,
    /// Owning merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Normalized status, one of `INBOUND_STATUSES`.
    pub status: String,
    /// Source's status text.
    pub raw_status: Option<String>,
    /// The order being returned.
    pub order_id: Option<String>,
    /// Free-text notes.
    pub notes: Vec<String>,
    /// Items coming back.
    pub line_items: Vec<ReturnLineItem>,
    /// Parcels the customer sent back.
    pub shipments: Vec<ReturnShipment>,
    /// Deep link into the source's UI.
    pub external_system_url: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// An inventory item on a return.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ReturnLineItem {
    /// The `InventoryItem` returned.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units announced.
    pub expected_quantity: i64,
    /// Units received.
    pub received_quantity: i64,
    /// Units put back into sellable stock.
    pub restocked_quantity: Option<i64>,
    /// Customer's reason.
    pub return_reason: Option<String>,
    /// Units (deprecated; mirrors `expected_quantity`).
    pub quantity: i64,
    /// Receiving warehouse (deprecated).
    pub warehouse_id: Option<String>,
    /// When it came back (deprecated).
    pub returned_date: Option<String>,
}

/// A parcel sent back by the customer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ReturnShipment {
    /// Carrier tracking number.
    pub tracking_number: Option<String>,
    /// When the customer sent it.
    pub shipped_date: Option<String>,
    /// When it reached the warehouse.
    pub arrived_date: Option<String>,
    /// Receiving warehouse.
    pub warehouse_id: Option<String>,
    /// Carrier (deprecated).
    pub carrier: Option<String>,
    /// Id of the carrier.
    pub carrier_id: Option<String>,
    /// Name of the carrier.
    pub carrier_name: Option<String>,
    /// Carrier's SCAC.
    pub scac: Option<String>,
    /// Label cost.
    pub shipping_cost: Option<f64>,
    /// Parcel dimensions and weight.
    pub measurements: Measurements,
    /// Contents and how they were received.
    pub line_items: Vec<ReturnShipmentLineItem>,
}

/// An inventory item inside a return parcel.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ReturnShipmentLineItem {
    /// The `InventoryItem` inside.
    pub inventory_item_id: String,
    /// Its SKU.
    pub sku: Option<String>,
    /// Units inside.
    pub quantity: i64,
    /// How the units were graded and dispositioned.
    pub receiving_details: Vec<ReceivingDetail>,
}

/// The condition and fate of some returned units.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ReceivingDetail {
    /// Units graded this way.
    pub quantity: i64,
    /// Condition, e.g. `new` or `damaged`.
    pub condition: Option<String>,
    /// What happened to them, e.g. `restocked` or `scrapped`.
    pub disposition: Option<String>,
}

/// A carrier service the warehouse can ship with (`/wms/shipping-methods`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ShippingMethod {
    /// Source's id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Display name, e.g. `UPS Ground`.
    pub name: String,
    /// Carrier (deprecated).
    pub carrier: Option<String>,
    /// Id of the carrier.
    pub carrier_id: Option<String>,
    /// Name of the carrier.
    pub carrier_name: Option<String>,
    /// Carrier's SCAC.
    pub scac: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A charge the 3PL bills a merchant (`/wms/billing`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Bill {
    /// Source's id.
    pub id: String,
    /// Billed merchant.
    pub warehouse_customer_id: Option<String>,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// The record that incurred it.
    pub object_id: Option<String>,
    /// That record's kind, e.g. `order`.
    pub object_type: Option<String>,
    /// What the charge is for, e.g. `shipping` or `storage`.
    pub charge_type: String,
    /// Amount charged.
    pub amount: f64,
    /// Currency of `amount` (USD when the source says nothing).
    pub currency_code: String,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A fulfilment building (`/wms/warehouses`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Warehouse {
    /// Source's id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Display name.
    pub name: String,
    /// Short code, e.g. `RNO1`.
    pub code: Option<String>,
    /// Street address.
    pub address: ShipFromAddress,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A storage location inside a warehouse (`/wms/warehouses/{warehouse_id}/locations`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct WarehouseLocation {
    /// Source's id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Label, e.g. `A-01-02`.
    pub name: Option<String>,
    /// Warehouse it belongs to.
    pub warehouse_id: String,
    /// Kind, e.g. `pallet`, `bin` or `shelf`.
    #[serde(rename = "type")]
    pub location_type: Option<String>,
    /// Its capacity.
    pub measurements: Measurements,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A merchant a 3PL warehouse works for (`/wms/warehouse-customers`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct WarehouseCustomer {
    /// Source's id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// Merchant's name.
    pub name: String,
    /// Merchant's contact email.
    pub email: Option<String>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}

/// A unit of work a warehouse associate performed (`/wms/labor-activities`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct LaborActivity {
    /// Source's id.
    pub id: String,
    /// When the source created it.
    pub created_date: String,
    /// When the source last changed it.
    pub updated_date: String,
    /// The associate's id.
    pub user_id: String,
    /// The associate's first name.
    pub user_first_name: Option<String>,
    /// The associate's last name.
    pub user_last_name: Option<String>,
    /// Where the work happened.
    pub warehouse_id: String,
    /// Kind of work, one of `LABOR_ACTIVITY_TYPES`.
    pub activity_type: String,
    /// When the work started.
    pub activity_start_time: String,
    /// When it ended; `None` while in progress.
    pub activity_end_time: Option<String>,
    /// Kind of record worked on, one of `LABOR_OBJECT_TYPES`.
    pub associated_object_type: Option<String>,
    /// The record worked on.
    pub associated_object_id: Option<String>,
    /// Units handled.
    pub quantity: Option<i64>,
    /// Integration-specific leftovers.
    pub additional_fields: AdditionalFields,
}
