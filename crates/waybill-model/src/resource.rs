//! The resource registry: one row per stored resource, tying together its vertical, its
//! route, the function that syncs it, its webhook event prefix, its sync cadence and the
//! filters its list route accepts. Routes, the sync engine, the store and the query parser
//! all read this table, so adding a resource is one entry here.

use crate::IntegrationType;

/// A filter operator of the query grammar (SPEC §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `field=v` or `field[eq]=v`.
    Eq,
    /// `field[neq]=v`.
    Neq,
    /// `field[gt]=v`.
    Gt,
    /// `field[gte]=v`.
    Gte,
    /// `field[lt]=v`.
    Lt,
    /// `field[lte]=v`.
    Lte,
    /// `field[in]=a,b`.
    In,
    /// `field[nin]=a,b`.
    Nin,
    /// `field[contains]=v`: substring.
    Contains,
    /// `field[not_contains]=v`.
    NotContains,
    /// `field[eq-insensitive]=v`.
    EqInsensitive,
    /// `field[in-insensitive]=a,b`.
    InInsensitive,
    /// `field[contains-insensitive]=v`.
    ContainsInsensitive,
}

impl Op {
    /// Parses the text between the brackets; `None` for an unknown operator.
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "eq" => Op::Eq,
            "neq" => Op::Neq,
            "gt" => Op::Gt,
            "gte" => Op::Gte,
            "lt" => Op::Lt,
            "lte" => Op::Lte,
            "in" => Op::In,
            "nin" => Op::Nin,
            "contains" => Op::Contains,
            "not_contains" => Op::NotContains,
            "eq-insensitive" => Op::EqInsensitive,
            "in-insensitive" => Op::InInsensitive,
            "contains-insensitive" => Op::ContainsInsensitive,
            _ => return None,
        })
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Neq => "neq",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::In => "in",
            Op::Nin => "nin",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
            Op::EqInsensitive => "eq-insensitive",
            Op::InInsensitive => "in-insensitive",
            Op::ContainsInsensitive => "contains-insensitive",
        }
    }

    /// Whether the value is a comma-separated list.
    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Nin | Op::InInsensitive)
    }
}

/// Operators of a date field (SPEC §6.3 "D").
pub const DATE_OPS: &[Op] = &[
    Op::Eq,
    Op::Neq,
    Op::Gt,
    Op::Gte,
    Op::Lt,
    Op::Lte,
    Op::In,
    Op::Nin,
];
/// Operators of a string field (SPEC §6.3 "S").
pub const STRING_OPS: &[Op] = &[
    Op::Eq,
    Op::Neq,
    Op::In,
    Op::Nin,
    Op::Contains,
    Op::NotContains,
];
/// Operators of a date field without lists (`required_ship_date`, `expected_arrival_date`).
pub const RANGE_OPS: &[Op] = &[Op::Eq, Op::Neq, Op::Gt, Op::Gte, Op::Lt, Op::Lte];
/// Operators of `sku` and cart `order_number`.
pub const SKU_OPS: &[Op] = &[Op::Eq, Op::In, Op::Nin, Op::Contains, Op::NotContains];
/// Operators of `order_number` and `reference_id` on WMS orders.
pub const ORDER_NUMBER_OPS: &[Op] = &[
    Op::Eq,
    Op::EqInsensitive,
    Op::In,
    Op::InInsensitive,
    Op::Nin,
    Op::Contains,
    Op::ContainsInsensitive,
    Op::NotContains,
];
/// Equality only.
pub const EQ_ONLY: &[Op] = &[Op::Eq];
/// `warehouse_id` on inbound shipments.
pub const EQ_CONTAINS_OPS: &[Op] = &[Op::Eq, Op::Contains, Op::NotContains];

/// How a filter value is parsed and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// `YYYY-MM-DDTHH:MM:SSZ`, compared as time.
    Date,
    /// `true` or `false`.
    Bool,
    /// One of a closed set of values.
    Enum(&'static [&'static str]),
}

