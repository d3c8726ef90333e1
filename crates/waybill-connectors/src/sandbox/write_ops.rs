//! The sandboxes' writes (SPEC §12): each one checks what a real WMS or cart would check —
//! unknown SKUs and products, missing warehouses, duplicate order numbers, transitions a
//! record cannot make — changes the simulated system, and returns the canonical record.
//! Every write that reaches the simulated system is counted (`writes.<vertical>.<function>`),
//! so tests can prove a write ran exactly once.

use super::data::{self, SandboxSpec};
use super::simulate::SimError;
use super::writes as w;
use super::SandboxConnector;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use waybill_connect::{ConnectorError, Credentials, WriteOutcome, WriteRequest};
use waybill_model::{time, IntegrationType};

/// A refusal of the simulated vendor, with the status a real one would send.
fn refuse(status: u16, message: impl Into<String>) -> ConnectorError {
    ConnectorError::Permanent {
        message: message.into(),
        status: Some(status),
    }
}

fn sim(e: SimError) -> ConnectorError {
    match e {
        SimError::NotFound(id) => refuse(404, format!("Record {id} does not exist.")),
        SimError::Invalid(m) => refuse(422, m),
        SimError::State(m) => ConnectorError::Transient(m),
    }
}

fn body<T: DeserializeOwned>(req: &WriteRequest) -> Result<T, ConnectorError> {
    serde_json::from_value(req.body.clone()).map_err(|e| refuse(422, format!("Invalid body: {e}")))
}

fn new_id(prefix: &str) -> String {
    format!("{prefix}_w{:010}", rand::random::<u64>() % 10_000_000_000)
}

fn target(req: &WriteRequest) -> Result<&str, ConnectorError> {
    req.id
        .as_deref()
        .ok_or_else(|| refuse(400, "This write needs a target id."))
}

/// Sets every member of `from` on `to`, replacing what the template had.
fn set_all(to: &mut Value, from: &Value) {
    if let (Value::Object(t), Value::Object(f)) = (to, from) {
        for (k, v) in f {
            t.insert(k.clone(), v.clone());
        }
    }
}

/// Appends `v` to the array at `slot`, creating it when missing.
fn append(slot: &mut Value, v: Value) {
    match slot.as_array_mut() {
        Some(a) => a.push(v),
        None => *slot = Value::Array(vec![v]),
    }
}

/// The inventory item a product stocks: its first component, or itself.
fn inventory_id_of(p: &Value) -> Value {
    p["inventory_items"]
        .get(0)
        .and_then(|x| x.get("inventory_item_id"))
        .cloned()
        .unwrap_or_else(|| p["id"].clone())
}

/// Refuses a transition from one of the `blocked` statuses, as the vendor would.
fn refuse_when(
    status: &str,
    blocked: &[&str],
    what: &str,
    id: &str,
    verb: &str,
) -> Result<(), ConnectorError> {
    if blocked.contains(&status) {
        return Err(refuse(422, format!("{what} {id} is {status} and {verb}.")));
    }
    Ok(())
}

/// Sets a record's status and the vendor's own spelling of it.
fn set_status(doc: &mut Value, status: &str) {
    doc["status"] = json!(status);
    doc["raw_status"] = json!(status.to_uppercase());
}

/// A record's status.
fn status_of(doc: &Value) -> String {
    doc["status"].as_str().unwrap_or_default().to_string()
}

