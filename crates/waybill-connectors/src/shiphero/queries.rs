//! Every GraphQL document the connector sends, in one place so the tests can check them all
//! against ShipHero's schema. Each operation is named (the name keys the credit estimate) and
//! asks for `request_id` and `complexity` so the credits spent are known.

/// A read: its operation name, the query's top field, and the document.
pub struct Read {
    /// GraphQL operation name.
    pub operation: &'static str,
    /// The top field, whose `data` holds the records.
    pub root: &'static str,
    /// The document.
    pub query: &'static str,
}

/// The members of a ShipHero `Order` that `orders::map` reads. One list for every document
/// that returns orders (the read, the single-order read-back, and the order mutations), so
/// they cannot drift apart.
macro_rules! order_fields {
    () => {
        "      id legacy_id order_number partner_order_id shop_name fulfillment_status order_date
      total_tax subtotal total_discounts total_price account_id warehouse_id created_at
      updated_at email profile gift_note packing_note required_ship_date tags holds
      shipping_lines { title carrier method price }
      shipping_address {
        first_name last_name company address1 address2 city state state_code zip
        country country_code email phone
      }
      line_items { edges { node { id sku partner_line_item_id product_id quantity price product_name fulfillment_status quantity_pending_fulfillment quantity_shipped quantity_allocated backorder_quantity warehouse_id } } }
"
    };
}

/// The members of a ShipHero `PurchaseOrder` that `inbound::map` reads, shared by the read
/// and the purchase-order mutations for the same reason.
macro_rules! purchase_order_fields {
    () => {
        "      id legacy_id po_number account_id warehouse_id vendor_id created_at po_date
      date_closed arrived_at fulfillment_status po_note packing_note description
      partner_order_number subtotal total_price shipping_method shipping_carrier tracking_number
      line_items { edges { node { id sku vendor_sku product_id quantity quantity_received quantity_rejected price product_name fulfillment_status updated_at vendor { id name } } } }
"
    };
}

/// The account: identifiers for `me`, and its warehouses.
pub const ACCOUNT: Read = Read {
    operation: "Account",
    root: "account",
    query: "query Account {
  account {
    request_id
    complexity
    data {
      id
      legacy_id
      email
      username
      status
      is_3pl
      is_multi_warehouse
      warehouses {
        id
        legacy_id
        account_id
        identifier
        company_name
        company_alias
        phone_number
        invoice_email
        profile
        active
        address { name address1 address2 city state country zip phone }
        return_address { name address1 address2 city state country zip phone }
      }
    }
  }
}",
};

/// Orders changed in a window, a page at a time.
pub const ORDERS: Read = Read {
    operation: "Orders",
    root: "orders",
    query: concat!(
        "query Orders($updated_from: String, $updated_to: String, $first: Int, $after: String) {
  orders(updated_from: $updated_from, updated_to: $updated_to, first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
",
        order_fields!(),
        "        }
      }
    }
  }
}"
    ),
};

/// Products, a page at a time (ShipHero has no updated-since filter on products).
pub const PRODUCTS: Read = Read {
    operation: "Products",
    root: "products",
    query: "query Products($customer_account_id: String, $first: Int, $after: String) {
  products(customer_account_id: $customer_account_id, first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          legacy_id
          account_id
          name
          sku
          price
          value
          value_currency
          barcode
          country_of_manufacture
          tariff_code
          kit
          kit_build
          virtual
          active
          needs_lot_tracking
          is_assembly
          vendor_part_number
          created_at
          updated_at
          dimensions { weight height width length }
        }
      }
    }
  }
}",
};