/// Where a filterable value lives in the store: shared columns or one of the per-resource
/// slots. The store indexes every column, so every filter runs on an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// The source's `created_date`.
    CreatedDate,
    /// The source's `updated_date`.
    UpdatedDate,
    /// When Waybill first stored the record.
    TrackstarCreatedDate,
    /// When Waybill last changed its copy.
    TrackstarUpdatedDate,
    /// `warehouse_customer_id`.
    WarehouseCustomerId,
    /// `status`.
    Status,
    /// A per-resource text slot (0..TEXT_SLOTS).
    Text(u8),
    /// A per-resource date slot (0..DATE_SLOTS).
    Date(u8),
}

/// How many per-resource text slots the records table has.
pub const TEXT_SLOTS: u8 = 5;
/// How many per-resource date slots the records table has.
pub const DATE_SLOTS: u8 = 2;

/// One filterable field of a list route.
#[derive(Debug, Clone, Copy)]
pub struct FilterField {
    /// The query parameter's base name.
    pub name: &'static str,
    /// How its value parses.
    pub kind: FieldKind,
    /// The operators the reference lists for it.
    pub ops: &'static [Op],
    /// Where the store keeps it.
    pub column: Column,
    /// Dot path of the value inside the record document.
    pub path: &'static str,
}

const fn f(
    name: &'static str,
    kind: FieldKind,
    ops: &'static [Op],
    column: Column,
    path: &'static str,
) -> FilterField {
    FilterField {
        name,
        kind,
        ops,
        column,
        path,
    }
}

/// WMS order statuses.
pub const ORDER_STATUSES: &[&str] = &[
    "open",
    "confirmed",
    "processing",
    "picked",
    "packed",
    "partially_fulfilled",
    "fulfilled",
    "exception",
    "cancelled",
    "backordered",
    "other",
];
/// Cart order statuses.
pub const CART_ORDER_STATUSES: &[&str] = &[
    "open",
    "confirmed",
    "processing",
    "partially_fulfilled",
    "fulfilled",
    "exception",
    "cancelled",
    "backordered",
    "other",
];
/// Inbound shipment and return statuses.
pub const INBOUND_STATUSES: &[&str] = &[
    "open",
    "in-transit",
    "receiving",
    "received",
    "cancelled",
    "other",
];
/// Order types.
pub const ORDER_TYPES: &[&str] = &["d2c", "b2b", "dropship", "transfer"];
/// Ledger event types.
pub const LEDGER_EVENT_TYPES: &[&str] = &[
    "adjustment",
    "return_receipt",
    "inbound_receipt",
    "order_shipment",
    "supplier_return",
    "movement",
    "other",
];
/// Labor activity types.
pub const LABOR_ACTIVITY_TYPES: &[&str] = &["pick", "pack", "put_away", "transfer", "receive"];
/// Objects a labor activity can refer to.
pub const LABOR_OBJECT_TYPES: &[&str] = &["order", "inbound_shipment", "return", "inventory"];
/// Freight shipment statuses.
pub const FREIGHT_STATUSES: &[&str] = &[
    "pre_transit",
    "in_transit",
    "arrival_port",
    "en_route_to_destination",
    "final_destination",
];

const WCID: FilterField = f(
    "warehouse_customer_id",
    FieldKind::Text,
    STRING_OPS,
    Column::WarehouseCustomerId,
    "warehouse_customer_id",
);

/// Hours in seconds, for cadences.
const HOURLY: u32 = 3600;
const TWICE_DAILY: u32 = 43200;
const DAILY: u32 = 86400;

/// A stored resource and everything the rest of Waybill needs to know about it.
#[derive(Debug)]
pub struct Resource {
    /// Stable key in the store, e.g. `wms.orders`; never change one that has shipped.
    pub key: &'static str,
    /// The vertical whose prefix the routes live under.
    pub vertical: IntegrationType,
    /// Route below the prefix, e.g. `orders` or `warehouses/{warehouse_id}/locations`.
    pub route: &'static str,
    /// Name of the path parameter of the single-record route.
    pub id_param: &'static str,
    /// The function that syncs it and gates its routes.
    pub function: &'static str,
    /// Webhook event prefix (`order` → `order.created`); `None` when it has no events.
    pub event: Option<&'static str>,
    /// Plural noun of `connection.historical-sync-completed`.
    pub plural: &'static str,
    /// Default scheduled-sync cadence in seconds.
    pub frequency: u32,
    /// Whether the function is scheduled unless an organization enables it explicitly.
    pub on_by_default: bool,
    /// Whether `trackstar_tags` apply.
    pub taggable: bool,
    /// Whether each sync is a full snapshot rather than an incremental pull.
    pub snapshot: bool,
    /// Extra filters beyond the ones every list takes.
    pub filters: &'static [FilterField],
    /// Path parameter of the parent record that scopes the list (locations of a warehouse).
    pub parent: Option<FilterField>,
    /// Whether a list route exists (packs are read one order at a time).
    pub listable: bool,
}