/// Copies present members of `from` onto `to`, recursing into objects.
fn merge_into(to: &mut Value, from: &Value) {
    if let (Value::Object(t), Value::Object(f)) = (to, from) {
        for (k, v) in f {
            match (t.get_mut(k), v) {
                (Some(tv @ Value::Object(_)), Value::Object(_)) => merge_into(tv, v),
                _ => {
                    t.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

impl SandboxConnector {
    fn vertical(&self) -> IntegrationType {
        self.descriptor.integration_type
    }

    /// A generated record to use as the template of a new one, so created records carry every
    /// canonical member.
    fn template(&self, spec: &SandboxSpec, function: &str) -> Value {
        data::record(spec, self.vertical(), function, 0)
    }

    /// Every record of a function the simulated system holds beyond its generated ones.
    async fn created(
        &self,
        spec: &SandboxSpec,
        function: &str,
    ) -> Result<Vec<Value>, ConnectorError> {
        Ok(self
            .state
            .overrides(&spec.seed.to_string(), &self.key(function))
            .await
            .map_err(ConnectorError::Transient)?
            .into_iter()
            .map(|o| o.doc)
            .collect())
    }

    /// The product with this SKU, generated or created.
    async fn product_by_sku(
        &self,
        spec: &SandboxSpec,
        sku: &str,
    ) -> Result<Option<Value>, ConnectorError> {
        if let Some(doc) = self
            .created(spec, "get_products")
            .await?
            .into_iter()
            .find(|d| d["sku"] == sku)
        {
            return Ok(Some(doc));
        }
        let n = sku
            .rsplit('-')
            .next()
            .and_then(|d| d.parse::<u64>().ok())
            .and_then(|n| n.checked_sub(1));
        Ok(n.filter(|p| *p < data::catalog::product_count(spec))
            .filter(|p| data::catalog::core(spec, *p).sku == sku)
            .map(|p| data::record(spec, IntegrationType::Wms, "get_products", p)))
    }

    async fn require_sku(
        &self,
        spec: &SandboxSpec,
        sku: &str,
        at: &str,
    ) -> Result<Value, ConnectorError> {
        self.product_by_sku(spec, sku)
            .await?
            .ok_or_else(|| refuse(422, format!("{at}: unknown SKU {sku:?}.")))
    }

    fn require_warehouse(spec: &SandboxSpec, id: &str) -> Result<(), ConnectorError> {
        let known =
            (0..data::wms_ref::WAREHOUSES.len()).any(|w| data::wms_ref::warehouse_id(w) == id);
        let _ = spec;
        if known {
            Ok(())
        } else {
            Err(refuse(422, format!("Warehouse {id:?} does not exist.")))
        }
    }

    async fn load(
        &self,
        spec: &SandboxSpec,
        function: &str,
        id: &str,
    ) -> Result<Value, ConnectorError> {
        self.current(spec, function, id).await.map_err(sim)
    }

    async fn store(
        &self,
        spec: &SandboxSpec,
        function: &str,
        mut doc: Value,
    ) -> Result<Value, ConnectorError> {
        doc["updated_date"] = json!(time::now_str());
        self.save(spec, function, &doc).await.map_err(sim)?;
        Ok(doc)
    }

    /// Performs a write on the simulated system.
    pub async fn perform_write(
        &self,
        creds: &Credentials,
        req: &WriteRequest,
    ) -> Result<WriteOutcome, ConnectorError> {
        Self::check_key(creds)?;
        let spec = Self::spec(creds)?;
        let v = self.vertical();
        if self.descriptor.write(&req.function).is_none() {
            return Err(ConnectorError::Unsupported(req.function.clone()));
        }
        self.state
            .increment(
                &spec.seed.to_string(),
                &format!("writes.{v}.{}", req.function),
            )
            .await
            .map_err(ConnectorError::Transient)?;
        let records = match (v, req.function.as_str()) {
            (IntegrationType::Wms, "create_order") => {
                vec![self.create_order(&spec, body(req)?).await?]
            }
            (IntegrationType::Wms, "update_order") => {
                vec![self.update_order(&spec, target(req)?, body(req)?).await?]
            }
            (IntegrationType::Wms, "cancel_order") => {
                vec![self.cancel_order(&spec, target(req)?).await?]
            }
            (IntegrationType::Wms, "create_order_shipment") => {
                vec![self.ship_order(&spec, target(req)?, body(req)?).await?]
            }
            (IntegrationType::Wms, "attach_order_file") => {
                vec![self.attach_file(&spec, req).await?]
            }
            (IntegrationType::Wms, "create_product") => {
                vec![self.create_product(&spec, body(req)?).await?]
            }
            (IntegrationType::Wms, "update_product") => vec![
                self.update_product(&spec, target(req)?, &req.body, None)
                    .await?,
            ],
            (IntegrationType::Wms, "create_kit") => vec![self.create_kit(&spec, body(req)?).await?],
            (IntegrationType::Wms, "update_kit") => {
                let b: w::UpdateKit = body(req)?;
                vec![
                    self.update_product(&spec, target(req)?, &req.body, b.inventory_items)
                        .await?,
                ]
            }
            (IntegrationType::Wms, "create_inbound_shipment") => {
                vec![self.create_inbound(&spec, body(req)?).await?]
            }
            (IntegrationType::Wms, "update_inbound_shipment") => {
                vec![self.update_inbound(&spec, target(req)?, body(req)?).await?]
            }
            (IntegrationType::Wms, "receive_inbound_shipment") => vec![
                self.receive_inbound(&spec, target(req)?, body(req)?)
                    .await?,
            ],
            (IntegrationType::Wms, "create_return") => {
                vec![self.save_return(&spec, None, body(req)?).await?]
            }
            (IntegrationType::Wms, "update_return") => vec![
                self.save_return(&spec, Some(target(req)?), body(req)?)
                    .await?,
            ],
            (IntegrationType::Wms, "cancel_return") => {
                vec![self.cancel_return(&spec, target(req)?).await?]
            }
            (IntegrationType::Wms, "adjust_inventory") => {
                vec![self.adjust_wms(&spec, target(req)?, body(req)?).await?]
            }
            (IntegrationType::Cart, "adjust_inventory") => {
                let b: w::CartAdjust = body(req)?;
                vec![
                    self.adjust_cart(&spec, target(req)?, b.quantity, b.adjustment_type)
                        .await?,
                ]
            }
            (IntegrationType::Cart, "batch_adjust_inventory") => {
                let b: w::CartBatch = body(req)?;
                // Check every line before changing anything, as a batch endpoint would.
                for (i, a) in b.adjustments.iter().enumerate() {
                    self.cart_variant(&spec, &a.product_id)
                        .await
                        .map_err(|e| refuse(422, format!("adjustments.{i}: {e}")))?;
                }
                let mut out = Vec::new();
                for a in b.adjustments {
                    out.push(
                        self.adjust_cart(&spec, &a.product_id, a.quantity, a.adjustment_type)
                            .await?,
                    );
                }
                out
            }
            (IntegrationType::Cart, "create_order_shipment") => vec![
                self.ship_cart_order(&spec, target(req)?, body(req)?)
                    .await?,
            ],
            (IntegrationType::Cart, "refund_order") => {
                vec![self.refund(&spec, target(req)?, body(req)?).await?]
            }
            _ => return Err(ConnectorError::Unsupported(req.function.clone())),
        };
        Ok(WriteOutcome { records })
    }

    async fn create_order(
        &self,
        spec: &SandboxSpec,
        b: w::CreateOrder,
    ) -> Result<Value, ConnectorError> {
        let generated = b
            .order_number
            .strip_prefix('#')
            .and_then(|n| n.parse::<u64>().ok())
            .and_then(|n| n.checked_sub(1001))
            .is_some_and(|i| i < data::count(spec, IntegrationType::Wms, "get_orders"));
        if generated
            || self
                .created(spec, "get_orders")
                .await?
                .iter()
                .any(|d| d["order_number"] == b.order_number.as_str())
        {
            return Err(refuse(
                409,
                format!(
                    "An order with order_number {:?} already exists.",
                    b.order_number
                ),
            ));
        }
        let mut lines = Vec::new();
        for (i, li) in b.line_items.iter().enumerate() {
            if li.quantity <= 0 {
                return Err(refuse(
                    422,
                    format!("line_items.{i}.quantity must be positive."),
                ));
            }
            let product = self
                .product_of(spec, &li.product_id)
                .await?
                .ok_or_else(|| {
                    refuse(
                        422,
                        format!("line_items.{i}: unknown product {:?}.", li.product_id),
                    )
                })?;
            if let Some(sku) = &li.sku {
                if product["sku"] != sku.as_str() {
                    return Err(refuse(
                        422,
                        format!(
                            "line_items.{i}: unknown SKU {sku:?} for product {:?}.",
                            li.product_id
                        ),
                    ));
                }
            }
            lines.push(json!({"product_id": li.product_id, "sku": product["sku"], "quantity": li.quantity, "unit_price": li.unit_price, "is_picked": false, "discount_amount": li.discount_amount}));
        }
        let id = new_id("ord");
        let now = time::now_str();
        let mut o = self.template(spec, "get_orders");
        let a = &b.ship_to_address;
        set_all(
            &mut o,
            &json!({
                "id": id, "created_date": now, "updated_date": now,
                "reference_id": b.reference_id.clone().unwrap_or_else(|| id.clone()),
                "order_number": b.order_number, "status": "open", "raw_status": "OPEN",
                "channel": b.channel, "channel_object": null, "trading_partner": b.trading_partner,
                "shipping_method": b.shipping_method, "service_level": b.service_level,
                "shipping_method_id": b.shipping_method_id,
                "invoice_currency_code": b.invoice_currency_code.unwrap_or_else(|| "USD".into()),
                "total_price": b.total_price, "total_tax": b.total_tax, "total_discount": b.total_discount, "total_shipping": b.total_shipping,
                "ship_to_address": {"full_name": a.full_name, "company": a.company, "address1": a.address1, "address2": a.address2, "address3": null, "city": a.city, "state": a.state, "postal_code": a.postal_code, "country": a.country, "phone_number": null, "email_address": null},
                "tags": [], "shipments": [], "additional_fields": {},
                "warehouse_id": "wh_001", "shipping_method_name": null, "carrier_id": null, "carrier_name": null, "scac": null,
                "required_ship_date": null, "is_third_party_freight": false, "third_party_freight_account_number": null,
                "first_party_freight_account_number": null, "international_duty_paid_by": null,
                "external_system_url": format!("https://sandbox.waybill.dev/orders/{id}"),
            }),
        );
        o["line_items"] = Value::Array(lines);
        self.store(spec, "get_orders", o).await
    }

    async fn product_of(
        &self,
        spec: &SandboxSpec,
        id: &str,
    ) -> Result<Option<Value>, ConnectorError> {
        match self.current(spec, "get_products", id).await {
            Ok(p) => Ok(Some(p)),
            Err(SimError::NotFound(_)) => Ok(None),
            Err(e) => Err(sim(e)),
        }
    }

    async fn update_order(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::UpdateOrder,
    ) -> Result<Value, ConnectorError> {
        let mut o = self.load(spec, "get_orders", id).await?;
        let status = status_of(&o);
        refuse_when(
            &status,
            &["fulfilled", "cancelled"],
            "Order",
            id,
            "can no longer be changed",
        )?;
        let mut patch = serde_json::to_value(json!({
            "reference_id": b.reference_id, "order_number": b.order_number, "channel": b.channel,
            "trading_partner": b.trading_partner, "shipping_method_id": b.shipping_method_id,
            "shipping_method": b.shipping_method, "service_level": b.service_level,
            "invoice_currency_code": b.invoice_currency_code, "total_price": b.total_price,
            "total_tax": b.total_tax, "total_discount": b.total_discount, "total_shipping": b.total_shipping,
        })).unwrap_or_default();
        if let Value::Object(m) = &mut patch {
            m.retain(|_, v| !v.is_null());
        }
        if let Some(a) = &b.ship_to_address {
            let mut addr = json!({"full_name": a.full_name, "company": a.company, "address1": a.address1, "address2": a.address2, "city": a.city, "state": a.state, "postal_code": a.postal_code, "country": a.country});
            if let Value::Object(m) = &mut addr {
                m.retain(|_, v| !v.is_null());
            }
            patch["ship_to_address"] = addr;
        }
        if let Some(s) = b.status {
            let s = serde_json::to_value(s).unwrap_or_default();
            patch["status"] = s.clone();
            patch["raw_status"] = json!(s.as_str().unwrap_or_default().to_uppercase());
        }
        merge_into(&mut o, &patch);
        if let Some(lines) = b.line_items {
            let mut out = Vec::new();
            for (i, li) in lines.into_iter().enumerate() {
                let pid = li.product_id.clone().ok_or_else(|| {
                    refuse(422, format!("line_items.{i}.product_id is required."))
                })?;
                let product = self.product_of(spec, &pid).await?.ok_or_else(|| {
                    refuse(422, format!("line_items.{i}: unknown product {pid:?}."))
                })?;
                out.push(json!({"product_id": pid, "sku": product["sku"], "quantity": li.quantity.unwrap_or(1), "unit_price": li.unit_price, "is_picked": false, "discount_amount": li.discount_amount}));
            }
            o["line_items"] = Value::Array(out);
        }
        self.store(spec, "get_orders", o).await
    }

    async fn cancel_order(&self, spec: &SandboxSpec, id: &str) -> Result<Value, ConnectorError> {
        let mut o = self.load(spec, "get_orders", id).await?;
        let status = status_of(&o);
        let shipped = o["shipments"].as_array().is_some_and(|s| !s.is_empty());
        if status == "cancelled" {
            return Err(refuse(409, format!("Order {id} is already cancelled.")));
        }
        if shipped || ["fulfilled", "partially_fulfilled"].contains(&status.as_str()) {
            return Err(refuse(
                422,
                format!("Order {id} has shipped and cannot be cancelled."),
            ));
        }
        set_status(&mut o, "cancelled");
        self.store(spec, "get_orders", o).await
    }

    async fn ship_order(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::CreateShipment,
    ) -> Result<Value, ConnectorError> {
        Self::require_warehouse(spec, &b.warehouse_id)?;
        let mut o = self.load(spec, "get_orders", id).await?;
        let status = status_of(&o);
        refuse_when(
            &status,
            &["fulfilled", "cancelled"],
            "Order",
            id,
            "cannot be shipped",
        )?;
        let order_lines = o["line_items"].as_array().cloned().unwrap_or_default();
        let shipped: Vec<Value> = match &b.line_items {
            Some(lines) => {
                let mut out = Vec::new();
                for (i, l) in lines.iter().enumerate() {
                    let li = order_lines.iter().find(|x| x["sku"] == l.sku.as_str()).ok_or_else(|| {
                        refuse(422, format!("line_items.{i}: SKU {:?} is not on order {id}.", l.sku))
                    })?;
                    out.push(json!({"inventory_item_id": li["product_id"], "sku": l.sku, "quantity": l.quantity, "parent_product_id": null}));
                }
                out
            }
            None => order_lines.iter().map(|li| json!({"inventory_item_id": li["product_id"], "sku": li["sku"], "quantity": li["quantity"], "parent_product_id": null})).collect(),
        };
        let n = o["shipments"].as_array().map_or(0, Vec::len) + 1;
        let shipped_date = time::normalize(&b.shipped_date)
            .ok_or_else(|| refuse(422, "shipped_date is not a date-time."))?;
        let m = &b.measurements;
        let measurements = json!(m);
        let packages: Vec<Value> = b.packages.clone().unwrap_or_else(|| vec![w::Package { package_id: format!("pkg_{id}-{n}"), tracking_number: b.tracking_number.clone() }])
            .into_iter()
            .map(|p| json!({
                "package_id": p.package_id, "package_name": null, "tracking_number": p.tracking_number,
                "tracking_url": b.tracking_url, "shipping_method": b.shipping_method, "carrier": b.carrier,
                "shipping_method_id": b.shipping_method_id, "shipping_method_name": null, "carrier_id": b.carrier_id,
                "carrier_name": b.carrier, "scac": null, "shipping_cost": b.shipping_cost, "measurements": measurements,
                "line_items": shipped.iter().map(|l| json!({"inventory_item_id": l["inventory_item_id"], "sku": l["sku"], "quantity": l["quantity"], "lot_id": null, "expiration_date": null, "parent_product_id": null})).collect::<Vec<_>>(),
            }))
            .collect();
        let shipment = json!({
            "shipment_id": format!("shp_{id}-{n}"), "warehouse_id": b.warehouse_id, "raw_status": "SHIPPED",
            "status": "shipped", "shipped_date": shipped_date, "shipping_method": b.shipping_method,
            "line_items": shipped, "ship_to_address": o["ship_to_address"],
            "ship_from_address": data::wms_ref::WAREHOUSES.iter().enumerate().find(|(w, _)| data::wms_ref::warehouse_id(*w) == b.warehouse_id).map(|(w, _)| serde_json::to_value(data::wms_ref::warehouse_address(w)).unwrap_or_default()).unwrap_or(Value::Null),
            "packages": packages,
        });
        append(&mut o["shipments"], shipment);
        let all = b.line_items.is_none();
        o["status"] = json!(if all {
            "fulfilled"
        } else {
            "partially_fulfilled"
        });
        o["raw_status"] = json!(if all {
            "FULFILLED"
        } else {
            "PARTIALLY_FULFILLED"
        });
        self.store(spec, "get_orders", o).await
    }

    async fn attach_file(
        &self,
        spec: &SandboxSpec,
        req: &WriteRequest,
    ) -> Result<Value, ConnectorError> {
        let id = target(req)?;
        let mut o = self.load(spec, "get_orders", id).await?;
        let f = req.file.clone().unwrap_or_default();
        let entry = json!({"file_name": f.file_name, "file_url": f.file_url, "size": f.bytes.as_ref().map(Vec::len), "content_type": f.content_type});
        if !o["additional_fields"].is_object() {
            o["additional_fields"] = json!({});
        }
        append(&mut o["additional_fields"]["files"], entry);
        self.store(spec, "get_orders", o).await
    }

    async fn create_product(
        &self,
        spec: &SandboxSpec,
        b: w::CreateProduct,
    ) -> Result<Value, ConnectorError> {
        if self.product_by_sku(spec, &b.sku).await?.is_some() {
            return Err(refuse(
                409,
                format!("A product with SKU {:?} already exists.", b.sku),
            ));
        }
        let id = new_id("prod");
        let now = time::now_str();
        let mut p = self.template(spec, "get_products");
        set_all(
            &mut p,
            &json!({
                "id": id, "created_date": now, "updated_date": now, "name": b.name, "sku": b.sku, "gtin": b.gtin,
                "is_kit": false, "active": true, "additional_fields": {},
                "external_system_url": format!("https://sandbox.waybill.dev/products/{id}"),
            }),
        );
        p["inventory_items"] = json!([{"inventory_item_id": id.replace("prod_", "inv_"), "sku": b.sku, "unit_quantity": 1}]);
        if let Some(m) = b.measurements {
            p["additional_fields"]["measurements"] = json!(m);
        }
        self.store(spec, "get_products", p).await
    }

    async fn kit_items(
        &self,
        spec: &SandboxSpec,
        items: &[w::KitItem],
    ) -> Result<Value, ConnectorError> {
        let mut out = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let p = self
                .require_sku(spec, &it.sku, &format!("inventory_items.{i}"))
                .await?;
            if it.unit_quantity <= 0 {
                return Err(refuse(
                    422,
                    format!("inventory_items.{i}.unit_quantity must be positive."),
                ));
            }
            let inv = inventory_id_of(&p);
            out.push(
                json!({"inventory_item_id": inv, "sku": it.sku, "unit_quantity": it.unit_quantity}),
            );
        }
        Ok(Value::Array(out))
    }

    async fn create_kit(
        &self,
        spec: &SandboxSpec,
        b: w::CreateKit,
    ) -> Result<Value, ConnectorError> {
        if self.product_by_sku(spec, &b.sku).await?.is_some() {
            return Err(refuse(
                409,
                format!("A product with SKU {:?} already exists.", b.sku),
            ));
        }
        let items = self.kit_items(spec, &b.inventory_items).await?;
        let id = new_id("prod");
        let now = time::now_str();
        let mut p = self.template(spec, "get_products");
        set_all(
            &mut p,
            &json!({
                "id": id, "created_date": now, "updated_date": now, "name": b.name, "sku": b.sku, "gtin": b.gtin,
                "is_kit": true, "active": true, "additional_fields": {},
                "external_system_url": format!("https://sandbox.waybill.dev/products/{id}"),
            }),
        );
        p["inventory_items"] = items;
        self.store(spec, "get_products", p).await
    }

    async fn update_product(
        &self,
        spec: &SandboxSpec,
        id: &str,
        body: &Value,
        items: Option<Vec<w::KitItem>>,
    ) -> Result<Value, ConnectorError> {
        let mut p = self.load(spec, "get_products", id).await?;
        for k in ["name", "sku", "gtin"] {
            if let Some(v) = body.get(k) {
                p[k] = v.clone();
            }
        }
        if let Some(sku) = body.get("sku").and_then(Value::as_str) {
            if let Some(other) = self.product_by_sku(spec, sku).await? {
                if other["id"] != id {
                    return Err(refuse(
                        409,
                        format!("A product with SKU {sku:?} already exists."),
                    ));
                }
            }
        }
        if let Some(m) = body.get("measurements") {
            if !p["additional_fields"].is_object() {
                p["additional_fields"] = json!({});
            }
            p["additional_fields"]["measurements"] = m.clone();
        }
        if let Some(items) = items {
            if p["is_kit"] != true {
                return Err(refuse(422, format!("Product {id} is not a kit.")));
            }
            p["inventory_items"] = self.kit_items(spec, &items).await?;
        }
        self.store(spec, "get_products", p).await
    }

    async fn inbound_lines(
        &self,
        spec: &SandboxSpec,
        lines: &[w::InboundLine],
    ) -> Result<Value, ConnectorError> {
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let p = self
                .require_sku(spec, &l.sku, &format!("line_items.{i}"))
                .await?;
            let inv = inventory_id_of(&p);
            out.push(json!({"inventory_item_id": inv, "sku": l.sku, "expected_quantity": l.expected_quantity, "received_quantity": 0, "unit_cost": null, "external_id": null}));
        }
        Ok(Value::Array(out))
    }

    async fn create_inbound(
        &self,
        spec: &SandboxSpec,
        b: w::CreateInbound,
    ) -> Result<Value, ConnectorError> {
        Self::require_warehouse(spec, &b.warehouse_id)?;
        let eta = time::normalize(&b.expected_arrival_date)
            .ok_or_else(|| refuse(422, "expected_arrival_date is not a date-time."))?;
        let lines = self.inbound_lines(spec, &b.line_items).await?;
        let id = new_id("asn");
        let now = time::now_str();
        let mut s = self.template(spec, "get_inbound_shipments");
        set_all(
            &mut s,
            &json!({
                "id": id, "created_date": now, "updated_date": now, "purchase_order_number": b.purchase_order_number,
                "status": "open", "raw_status": "OPEN", "supplier": b.supplier, "supplier_object": {"supplier_id": null, "supplier_name": b.supplier},
                "expected_arrival_date": eta, "warehouse_id": b.warehouse_id, "additional_fields": {},
                "external_system_url": format!("https://sandbox.waybill.dev/inbound/{id}"),
            }),
        );
        s["line_items"] = lines;
        s["receipts"] = json!([]);
        s["tracking_numbers"] = json!([b.tracking_number]);
        s["notes"] = json!([]);
        self.store(spec, "get_inbound_shipments", s).await
    }

    async fn update_inbound(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::UpdateInbound,
    ) -> Result<Value, ConnectorError> {
        let mut s = self.load(spec, "get_inbound_shipments", id).await?;
        let status = status_of(&s);
        refuse_when(
            &status,
            &["received", "cancelled"],
            "Inbound shipment",
            id,
            "can no longer be changed",
        )?;
        if let Some(wh) = &b.warehouse_id {
            Self::require_warehouse(spec, wh)?;
            s["warehouse_id"] = json!(wh);
        }
        if let Some(v) = b.supplier {
            s["supplier"] = json!(v);
            s["supplier_object"] = json!({"supplier_id": null, "supplier_name": v});
        }
        if let Some(v) = b.purchase_order_number {
            s["purchase_order_number"] = json!(v);
        }
        if let Some(v) = b.expected_arrival_date {
            s["expected_arrival_date"] = json!(time::normalize(&v)
                .ok_or_else(|| refuse(422, "expected_arrival_date is not a date-time."))?);
        }
        if let Some(v) = b.tracking_number {
            s["tracking_numbers"] = json!([v]);
        }
        if let Some(lines) = b.line_items {
            s["line_items"] = self.inbound_lines(spec, &lines).await?;
        }
        self.store(spec, "get_inbound_shipments", s).await
    }

    async fn receive_inbound(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::Receive,
    ) -> Result<Value, ConnectorError> {
        let mut s = self.load(spec, "get_inbound_shipments", id).await?;
        let status = status_of(&s);
        refuse_when(
            &status,
            &["received", "cancelled"],
            "Inbound shipment",
            id,
            "cannot be received",
        )?;
        let mut receipt_lines = Vec::new();
        for (i, l) in b.line_items.iter().enumerate() {
            let items = s["line_items"]
                .as_array_mut()
                .ok_or_else(|| refuse(422, "The shipment has no lines."))?;
            let li = items
                .iter_mut()
                .find(|x| x["sku"] == l.sku.as_str())
                .ok_or_else(|| {
                    refuse(
                        422,
                        format!(
                            "line_items.{i}: SKU {:?} is not on inbound shipment {id}.",
                            l.sku
                        ),
                    )
                })?;
            let got = li["received_quantity"].as_i64().unwrap_or(0) + l.quantity;
            li["received_quantity"] = json!(got);
            receipt_lines.push(json!({"inventory_item_id": li["inventory_item_id"], "sku": l.sku, "quantity": l.quantity}));
        }
        let all = s["line_items"].as_array().is_some_and(|a| {
            a.iter()
                .all(|x| x["received_quantity"].as_i64() >= x["expected_quantity"].as_i64())
        });
        let n = s["receipts"].as_array().map_or(0, Vec::len) + 1;
        let receipt = json!({"id": format!("rcpt_{id}-{n}"), "arrived_date": time::now_str(), "line_items": receipt_lines});
        append(&mut s["receipts"], receipt);
        s["status"] = json!(if all { "received" } else { "receiving" });
        s["raw_status"] = json!(if all { "RECEIVED" } else { "RECEIVING" });
        let _ = b.warehouse_location_id;
        self.store(spec, "get_inbound_shipments", s).await
    }

    async fn save_return(
        &self,
        spec: &SandboxSpec,
        id: Option<&str>,
        b: w::ReturnBody,
    ) -> Result<Value, ConnectorError> {
        if let Some(wh) = &b.warehouse_id {
            Self::require_warehouse(spec, wh)?;
        }
        if let Some(o) = &b.order_id {
            self.load(spec, "get_orders", o)
                .await
                .map_err(|_| refuse(422, format!("Order {o:?} does not exist.")))?;
        }
        let mut lines = Vec::new();
        for (i, l) in b.line_items.iter().flatten().enumerate() {
            let p = self
                .require_sku(spec, &l.sku, &format!("line_items.{i}"))
                .await?;
            let inv = inventory_id_of(&p);
            lines.push(json!({"inventory_item_id": inv, "sku": l.sku, "expected_quantity": l.quantity, "received_quantity": 0, "restocked_quantity": null, "return_reason": null, "quantity": l.quantity, "warehouse_id": b.warehouse_id, "returned_date": null}));
        }
        let mut r = match id {
            Some(id) => {
                let r = self.load(spec, "get_returns", id).await?;
                let status = status_of(&r);
                refuse_when(
                    &status,
                    &["received", "cancelled"],
                    "Return",
                    id,
                    "can no longer be changed",
                )?;
                r
            }
            None => {
                let id = new_id("rma");
                let now = time::now_str();
                let mut r = self.template(spec, "get_returns");
                set_all(
                    &mut r,
                    &json!({"id": id, "created_date": now, "updated_date": now, "status": "open", "raw_status": "OPEN", "order_id": null, "additional_fields": {}, "external_system_url": format!("https://sandbox.waybill.dev/returns/{id}")}),
                );
                r["line_items"] = json!([]);
                r["shipments"] = json!([]);
                r["notes"] = json!([]);
                r
            }
        };
        if let Some(o) = b.order_id {
            r["order_id"] = json!(o);
        }
        if b.line_items.is_some() {
            r["line_items"] = Value::Array(lines);
        }
        self.store(spec, "get_returns", r).await
    }

    async fn cancel_return(&self, spec: &SandboxSpec, id: &str) -> Result<Value, ConnectorError> {
        let mut r = self.load(spec, "get_returns", id).await?;
        let status = status_of(&r);
        refuse_when(
            &status,
            &["received", "cancelled"],
            "Return",
            id,
            "cannot be cancelled",
        )?;
        set_status(&mut r, "cancelled");
        self.store(spec, "get_returns", r).await
    }

    async fn adjust_wms(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::Adjust,
    ) -> Result<Value, ConnectorError> {
        Self::require_warehouse(spec, &b.warehouse_id)?;
        if b.quantity <= 0 {
            return Err(refuse(422, "quantity must be positive."));
        }
        let mut inv = self.load(spec, "get_inventory", id).await?;
        let delta = match b.adjustment_type {
            waybill_model::writes::base::AdjustmentType::Increase => b.quantity,
            waybill_model::writes::base::AdjustmentType::Decrease => -b.quantity,
        };
        if !inv["inventory_by_warehouse_id"].is_object() {
            inv["inventory_by_warehouse_id"] = json!({});
        }
        let slot = inv["inventory_by_warehouse_id"]
            .as_object_mut()
            .map(|m| m.entry(b.warehouse_id.clone()).or_insert_with(|| json!({"onhand": 0, "awaiting": 0, "committed": 0, "unfulfillable": 0, "fulfillable": 0, "unsellable": 0, "sellable": 0})))
            .ok_or_else(|| refuse(422, "Inventory has no warehouses."))?;
        let fulfillable = slot["fulfillable"].as_i64().unwrap_or(0);
        if fulfillable + delta < 0 {
            return Err(refuse(
                422,
                format!(
                    "Cannot decrease by {}: only {fulfillable} fulfillable units in {}.",
                    b.quantity, b.warehouse_id
                ),
            ));
        }
        for k in ["onhand", "fulfillable", "sellable"] {
            slot[k] = json!(slot[k].as_i64().unwrap_or(0) + delta);
        }
        for k in ["onhand", "fulfillable", "sellable"] {
            inv[k] = json!(inv[k].as_i64().unwrap_or(0) + delta);
        }
        self.store(spec, "get_inventory", inv).await
    }

    async fn cart_variant(&self, spec: &SandboxSpec, id: &str) -> Result<Value, String> {
        let p = self
            .current(spec, "get_products", id)
            .await
            .map_err(|_| format!("Product {id:?} does not exist."))?;
        if p["parent_product_id"] == id && p["sku"].is_null() {
            return Err(format!(
                "Product {id} is a parent product; adjust its variants."
            ));
        }
        Ok(p)
    }

    async fn adjust_cart(
        &self,
        spec: &SandboxSpec,
        id: &str,
        quantity: i64,
        t: waybill_model::writes::base::AdjustmentType,
    ) -> Result<Value, ConnectorError> {
        if quantity <= 0 {
            return Err(refuse(422, "quantity must be positive."));
        }
        let mut p = self
            .cart_variant(spec, id)
            .await
            .map_err(|m| refuse(422, m))?;
        let delta = match t {
            waybill_model::writes::base::AdjustmentType::Increase => quantity,
            waybill_model::writes::base::AdjustmentType::Decrease => -quantity,
        };
        let now = p["inventory"].as_i64().unwrap_or(0);
        if now + delta < 0 {
            return Err(refuse(
                422,
                format!("Cannot decrease by {quantity}: only {now} in stock."),
            ));
        }
        p["inventory"] = json!(now + delta);
        if let Some(m) = p["inventory_by_warehouse_id"].as_object_mut() {
            if let Some((_, v)) = m.iter_mut().next() {
                *v = json!(v.as_i64().unwrap_or(0) + delta);
            }
        }
        self.store(spec, "get_products", p).await
    }

    async fn ship_cart_order(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::CartShipment,
    ) -> Result<Value, ConnectorError> {
        let mut o = self.load(spec, "get_orders", id).await?;
        let status = status_of(&o);
        refuse_when(
            &status,
            &["fulfilled", "cancelled"],
            "Order",
            id,
            "cannot be shipped",
        )?;
        let n = o["shipments"].as_array().map_or(0, Vec::len) + 1;
        let now = time::now_str();
        let lines: Vec<Value> = o["line_items"].as_array().cloned().unwrap_or_default().iter().enumerate().map(|(i, li)| json!({
            "shipment_line_item_id": format!("{id}-{n}-{i}"), "product_id": li["product_id"], "product_sku": li["product_sku"],
            "parent_product_id": li["parent_product_id"], "parent_product_sku": li["parent_product_sku"], "quantity": li["quantity"],
        })).collect();
        let shipment = json!({
            "shipment_id": format!("ful_{id}-{n}"), "raw_status": "success", "status": "shipped", "warehouse_id": null,
            "shipping_method_id": null, "shipping_method_name": b.requested_shipping_method, "carrier_id": null, "carrier_name": b.carrier_name,
            "tracking_number": b.tracking_number, "tracking_url": b.tracking_url, "line_items": lines, "shipping_groups": [],
            "created_date": now, "updated_date": now,
        });
        append(&mut o["shipments"], shipment);
        set_status(&mut o, "fulfilled");
        self.store(spec, "get_orders", o).await
    }

    async fn refund(
        &self,
        spec: &SandboxSpec,
        id: &str,
        b: w::Refund,
    ) -> Result<Value, ConnectorError> {
        let mut o = self.load(spec, "get_orders", id).await?;
        let total = o["total_price"].as_f64().unwrap_or(0.0);
        let refunded: f64 = o["additional_fields"]["refunds"]
            .as_array()
            .map_or(0.0, |a| a.iter().filter_map(|r| r["amount"].as_f64()).sum());
        let amount = b.amount.unwrap_or(total - refunded);
        if amount <= 0.0 || refunded + amount > total + 0.005 {
            return Err(refuse(
                422,
                format!(
                    "Refund of {amount:.2} exceeds the refundable {:.2}.",
                    total - refunded
                ),
            ));
        }
        for (i, l) in b.line_items.iter().flatten().enumerate() {
            if !o["line_items"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|x| x["line_item_id"] == l.line_item_id.as_str())
            }) {
                return Err(refuse(
                    422,
                    format!(
                        "line_items.{i}: line {:?} is not on order {id}.",
                        l.line_item_id
                    ),
                ));
            }
        }
        if !o["additional_fields"].is_object() {
            o["additional_fields"] = Value::Object(Map::new());
        }
        let entry = json!({"amount": (amount * 100.0).round() / 100.0, "reason": b.reason, "created_date": time::now_str(), "notify_customer": b.notify_customer.unwrap_or(false)});
        append(&mut o["additional_fields"]["refunds"], entry);
        self.store(spec, "get_orders", o).await
    }
}