/// Stock per product and warehouse: products with their warehouse products, a page at a time.
pub const INVENTORY: Read = Read {
    operation: "Inventory",
    root: "products",
    query: "query Inventory($customer_account_id: String, $first: Int, $after: String) {
  products(customer_account_id: $customer_account_id, first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          account_id
          name
          sku
          value
          active
          dimensions { weight height width length }
          warehouse_products {
            id
            warehouse_id
            warehouse_identifier
            on_hand
            allocated
            available
            backorder
            non_sellable_quantity
            reserve_inventory
            in_tote
            sell_ahead
            inventory_bin
            value
            active
            updated_at
          }
        }
      }
    }
  }
}",
};

/// Purchase orders (Waybill's inbound shipments), a page at a time.
pub const PURCHASE_ORDERS: Read = Read {
    operation: "PurchaseOrders",
    root: "purchase_orders",
    query: concat!(
        "query PurchaseOrders($first: Int, $after: String) {
  purchase_orders(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
",
        purchase_order_fields!(),
        "        }
      }
    }
  }
}"
    ),
};

/// Returns, a page at a time.
pub const RETURNS: Read = Read {
    operation: "Returns",
    root: "returns",
    query: "query Returns($first: Int, $after: String) {
  returns(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          legacy_id
          account_id
          order_id
          partner_id
          reason
          status
          label_type
          label_cost
          cost_to_customer
          shipping_carrier
          shipping_method
          dimensions { weight height width length }
          labels { id tracking_number status created_date carrier shipping_method cost }
          line_items {
            id
            line_item_id
            warehouse_id
            product_id
            quantity
            quantity_received
            restock
            condition
            reason
            created_at
            updated_at
            line_item { sku }
          }
        }
      }
    }
  }
}",
};

/// Vendors (Waybill's inbound shipment suppliers), a page at a time.
pub const VENDORS: Read = Read {
    operation: "Vendors",
    root: "vendors",
    query: "query Vendors($first: Int, $after: String) {
  vendors(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          legacy_id
          name
          email
          account_number
          account_id
          currency
          partner_vendor_id
          created_at
        }
      }
    }
  }
}",
};

/// One product's SKU, for an inventory adjustment whose stored copy is not at hand.
pub const PRODUCT_SKU: Read = Read {
    operation: "ProductSku",
    root: "product",
    query: "query ProductSku($id: String) {
  product(id: $id) {
    request_id
    complexity
    data { id sku }
  }
}",
};

/// One order's line items, to find the line a return names by SKU.
pub const ORDER_LINES: Read = Read {
    operation: "OrderLines",
    root: "order",
    query: "query OrderLines($id: String!) {
  order(id: $id) {
    request_id
    complexity
    data {
      id
      line_items { edges { node { id sku } } }
    }
  }
}",
};

/// Ad hoc charges (Waybill's bills), a page at a time. ShipHero's `bills` carry a status and
/// a billing period but no amount, so the charges are what Waybill's bills are made of.
pub const AD_HOC_CHARGES: Read = Read {
    operation: "AdHocCharges",
    root: "ad_hoc_charges",
    query: "query AdHocCharges($first: Int, $after: String) {
  ad_hoc_charges(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          legacy_id
          account_id
          warehouse_id
          bill_id
          description
          amount
          created_at
        }
      }
    }
  }
}",
};

/// Locations (bins) of every warehouse, a page at a time.
pub const LOCATIONS: Read = Read {
    operation: "Locations",
    root: "locations",
    query: "query Locations($first: Int, $after: String) {
  locations(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          legacy_id
          account_id
          warehouse_id
          name
          zone
          pickable
          sellable
          staging
          is_cart
          pick_priority
          temperature
          length
          width
          height
          max_weight
          dimensions { weight height width length }
          type { id name category daily_storage_cost is_lpn_allowed }
        }
      }
    }
  }
}",
};

/// Inventory changes (Waybill's inventory ledger), a page at a time. The query takes no
/// date arguments, so every page is read and filtered by `created_at`.
pub const INVENTORY_CHANGES: Read = Read {
    operation: "InventoryChanges",
    root: "inventory_changes",
    query: "query InventoryChanges($first: Int, $after: String) {
  inventory_changes(first: $first, after: $after) {
    request_id
    complexity
    data {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id
          account_id
          warehouse_id
          sku
          previous_on_hand
          change_in_on_hand
          reason
          cycle_counted
          location_id
          created_at
        }
      }
    }
  }
}",
};

