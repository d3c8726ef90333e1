//! WooCommerce (placeholder while it is being written).
