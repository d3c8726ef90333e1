//! ShipHero inventory changes (`inventory_changes` query) → canonical inventory ledger
//! entries. A change names its SKU but not its product, so `inventory_item_id` (the product
//! id, as in inventory) is filled afterwards by one lookup per page (see
//! `queries::ledger_products`); a SKU ShipHero no longer has a product for stays `""`.
//!
//! ShipHero gives no event type, only the free-text `reason` and a `cycle_counted` flag;
//! the reason (or `cycle_count`) is kept as `raw_event_type` and classified by its words.

use crate::values::{date, int, keep, text, to_json};
use serde_json::Value;
use waybill_model::records::InventoryLedgerEntry;

/// ShipHero's change reason → `LEDGER_EVENT_TYPES`; a reason it cannot place is `other`.
/// Vendor returns are checked before customer returns, and receipts before shipments, as
/// ShipHero's texts name both ("Received PO …", "Order … shipped").
pub fn event_type(reason: &str, cycle_counted: bool) -> &'static str {
    let r = reason.to_ascii_lowercase();
    let words: Vec<&str> = r
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let word = |ws: &[&str]| words.iter().any(|w| ws.contains(w));
    let prefix = |ps: &[&str]| words.iter().any(|w| ps.iter().any(|p| w.starts_with(p)));
    let phrase = |ps: &[&str]| ps.iter().any(|p| r.contains(p));
    if cycle_counted {
        "adjustment"
    } else if word(&["rtv"]) || phrase(&["vendor return", "return to vendor", "returned to vendor"])
    {
        "supplier_return"
    } else if word(&["rma"]) || prefix(&["return"]) {
        "return_receipt"
    } else if word(&["po", "asn"]) || phrase(&["purchase order"]) || prefix(&["receiv"]) {
        "inbound_receipt"
    } else if word(&["order"]) || prefix(&["ship", "fulfil"]) {
        "order_shipment"
    } else if prefix(&["transfer", "move", "relocat"]) {
        "movement"
    } else if word(&["manual", "add", "added"])
        || prefix(&["adjust", "count", "replac", "damag", "remov"])
    {
        "adjustment"
    } else {
        "other"
    }
}

/// One inventory change as a canonical ledger entry (without its inventory item id);
/// `None` without an id.
pub fn map(c: &Value) -> Option<Value> {
    let id = text(c, "id")?;
    let created = date(c, "created_at").unwrap_or_default();
    let cycle = crate::values::flag(c, "cycle_counted").unwrap_or(false);
    let reason = text(c, "reason");
    let raw = reason
        .clone()
        .or_else(|| cycle.then(|| "cycle_count".to_string()));
    let entry = InventoryLedgerEntry {
        id,
        created_date: created.clone(),
        updated_date: created.clone(),
        entry_date: created,
        inventory_item_id: String::new(),
        sku: text(c, "sku").unwrap_or_default(),
        quantity: int(c, "change_in_on_hand").unwrap_or(0),
        event_type: event_type(raw.as_deref().unwrap_or_default(), cycle).into(),
        raw_event_type: raw,
        reason,
        object_id: None,
        object_type: None,
        warehouse_id: text(c, "warehouse_id"),
        location_id: text(c, "location_id"),
        additional_fields: keep(c, &["previous_on_hand", "cycle_counted", "account_id"]),
    };
    let mut v = to_json(&entry);
    // An undated change keeps null dates rather than an invented time.
    if let Value::Object(m) = &mut v {
        for k in ["created_date", "updated_date", "entry_date"] {
            if m.get(k).and_then(Value::as_str) == Some("") {
                m.insert(k.into(), Value::Null);
            }
        }
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::event_type;

    #[test]
    fn reasons_are_classified_and_unknown_ones_are_other() {
        assert_eq!(event_type("Order #1043 shipped", false), "order_shipment");
        assert_eq!(event_type("Received PO #7001", false), "inbound_receipt");
        assert_eq!(
            event_type("Return RMA-88 restocked", false),
            "return_receipt"
        );
        assert_eq!(event_type("Returned to vendor", false), "supplier_return");
        assert_eq!(event_type("Transfer to bin B-2", false), "movement");
        assert_eq!(event_type("Manual adjustment", false), "adjustment");
        assert_eq!(event_type("whatever", true), "adjustment");
        assert_eq!(event_type("zzz", false), "other");
        // Words, not substrings: "permanent" holds "rma", "address" holds "add".
        assert_eq!(event_type("Permanent bin information", false), "other");
        assert_eq!(event_type("address", false), "other");
    }
}