/// One order in the shape the `Orders` read maps, to answer a shipment write with the order.
pub const ORDER: Read = Read {
    operation: "Order",
    root: "order",
    query: concat!(
        "query Order($id: String!) {
  order(id: $id) {
    request_id
    complexity
    data {
",
        order_fields!(),
        "    }
  }
}"
    ),
};

/// Operation name of the product-id lookup behind ledger entries (see [`ledger_products`]).
pub const LEDGER_PRODUCTS: &str = "LedgerProducts";

/// The one request that finds the product (Waybill's inventory item) of each of `n` SKUs:
/// ShipHero's inventory changes name only a SKU and `products` filters by one SKU, so each
/// SKU gets an aliased `products(sku: $sN, first: 1)` field (`pN`) in a single document,
/// rather than a call per SKU. Its top field for credits is `p0`.
pub fn ledger_products(n: usize) -> String {
    let vars: String = (0..n).map(|i| format!(", $s{i}: String")).collect();
    let fields: String = (0..n)
        .map(|i| {
            format!(
                "  p{i}: products(sku: $s{i}, customer_account_id: $customer_account_id, first: 1) {{\n    request_id\n    complexity\n    data {{ edges {{ node {{ id sku }} }} }}\n  }}\n"
            )
        })
        .collect();
    format!("query {LEDGER_PRODUCTS}($customer_account_id: String{vars}) {{\n{fields}}}")
}

/// A mutation: its operation name, its top field (whose output carries `complexity`) and the
/// document. Each takes its input as `$data` (or `$id` for cancels).
pub struct Mutation {
    /// GraphQL operation name.
    pub operation: &'static str,
    /// The mutation field.
    pub root: &'static str,
    /// The document.
    pub query: &'static str,
}

/// `order_create`: the order comes back in the shape the reads map.
pub const ORDER_CREATE: Mutation = Mutation {
    operation: "OrderCreate",
    root: "order_create",
    query: concat!(
        "mutation OrderCreate($data: CreateOrderInput!) {
  order_create(data: $data) {
    request_id
    complexity
    order {
",
        order_fields!(),
        "    }
  }
}"
    ),
};

/// `order_update`.
pub const ORDER_UPDATE: Mutation = Mutation {
    operation: "OrderUpdate",
    root: "order_update",
    query: concat!(
        "mutation OrderUpdate($data: UpdateOrderInput!) {
  order_update(data: $data) {
    request_id
    complexity
    order {
",
        order_fields!(),
        "    }
  }
}"
    ),
};

/// `order_cancel`.
pub const ORDER_CANCEL: Mutation = Mutation {
    operation: "OrderCancel",
    root: "order_cancel",
    query: concat!(
        "mutation OrderCancel($id: String!) {
  order_cancel(id: $id) {
    request_id
    complexity
    order {
",
        order_fields!(),
        "    }
  }
}"
    ),
};

/// `product_create`.
pub const PRODUCT_CREATE: Mutation = Mutation {
    operation: "ProductCreate",
    root: "product_create",
    query: "mutation ProductCreate($data: CreateProductInput!) {
  product_create(data: $data) {
    request_id
    complexity
    product {
      id legacy_id account_id name sku price value value_currency barcode
      country_of_manufacture tariff_code kit kit_build virtual active needs_lot_tracking
      is_assembly vendor_part_number created_at updated_at
      dimensions { weight height width length }
    }
  }
}",
};

