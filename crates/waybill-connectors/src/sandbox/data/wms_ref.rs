//! The WMS's small reference lists: warehouses and their locations, warehouse customers
//! (merchants), shipping methods, order channels and suppliers. Channel `c` and suppliers
//! `s` with `s % 4 == c` belong to customer `c`, which keeps orders, products and inbound
//! shipments of one merchant together.

use rand::Rng;
use serde_json::json;
use waybill_model::records::{
    Measurements, OrderChannel, ShipFromAddress, ShippingMethod, Supplier, Warehouse,
    WarehouseCustomer, WarehouseLocation,
};

use super::names::{CARRIERS, METHODS};
use super::people::{fields, origin};
use super::rng::rng;
use super::spec::{ts, SandboxSpec};
use super::Func;

/// A warehouse: name, code, street, city, state, postal code.
pub static WAREHOUSES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Reno Fulfillment Center",
        "RNO1",
        "4850 Longley Ln",
        "Reno",
        "NV",
        "89502",
    ),
    (
        "Columbus Distribution Center",
        "CMH1",
        "6100 Commerce Crossing Dr",
        "Groveport",
        "OH",
        "43125",
    ),
    (
        "Lehigh Valley Fulfillment",
        "ABE1",
        "7450 Industrial Blvd",
        "Allentown",
        "PA",
        "18106",
    ),
];

/// Merchants the 3PL works for: name and contact email.
pub static CUSTOMERS: &[(&str, &str)] = &[
    (
        "Northwind Outfitters",
        "ops@northwind-outfitters.example.com",
    ),
    (
        "Bluebird Home Goods",
        "fulfillment@bluebirdhome.example.com",
    ),
    ("Summit Trail Supply", "logistics@summittrail.example.com"),
    ("Harbor & Pine Wellness", "orders@harborandpine.example.com"),
];

/// Sales channels: name and platform, channel `c` belonging to customer `c`.
pub static CHANNELS: &[(&str, &str)] = &[
    ("Northwind Shopify Store", "shopify"),
    ("Bluebird on Amazon", "amazon"),
    ("Summit Trail Wholesale EDI", "edi"),
    ("Harbor & Pine TikTok Shop", "tiktok"),
];

/// Suppliers: name, street, city, state, postal code, country.
pub static SUPPLIERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Pacific Apparel Mills",
        "1200 Harbor Way",
        "Los Angeles",
        "CA",
        "90021",
        "US",
    ),
    (
        "Evergreen Home Manufacturing",
        "88 Nguyen Hue Blvd",
        "Ho Chi Minh City",
        "SG",
        "700000",
        "VN",
    ),
    (
        "Granite Peak Outdoor Co.",
        "415 Foundry St",
        "Denver",
        "CO",
        "80216",
        "US",
    ),
    (
        "Coastal Botanicals Lab",
        "27 Marine Pkwy",
        "Savannah",
        "GA",
        "31401",
        "US",
    ),
    (
        "Shenzhen Bright Textiles",
        "9 Keji Rd",
        "Shenzhen",
        "GD",
        "518057",
        "CN",
    ),
    (
        "Lisbon Leather Works",
        "150 Rua Augusta",
        "Lisbon",
        "LX",
        "1100-048",
        "PT",
    ),
];

/// Locations per warehouse.
pub const LOCATIONS_PER_WAREHOUSE: u64 = 40;

/// Total number of warehouse locations.
pub fn location_count() -> u64 {
    WAREHOUSES.len() as u64 * LOCATIONS_PER_WAREHOUSE
}

/// Id of warehouse `w`.
pub fn warehouse_id(w: usize) -> String {
    format!("wh_{:03}", w + 1)
}

/// Id of location `l` (warehouse `l / 40`).
pub fn location_id(l: u64) -> String {
    format!("loc_{:05}", l + 1)
}

/// Id of warehouse customer `c`.
pub fn customer_id(c: usize) -> String {
    format!("cust_{:03}", c + 1)
}

/// Id of shipping method `m`.
pub fn method_id(m: usize) -> String {
    format!("sm_{:03}", m + 1)
}

/// Id of channel `c`.
pub fn channel_id(c: usize) -> String {
    format!("ch_{:03}", c + 1)
}

/// Id of supplier `s`.
pub fn supplier_id(s: usize) -> String {
    format!("sup_{:03}", s + 1)
}

/// The suppliers of customer `c`.
pub fn suppliers_of(c: usize) -> impl Iterator<Item = usize> {
    (0..SUPPLIERS.len()).filter(move |s| s % CUSTOMERS.len() == c)
}

/// The street address of warehouse `w`.
pub fn warehouse_address(w: usize) -> ShipFromAddress {
    let (_, _, street, city, state, postal) = WAREHOUSES[w];
    origin(street, city, state, postal, "US")
}

/// The street address of supplier `s`.
pub fn supplier_address(s: usize) -> ShipFromAddress {
    let (_, street, city, state, postal, country) = SUPPLIERS[s];
    origin(street, city, state, postal, country)
}

