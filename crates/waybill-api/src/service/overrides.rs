//! Per-connection function overrides. The organization disables functions per vertical; an
//! install can turn more off (Link's `disabledFunctions`, a magic link's
//! `disabled_functions`) or turn some of those back on for one connection (a magic link's
//! `enabled_functions`). They live in the connection's `settings` JSON and decide what it
//! offers and what gets scheduled.

use crate::error::ApiError;
use crate::service::orgs::disabled_functions;
use crate::state::AppState;
use serde_json::{Map, Value};
use waybill_model::{IntegrationType, Resource};
use waybill_store::{ConnectionRow, ConnectionStore, Organization, SettingsStore};
use waybill_sync::schedule;

const DISABLED: &str = "disabled_functions";
const ENABLED: &str = "enabled_functions";

/// Functions one connection adds to or removes from its organization's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionOverrides {
    /// Turned off for this connection, on top of the organization's list.
    pub disabled: Vec<String>,
    /// Organization-disabled functions turned back on for this connection.
    pub enabled: Vec<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn push_unique(into: &mut Vec<String>, from: &[String]) {
    for f in from {
        if !into.contains(f) {
            into.push(f.clone());
        }
    }
}

impl FunctionOverrides {
    /// Reads the overrides out of a settings JSON document; anything unreadable means none.
    pub fn from_settings(settings: &str) -> Self {
        let v: Value = serde_json::from_str(settings).unwrap_or(Value::Null);
        FunctionOverrides {
            disabled: strings(v.get(DISABLED)),
            enabled: strings(v.get(ENABLED)),
        }
    }

    /// Whether the connection simply follows its organization.
    pub fn is_empty(&self) -> bool {
        self.disabled.is_empty() && self.enabled.is_empty()
    }

    /// Both sets of overrides; a function disabled by either stays disabled.
    pub fn union(mut self, other: &FunctionOverrides) -> Self {
        push_unique(&mut self.disabled, &other.disabled);
        push_unique(&mut self.enabled, &other.enabled);
        self
    }

    /// Writes the overrides into a settings JSON document, keeping its other members.
    pub fn write_into(&self, settings: &str) -> String {
        let mut m: Map<String, Value> = serde_json::from_str(settings).unwrap_or_default();
        for (key, list) in [(DISABLED, &self.disabled), (ENABLED, &self.enabled)] {
            if list.is_empty() {
                m.remove(key);
            } else {
                m.insert(key.into(), Value::from(list.clone()));
            }
        }
        Value::Object(m).to_string()
    }
}

/// Functions a connection of `integration_name` offers under these overrides.
pub fn actions(
    state: &AppState,
    org: &Organization,
    ty: IntegrationType,
    integration_name: &str,
    o: &FunctionOverrides,
) -> Vec<String> {
    let Some(c) = state.registry.get(ty, integration_name) else {
        return Vec::new();
    };
    let org_off = disabled_functions(org, ty);
    c.descriptor()
        .functions()
        .filter(|f| !o.disabled.iter().any(|d| d == f))
        .filter(|f| !org_off.iter().any(|d| d == f) || o.enabled.iter().any(|e| e == f))
        .map(str::to_string)
        .collect()
}

/// What an existing connection offers, reading the overrides from its settings.
pub fn connection_actions(
    state: &AppState,
    org: &Organization,
    conn: &ConnectionRow,
) -> Vec<String> {
    let ty: IntegrationType = conn
        .integration_type
        .parse()
        .unwrap_or(IntegrationType::Wms);
    actions(
        state,
        org,
        ty,
        &conn.integration_name,
        &FunctionOverrides::from_settings(&conn.settings),
    )
}

/// Applies overrides to a connection that was just created: stores them in its settings and
/// recreates its schedules from what it now offers. A no-op without overrides.
pub async fn apply_to_new(
    state: &AppState,
    org: &Organization,
    conn: &ConnectionRow,
    o: &FunctionOverrides,
) -> Result<(), ApiError> {
    if o.is_empty() {
        return Ok(());
    }
    state
        .store
        .set_connection_settings(&conn.id, &o.write_into(&conn.settings))
        .await?;
    let ty: IntegrationType = conn
        .integration_type
        .parse()
        .unwrap_or(IntegrationType::Wms);
    // Same rule as a plain install: sandboxes sync everything, others what is on by default.
    let scheduled: Vec<String> = actions(state, org, ty, &conn.integration_name, o)
        .into_iter()
        .filter(|f| {
            Resource::by_function(ty, f).is_some_and(|r| conn.is_sandbox || r.on_by_default)
        })
        .collect();
    state
        .store
        .reset_schedules(&conn.id, &schedule::initial(&conn.id, ty, &scheduled))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_round_trip_through_settings_and_keep_other_members() {
        let o = FunctionOverrides {
            disabled: vec!["get_orders".into()],
            enabled: vec![],
        };
        let s = o.write_into(r#"{"other": 1}"#);
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["other"], 1);
        assert_eq!(FunctionOverrides::from_settings(&s), o);
        assert!(FunctionOverrides::from_settings("not json").is_empty());
    }

    #[test]
    fn union_keeps_each_function_once() {
        let a = FunctionOverrides {
            disabled: vec!["a".into()],
            enabled: vec![],
        };
        let b = FunctionOverrides {
            disabled: vec!["a".into(), "b".into()],
            enabled: vec!["c".into()],
        };
        let u = a.union(&b);
        assert_eq!(u.disabled, vec!["a", "b"]);
        assert_eq!(u.enabled, vec!["c"]);
    }
}
