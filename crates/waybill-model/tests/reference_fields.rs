//! Checks that every typed record carries exactly the properties of its reference schema.
//!
//! The reference OpenAPI document is read at run time from `$WAYBILL_REFERENCE_DIR`
//! (default: `../../../shared/reference` next to this crate). When it is absent the test says
//! why and passes, so the crate builds and tests anywhere.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;
use waybill_model::records::*;

/// Keys Waybill's store adds to every document; the records leave them out on purpose.
fn ignored(key: &str) -> bool {
    key == "trackstar_tags" || key.starts_with("trackstar_")
}

fn load_reference() -> Option<Value> {
    let dir = std::env::var("WAYBILL_REFERENCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference")
        });
    let path = dir.join("trackstar-openapi.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("reference is valid JSON")),
        Err(e) => {
            eprintln!("skipping: cannot read {}: {e}", path.display());
            None
        }
    }
}

struct Schemas<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Schemas<'a> {
    fn named(&self, name: &str) -> &'a Value {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no schema {name}"))
    }

    /// Follows `$ref`s, and picks the object member of an `anyOf`/`oneOf` that has properties.
    fn resolve(&self, mut s: &'a Value) -> &'a Value {
        loop {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                s = self.named(r.rsplit('/').next().unwrap_or(r));
                continue;
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(members) = s.get(key).and_then(Value::as_array) {
                    if let Some(m) = members
                        .iter()
                        .map(|m| self.resolve(m))
                        .find(|m| m.get("properties").is_some())
                    {
                        return m;
                    }
                }
            }
            return s;
        }
    }

    /// The record schema of a list or single-item endpoint's `data`.
    fn item(&self, endpoint: &str) -> &'a Value {
        let data = &self.resolve(self.named(endpoint))["properties"]["data"];
        let data = self.resolve(data);
        if data.get("type").and_then(Value::as_str) == Some("array") {
            self.resolve(&data["items"])
        } else {
            data
        }
    }

    /// Compares `value` against `schema`, descending into nested objects, array elements and
    /// map values that are present; pushes one message per mismatch.
    fn check(&self, schema: &'a Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let Some(obj) = value.as_object() else {
                if !value.is_null() {
                    errors.push(format!("{path}: expected an object"));
                }
                return;
            };
            let want: BTreeSet<&str> = props
                .keys()
                .map(String::as_str)
                .filter(|k| !ignored(k))
                .collect();
            let have: BTreeSet<&str> = obj.keys().map(String::as_str).collect();
            for k in want.difference(&have) {
                errors.push(format!("{path}: missing {k}"));
            }
            for k in have.difference(&want) {
                errors.push(format!("{path}: extra {k}"));
            }
            for (k, v) in obj {
                if let Some(sub) = props.get(k) {
                    self.check(sub, v, &format!("{path}.{k}"), errors);
                }
            }
        } else if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                self.check(items, v, &format!("{path}[{i}]"), errors);
            }
        } else if let (Some(ap), Some(obj)) =
            (schema.get("additionalProperties"), value.as_object())
        {
            if ap.is_object() {
                for (k, v) in obj {
                    self.check(ap, v, &format!("{path}.{k}"), errors);
                }
            }
        }
    }
}

fn doc<T: Default + serde::Serialize>() -> Value {
    serde_json::to_value(T::default()).expect("records serialize")
}