/// Record `i` of `get_warehouses`.
pub fn warehouse(spec: &SandboxSpec, i: u64) -> Warehouse {
    let (created, updated) = Func::WmsWarehouses.stamp(spec, i);
    let w = i as usize;
    let (name, code, ..) = WAREHOUSES[w];
    Warehouse {
        id: warehouse_id(w),
        created_date: ts(created),
        updated_date: ts(updated),
        name: name.to_owned(),
        code: Some(code.to_owned()),
        address: warehouse_address(w),
        additional_fields: fields([(
            "timezone",
            json!(
                [
                    "America/Los_Angeles",
                    "America/New_York",
                    "America/New_York"
                ][w]
            ),
        )]),
    }
}

/// Kind of location `k` of a warehouse: pallet racks first, then shelves, then bins.
fn location_kind(k: u64) -> &'static str {
    match k {
        0..=9 => "pallet",
        10..=27 => "shelf",
        _ => "bin",
    }
}

/// Label of location `k` of a warehouse, e.g. `A03-02-1`.
pub fn location_name(k: u64) -> String {
    match location_kind(k) {
        "pallet" => format!("P{:02}-{:02}", k / 5 + 1, k % 5 + 1),
        "shelf" => format!(
            "A{:02}-{:02}-{}",
            (k - 10) / 6 + 1,
            (k - 10) % 6 / 2 + 1,
            (k - 10) % 2 + 1
        ),
        _ => format!("B{:02}-{:02}", (k - 28) / 4 + 1, (k - 28) % 4 + 1),
    }
}

/// Record `i` of `get_warehouse_locations`.
pub fn location(spec: &SandboxSpec, i: u64) -> WarehouseLocation {
    let (created, updated) = Func::WmsLocations.stamp(spec, i);
    let k = i % LOCATIONS_PER_WAREHOUSE;
    let kind = location_kind(k);
    let (l, w, h, weight) = match kind {
        "pallet" => (48.0, 40.0, 60.0, 2500.0),
        "shelf" => (36.0, 18.0, 16.0, 200.0),
        _ => (12.0, 10.0, 8.0, 40.0),
    };
    WarehouseLocation {
        id: location_id(i),
        created_date: ts(created),
        updated_date: ts(updated),
        name: Some(location_name(k)),
        warehouse_id: warehouse_id((i / LOCATIONS_PER_WAREHOUSE) as usize),
        location_type: Some(kind.to_owned()),
        measurements: Measurements {
            length: Some(l),
            width: Some(w),
            height: Some(h),
            unit: Some("in".into()),
            weight: Some(weight),
            weight_unit: Some("lb".into()),
        },
        additional_fields: fields([("pickable", json!(kind != "pallet"))]),
    }
}

/// Record `i` of `get_warehouse_customers`.
pub fn customer(spec: &SandboxSpec, i: u64) -> WarehouseCustomer {
    let (created, updated) = Func::WmsCustomers.stamp(spec, i);
    let (name, email) = CUSTOMERS[i as usize];
    WarehouseCustomer {
        id: customer_id(i as usize),
        created_date: ts(created),
        updated_date: ts(updated),
        name: name.to_owned(),
        email: Some(email.to_owned()),
        additional_fields: fields([(
            "billing_plan",
            json!(["standard", "growth", "enterprise", "standard"][i as usize % 4]),
        )]),
    }
}

/// Record `i` of `get_shipping_methods`.
pub fn method(spec: &SandboxSpec, i: u64) -> ShippingMethod {
    let (created, updated) = Func::WmsMethods.stamp(spec, i);
    let m = &METHODS[i as usize];
    let c = &CARRIERS[m.carrier];
    ShippingMethod {
        id: method_id(i as usize),
        created_date: ts(created),
        updated_date: ts(updated),
        name: m.name.to_owned(),
        carrier: Some(c.name.to_owned()),
        carrier_id: Some(c.id.to_owned()),
        carrier_name: Some(c.name.to_owned()),
        scac: Some(c.scac.to_owned()),
        additional_fields: fields([("service_level", json!(m.level))]),
    }
}

/// Record `i` of `get_order_channels`.
pub fn channel(spec: &SandboxSpec, i: u64) -> OrderChannel {
    let (created, updated) = Func::WmsChannels.stamp(spec, i);
    let (name, platform) = CHANNELS[i as usize];
    OrderChannel {
        id: channel_id(i as usize),
        name: Some(name.to_owned()),
        warehouse_customer_id: Some(customer_id(i as usize % CUSTOMERS.len())),
        created_date: ts(created),
        updated_date: ts(updated),
        additional_fields: fields([("platform", json!(platform))]),
    }
}

/// Record `i` of `get_inbound_shipment_suppliers`.
pub fn supplier(spec: &SandboxSpec, i: u64) -> Supplier {
    let (created, updated) = Func::WmsSuppliers.stamp(spec, i);
    let s = i as usize;
    let mut r = rng(spec.seed, Func::WmsSuppliers.salt(), i);
    Supplier {
        id: supplier_id(s),
        name: Some(SUPPLIERS[s].0.to_owned()),
        warehouse_customer_id: Some(customer_id(s % CUSTOMERS.len())),
        created_date: ts(created),
        updated_date: ts(updated),
        additional_fields: fields([
            ("country", json!(SUPPLIERS[s].5)),
            ("lead_time_days", json!(r.gen_range(7..45))),
        ]),
    }
}
