//! Turning stored changes into webhook events (SPEC §11): the envelope, `*.created` and
//! `*.updated` with `previous_attributes`, and the shipment and receipt events that fire
//! when an order gains a shipment or an inbound shipment gains a receipt.

use serde_json::{json, Map, Value};
use waybill_model::diff::previous_attributes;
use waybill_model::{time, IntegrationType, Resource};
use waybill_store::{Change, ChangeKind, ConnectionRow, NewEvent};

/// Who an event is about; the envelope's connection fields.
#[derive(Debug, Clone)]
pub struct EventContext {
    /// Owning organization.
    pub organization_id: String,
    /// The connection.
    pub connection_id: String,
    /// Integration slug.
    pub integration_name: String,
    /// Vertical.
    pub integration_type: String,
    /// The organization's label for its customer.
    pub customer_id: Option<String>,
    /// Resource events are suppressed (admin events still flow).
    pub webhooks_disabled: bool,
}

impl From<&ConnectionRow> for EventContext {
    fn from(c: &ConnectionRow) -> Self {
        Self {
            organization_id: c.organization_id.clone(),
            connection_id: c.id.clone(),
            integration_name: c.integration_name.clone(),
            integration_type: c.integration_type.clone(),
            customer_id: c.customer_id.clone(),
            webhooks_disabled: c.webhooks_disabled,
        }
    }
}

impl EventContext {
    /// An event with the standard envelope.
    pub fn event(
        &self,
        event_type: &str,
        data: Value,
        previous: Option<Map<String, Value>>,
    ) -> NewEvent {
        let mut env = json!({
            "event_type": event_type,
            "connection_id": self.connection_id,
            "integration_name": self.integration_name,
            "integration_type": self.integration_type,
            "customer_id": self.customer_id,
            "data": data,
        });
        if let Some(p) = previous {
            env["previous_attributes"] = Value::Object(p);
        }
        NewEvent {
            id: NewEvent::new_id(),
            organization_id: self.organization_id.clone(),
            connection_id: Some(self.connection_id.clone()),
            event_type: event_type.to_string(),
            payload: env.to_string(),
            created_at: time::now_str(),
        }
    }

    /// The events one stored change fires.
    pub fn resource_events(&self, resource: &Resource, change: &Change) -> Vec<NewEvent> {
        let Some(prefix) = resource.event else {
            return Vec::new();
        };
        if self.webhooks_disabled {
            return Vec::new();
        }
        let data = change.full_record(resource);
        match change.kind {
            ChangeKind::Created => vec![self.event(&format!("{prefix}.created"), data, None)],
            ChangeKind::Updated => {
                let old = change.previous_value().unwrap_or(Value::Null);
                let doc = change.doc_value();
                let diff = previous_attributes(&old, &doc);
                if diff.is_empty() {
                    return Vec::new();
                }
                let mut out =
                    vec![self.event(&format!("{prefix}.updated"), data.clone(), Some(diff))];
                if let Some((kind, field)) = growth_event(resource) {
                    let before = old.get(field).and_then(Value::as_array).map_or(0, Vec::len);
                    let after = doc.get(field).and_then(Value::as_array).map_or(0, Vec::len);
                    if after > before {
                        let mut prev = Map::new();
                        prev.insert(
                            field.to_string(),
                            old.get(field).cloned().unwrap_or(Value::Array(vec![])),
                        );
                        out.push(self.event(kind, data, Some(prev)));
                    }
                }
                out
            }
        }
    }
}

/// The event that fires when an array of a resource gains an element.
fn growth_event(resource: &Resource) -> Option<(&'static str, &'static str)> {
    match (resource.vertical, resource.function) {
        (IntegrationType::Wms, "get_orders") => Some(("order.shipment.created", "shipments")),
        (IntegrationType::Cart, "get_orders") => {
            Some(("cart-order.cart-shipment.created", "shipments"))
        }
        (IntegrationType::Wms, "get_inbound_shipments") => {
            Some(("inbound-shipment.receipt.created", "receipts"))
        }
        _ => None,
    }
}
