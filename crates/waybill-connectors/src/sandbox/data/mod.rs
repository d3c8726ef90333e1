//! Deterministic generated data of the simulated systems.
//!
//! Every record is a pure function of a [`SandboxSpec`], a function name and an index, so a
//! sandbox of a million orders costs no memory and any record is produced in O(1). Records
//! of one function are ordered by `updated_date` (non-decreasing in the index), which lets
//! callers turn a time window into an index range with [`first_index_at_or_after`].
//!
//! Records refer to each other consistently: order lines name existing products, shipments
//! name inventory items and warehouses, returns and ledger entries name earlier orders, and
//! so on. Each reference is computed from the referenced record's own seed, never from a
//! table built at run time.
//!
//! Times: every `updated_date` lies in `[anchor - span, anchor]` and every `created_date` at
//! most five days earlier (never before `anchor - span - 5 days`); events inside a record
//! (shipping, receiving, arrival) lie between the two. Planned dates (`required_ship_date`,
//! `expected_arrival_date`, `eta_date`, `latest_ship_date`, lot `expiration_date`) may lie
//! after the anchor, as they would in a live system.
//!
//! `get_order_packs` has one record per order (same index, same `updated_date`, keyed by the
//! order id that [`record_id`] returns). Orders that are not packed yet (open through picked,
//! cancelled, backordered, exception, other) have an empty `packs` list; packed orders have
//! packs but no shipments; shipped orders have one pack per shipped package.

mod carrier;
mod cart;
pub(crate) mod catalog;
mod freight;
mod inbound;
mod names;
mod ops;
mod orders;
mod packing;
mod people;
mod rng;
mod spec;
pub(crate) mod wms_ref;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_consistency;

pub use spec::SandboxSpec;

use serde_json::Value;
use waybill_model::IntegrationType;

use rng::fnv1a;

/// A function the generator knows, with its seed salt and record count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    /// WMS orders.
    WmsOrders,
    /// WMS order packs, one per order.
    WmsPacks,
    /// WMS order channels.
    WmsChannels,
    /// WMS products and kits.
    WmsProducts,
    /// WMS inventory items.
    WmsInventory,
    /// WMS inventory ledger entries.
    WmsLedger,
    /// WMS inbound shipments.
    WmsInbound,
    /// WMS suppliers.
    WmsSuppliers,
    /// WMS returns.
    WmsReturns,
    /// WMS shipping methods.
    WmsMethods,
    /// WMS bills.
    WmsBills,
    /// WMS warehouses.
    WmsWarehouses,
    /// WMS warehouse locations.
    WmsLocations,
    /// WMS warehouse customers.
    WmsCustomers,
    /// WMS labor activities.
    WmsLabor,
    /// Cart orders.
    CartOrders,
    /// Cart products and variants.
    CartProducts,
    /// Cart locations.
    CartWarehouses,
    /// Carrier invoice line items.
    CarrierLines,
    /// Carrier invoice files.
    CarrierFiles,
    /// Freight shipments.
    FreightShipments,
}

impl Func {
    /// Every function, for tests and tools that walk all of them.
    pub(crate) const ALL: [Func; 21] = [
        Func::WmsOrders,
        Func::WmsPacks,
        Func::WmsChannels,
        Func::WmsProducts,
        Func::WmsInventory,
        Func::WmsLedger,
        Func::WmsInbound,
        Func::WmsSuppliers,
        Func::WmsReturns,
        Func::WmsMethods,
        Func::WmsBills,
        Func::WmsWarehouses,
        Func::WmsLocations,
        Func::WmsCustomers,
        Func::WmsLabor,
        Func::CartOrders,
        Func::CartProducts,
        Func::CartWarehouses,
        Func::CarrierLines,
        Func::CarrierFiles,
        Func::FreightShipments,
    ];

    /// The function a `(vertical, name)` pair denotes.
    pub(crate) fn parse(vertical: IntegrationType, function: &str) -> Option<Func> {
        Func::ALL
            .into_iter()
            .find(|f| f.vertical() == vertical && f.name() == function)
    }

    /// Its vertical.
    pub(crate) fn vertical(self) -> IntegrationType {
        match self {
            Func::CartOrders | Func::CartProducts | Func::CartWarehouses => IntegrationType::Cart,
            Func::CarrierLines | Func::CarrierFiles => IntegrationType::Carrier,
            Func::FreightShipments => IntegrationType::Freight,
            _ => IntegrationType::Wms,
        }
    }

