//! The set of integrations this server offers, looked up by vertical and slug.

use crate::Connector;
use std::sync::Arc;
use waybill_model::IntegrationType;

/// All connectors, keyed by (type, integration_name).
#[derive(Clone, Default)]
pub struct Registry {
    connectors: Vec<Arc<dyn Connector>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a connector.
    pub fn register(&mut self, c: Arc<dyn Connector>) {
        self.connectors.push(c);
    }

    /// Finds a connector.
    pub fn get(&self, ty: IntegrationType, name: &str) -> Option<Arc<dyn Connector>> {
        self.connectors
            .iter()
            .find(|c| {
                let d = c.descriptor();
                d.integration_type == ty && d.integration_name == name
            })
            .cloned()
    }

    /// The connectors of one vertical, in registration order.
    pub fn of_type(&self, ty: IntegrationType) -> Vec<Arc<dyn Connector>> {
        self.connectors
            .iter()
            .filter(|c| c.descriptor().integration_type == ty)
            .cloned()
            .collect()
    }
}