impl Resource {
    /// The full list route, e.g. `/wms/orders`.
    pub fn list_path(&self) -> String {
        format!("/{}/{}", self.vertical.as_str(), self.route)
    }

    /// `GET /wms/orders`, as connection errors name endpoints.
    pub fn endpoint_label(&self) -> String {
        format!("GET {}", self.list_path())
    }

    /// Looks a filter up by its query name, including the ones every list takes.
    pub fn filter(&self, name: &str) -> Option<FilterField> {
        COMMON_FILTERS
            .iter()
            .chain(self.filters.iter())
            .find(|f| f.name == name)
            .copied()
    }

    /// The event type for a lifecycle verb, e.g. `order.updated`.
    pub fn event_type(&self, verb: &str) -> Option<String> {
        self.event.map(|e| format!("{e}.{verb}"))
    }

    /// Finds a resource by its store key.
    pub fn by_key(key: &str) -> Option<&'static Resource> {
        ALL_RESOURCES.iter().find(|r| r.key == key)
    }

    /// Finds the resource a function syncs within a vertical.
    pub fn by_function(vertical: IntegrationType, function: &str) -> Option<&'static Resource> {
        ALL_RESOURCES
            .iter()
            .find(|r| r.vertical == vertical && r.function == function)
    }

    /// The resources of one vertical.
    pub fn of(vertical: IntegrationType) -> impl Iterator<Item = &'static Resource> {
        ALL_RESOURCES.iter().filter(move |r| r.vertical == vertical)
    }
}

/// Filters every list takes (SPEC §6.3, §6.2).
pub const COMMON_FILTERS: &[FilterField] = &[
    f(
        "created_date",
        FieldKind::Date,
        DATE_OPS,
        Column::CreatedDate,
        "created_date",
    ),
    f(
        "updated_date",
        FieldKind::Date,
        DATE_OPS,
        Column::UpdatedDate,
        "updated_date",
    ),
    f(
        "trackstar_created_date",
        FieldKind::Date,
        DATE_OPS,
        Column::TrackstarCreatedDate,
        "trackstar_created_date",
    ),
    f(
        "trackstar_updated_date",
        FieldKind::Date,
        DATE_OPS,
        Column::TrackstarUpdatedDate,
        "trackstar_updated_date",
    ),
];

// One positional row per resource keeps the registry table readable.
#[allow(clippy::too_many_arguments)]
const fn res(
    key: &'static str,
    vertical: IntegrationType,
    route: &'static str,
    id_param: &'static str,
    function: &'static str,
    event: Option<&'static str>,
    plural: &'static str,
    frequency: u32,
    taggable: bool,
    filters: &'static [FilterField],
) -> Resource {
    Resource {
        key,
        vertical,
        route,
        id_param,
        function,
        event,
        plural,
        frequency,
        on_by_default: true,
        taggable,
        snapshot: false,
        filters,
        parent: None,
        listable: true,
    }
}

use Column::{Date as D, Status, Text as T};
use FieldKind::{Bool, Date, Enum, Text};
use IntegrationType::{Carrier, Cart, Freight, Wms};