    /// Its function name in the resource registry.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Func::WmsOrders | Func::CartOrders => "get_orders",
            Func::WmsPacks => "get_order_packs",
            Func::WmsChannels => "get_order_channels",
            Func::WmsProducts | Func::CartProducts => "get_products",
            Func::WmsInventory => "get_inventory",
            Func::WmsLedger => "get_inventory_ledger",
            Func::WmsInbound => "get_inbound_shipments",
            Func::WmsSuppliers => "get_inbound_shipment_suppliers",
            Func::WmsReturns => "get_returns",
            Func::WmsMethods => "get_shipping_methods",
            Func::WmsBills => "get_bills",
            Func::WmsWarehouses | Func::CartWarehouses => "get_warehouses",
            Func::WmsLocations => "get_warehouse_locations",
            Func::WmsCustomers => "get_warehouse_customers",
            Func::WmsLabor => "get_labor_activities",
            Func::CarrierLines => "get_invoice_line_items",
            Func::CarrierFiles => "get_files",
            Func::FreightShipments => "get_shipments",
        }
    }

    /// Salt of the function's seeds. Packs share the orders' salt: same times, same ids.
    pub(crate) fn salt(self) -> u64 {
        match self {
            Func::WmsOrders | Func::WmsPacks => fnv1a("wms/get_orders"),
            Func::WmsChannels => fnv1a("wms/get_order_channels"),
            Func::WmsProducts => fnv1a("wms/get_products"),
            Func::WmsInventory => fnv1a("wms/get_inventory"),
            Func::WmsLedger => fnv1a("wms/get_inventory_ledger"),
            Func::WmsInbound => fnv1a("wms/get_inbound_shipments"),
            Func::WmsSuppliers => fnv1a("wms/get_inbound_shipment_suppliers"),
            Func::WmsReturns => fnv1a("wms/get_returns"),
            Func::WmsMethods => fnv1a("wms/get_shipping_methods"),
            Func::WmsBills => fnv1a("wms/get_bills"),
            Func::WmsWarehouses => fnv1a("wms/get_warehouses"),
            Func::WmsLocations => fnv1a("wms/get_warehouse_locations"),
            Func::WmsCustomers => fnv1a("wms/get_warehouse_customers"),
            Func::WmsLabor => fnv1a("wms/get_labor_activities"),
            Func::CartOrders => fnv1a("cart/get_orders"),
            Func::CartProducts => fnv1a("cart/get_products"),
            Func::CartWarehouses => fnv1a("cart/get_warehouses"),
            Func::CarrierLines => fnv1a("carrier/get_invoice_line_items"),
            Func::CarrierFiles => fnv1a("carrier/get_files"),
            Func::FreightShipments => fnv1a("freight/get_shipments"),
        }
    }

    /// How many records it has.
    pub(crate) fn count(self, spec: &SandboxSpec) -> u64 {
        match self {
            Func::WmsOrders | Func::WmsPacks | Func::CartOrders | Func::FreightShipments => {
                spec.orders
            }
            Func::WmsChannels => wms_ref::CHANNELS.len() as u64,
            Func::WmsProducts => catalog::product_count(spec),
            Func::WmsInventory => catalog::inventory_count(spec),
            Func::WmsLedger => spec.scaled(5, 20, 200_000),
            Func::WmsInbound => spec.scaled(50, 10, 20_000),
            Func::WmsSuppliers => wms_ref::SUPPLIERS.len() as u64,
            Func::WmsReturns => spec.scaled(40, 10, 25_000),
            Func::WmsMethods => names::METHODS.len() as u64,
            Func::WmsBills => spec.scaled(20, 10, 50_000),
            Func::WmsWarehouses => wms_ref::WAREHOUSES.len() as u64,
            Func::WmsLocations => wms_ref::location_count(),
            Func::WmsCustomers => wms_ref::CUSTOMERS.len() as u64,
            Func::WmsLabor => spec.scaled(10, 20, 100_000),
            Func::CartProducts => spec.scaled(5, 30, 5_000),
            Func::CartWarehouses => cart::WAREHOUSES.len() as u64,
            Func::CarrierLines => spec.orders.saturating_mul(carrier::CHARGES_PER_SHIPMENT),
            Func::CarrierFiles => spec.scaled(100, 3, 1_000),
        }
    }

    /// `updated_date` of record `index`, in unix seconds.
    pub(crate) fn updated(self, spec: &SandboxSpec, index: u64) -> i64 {
        spec::updated(spec, self.salt(), self.count(spec), index)
    }

    /// `(created, updated)` of record `index`, in unix seconds.
    pub(crate) fn stamp(self, spec: &SandboxSpec, index: u64) -> (i64, i64) {
        let updated = self.updated(spec, index);
        (spec::created(spec, self.salt(), index, updated), updated)
    }

    /// The id of record `index`.
    pub(crate) fn id(self, index: u64) -> String {
        match self {
            Func::WmsOrders | Func::WmsPacks => orders::order_id(index),
            Func::WmsChannels => wms_ref::channel_id(index as usize),
            Func::WmsProducts => catalog::product_id(index),
            Func::WmsInventory => catalog::inventory_id(index),
            Func::WmsLedger => format!("led_{:09}", index + 1),
            Func::WmsInbound => inbound::inbound_id(index),
            Func::WmsSuppliers => wms_ref::supplier_id(index as usize),
            Func::WmsReturns => inbound::return_id(index),
            Func::WmsMethods => wms_ref::method_id(index as usize),
            Func::WmsBills => format!("bill_{:08}", index + 1),
            Func::WmsWarehouses => wms_ref::warehouse_id(index as usize),
            Func::WmsLocations => wms_ref::location_id(index),
            Func::WmsCustomers => wms_ref::customer_id(index as usize),
            Func::WmsLabor => format!("la_{:08}", index + 1),
            Func::CartOrders => cart::order_id(index),
            Func::CartProducts => cart::product_id(index),
            Func::CartWarehouses => cart::warehouse_id(index as usize),
            Func::CarrierLines => carrier::line_id(index),
            Func::CarrierFiles => carrier::file_id(index),
            Func::FreightShipments => freight::shipment_id(index),
        }
    }

    /// Record `index`, handed to `S` as its typed record.
    pub(crate) fn build<S: Sink>(self, spec: &SandboxSpec, i: u64) -> S::Out {
        match self {
            Func::WmsOrders => S::emit(&orders::order(spec, i)),
            Func::WmsPacks => S::emit(&packing::packs(spec, i)),
            Func::WmsChannels => S::emit(&wms_ref::channel(spec, i)),
            Func::WmsProducts => S::emit(&catalog::product(spec, i)),
            Func::WmsInventory => S::emit(&catalog::inventory(spec, i)),
            Func::WmsLedger => S::emit(&ops::ledger_entry(spec, i)),
            Func::WmsInbound => S::emit(&inbound::inbound_shipment(spec, i)),
            Func::WmsSuppliers => S::emit(&wms_ref::supplier(spec, i)),
            Func::WmsReturns => S::emit(&inbound::return_record(spec, i)),
            Func::WmsMethods => S::emit(&wms_ref::method(spec, i)),
            Func::WmsBills => S::emit(&ops::bill(spec, i)),
            Func::WmsWarehouses => S::emit(&wms_ref::warehouse(spec, i)),
            Func::WmsLocations => S::emit(&wms_ref::location(spec, i)),
            Func::WmsCustomers => S::emit(&wms_ref::customer(spec, i)),
            Func::WmsLabor => S::emit(&ops::labor_activity(spec, i)),
            Func::CartOrders => S::emit(&cart::order(spec, i)),
            Func::CartProducts => S::emit(&cart::product(spec, i)),
            Func::CartWarehouses => S::emit(&cart::warehouse(spec, i)),
            Func::CarrierLines => S::emit(&carrier::line_item(spec, i)),
            Func::CarrierFiles => S::emit(&carrier::file(spec, i)),
            Func::FreightShipments => S::emit(&freight::shipment(spec, i)),
        }
    }

    /// First index whose `updated_date` is at or after `t` (`count` when none is).
    pub(crate) fn first_at_or_after(self, spec: &SandboxSpec, t: i64) -> u64 {
        let (mut lo, mut hi) = (0u64, self.count(spec));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.updated(spec, mid) < t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// An index of this function updated before `t` that satisfies `pred`, near the newest
    /// such record (up to `spread` back, by `jitter`). `None` when no record that old
    /// qualifies: references never point forward in time.
    pub(crate) fn find_before(
        self,
        spec: &SandboxSpec,
        t: i64,
        jitter: u64,
        spread: u64,
        pred: impl Fn(u64) -> bool,
    ) -> Option<u64> {
        const SCAN: u64 = 512;
        let hi = self.first_at_or_after(spec, t);
        if hi == 0 {
            return None;
        }
        let start = hi - 1 - jitter % spread.clamp(1, hi);
        (start.saturating_sub(SCAN)..=start)
            .rev()
            .find(|i| pred(*i))
    }
}

