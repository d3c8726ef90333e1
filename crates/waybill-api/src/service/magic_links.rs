//! Magic-link rules shared by the API routes, the hosted page and the Link session routes:
//! the JSON shape, which integrations a link offers, and whether it may still be used.

use crate::error::ApiError;
use crate::service::overrides::FunctionOverrides;
use crate::state::AppState;
use serde_json::{json, Value};
use waybill_model::time;
use waybill_store::{MagicLinkRow, MagicLinkStore};

/// The shareable address of a magic link's hosted page.
pub fn url(state: &AppState, id: &str) -> String {
    format!("{}/magic-link/{id}", state.config.public_url)
}

/// Whether `id` has the shape of a magic link id (32 lowercase hex characters), so other
/// strings are refused before they reach the database.
pub fn is_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new random id.
pub fn new_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The `MagicLink` object: the reference schema's members plus `connection_id`, the function
/// overrides and the shareable `url`.
pub fn view(state: &AppState, m: &MagicLinkRow) -> Value {
    json!({
        "id": m.id,
        "expires_at": m.expires_at,
        "integration_type": m.integration_type,
        "integration_allow_list": m.integration_allow_list,
        "integration_block_list": m.integration_block_list,
        "integrations_with_endpoints": m.integrations_with_endpoints,
        "customer_id": m.customer_id,
        "connection_id": m.connection_id,
        "disabled_functions": m.disabled_functions,
        "enabled_functions": m.enabled_functions,
        "url": url(state, &m.id),
    })
}

/// The function overrides a connection installed through this link starts with.
pub fn overrides(m: &MagicLinkRow) -> FunctionOverrides {
    FunctionOverrides {
        disabled: m.disabled_functions.clone(),
        enabled: m.enabled_functions.clone(),
    }
}

/// Whether the link lets its customer install `integration_name`, which offers `actions`.
/// The sandbox is offered only when the allow list names it.
pub fn offers(
    m: &MagicLinkRow,
    integration_type: &str,
    integration_name: &str,
    actions: &[String],
) -> bool {
    if integration_type != m.integration_type {
        return false;
    }
    if !m.integration_allow_list.is_empty() {
        return m
            .integration_allow_list
            .iter()
            .any(|a| a == integration_name);
    }
    integration_name != "sandbox"
        && !m
            .integration_block_list
            .iter()
            .any(|b| b == integration_name)
        && m.integrations_with_endpoints
            .iter()
            .all(|f| actions.contains(f))
}

/// The modal's configuration for a magic link, in `main.js`'s config vocabulary.
pub fn modal_config(m: &MagicLinkRow) -> Value {
    json!({
        "integrationType": m.integration_type,
        "sandbox": m.integration_allow_list.iter().any(|a| a == "sandbox"),
        "integrationAllowList": m.integration_allow_list,
        "integrationBlockList": m.integration_block_list,
        "integrationsWithEndpoints": m.integrations_with_endpoints,
        "disabledFunctions": m.disabled_functions,
    })
}

/// Why a magic link cannot be used, for people: a title and a sentence.
pub enum Refusal {
    /// No such link (or not one at all).
    Unknown,
    /// The organization deleted it.
    Deleted,
    /// Past `expires_at`.
    Expired(String),
}

impl Refusal {
    /// A short title for the refusal page.
    pub fn title(&self) -> &'static str {
        match self {
            Refusal::Unknown => "This link is not valid",
            Refusal::Deleted => "This link is no longer active",
            Refusal::Expired(_) => "This link has expired",
        }
    }

    /// What happened and what to do.
    pub fn message(&self) -> String {
        match self {
            Refusal::Unknown => {
                "Check that you copied the whole address, or ask the sender for a new link.".into()
            }
            Refusal::Deleted => "The sender deleted this link. Ask them for a new one.".into(),
            Refusal::Expired(at) => {
                format!("This link expired at {at}. Ask the sender for a new link.")
            }
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let error = format!("{} {}", r.title(), r.message());
        match r {
            Refusal::Unknown | Refusal::Deleted => ApiError::NotFound { error, id: None },
            Refusal::Expired(_) => ApiError::BadRequest(error),
        }
    }
}

/// Loads a magic link that can still start an install, or says why not.
pub async fn live(state: &AppState, id: &str) -> Result<Result<MagicLinkRow, Refusal>, ApiError> {
    if !is_id(id) {
        return Ok(Err(Refusal::Unknown));
    }
    Ok(match state.store.get_magic_link(id).await? {
        None => Err(Refusal::Unknown),
        Some(m) if m.deleted_at.is_some() => Err(Refusal::Deleted),
        Some(m) if !m.is_live(&time::now_str()) => Err(Refusal::Expired(m.expires_at)),
        Some(m) => Ok(m),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(allow: &[&str], block: &[&str], endpoints: &[&str]) -> MagicLinkRow {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        MagicLinkRow {
            id: "0".repeat(32),
            organization_id: "org".into(),
            connection_id: None,
            customer_id: None,
            integration_type: "wms".into(),
            integration_allow_list: v(allow),
            integration_block_list: v(block),
            integrations_with_endpoints: v(endpoints),
            disabled_functions: vec![],
            enabled_functions: vec![],
            created_at: "2026-01-01T00:00:00Z".into(),
            expires_at: "2026-01-08T00:00:00Z".into(),
            deleted_at: None,
        }
    }

    #[test]
    fn offers_follows_the_lists() {
        let acts = vec!["get_orders".to_string()];
        assert!(offers(
            &link(&["sandbox"], &[], &[]),
            "wms",
            "sandbox",
            &acts
        ));
        assert!(!offers(
            &link(&["sandbox"], &[], &[]),
            "cart",
            "sandbox",
            &acts
        ));
        assert!(
            !offers(&link(&[], &[], &[]), "wms", "sandbox", &acts),
            "sandbox only when allow-listed"
        );
        assert!(offers(&link(&[], &[], &[]), "wms", "shipbob", &acts));
        assert!(!offers(
            &link(&[], &["shipbob"], &[]),
            "wms",
            "shipbob",
            &acts
        ));
        assert!(!offers(
            &link(&[], &[], &["get_returns"]),
            "wms",
            "shipbob",
            &acts
        ));
    }

    #[test]
    fn ids_are_32_lowercase_hex() {
        assert!(is_id(&new_id()));
        assert!(!is_id("ABCDEF0123456789ABCDEF0123456789"));
        assert!(!is_id("../../etc/passwd"));
    }
}
