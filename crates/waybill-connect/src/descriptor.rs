//! What an integration declares about itself: names, how it is installed, the credential
//! fields the Link modal renders, and the functions it implements.

use serde::Serialize;
use waybill_model::IntegrationType;

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
    /// Write functions it implements (`create_order`, …).
    pub write_functions: Vec<&'static str>,
    /// Functions eligible for on-demand sync jobs.
    pub on_demand_functions: Vec<&'static str>,
}

impl IntegrationDescriptor {
    /// Every function, reads first.
    pub fn functions(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.read_functions
            .iter()
            .chain(self.write_functions.iter())
            .copied()
    }

    /// Whether it implements `function`.
    pub fn implements(&self, function: &str) -> bool {
        self.functions().any(|f| f == function)
    }
}
