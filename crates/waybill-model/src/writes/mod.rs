//! Writes (SPEC §12): the registry of write actions with their routes and base schemas, and
//! the checks every body passes before a vendor sees it.

pub mod base;
pub mod schema;
pub mod validate;

use crate::IntegrationType;
use serde_json::Value;

/// What a write route takes as its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON object checked against the schemas.
    Json,
    /// Nothing (cancels); an empty object is accepted too.
    Empty,
    /// `multipart/form-data` (attaching a file).
    Multipart,
}

/// One write action: the function that gates it, its route, and the resource it returns.
#[derive(Debug, Clone, Copy)]
pub struct WriteAction {
    /// Function name, e.g. `create_order`; also the `action` of `write_operations`.
    pub function: &'static str,
    /// The vertical whose prefix the route lives under.
    pub vertical: IntegrationType,
    /// `POST` or `PUT`.
    pub method: &'static str,
    /// Route below the prefix, e.g. `orders/{order_id}/cancel`.
    pub route: &'static str,
    /// Key of the resource whose record the write returns and stores.
    pub resource: &'static str,
    /// The body it takes.
    pub body: BodyKind,
    /// The base schema of the body.
    pub base: fn() -> Value,
    /// One line for documentation.
    pub summary: &'static str,
}

impl WriteAction {
    /// The full route, e.g. `/wms/orders/{order_id}`.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.vertical.as_str(), self.route)
    }

    /// `POST /wms/orders`, as `write_operations` name a url.
    pub fn label(&self) -> String {
        format!("{} {}", self.method, self.path())
    }

    /// Whether the route names a target record (`…/{id}`).
    pub fn has_target(&self) -> bool {
        self.route.contains('{')
    }

    /// The write action of a function in a vertical.
    pub fn find(vertical: IntegrationType, function: &str) -> Option<&'static WriteAction> {
        WRITE_ACTIONS
            .iter()
            .find(|a| a.vertical == vertical && a.function == function)
    }

    /// The write actions of a vertical.
    pub fn of(vertical: IntegrationType) -> impl Iterator<Item = &'static WriteAction> {
        WRITE_ACTIONS.iter().filter(move |a| a.vertical == vertical)
    }
}

macro_rules! action {
    ($f:literal, $v:ident, $m:literal, $r:literal, $res:literal, $b:ident, $t:ty, $s:literal) => {
        WriteAction {
            function: $f,
            vertical: IntegrationType::$v,
            method: $m,
            route: $r,
            resource: $res,
            body: BodyKind::$b,
            base: schema::schema_of::<$t>,
            summary: $s,
        }
    };
}

/// Every write action (SPEC §1.5 and §12.2).
pub static WRITE_ACTIONS: &[WriteAction] = &[
    action!(
        "create_order",
        Wms,
        "POST",
        "orders",
        "wms.orders",
        Json,
        base::CreateOrder,
        "Create an order"
    ),
    action!(
        "update_order",
        Wms,
        "PUT",
        "orders/{order_id}",
        "wms.orders",
        Json,
        base::UpdateOrder,
        "Update an order"
    ),
    action!(
        "cancel_order",
        Wms,
        "PUT",
        "orders/{order_id}/cancel",
        "wms.orders",
        Empty,
        base::NoBody,
        "Cancel an order"
    ),
    action!(
        "create_order_shipment",
        Wms,
        "POST",
        "orders/{order_id}/shipments",
        "wms.orders",
        Json,
        base::CreateOrderShipment,
        "Ship an order"
    ),
    action!(
        "attach_order_file",
        Wms,
        "POST",
        "orders/{order_id}/file",
        "wms.orders",
        Multipart,
        base::NoBody,
        "Attach a file to an order"
    ),
    action!(
        "create_product",
        Wms,
        "POST",
        "products",
        "wms.products",
        Json,
        base::Product,
        "Create a product"
    ),
    action!(
        "update_product",
        Wms,
        "PUT",
        "products/{product_id}",
        "wms.products",
        Json,
        base::Product,
        "Update a product"
    ),
    action!(
        "create_kit",
        Wms,
        "POST",
        "kits",
        "wms.products",
        Json,
        base::Kit,
        "Create a kit"
    ),
    action!(
        "update_kit",
        Wms,
        "PUT",
        "kits/{kit_id}",
        "wms.products",
        Json,
        base::Kit,
        "Update a kit"
    ),
    action!(
        "create_inbound_shipment",
        Wms,
        "POST",
        "inbound-shipments",
        "wms.inbound_shipments",
        Json,
        base::InboundShipment,
        "Create an inbound shipment"
    ),
    action!(
        "update_inbound_shipment",
        Wms,
        "PUT",
        "inbound-shipments/{inbound_shipment_id}",
        "wms.inbound_shipments",
        Json,
        base::InboundShipment,
        "Update an inbound shipment"
    ),
    action!(
        "receive_inbound_shipment",
        Wms,
        "PUT",
        "inbound-shipments/{inbound_shipment_id}/receive",
        "wms.inbound_shipments",
        Json,
        base::ReceiveInboundShipment,
        "Receive an inbound shipment"
    ),
    action!(
        "create_return",
        Wms,
        "POST",
        "returns",
        "wms.returns",
        Json,
        base::Return,
        "Create a return"
    ),
    action!(
        "update_return",
        Wms,
        "PUT",
        "returns/{return_id}",
        "wms.returns",
        Json,
        base::Return,
        "Update a return"
    ),
    action!(
        "cancel_return",
        Wms,
        "PUT",
        "returns/{return_id}/cancel",
        "wms.returns",
        Empty,
        base::NoBody,
        "Cancel a return"
    ),
    action!(
        "adjust_inventory",
        Wms,
        "PUT",
        "inventory/{inventory_id}/adjust",
        "wms.inventory",
        Json,
        base::AdjustInventory,
        "Adjust an inventory item"
    ),
    action!(
        "adjust_inventory",
        Cart,
        "PUT",
        "products/{product_id}/adjust-inventory",
        "cart.products",
        Json,
        base::AdjustCartInventory,
        "Adjust a product's stock"
    ),
    action!(
        "batch_adjust_inventory",
        Cart,
        "PUT",
        "products/batch-adjust-inventory",
        "cart.products",
        Json,
        base::BatchAdjustCartInventory,
        "Adjust several products' stock"
    ),
    action!(
        "create_order_shipment",
        Cart,
        "POST",
        "orders/{order_id}/shipments",
        "cart.orders",
        Json,
        base::CreateCartShipment,
        "Ship a cart order"
    ),
    action!(
        "refund_order",
        Cart,
        "POST",
        "orders/{order_id}/refund",
        "cart.orders",
        Json,
        base::Refund,
        "Refund a cart order"
    ),
];