/// What a typed record is turned into: a JSON value or JSON text.
pub(crate) trait Sink {
    /// The output.
    type Out;
    /// Converts one typed record.
    fn emit<T: serde::Serialize>(record: &T) -> Self::Out;
}

/// Produces `serde_json::Value` documents.
struct AsValue;

impl Sink for AsValue {
    type Out = Value;
    fn emit<T: serde::Serialize>(record: &T) -> Value {
        serde_json::to_value(record).expect("records serialize")
    }
}

/// Produces compact JSON text.
struct AsText;

impl Sink for AsText {
    type Out = String;
    fn emit<T: serde::Serialize>(record: &T) -> String {
        serde_json::to_string(record).expect("records serialize")
    }
}

/// Number of records the function has; 0 for an unknown `(vertical, function)`.
pub fn count(spec: &SandboxSpec, vertical: IntegrationType, function: &str) -> u64 {
    Func::parse(vertical, function).map_or(0, |f| f.count(spec))
}

/// The record at `index` (`0..count`) as a canonical JSON document: `serde_json::to_value`
/// of the typed record. `Value::Null` for an unknown function or an index out of range.
pub fn record(spec: &SandboxSpec, vertical: IntegrationType, function: &str, index: u64) -> Value {
    match Func::parse(vertical, function) {
        Some(f) if index < f.count(spec) => f.build::<AsValue>(spec, index),
        _ => Value::Null,
    }
}

