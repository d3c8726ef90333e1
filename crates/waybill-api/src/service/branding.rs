//! Organization branding shown in the Link modal: a display name, a logo URL and an accent
//! colour, kept in the organization's `settings` JSON under `branding`.

use serde_json::{Map, Value};
use waybill_store::{OrgStore, SettingsStore, SqlStore};

/// A branding change. `None` keeps a value; `Some("")` removes it.
#[derive(Debug, Default, Clone)]
pub struct BrandingChange {
    /// Name shown in the modal's header instead of the organization's name.
    pub name: Option<String>,
    /// Logo URL (`http(s)://…`).
    pub logo_url: Option<String>,
    /// Accent colour, `#RRGGBB`.
    pub accent_color: Option<String>,
}

/// Why a branding change was refused.
#[derive(Debug, thiserror::Error)]
pub enum BrandingError {
    /// No such organization.
    #[error("no organization {0}")]
    UnknownOrg(String),
    /// A value has the wrong shape.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] waybill_store::StoreError),
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn check(c: &BrandingChange) -> Result<(), BrandingError> {
    if let Some(n) = c.name.as_deref() {
        if n.chars().count() > 100 {
            return Err(BrandingError::Invalid(
                "--name must be at most 100 characters".into(),
            ));
        }
    }
    if let Some(u) = c.logo_url.as_deref().filter(|u| !u.is_empty()) {
        let ok = (u.starts_with("https://") || u.starts_with("http://"))
            && u.len() <= 2048
            && !u.chars().any(|ch| ch.is_whitespace() || ch.is_control());
        if !ok {
            return Err(BrandingError::Invalid(
                "--logo-url must be an http:// or https:// URL without spaces".into(),
            ));
        }
    }
    if let Some(col) = c.accent_color.as_deref().filter(|col| !col.is_empty()) {
        if !is_hex_color(col) {
            return Err(BrandingError::Invalid(
                "--accent-color must look like #RRGGBB".into(),
            ));
        }
    }
    Ok(())
}

/// Applies a change to an organization's branding and returns the resulting branding object.
pub async fn set_branding(
    store: &SqlStore,
    organization_id: &str,
    change: &BrandingChange,
) -> Result<Value, BrandingError> {
    check(change)?;
    let org = store
        .get_org(organization_id)
        .await?
        .ok_or_else(|| BrandingError::UnknownOrg(organization_id.into()))?;
    let mut settings: Map<String, Value> = serde_json::from_str(&org.settings).unwrap_or_default();
    let mut branding = settings
        .get("branding")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (key, value) in [
        ("name", &change.name),
        ("logo_url", &change.logo_url),
        ("accent_color", &change.accent_color),
    ] {
        match value.as_deref().map(str::trim) {
            None => {}
            Some("") => {
                branding.remove(key);
            }
            Some(v) => {
                let v = if key == "accent_color" {
                    v.to_ascii_lowercase()
                } else {
                    v.to_string()
                };
                branding.insert(key.into(), Value::String(v));
            }
        }
    }
    settings.insert("branding".into(), Value::Object(branding.clone()));
    if !store
        .set_org_settings(organization_id, &Value::Object(settings).to_string())
        .await?
    {
        return Err(BrandingError::UnknownOrg(organization_id.into()));
    }
    Ok(Value::Object(branding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked() {
        let bad_color = BrandingChange {
            accent_color: Some("red".into()),
            ..Default::default()
        };
        assert!(check(&bad_color).is_err());
        let bad_url = BrandingChange {
            logo_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        assert!(check(&bad_url).is_err());
        let good = BrandingChange {
            name: Some("Acme".into()),
            logo_url: Some("https://acme.test/l.png".into()),
            accent_color: Some("#12AbEf".into()),
        };
        assert!(check(&good).is_ok());
        let clear = BrandingChange {
            logo_url: Some(String::new()),
            accent_color: Some(String::new()),
            ..Default::default()
        };
        assert!(check(&clear).is_ok());
    }
}
