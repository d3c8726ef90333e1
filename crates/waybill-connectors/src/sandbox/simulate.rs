//! Simulations (SPEC §8.4): changes a user can make happen inside the simulated system, the
//! way a warehouse or a shopper would. Each change is stored in the sandbox's state; the
//! next sync picks it up and the usual webhooks fire.

use super::data::{self, SandboxSpec};
use super::state::Override;
use super::SandboxConnector;
use serde_json::{json, Value};
use waybill_connect::Credentials;
use waybill_model::{time, IntegrationType};

/// Why a simulation was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SimError {
    /// No such record in this sandbox.
    NotFound(String),
    /// The record cannot make this transition.
    Invalid(String),
    /// The sandbox's state failed.
    State(String),
}

impl SandboxConnector {
    pub(super) async fn current(
        &self,
        spec: &SandboxSpec,
        function: &str,
        id: &str,
    ) -> Result<Value, SimError> {
        let v = self.descriptor.integration_type;
        if let Some(o) = self
            .state
            .get(&spec.seed.to_string(), &self.key(function), id)
            .await
            .map_err(SimError::State)?
        {
            return Ok(o.doc);
        }
        data::index_of(spec, v, function, id)
            .map(|i| data::record(spec, v, function, i))
            .ok_or_else(|| SimError::NotFound(id.to_string()))
    }

    pub(super) async fn save(
        &self,
        spec: &SandboxSpec,
        function: &str,
        doc: &Value,
    ) -> Result<(), SimError> {
        let id = doc["id"].as_str().unwrap_or_default().to_string();
        let updated_at = doc["updated_date"]
            .as_str()
            .and_then(time::parse_lenient)
            .map(|t| t.timestamp())
            .unwrap_or_else(|| time::now().timestamp());
        self.state
            .put(
                &spec.seed.to_string(),
                &self.key(function),
                &Override {
                    id,
                    updated_at,
                    doc: doc.clone(),
                },
            )
            .await
            .map_err(SimError::State)
    }

    pub(super) fn spec_of(creds: &Credentials) -> Result<SandboxSpec, SimError> {
        Self::spec(creds).map_err(|e| SimError::State(e.to_string()))
    }

    /// Ships an order: `fulfilled`, or `partially_fulfilled` with `partial`, with a shipment
    /// and a tracked package.
    pub async fn fulfill_order(
        &self,
        creds: &Credentials,
        order_id: &str,
        partial: bool,
    ) -> Result<Value, SimError> {
        let spec = Self::spec_of(creds)?;
        let mut order = self.current(&spec, "get_orders", order_id).await?;
        let status = order["status"].as_str().unwrap_or_default().to_string();
        if ["fulfilled", "cancelled"].contains(&status.as_str()) {
            return Err(SimError::Invalid(format!(
                "Order {order_id} is {status} and cannot be fulfilled."
            )));
        }
        let now = time::now_str();
        let items: Vec<Value> = order["line_items"].as_array().cloned().unwrap_or_default();
        let take = if partial {
            items.len().div_ceil(2).max(1)
        } else {
            items.len()
        };
        let shipped: Vec<Value> = items
            .iter()
            .take(take)
            .map(|li| json!({"inventory_item_id": li["product_id"], "sku": li["sku"], "quantity": li["quantity"], "parent_product_id": null}))
            .collect();
        let n = order["shipments"].as_array().map_or(0, Vec::len) + 1;
        let tracking = format!("1Z{:016}", rand::random::<u64>() % 10_000_000_000_000_000);
        let warehouse = order["warehouse_id"].clone();
        let package = json!({
            "package_id": format!("pkg_{order_id}-{n}"),
            "package_name": "12x9x4",
            "tracking_number": tracking,
            "tracking_url": format!("https://www.ups.com/track?tracknum={tracking}"),
            "shipping_method": order["shipping_method"],
            "carrier": order["carrier_name"],
            "shipping_method_id": order["shipping_method_id"],
            "shipping_method_name": order["shipping_method_name"],
            "carrier_id": order["carrier_id"],
            "carrier_name": order["carrier_name"],
            "scac": order["scac"],
            "shipping_cost": 7.95,
            "measurements": {"length": 12.0, "width": 9.0, "height": 4.0, "unit": "in", "weight": 2.0, "weight_unit": "lb"},
            "line_items": shipped.iter().map(|l| json!({"inventory_item_id": l["inventory_item_id"], "sku": l["sku"], "quantity": l["quantity"], "lot_id": null, "expiration_date": null, "parent_product_id": null})).collect::<Vec<_>>(),
        });
        let shipment = json!({
            "shipment_id": format!("shp_{order_id}-{n}"),
            "warehouse_id": if warehouse.is_null() { json!("wh_001") } else { warehouse },
            "raw_status": "shipped",
            "status": "shipped",
            "shipped_date": now,
            "shipping_method": order["shipping_method"],
            "line_items": shipped,
            "ship_to_address": order["ship_to_address"],
            "ship_from_address": {"address1": null, "address2": null, "address3": null, "city": null, "state": null, "postal_code": null, "country": null},
            "packages": [package],
        });
        if let Some(a) = order["shipments"].as_array_mut() {
            a.push(shipment);
        } else {
            order["shipments"] = json!([shipment]);
        }
        let new_status = if partial {
            "partially_fulfilled"
        } else {
            "fulfilled"
        };
        order["status"] = json!(new_status);
        order["raw_status"] = json!(new_status.to_uppercase());
        if let Some(items) = order["line_items"].as_array_mut() {
            for li in items.iter_mut().take(take) {
                li["is_picked"] = json!(true);
            }
        }
        order["updated_date"] = json!(now);
        self.save(&spec, "get_orders", &order).await?;
        Ok(order)
    }

