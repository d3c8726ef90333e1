//! ShipBob inventory history (`POST /2026-01/inventory/history:query`) → canonical inventory
//! ledger entries.
//!
//! ShipBob answers one fulfillment center per query (`facility_id` is required) over at most
//! 90 days, so a pull walks every fulfillment center (`GET /fulfillment-center`) and the
//! sync window in slices of up to 90 days, following ShipBob's cursor inside each. The
//! query takes no page size: a ShipBob page is handed out `page_size` entries at a time (the
//! cursor remembers how many were already handed out), so no page exceeds what was asked.
//!
//! An event carries an `increment` (where units arrived: the destination shelf) and a
//! `decrement` (where they left); either may be absent. Each side with a quantity change is
//! one ledger entry, `<inventory_audit_event_id>:increment` or `:decrement`, with the side's
//! fulfillment center and bin as `warehouse_id` and `location_id`, so summing entries per
//! location gives that location's movement.

use super::{link_query, V};
use crate::http::{for_functions, VendorHttp};
use crate::values::{at, date, int, keep, list, text, time, to_json, Unmapped};
use chrono::{DateTime, Duration, Utc};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use waybill_connect::{ConnectorError, PullPage, PullRequest};
use waybill_model::records::InventoryLedgerEntry;

/// Longest date range ShipBob answers in one query.
const MAX_RANGE_DAYS: i64 = 90;

/// ShipBob's event category → `LEDGER_EVENT_TYPES`; unknown values are `other`.
/// `InventoryRestocked` puts previously picked units back on a shelf (a move inside the
/// warehouse); `AttributeUpdated` and `KittingStow` (lot/expiry changes, kit assembly) have
/// no canonical type. A receipt whose reference is a return is a `return_receipt`.
pub fn event_type(raw: &str, object_type: Option<&str>) -> &'static str {
    match raw {
        "OrderPicked" => "order_shipment",
        "InventoryAdjusted" => "adjustment",
        "InventoryFacilityUpdated" | "InventoryRestocked" => "movement",
        "InventoryReceived" if object_type == Some("return") => "return_receipt",
        "InventoryReceived" | "ReceivingStow" => "inbound_receipt",
        _ => "other",
    }
}

/// The record that caused an event, as `(object_type, object_id)`: ShipBob's order id, else
/// its primary reference (`OrderId`, `WroAndBox` = "<WRO id> <box id>"), else an additional
/// reference whose key names a WRO, return or order.
fn object(e: &Value) -> Option<(&'static str, String)> {
    if let Some(o) = text(e, "shipbob_order_id") {
        return Some(("order", o));
    }
    let kind = |k: &str| -> Option<&'static str> {
        let k = k.to_ascii_lowercase();
        if k.contains("wro") || k.contains("receiving") {
            Some("inbound_shipment")
        } else if k.contains("return") {
            Some("return")
        } else if k.contains("order") {
            Some("order")
        } else {
            None
        }
    };
    let first_token = |v: String| v.split_whitespace().next().map(str::to_string);
    if let (Some(t), Some(v)) = (
        text(e, "primary_reference/type"),
        text(e, "primary_reference/value"),
    ) {
        if let (Some(k), Some(id)) = (kind(&t), first_token(v)) {
            return Some((k, id));
        }
    }
    list(e, "additional_reference").iter().find_map(|r| {
        let k = kind(&text(r, "key")?)?;
        Some((k, first_token(text(r, "value")?)?))
    })
}

/// One inventory history event as its ledger entries (one per side that moved units);
/// empty when the event has no id, item, time or moving side.
pub fn map(e: &Value) -> Vec<Value> {
    let (Some(event_id), Some(item), Some(when)) = (
        text(e, "inventory_audit_event_id"),
        text(e, "inventory_id"),
        date(e, "event_datetime").or_else(|| time(e, "event_datetime")),
    ) else {
        return Vec::new();
    };
    let raw = text(e, "event_category");
    let obj = object(e);
    let ty = event_type(raw.as_deref().unwrap_or(""), obj.as_ref().map(|o| o.0));
    let mut out = Vec::new();
    for (side, sign) in [("decrement", -1i64), ("increment", 1)] {
        let Some(s) = at(e, side).filter(|s| s.is_object()) else {
            continue;
        };
        let q = int(s, "quantity_change").unwrap_or(0);
        let committed = int(s, "committed_quantity_change").unwrap_or(0);
        if q == 0 && committed == 0 {
            continue;
        }
        let mut additional = keep(
            s,
            &[
                "committed_quantity_change",
                "lot_number",
                "expiration_date",
                "operational_stage",
            ],
        );
        if let Some(st) = text(s, "inventory_status") {
            additional.insert("inventory_status".into(), json!(st));
        }
        additional.insert("shipbob_event_id".into(), json!(event_id));
        additional.insert("side".into(), json!(side));
        additional.extend(keep(e, &["primary_reference", "additional_reference"]));
        let entry = InventoryLedgerEntry {
            id: format!("{event_id}:{side}"),
            created_date: when.clone(),
            updated_date: when.clone(),
            entry_date: when.clone(),
            inventory_item_id: item.clone(),
            sku: text(s, "sku").unwrap_or_default(),
            // The side says which way units went; ShipBob's sign is not relied on.
            quantity: sign * q.abs(),
            raw_event_type: raw.clone(),
            event_type: ty.into(),
            reason: None,
            object_id: obj.as_ref().map(|o| o.1.clone()),
            object_type: obj.as_ref().map(|o| o.0.to_string()),
            warehouse_id: text(s, "facility_id"),
            location_id: text(s, "location_id"),
            additional_fields: additional,
        };
        out.push(to_json(&entry));
    }
    out
}