/// The same document as [`record`], serialized straight to compact JSON text. Building a
/// `serde_json::Value` costs one allocation and one hash per key, which is most of
/// `record`'s time; callers that store or send text save that by asking for text. `None`
/// for an unknown function or an index out of range.
pub fn record_json(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    function: &str,
    index: u64,
) -> Option<String> {
    Func::parse(vertical, function)
        .filter(|f| index < f.count(spec))
        .map(|f| f.build::<AsText>(spec, index))
}

/// The record's `updated_date` as unix seconds, computed without building the record. It is
/// non-decreasing in `index`, so callers can binary-search a time window to an index range.
/// Unknown functions answer the start of the span.
pub fn updated_at(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    function: &str,
    index: u64,
) -> i64 {
    Func::parse(vertical, function).map_or(spec.start(), |f| f.updated(spec, index))
}

/// The first index whose `updated_at` is `>= t`; `count` when no record is that recent.
pub fn first_index_at_or_after(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    function: &str,
    t: i64,
) -> u64 {
    Func::parse(vertical, function).map_or(0, |f| f.first_at_or_after(spec, t))
}

/// The record's id without building it. For `get_order_packs`, whose documents carry no id,
/// this is the id of the order the packs belong to. `None` for an unknown function or an
/// index out of range.
pub fn record_id(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    function: &str,
    index: u64,
) -> Option<String> {
    Func::parse(vertical, function)
        .filter(|f| index < f.count(spec))
        .map(|f| f.id(index))
}

/// The index of the record with this id, or `None` when no generated record has it. Ids end
/// in the record's 1-based number, which is parsed and then checked against [`record_id`].
pub fn index_of(
    spec: &SandboxSpec,
    vertical: IntegrationType,
    function: &str,
    id: &str,
) -> Option<u64> {
    let digits = id.rsplit(|c: char| !c.is_ascii_digit()).next()?;
    let n: u64 = digits.parse().ok()?;
    // Most ids end in the 1-based number; cart ids are vendor-style numbers from a base.
    let bases = [
        1,
        cart::order_id(0).parse::<u64>().unwrap_or(0),
        cart::product_id(0).parse::<u64>().unwrap_or(0),
        cart::warehouse_id(0).parse::<u64>().unwrap_or(0),
    ];
    bases
        .iter()
        .filter_map(|b| n.checked_sub(*b))
        .find(|i| record_id(spec, vertical, function, *i).as_deref() == Some(id))
}
