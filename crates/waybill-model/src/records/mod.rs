//! Typed canonical records, one module per vertical.
//!
//! Each struct carries every field of its wire schema in wire order, so
//! `serde_json::to_value(record)` is the canonical document the store keeps. Nullable fields
//! serialize as `null` and are never skipped. `trackstar_tags`, `trackstar_created_date` and
//! `trackstar_updated_date` are Waybill's own and are added by the store, not here.

pub mod carrier;
pub mod cart;
pub mod common;
pub mod freight;
pub mod wms;

pub use carrier::*;
pub use cart::*;
pub use common::*;
pub use freight::*;
pub use wms::*;

use crate::IntegrationType;

/// The document of a default record of the type `function` syncs in `vertical`: every field
/// present with an empty or null value. Lets callers learn a record's exact field set;
/// `None` for an unknown pair.
pub fn empty_document(vertical: IntegrationType, function: &str) -> Option<serde_json::Value> {
    fn doc<T: Default + serde::Serialize>() -> Option<serde_json::Value> {
        serde_json::to_value(T::default()).ok()
    }
    match (vertical, function) {
        (IntegrationType::Wms, "get_orders") => doc::<Order>(),
        (IntegrationType::Wms, "get_order_packs") => doc::<OrderPack>(),
        (IntegrationType::Wms, "get_order_channels") => doc::<OrderChannel>(),
        (IntegrationType::Wms, "get_products") => doc::<Product>(),
        (IntegrationType::Wms, "get_inventory") => doc::<InventoryItem>(),
        (IntegrationType::Wms, "get_inventory_ledger") => doc::<InventoryLedgerEntry>(),
        (IntegrationType::Wms, "get_inbound_shipments") => doc::<InboundShipment>(),
        (IntegrationType::Wms, "get_inbound_shipment_suppliers") => doc::<Supplier>(),
        (IntegrationType::Wms, "get_returns") => doc::<Return>(),
        (IntegrationType::Wms, "get_shipping_methods") => doc::<ShippingMethod>(),
        (IntegrationType::Wms, "get_bills") => doc::<Bill>(),
        (IntegrationType::Wms, "get_warehouses") => doc::<Warehouse>(),
        (IntegrationType::Wms, "get_warehouse_locations") => doc::<WarehouseLocation>(),
        (IntegrationType::Wms, "get_warehouse_customers") => doc::<WarehouseCustomer>(),
        (IntegrationType::Wms, "get_labor_activities") => doc::<LaborActivity>(),
        (IntegrationType::Cart, "get_orders") => doc::<CartOrder>(),
        (IntegrationType::Cart, "get_products") => doc::<CartProduct>(),
        (IntegrationType::Cart, "get_warehouses") => doc::<CartWarehouse>(),
        (IntegrationType::Carrier, "get_invoice_line_items") => doc::<InvoiceLineItem>(),
        (IntegrationType::Carrier, "get_files") => doc::<CarrierFile>(),
        (IntegrationType::Freight, "get_shipments") => doc::<FreightShipment>(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ALL_RESOURCES;

    #[test]
    fn every_registered_resource_has_a_record_type() {
        for r in ALL_RESOURCES {
            assert!(
                empty_document(r.vertical, r.function).is_some(),
                "{}",
                r.key
            );
        }
        assert!(empty_document(IntegrationType::Cart, "get_bills").is_none());
    }

    #[test]
    fn nullable_fields_serialize_as_null_and_store_fields_are_absent() {
        let v = empty_document(IntegrationType::Wms, "get_orders").unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(o["channel_object"], serde_json::Value::Null);
        assert_eq!(o["type"], serde_json::Value::Null);
        assert!(o["ship_to_address"]["full_name"].is_null());
        assert!(!o.contains_key("trackstar_tags"));
        assert!(!o.contains_key("trackstar_updated_date"));
        let keys: Vec<&str> = o.keys().map(String::as_str).collect();
        assert_eq!(&keys[..3], &["id", "warehouse_customer_id", "warehouse_id"]);
    }

    #[test]
    fn partial_documents_deserialize_with_defaults() {
        let o: Order = serde_json::from_value(serde_json::json!({
            "id": "1", "status": "open", "type": "b2b", "extra": 1
        }))
        .unwrap();
        assert_eq!(o.order_type.as_deref(), Some("b2b"));
        assert!(o.line_items.is_empty());
        let back = serde_json::to_value(&o).unwrap();
        assert_eq!(back["type"], "b2b");
    }

    #[test]
    fn carrier_records_have_the_documented_fields() {
        let keys = |f| {
            empty_document(IntegrationType::Carrier, f)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys("get_invoice_line_items"),
            [
                "id",
                "created_date",
                "updated_date",
                "tracking_number",
                "invoice_id",
                "account_id",
                "transaction_date",
                "charge_description",
                "gross_cost",
                "net_cost",
                "raw",
                "additional_fields",
            ]
        );
        assert_eq!(
            keys("get_files"),
            [
                "id",
                "created_date",
                "updated_date",
                "file_name",
                "file_type",
                "generated_time",
                "download_url",
                "download_url_expires_at",
                "additional_fields",
            ]
        );
    }
}