    /// Receives a return in full.
    pub async fn receive_return(
        &self,
        creds: &Credentials,
        return_id: &str,
    ) -> Result<Value, SimError> {
        let spec = Self::spec_of(creds)?;
        let mut ret = self.current(&spec, "get_returns", return_id).await?;
        let status = ret["status"].as_str().unwrap_or_default().to_string();
        if ["received", "cancelled"].contains(&status.as_str()) {
            return Err(SimError::Invalid(format!(
                "Return {return_id} is {status} and cannot be received."
            )));
        }
        if let Some(items) = ret["line_items"].as_array_mut() {
            for li in items {
                li["received_quantity"] = li["expected_quantity"].clone();
            }
        }
        ret["status"] = json!("received");
        ret["raw_status"] = json!("RECEIVED");
        ret["updated_date"] = json!(time::now_str());
        self.save(&spec, "get_returns", &ret).await?;
        Ok(ret)
    }

    /// Creates a new record modelled on a generated one: a shopper's order or a new product.
    pub async fn create_like(
        &self,
        creds: &Credentials,
        function: &str,
        prefix: &str,
    ) -> Result<Value, SimError> {
        let spec = Self::spec_of(creds)?;
        let v = self.descriptor.integration_type;
        let n = data::count(&spec, v, function);
        if n == 0 || v != IntegrationType::Cart {
            return Err(SimError::Invalid(format!(
                "This sandbox cannot create {function} records."
            )));
        }
        let mut doc = data::record(&spec, v, function, rand::random::<u64>() % n);
        let id = format!(
            "{prefix}_sim_{:012}",
            rand::random::<u64>() % 1_000_000_000_000
        );
        let now = time::now_str();
        doc["id"] = json!(id);
        doc["created_date"] = json!(now);
        doc["updated_date"] = json!(now);
        if function == "get_orders" {
            doc["order_number"] = json!(format!("#SIM-{}", &id[id.len() - 6..]));
            doc["status"] = json!("open");
            doc["raw_status"] = json!("unfulfilled");
            doc["shipments"] = json!([]);
        } else if doc.get("parent_product_id").is_some() {
            doc["parent_product_id"] = json!(id);
        }
        self.save(&spec, function, &doc).await?;
        Ok(doc)
    }

    /// Changes every `step`-th generated record of `function` (indexes 0, `step`, 2·`step`…)
    /// the way a vendor's edit would: a new `updated_date` (now) and, on records with tags,
    /// one more tag. All changes are stored in one go. It exists for the benchmark of a resync
    /// where a share of the records changed (`waybill bench change-sandbox`); returns how many
    /// records changed.
    pub async fn change_every(
        &self,
        creds: &Credentials,
        function: &str,
        step: u64,
    ) -> Result<u64, SimError> {
        let spec = Self::spec_of(creds)?;
        let v = self.descriptor.integration_type;
        let now = time::now();
        let overrides: Vec<Override> = (0..data::count(&spec, v, function))
            .step_by(step.max(1) as usize)
            .map(|i| {
                let mut doc = data::record(&spec, v, function, i);
                doc["updated_date"] = json!(time::fmt(now));
                if let Some(tags) = doc.get_mut("tags").and_then(Value::as_array_mut) {
                    tags.push(json!("changed"));
                }
                Override {
                    id: data::record_id(&spec, v, function, i).unwrap_or_default(),
                    updated_at: now.timestamp(),
                    doc,
                }
            })
            .collect();
        self.state
            .put_many(&spec.seed.to_string(), &self.key(function), &overrides)
            .await
            .map_err(SimError::State)?;
        Ok(overrides.len() as u64)
    }
}
