//! ShipHero ad hoc charges (`ad_hoc_charges` query) → canonical bills. A canonical bill is one
//! charge with an amount; ShipHero's `Bill` (in the schema Waybill builds against) is a
//! billing-period statement with a status and no amount, so the charges are the records and
//! each keeps the id of the ShipHero bill it sits on in `additional_fields.bill_id`.

use crate::values::{date, keep, num, text, to_json};
use serde_json::Value;
use waybill_model::records::Bill;

/// The `charge_type` of every ShipHero charge: ShipHero's only priced records are the
/// charges a 3PL adds by hand to a bill; the text they were given stays in `description`.
pub const CHARGE_TYPE: &str = "ad_hoc";

/// One ad hoc charge as a canonical bill; `None` without an id or an amount (a charge with
/// no amount has nothing to bill, and is reported rather than billed as zero).
pub fn map(c: &Value) -> Option<Value> {
    let id = text(c, "id")?;
    let amount = num(c, "amount")?;
    let created = date(c, "created_at");
    let bill = Bill {
        id,
        warehouse_customer_id: None,
        created_date: created.clone().unwrap_or_default(),
        updated_date: created.unwrap_or_default(),
        object_id: None,
        object_type: None,
        charge_type: CHARGE_TYPE.into(),
        amount,
        currency_code: "USD".into(),
        additional_fields: keep(
            c,
            &[
                "bill_id",
                "description",
                "legacy_id",
                "account_id",
                "warehouse_id",
            ],
        ),
    };
    Some(crate::values::undated(to_json(&bill)))
}