/// Every resource Waybill stores.
pub static ALL_RESOURCES: &[Resource] = &[
    res(
        "wms.orders",
        Wms,
        "orders",
        "order_id",
        "get_orders",
        Some("order"),
        "orders",
        HOURLY,
        true,
        &[
            f("status", Enum(ORDER_STATUSES), STRING_OPS, Status, "status"),
            WCID,
            f("channel", Text, STRING_OPS, T(0), "channel"),
            f("type", Enum(ORDER_TYPES), STRING_OPS, T(1), "type"),
            f("order_number", Text, ORDER_NUMBER_OPS, T(2), "order_number"),
            f("reference_id", Text, ORDER_NUMBER_OPS, T(3), "reference_id"),
            f(
                "required_ship_date",
                Date,
                RANGE_OPS,
                D(0),
                "required_ship_date",
            ),
        ],
    ),
    Resource {
        listable: false,
        ..res(
            "wms.order_packs",
            Wms,
            "orders/{order_id}/packs",
            "order_id",
            "get_order_packs",
            None,
            "order_packs",
            HOURLY,
            false,
            &[],
        )
    },
    res(
        "wms.order_channels",
        Wms,
        "orders/channels",
        "channel_id",
        "get_order_channels",
        None,
        "order_channels",
        TWICE_DAILY,
        false,
        &[WCID],
    ),
    res(
        "wms.products",
        Wms,
        "products",
        "product_id",
        "get_products",
        Some("product"),
        "products",
        HOURLY,
        true,
        &[WCID, f("sku", Text, SKU_OPS, T(0), "sku")],
    ),
    Resource {
        snapshot: true,
        ..res(
            "wms.inventory",
            Wms,
            "inventory",
            "inventory_id",
            "get_inventory",
            Some("inventory"),
            "inventory",
            HOURLY,
            true,
            &[
                WCID,
                f("active", Bool, EQ_ONLY, T(1), "active"),
                f("sku", Text, SKU_OPS, T(0), "sku"),
            ],
        )
    },
    Resource {
        on_by_default: false,
        ..res(
            "wms.inventory_ledger",
            Wms,
            "inventory/ledger",
            "ledger_id",
            "get_inventory_ledger",
            Some("inventory_ledger"),
            "inventory_ledger",
            HOURLY,
            false,
            &[
                WCID,
                f(
                    "event_type",
                    Enum(LEDGER_EVENT_TYPES),
                    STRING_OPS,
                    T(0),
                    "event_type",
                ),
            ],
        )
    },
    res(
        "wms.inbound_shipments",
        Wms,
        "inbound-shipments",
        "inbound_shipment_id",
        "get_inbound_shipments",
        Some("inbound-shipment"),
        "inbound_shipments",
        HOURLY,
        true,
        &[
            f(
                "status",
                Enum(INBOUND_STATUSES),
                STRING_OPS,
                Status,
                "status",
            ),
            WCID,
            f("warehouse_id", Text, EQ_CONTAINS_OPS, T(0), "warehouse_id"),
            f(
                "expected_arrival_date",
                Date,
                RANGE_OPS,
                D(0),
                "expected_arrival_date",
            ),
            f(
                "purchase_order_number",
                Text,
                STRING_OPS,
                T(1),
                "purchase_order_number",
            ),
        ],
    ),
    res(
        "wms.inbound_shipment_suppliers",
        Wms,
        "inbound-shipments/suppliers",
        "supplier_id",
        "get_inbound_shipment_suppliers",
        None,
        "suppliers",
        TWICE_DAILY,
        false,
        &[WCID],
    ),
    res(
        "wms.returns",
        Wms,
        "returns",
        "return_id",
        "get_returns",
        Some("return"),
        "returns",
        HOURLY,
        true,
        &[
            f(
                "status",
                Enum(INBOUND_STATUSES),
                STRING_OPS,
                Status,
                "status",
            ),
            WCID,
        ],
    ),
    res(
        "wms.shipping_methods",
        Wms,
        "shipping-methods",
        "shipping_method_id",
        "get_shipping_methods",
        Some("shipping-method"),
        "shipping_methods",
        TWICE_DAILY,
        false,
        &[],
    ),
    Resource {
        on_by_default: false,
        ..res(
            "wms.bills",
            Wms,
            "billing",
            "bill_id",
            "get_bills",
            Some("bill"),
            "bills",
            HOURLY,
            false,
            &[WCID],
        )
    },
    res(
        "wms.warehouses",
        Wms,
        "warehouses",
        "warehouse_id",
        "get_warehouses",
        Some("warehouse"),
        "warehouses",
        TWICE_DAILY,
        true,
        &[],
    ),
    Resource {
        parent: Some(f("warehouse_id", Text, EQ_ONLY, T(1), "warehouse_id")),
        ..res(
            "wms.warehouse_locations",
            Wms,
            "warehouses/{warehouse_id}/locations",
            "location_id",
            "get_warehouse_locations",
            Some("warehouse-location"),
            "warehouse_locations",
            TWICE_DAILY,
            false,
            &[f("type", Text, STRING_OPS, T(0), "type")],
        )
    },
    res(
        "wms.warehouse_customers",
        Wms,
        "warehouse-customers",
        "warehouse_customer_id",
        "get_warehouse_customers",
        Some("warehouse-customer"),
        "warehouse_customers",
        TWICE_DAILY,
        false,
        &[],
    ),
    res(
        "wms.labor_activities",
        Wms,
        "labor-activities",
        "labor_activity_id",
        "get_labor_activities",
        Some("labor_activity"),
        "labor_activities",
        HOURLY,
        false,
        &[
            WCID,
            f("user_id", Text, EQ_ONLY, T(0), "user_id"),
            f("warehouse_id", Text, EQ_ONLY, T(1), "warehouse_id"),
            f(
                "activity_type",
                Enum(LABOR_ACTIVITY_TYPES),
                EQ_ONLY,
                T(2),
                "activity_type",
            ),
            f(
                "associated_object_type",
                Enum(LABOR_OBJECT_TYPES),
                EQ_ONLY,
                T(3),
                "associated_object_type",
            ),
            f(
                "associated_object_id",
                Text,
                EQ_ONLY,
                T(4),
                "associated_object_id",
            ),
            f(
                "activity_start_time",
                Date,
                DATE_OPS,
                D(0),
                "activity_start_time",
            ),
            f(
                "activity_end_time",
                Date,
                DATE_OPS,
                D(1),
                "activity_end_time",
            ),
        ],
    ),
    res(
        "cart.orders",
        Cart,
        "orders",
        "order_id",
        "get_orders",
        Some("cart-order"),
        "orders",
        HOURLY,
        true,
        &[
            f(
                "status",
                Enum(CART_ORDER_STATUSES),
                STRING_OPS,
                Status,
                "status",
            ),
            WCID,
            f("order_number", Text, SKU_OPS, T(0), "order_number"),
        ],
    ),
    res(
        "cart.products",
        Cart,
        "products",
        "product_id",
        "get_products",
        Some("cart-product"),
        "products",
        HOURLY,
        true,
        &[],
    ),
    res(
        "cart.warehouses",
        Cart,
        "warehouses",
        "warehouse_id",
        "get_warehouses",
        Some("cart-warehouse"),
        "warehouses",
        TWICE_DAILY,
        true,
        &[],
    ),
    res(
        "carrier.invoice_line_items",
        Carrier,
        "invoice-line-items",
        "invoice_line_item_id",
        "get_invoice_line_items",
        Some("carrier-invoice-line-item"),
        "invoice_line_items",
        DAILY,
        true,
        &[f(
            "transaction_date",
            Date,
            DATE_OPS,
            D(0),
            "transaction_date",
        )],
    ),
    res(
        "carrier.files",
        Carrier,
        "files",
        "file_id",
        "get_files",
        Some("carrier-file"),
        "files",
        DAILY,
        false,
        &[
            f("file_type", Text, STRING_OPS, T(0), "file_type"),
            f("file_name", Text, STRING_OPS, T(1), "file_name"),
            f("generated_time", Date, DATE_OPS, D(0), "generated_time"),
        ],
    ),
    res(
        "freight.shipments",
        Freight,
        "shipments",
        "shipment_id",
        "get_shipments",
        Some("freight-shipment"),
        "shipments",
        HOURLY,
        false,
        &[],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_functions_are_unique_per_vertical() {
        for (i, a) in ALL_RESOURCES.iter().enumerate() {
            for b in &ALL_RESOURCES[i + 1..] {
                assert_ne!(a.key, b.key);
                assert!(
                    a.vertical != b.vertical || a.function != b.function,
                    "{}",
                    a.key
                );
            }
        }
    }

    #[test]
    fn slots_are_in_range_and_unique_per_resource() {
        for r in ALL_RESOURCES {
            let mut seen = Vec::new();
            for f in r.filters.iter().chain(r.parent.iter()) {
                match f.column {
                    Column::Text(i) => assert!(i < TEXT_SLOTS),
                    Column::Date(i) => assert!(i < DATE_SLOTS),
                    _ => {}
                }
                if !matches!(f.column, Column::WarehouseCustomerId | Column::Status) {
                    assert!(!seen.contains(&f.column), "{} reuses {:?}", r.key, f.column);
                    seen.push(f.column);
                }
            }
        }
    }
}
