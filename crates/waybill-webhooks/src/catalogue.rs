//! The event types an endpoint may filter on (SPEC §11.3), so a typo in a filter is a 422
//! rather than an endpoint that silently never receives anything.

use waybill_model::resource::ALL_RESOURCES;

/// The type of the events `POST /webhooks/endpoints/{id}/test` sends.
pub const TEST_EVENT_TYPE: &str = "webhook.test";

/// Events about connections and installs rather than records.
const ADMIN_EVENTS: &[&str] = &[
    "connection.created",
    "connection.deleted",
    "connection.historical-sync-completed",
    "connection.force-sync-completed",
    "connection.sync-job-completed",
    "connection.sync-job-stuck",
    "connection.sync-job-cancelled",
    "connection.schedule-stuck",
    "connection-error.created",
    "connection-error.updated",
    "connection-error.deleted",
    "install.failed",
];

/// Record events beyond `<resource>.created/updated`.
const EXTRA_EVENTS: &[&str] = &[
    "order.shipment.created",
    "cart-order.cart-shipment.created",
    "inbound-shipment.receipt.created",
    "carrier-file.created",
];

/// Every event type Waybill can send, sorted and without duplicates.
pub fn event_types() -> Vec<String> {
    let mut all: Vec<String> = ADMIN_EVENTS
        .iter()
        .chain(EXTRA_EVENTS)
        .map(|s| s.to_string())
        .collect();
    all.push(TEST_EVENT_TYPE.to_string());
    for r in ALL_RESOURCES {
        for verb in ["created", "updated"] {
            if let Some(t) = r.event_type(verb) {
                all.push(t);
            }
        }
    }
    all.sort();
    all.dedup();
    all
}

/// Whether `t` is an event type Waybill sends.
pub fn is_known(t: &str) -> bool {
    event_types().iter().any(|k| k == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_record_and_admin_events() {
        assert!(is_known("order.updated"));
        assert!(is_known("connection.created"));
        assert!(is_known("webhook.test"));
        assert!(!is_known("order.deleted"));
        assert!(!is_known(""));
    }
}