/// Where a ledger pull stands, carried in `next_cursor` as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    /// Fulfillment center ids, read once at the start of the pull.
    facilities: Vec<i64>,
    /// The one being read.
    facility: usize,
    /// Start of the current (≤ 90-day) slice of the window.
    from: String,
    /// ShipBob's cursor: the last `inventory_audit_event_id` read.
    after: Option<i64>,
    /// The query of ShipBob's `next` link.
    query: Vec<(String, String)>,
    /// Entries of this ShipBob page already handed out.
    skip: usize,
}

fn bad_cursor(c: &str) -> ConnectorError {
    ConnectorError::Permanent {
        message: format!("bad cursor {c:?}"),
        status: None,
    }
}

/// One page of the ledger over `req`'s window: at most `size` entries and the cursor of the
/// next page. Events that cannot be mapped are reported to `unmapped`.
pub async fn pull(
    http: &VendorHttp,
    req: &PullRequest,
    size: usize,
    unmapped: &Unmapped,
) -> Result<PullPage, ConnectorError> {
    let perm = |e| for_functions(e, &["get_inventory_ledger"]);
    let mut cur = match &req.cursor {
        Some(c) => serde_json::from_str::<Cursor>(c).map_err(|_| bad_cursor(c))?,
        None => {
            let fcs = http
                .get(&format!("{V}/fulfillment-center"), &[])
                .await
                .map_err(perm)?;
            let facilities: Vec<i64> = match &fcs {
                Value::Array(a) => a.iter().filter_map(|f| int(f, "id")).collect(),
                _ => Vec::new(),
            };
            Cursor {
                facilities,
                facility: 0,
                from: waybill_model::time::fmt(req.since),
                after: None,
                query: Vec::new(),
                skip: 0,
            }
        }
    };
    let Some(&facility) = cur.facilities.get(cur.facility) else {
        return Ok(PullPage::default());
    };
    let from: DateTime<Utc> = waybill_model::time::parse_lenient(&cur.from)
        .ok_or_else(|| bad_cursor(req.cursor.as_deref().unwrap_or_default()))?;
    if from >= req.until {
        return Ok(PullPage::default());
    }
    let to = (from + Duration::days(MAX_RANGE_DAYS)).min(req.until);
    let mut body = json!({
        "facility_id": facility,
        "start_date": waybill_model::time::fmt(from),
        "end_date": waybill_model::time::fmt(to),
    });
    if let Some(a) = cur.after {
        body["cursor"] = json!(a);
    }
    let mut rb = http.request(Method::POST, &format!("{V}/inventory/history:query"));
    if !cur.query.is_empty() {
        rb = rb.query(&cur.query);
    }
    let (answer, _) = http.json(rb.json(&body)).await.map_err(perm)?;
    let events = list(&answer, "data");
    let mut entries = Vec::new();
    for e in events {
        let mapped = map(e);
        if mapped.is_empty() {
            unmapped.report(
                "shipbob",
                "get_inventory_ledger",
                "an inventory history event has no id, item, time or quantity change",
            );
        }
        entries.extend(mapped.into_iter().filter(|r| {
            r["entry_date"]
                .as_str()
                .and_then(waybill_model::time::parse_lenient)
                .is_some_and(|t| t >= from && t < to)
        }));
    }
    let end = (cur.skip + size).min(entries.len());
    let records = entries
        .get(cur.skip.min(end)..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let last = events
        .last()
        .and_then(|e| int(e, "inventory_audit_event_id"));
    let next_link = at(&answer, "next")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty() && !events.is_empty());
    let next = if end < entries.len() {
        cur.skip = end;
        Some(cur)
    } else if let (Some(link), Some(last)) = (next_link, last.filter(|l| Some(*l) != cur.after)) {
        cur.after = Some(last);
        cur.query = link_query(link).unwrap_or_default();
        cur.skip = 0;
        Some(cur)
    } else if to < req.until {
        cur.from = waybill_model::time::fmt(to);
        cur.after = None;
        cur.query.clear();
        cur.skip = 0;
        Some(cur)
    } else if cur.facility + 1 < cur.facilities.len() {
        cur.facility += 1;
        cur.from = waybill_model::time::fmt(req.since);
        cur.after = None;
        cur.query.clear();
        cur.skip = 0;
        Some(cur)
    } else {
        None
    };
    Ok(PullPage {
        json: Vec::new(),
        records,
        next_cursor: next.map(|c| serde_json::to_string(&c).expect("the ledger cursor serializes")),
    })
}
