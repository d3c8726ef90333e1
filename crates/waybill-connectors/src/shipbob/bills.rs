//! ShipBob invoices (`GET /2026-01/invoices`) → canonical bills, with each invoice's
//! transactions (`GET /2026-01/invoices/{invoiceId}/transactions`) as its line items.
//!
//! One invoice is one bill. The canonical bill has no line-item member (it reads as one
//! charge), so the invoice's transactions — each with its fee type, amount and the shipment,
//! WRO or return it was charged for — go to `additional_fields.transactions`. ShipBob dates an
//! invoice by day only (`invoice_date`, `yyyy-mm-dd`): that day at 00:00 UTC is the bill's
//! `created_date` and `updated_date` (an invoice does not change once issued).

use super::{link_query, V};
use crate::http::{for_functions, VendorHttp};
use crate::values::{at, date, list, num, text, to_json, undated};
use serde_json::{json, Map, Value};
use waybill_connect::ConnectorError;
use waybill_model::records::Bill;

/// Largest transactions page ShipBob serves.
const TRANSACTIONS_PAGE: &str = "1000";

/// Transaction pages one invoice may take before the pull fails loudly rather than loop on
/// a `next` link that never ends (1,000 pages of 1,000 is far beyond any weekly invoice).
const MAX_TRANSACTION_PAGES: usize = 1_000;

/// ShipBob's invoice type → the bill's `charge_type` (a free string in the canonical
/// record: `shipping`, `storage`, …). Unknown types are kept lower-cased, so nothing is
/// invented; the raw type stays in `additional_fields.invoice_type`.
pub fn charge_type(raw: &str) -> String {
    match raw {
        "Shipping" => "shipping".into(),
        "WarehouseStorage" => "storage".into(),
        "Inbound Fee" => "receiving".into(),
        "Return" => "return".into(),
        "AdditionalFee" => "additional_fee".into(),
        "Credits" => "credit".into(),
        "BalanceAdjustment" => "balance_adjustment".into(),
        "Payment" => "payment".into(),
        other => other.trim().to_lowercase().replace(' ', "_"),
    }
}

/// One invoice with its transactions as a canonical bill; `None` without an id.
pub fn map(invoice: &Value, transactions: &[Value]) -> Option<Value> {
    let id = text(invoice, "invoice_id")?;
    let dated = date(invoice, "invoice_date").unwrap_or_default();
    let raw = text(invoice, "invoice_type");
    let mut additional = Map::new();
    if let Some(t) = &raw {
        additional.insert("invoice_type".into(), json!(t));
    }
    if let Some(b) = at(invoice, "running_balance") {
        additional.insert("running_balance".into(), b.clone());
    }
    additional.insert(
        "transactions".into(),
        Value::Array(transactions.iter().map(line_item).collect()),
    );
    let bill = Bill {
        id,
        created_date: dated.clone(),
        updated_date: dated,
        charge_type: raw.as_deref().map(charge_type).unwrap_or("other".into()),
        amount: num(invoice, "amount").unwrap_or(0.0),
        currency_code: text(invoice, "currency_code").unwrap_or_else(|| "USD".into()),
        additional_fields: additional,
        ..Default::default()
    };
    Some(undated(to_json(&bill)))
}

/// A transaction as a line item: ShipBob's members as sent, without the invoice members
/// every transaction repeats (the bill already carries them).
fn line_item(t: &Value) -> Value {
    match t {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, v)| {
                    !v.is_null()
                        && !matches!(k.as_str(), "invoice_id" | "invoice_date" | "invoice_type")
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Every transaction of invoice `id`, following ShipBob's `next` links to the end.
pub async fn transactions(http: &VendorHttp, id: &str) -> Result<Vec<Value>, ConnectorError> {
    let path = format!("{V}/invoices/{id}/transactions");
    let mut query = vec![("PageSize".to_string(), TRANSACTIONS_PAGE.to_string())];
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..MAX_TRANSACTION_PAGES {
        let page = http
            .get(&path, &query)
            .await
            .map_err(|e| for_functions(e, &["get_bills"]))?;
        let items = list(&page, "items");
        out.extend(items.iter().cloned());
        let next = at(&page, "next")
            .and_then(Value::as_str)
            .filter(|_| !items.is_empty())
            .and_then(link_query);
        match next {
            // A link seen before would never end the invoice.
            Some(q) if seen.insert(q.clone()) => query = q,
            _ => return Ok(out),
        }
    }
    Err(ConnectorError::Transient(format!(
        "ShipBob invoice {id}: more than {MAX_TRANSACTION_PAGES} pages of transactions"
    )))
}
