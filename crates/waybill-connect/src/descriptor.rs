//! What an integration declares about itself: names, how it is installed, the credential
//! fields the Link modal renders, and the functions it implements.

use serde::Serialize;
use serde_json::Value;
use waybill_model::writes::{schema::schema_of, WriteAction};
use waybill_model::IntegrationType;

/// An integration's own schema of one write (SPEC §12.3): a closed JSON Schema naming the
/// base members it uses and requires and the members it adds. Generated from a Rust type,
/// so the type the connector deserializes and the schema clients see cannot drift apart.
#[derive(Debug, Clone)]
pub struct WriteVariant {
    /// The write function, e.g. `create_order`.
    pub function: &'static str,
    /// The body's JSON Schema.
    pub schema: Value,
}

impl WriteVariant {
    /// The variant whose schema is `T`'s.
    pub fn of<T: schemars::JsonSchema>(function: &'static str) -> Self {
        Self {
            function,
            schema: schema_of::<T>(),
        }
    }

    /// A variant that takes the base body of `function` as it is.
    pub fn base(vertical: IntegrationType, function: &'static str) -> Self {
        let schema = WriteAction::find(vertical, function)
            .map(|a| (a.base)())
            .unwrap_or_else(|| serde_json::json!({"type": "object"}));
        Self { function, schema }
    }
}

/// How an end customer installs the integration.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum InstallMethod {
    /// A credential form.
    Input,
    /// An OAuth redirect.
    Oauth,
}

/// One credential field of the install form.
#[derive(Debug, Clone, Serialize)]
pub struct AuthField {
    /// Key in the credentials object.
    pub name: &'static str,
    /// Label shown to the customer.
    pub label: &'static str,
    /// Whether the value is masked in the form.
    pub secret: bool,
    /// Whether the form may be submitted without it.
    pub required: bool,
    /// Help text under the field.
    pub help: &'static str,
}

/// The static description of an integration.
#[derive(Debug, Clone)]
pub struct IntegrationDescriptor {
    /// Slug, e.g. `sandbox` or `shipbob`.
    pub integration_name: &'static str,
    /// Human name, e.g. "WMS Sandbox".
    pub display_name: &'static str,
    /// The vertical it belongs to.
    pub integration_type: IntegrationType,
    /// One sentence for the catalogue.
    pub description: &'static str,
    /// Logo, served by Waybill or `None` for initials.
    pub logo_url: Option<&'static str>,
    /// Install method.
    pub install_method: InstallMethod,
    /// Credential fields.
    pub auth_fields: Vec<AuthField>,
    /// Read functions it implements (`get_orders`, …).
    pub read_functions: Vec<&'static str>,
    /// The writes it implements, each with the integration's own schema of the body.
    pub writes: Vec<WriteVariant>,
    /// Whether `passthrough` reaches the vendor's own HTTP API.
    pub passthrough: bool,
    /// The vendor API's base URL; a connection may override it with a `base_url` credential
    /// (the vendor's sandbox, or a test server).
    pub base_url: Option<&'static str>,
    /// Functions eligible for on-demand sync jobs.
    pub on_demand_functions: Vec<&'static str>,
}

impl IntegrationDescriptor {
    /// Every function, reads first, then writes, then `passthrough`.
    pub fn functions(&self) -> impl Iterator<Item = &'static str> + '_ {
        let mut writes: Vec<&'static str> = Vec::new();
        for w in &self.writes {
            if !writes.contains(&w.function) {
                writes.push(w.function);
            }
        }
        self.read_functions
            .iter()
            .copied()
            .chain(writes)
            .chain(self.passthrough.then_some("passthrough"))
    }

    /// The integration's schema of a write function.
    pub fn write(&self, function: &str) -> Option<&WriteVariant> {
        self.writes.iter().find(|w| w.function == function)
    }

    /// Whether it implements `function`.
    pub fn implements(&self, function: &str) -> bool {
        self.functions().any(|f| f == function)
    }
}