/// `purchase_order_create` (Waybill's `create_inbound_shipment`).
pub const PURCHASE_ORDER_CREATE: Mutation = Mutation {
    operation: "PurchaseOrderCreate",
    root: "purchase_order_create",
    query: concat!(
        "mutation PurchaseOrderCreate($data: CreatePurchaseOrderInput!) {
  purchase_order_create(data: $data) {
    request_id
    complexity
    purchase_order {
",
        purchase_order_fields!(),
        "    }
  }
}"
    ),
};

/// `return_create`.
pub const RETURN_CREATE: Mutation = Mutation {
    operation: "ReturnCreate",
    root: "return_create",
    query: "mutation ReturnCreate($data: CreateReturnInput!) {
  return_create(data: $data) {
    request_id
    complexity
    return {
      id legacy_id account_id order_id partner_id reason status label_type label_cost
      cost_to_customer shipping_carrier shipping_method
      dimensions { weight height width length }
      labels { id tracking_number status created_date carrier shipping_method cost }
      line_items {
        id line_item_id warehouse_id product_id quantity quantity_received restock condition
        reason created_at updated_at
        line_item { sku }
      }
    }
  }
}",
};

/// `shipment_create` (Waybill's `create_order_shipment`): the shipment comes back with its
/// lines and labels, mapped as an order shipment.
pub const SHIPMENT_CREATE: Mutation = Mutation {
    operation: "ShipmentCreate",
    root: "shipment_create",
    query: "mutation ShipmentCreate($data: CreateShipmentInput!) {
  shipment_create(data: $data) {
    request_id
    complexity
    shipment {
      id legacy_id order_id warehouse_id profile picked_up needs_refund refunded delivered
      shipped_off_shiphero dropshipment completed created_date
      address { name address1 address2 city state country zip phone }
      line_items { edges { node { id line_item_id quantity line_item { sku product_id } } } }
      shipping_labels { id tracking_number carrier shipping_method cost created_at }
    }
  }
}",
};

/// `purchase_order_update` (Waybill's `update_inbound_shipment`).
pub const PURCHASE_ORDER_UPDATE: Mutation = Mutation {
    operation: "PurchaseOrderUpdate",
    root: "purchase_order_update",
    query: concat!(
        "mutation PurchaseOrderUpdate($data: UpdatePurchaseOrderInput!) {
  purchase_order_update(data: $data) {
    request_id
    complexity
    purchase_order {
",
        purchase_order_fields!(),
        "    }
  }
}"
    ),
};

/// `inventory_add`: an increase.
pub const INVENTORY_ADD: Mutation = Mutation {
    operation: "InventoryAdd",
    root: "inventory_add",
    query: "mutation InventoryAdd($data: InventoryAddInput!) {
  inventory_add(data: $data) {
    request_id
    complexity
  }
}",
};

/// `inventory_remove`: a decrease.
pub const INVENTORY_REMOVE: Mutation = Mutation {
    operation: "InventoryRemove",
    root: "inventory_remove",
    query: "mutation InventoryRemove($data: InventoryRemoveInput!) {
  inventory_remove(data: $data) {
    request_id
    complexity
  }
}",
};

/// Every read document, for schema checks.
pub const ALL_READS: &[&Read] = &[
    &ACCOUNT,
    &ORDERS,
    &PRODUCTS,
    &INVENTORY,
    &PURCHASE_ORDERS,
    &RETURNS,
    &VENDORS,
    &PRODUCT_SKU,
    &ORDER_LINES,
    &AD_HOC_CHARGES,
    &LOCATIONS,
    &INVENTORY_CHANGES,
    &ORDER,
];

/// Every mutation document, for schema checks.
pub const ALL_MUTATIONS: &[&Mutation] = &[
    &ORDER_CREATE,
    &ORDER_UPDATE,
    &ORDER_CANCEL,
    &PRODUCT_CREATE,
    &PURCHASE_ORDER_CREATE,
    &RETURN_CREATE,
    &INVENTORY_ADD,
    &INVENTORY_REMOVE,
    &SHIPMENT_CREATE,
    &PURCHASE_ORDER_UPDATE,
];
