//! Organizations and API keys.

use crate::auth::API_KEY_PREFIX;
use serde_json::Value;
use waybill_connect::secrets::{hash_secret, random_token};
use waybill_model::{time, IntegrationType};
use waybill_store::{ApiKeyRow, OrgStore, Organization, SqlStore, StoreError};

/// A new API key: the full secret (shown once) and its row.
pub struct NewKey {
    /// `wbk_<prefix>_<secret>`; never stored.
    pub key: String,
    /// The lookup prefix.
    pub prefix: String,
}

/// Creates an organization with one full-access key.
pub async fn create_org(
    store: &SqlStore,
    name: &str,
) -> Result<(Organization, NewKey), StoreError> {
    let org = Organization {
        id: format!("org_{}", uuid::Uuid::new_v4().simple()),
        name: name.to_string(),
        created_at: time::now_str(),
        historical_lookback_days: 30,
        settings: "{}".into(),
    };
    store.create_org(&org).await?;
    let key = create_key(store, &org.id, false).await?;
    Ok((org, key))
}

/// Creates an API key for an organization.
pub async fn create_key(
    store: &SqlStore,
    org_id: &str,
    read_only: bool,
) -> Result<NewKey, StoreError> {
    let prefix = hex::encode(rand::random::<[u8; 6]>());
    let key = format!("{API_KEY_PREFIX}{prefix}_{}", random_token(32));
    store
        .create_api_key(&ApiKeyRow {
            prefix: prefix.clone(),
            organization_id: org_id.to_string(),
            key_hash: hash_secret(&key),
            read_only,
            created_at: time::now_str(),
            revoked_at: None,
        })
        .await?;
    Ok(NewKey { key, prefix })
}

/// Functions the organization disabled for a vertical.
pub fn disabled_functions(org: &Organization, ty: IntegrationType) -> Vec<String> {
    serde_json::from_str::<Value>(&org.settings)
        .ok()
        .and_then(|v| v.get("disabled_functions")?.get(ty.as_str()).cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Every function name of a vertical: its reads, its writes and `passthrough`.
pub fn known_functions(ty: IntegrationType) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = waybill_model::Resource::of(ty)
        .map(|r| r.function)
        .collect();
    for a in waybill_model::writes::WriteAction::of(ty) {
        if !out.contains(&a.function) {
            out.push(a.function);
        }
    }
    if matches!(ty, IntegrationType::Wms | IntegrationType::Cart) {
        out.push("passthrough");
    }
    out
}

/// Turns a function off (or back on) for every connection of a vertical in an organization.
/// Disabled functions answer 403 without contacting the vendor and leave
/// `available_actions`. Returns the new list.
pub async fn set_function_disabled(
    store: &waybill_store::SqlStore,
    org_id: &str,
    ty: IntegrationType,
    function: &str,
    disabled: bool,
) -> anyhow::Result<Vec<String>> {
    if !known_functions(ty).contains(&function) {
        anyhow::bail!(
            "{function} is not a {ty} function (known: {})",
            known_functions(ty).join(", ")
        );
    }
    let org = waybill_store::OrgStore::get_org(store, org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no organization {org_id}"))?;
    let mut list = disabled_functions(&org, ty);
    list.retain(|f| f != function);
    if disabled {
        list.push(function.to_string());
    }
    let mut settings: Value =
        serde_json::from_str(&org.settings).unwrap_or_else(|_| serde_json::json!({}));
    if !settings.is_object() {
        settings = serde_json::json!({});
    }
    if !settings["disabled_functions"].is_object() {
        settings["disabled_functions"] = serde_json::json!({});
    }
    settings["disabled_functions"][ty.as_str()] = serde_json::json!(list);
    waybill_store::SettingsStore::set_org_settings(store, org_id, &settings.to_string()).await?;
    Ok(list)
}