#[test]
fn records_have_exactly_the_reference_fields() {
    let Some(reference) = load_reference() else {
        return;
    };
    let schemas = Schemas(
        reference["components"]["schemas"]
            .as_object()
            .expect("components.schemas"),
    );

    // Top-level records, by the endpoint whose `data` they are.
    let records: Vec<(&str, Value)> = vec![
        ("WmsOrdersListEndpoint", doc::<Order>()),
        ("WmsOrderPacksSingleItemEndpoint", doc::<OrderPack>()),
        ("WmsOrderChannelsListEndpoint", doc::<OrderChannel>()),
        ("WmsProductsListEndpoint", doc::<Product>()),
        ("WmsInventoryListEndpoint", doc::<InventoryItem>()),
        (
            "WmsInventoryLedgerListEndpoint",
            doc::<InventoryLedgerEntry>(),
        ),
        ("WmsInboundShipmentsListEndpoint", doc::<InboundShipment>()),
        ("WmsInboundShipmentSuppliersListEndpoint", doc::<Supplier>()),
        ("WmsReturnsListEndpoint", doc::<Return>()),
        ("WmsShippingMethodsListEndpoint", doc::<ShippingMethod>()),
        ("WmsBillsListEndpoint", doc::<Bill>()),
        ("WmsWarehousesListEndpoint", doc::<Warehouse>()),
        (
            "WmsWarehouseLocationsListEndpoint",
            doc::<WarehouseLocation>(),
        ),
        (
            "WmsWarehouseCustomersListEndpoint",
            doc::<WarehouseCustomer>(),
        ),
        ("WmsLaborActivitiesListEndpoint", doc::<LaborActivity>()),
        ("CartOrdersListEndpoint", doc::<CartOrder>()),
        ("CartProductsListEndpoint", doc::<CartProduct>()),
        ("CartWarehousesListEndpoint", doc::<CartWarehouse>()),
        ("FreightShipmentsListEndpoint", doc::<FreightShipment>()),
    ];
    // Nested objects that a default record leaves as empty lists or `null`, by component name.
    let nested: Vec<(&str, Value)> = vec![
        ("ShipToAddress", doc::<ShipToAddress>()),
        ("ShipFromAddress", doc::<ShipFromAddress>()),
        ("BillToAddress", doc::<BillToAddress>()),
        ("PackageMeasurements", doc::<Measurements>()),
        ("InventoryItemMeasurements", doc::<Measurements>()),
        ("LocationMeasurements", doc::<Measurements>()),
        ("ShipmentMeasurements", doc::<Measurements>()),
        ("OrderChannel", doc::<ChannelObject>()),
        ("WmsOrderLineItem", doc::<OrderLineItem>()),
        ("OrderShipment", doc::<OrderShipment>()),
        ("ShipmentLineItem", doc::<ShipmentLineItem>()),
        ("Package", doc::<Package>()),
        ("PackageLineItem", doc::<PackageLineItem>()),
        ("Pack", doc::<Pack>()),
        ("PackLineItem", doc::<PackLineItem>()),
        ("WmsOrderPackLineItem", doc::<OrderPackLineItem>()),
        ("ProductInventoryItems", doc::<ProductInventoryItem>()),
        ("ProductSupplier", doc::<SupplierObject>()),
        ("InboundShipmentSupplier", doc::<SupplierObject>()),
        ("ProductSupplierProducts", doc::<SupplierProduct>()),
        ("InventoryInWarehouse", doc::<InventoryInWarehouse>()),
        ("Lot", doc::<Lot>()),
        ("Location", doc::<InventoryLocation>()),
        (
            "WmsInboundShipmentLineItem",
            doc::<InboundShipmentLineItem>(),
        ),
        ("InboundReceipt", doc::<InboundReceipt>()),
        ("InboundReceiptLineItem", doc::<InboundReceiptLineItem>()),
        ("WmsReturnLineItem", doc::<ReturnLineItem>()),
        ("ReturnShipment", doc::<ReturnShipment>()),
        ("ReturnShipmentLineItem", doc::<ReturnShipmentLineItem>()),
        ("ReceivingDetails", doc::<ReceivingDetail>()),
        ("CartOrderLineItem", doc::<CartOrderLineItem>()),
        ("CartOrderShippingGroup", doc::<CartShippingGroup>()),
        (
            "CartOrderShipmentGroupLineItem",
            doc::<CartShippingGroupLineItem>(),
        ),
        ("CartOrderShipment", doc::<CartShipment>()),
        ("CartOrderShipmentLineItem", doc::<CartShipmentLineItem>()),
    ];

    let mut errors = Vec::new();
    for (endpoint, value) in &records {
        schemas.check(schemas.item(endpoint), value, endpoint, &mut errors);
    }
    for (name, value) in &nested {
        schemas.check(schemas.named(name), value, name, &mut errors);
    }
    assert!(
        errors.is_empty(),
        "field mismatches:\n{}",
        errors.join("\n")
    );
}
