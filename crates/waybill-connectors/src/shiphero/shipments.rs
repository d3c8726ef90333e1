//! ShipHero shipments (`shipment_create`'s answer) → canonical order shipments. A ShipHero
//! shipment has no status text: one that exists has left the warehouse (`shipped`), one
//! refunded is `cancelled`; each shipping label is a package with its tracking number.

use super::nodes;
use crate::values::{at, date, int, num, text};
use serde_json::Value;
use waybill_model::records::{
    Measurements, OrderShipment, Package, ShipFromAddress, ShipToAddress, ShipmentLineItem,
};

/// One shipment as a canonical order shipment; `None` without an id.
pub fn map(s: &Value) -> Option<OrderShipment> {
    let shipment_id = text(s, "id")?;
    let lines = at(s, "line_items").map(nodes).unwrap_or_default();
    let refunded = crate::values::flag(s, "refunded").unwrap_or(false);
    let addr = at(s, "address");
    let a = |k: &str| addr.and_then(|x| text(x, k));
    Some(OrderShipment {
        shipment_id,
        warehouse_id: text(s, "warehouse_id").unwrap_or_default(),
        raw_status: None,
        status: if refunded { "cancelled" } else { "shipped" }.into(),
        shipped_date: date(s, "created_date"),
        shipping_method: None,
        line_items: lines
            .iter()
            .map(|l| ShipmentLineItem {
                inventory_item_id: text(l, "line_item/product_id").unwrap_or_default(),
                sku: text(l, "line_item/sku"),
                quantity: int(l, "quantity").unwrap_or(0),
                parent_product_id: None,
            })
            .collect(),
        ship_to_address: ShipToAddress {
            full_name: a("name"),
            address1: a("address1"),
            address2: a("address2"),
            city: a("city"),
            state: a("state"),
            postal_code: a("zip"),
            country: a("country"),
            phone_number: a("phone"),
            ..Default::default()
        },
        ship_from_address: ShipFromAddress::default(),
        packages: crate::values::list(s, "shipping_labels")
            .iter()
            .filter_map(|lb| {
                Some(Package {
                    package_id: text(lb, "id")?,
                    tracking_number: text(lb, "tracking_number"),
                    shipping_method: text(lb, "shipping_method"),
                    shipping_method_name: text(lb, "shipping_method"),
                    carrier: text(lb, "carrier"),
                    carrier_name: text(lb, "carrier"),
                    shipping_cost: num(lb, "cost"),
                    measurements: Measurements::default(),
                    ..Default::default()
                })
            })
            .collect(),
    })
}
