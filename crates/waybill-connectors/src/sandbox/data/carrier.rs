//! The carrier's invoice data. Shipment `g` yields three consecutive charge rows (`3g`,
//! `3g + 1`, `3g + 2`): the transportation charge, the fuel surcharge and one accessorial.
//! All three share the shipment's tracking number, account, invoice and transaction date,
//! which come from the shipment's own seed. Files are the invoices' CSV and PDF documents.

use rand::Rng;
use serde_json::{json, Map, Value};
use waybill_model::records::{CarrierFile, InvoiceLineItem};

use super::names::{CARRIERS, METHODS};
use super::people::{fields, tracking_number};
use super::rng::{chance, money, pick, rng, weighted};
use super::spec::{ts, SandboxSpec, DAY};
use super::Func;

/// Charge rows per shipment.
pub const CHARGES_PER_SHIPMENT: u64 = 3;
/// Salt of the per-shipment seed shared by its charge rows.
const SHIPMENT_SALT: u64 = 0xca_5417;

/// Billing accounts: carrier index and account number.
static ACCOUNTS: &[(usize, &str)] = &[
    (0, "4W7X92"),
    (0, "9R3Y15"),
    (1, "602318475"),
    (1, "771094263"),
    (2, "3019552"),
    (3, "958834210"),
];
/// How often each account ships.
static ACCOUNT_WEIGHTS: &[u32] = &[25, 15, 20, 15, 15, 10];
/// Accessorial charges and their list price in cents.
static ACCESSORIALS: &[(&str, i64)] = &[
    ("Residential Surcharge", 595),
    ("Delivery Area Surcharge", 450),
    ("Additional Handling", 1850),
    ("Address Correction", 2100),
    ("Signature Required", 675),
    ("Peak Surcharge", 395),
];

/// Id of charge row `k`.
pub fn line_id(k: u64) -> String {
    format!("ili_{:010}", k + 1)
}

/// Id of file `f`.
pub fn file_id(f: u64) -> String {
    format!("cf_{:06}", f + 1)
}

/// The invoice an account's charges of a given day land on: one per account and week.
fn invoice_id(account: usize, day_secs: i64) -> String {
    format!(
        "{}{:05}",
        ACCOUNTS[account].1,
        day_secs.div_euclid(7 * DAY) % 100_000
    )
}

/// Record `k` of `get_invoice_line_items`.
pub fn line_item(spec: &SandboxSpec, k: u64) -> InvoiceLineItem {
    let g = k / CHARGES_PER_SHIPMENT;
    let (_, updated) = Func::CarrierLines.stamp(spec, k);
    // The shipment's facts, shared by its three rows.
    let shipped = Func::CarrierLines.stamp(spec, g * CHARGES_PER_SHIPMENT).0;
    let mut sr = rng(spec.seed, SHIPMENT_SALT, g);
    let account = weighted(&mut sr, ACCOUNT_WEIGHTS);
    let carrier = ACCOUNTS[account].0;
    let methods: Vec<usize> = (0..METHODS.len())
        .filter(|m| METHODS[*m].carrier == carrier)
        .collect();
    let m = &METHODS[*pick(&mut sr, &methods)];
    let zone = sr.gen_range(2..=8);
    let weight = sr.gen_range(1..=30);
    let list = (m.cost + weight * 60 + zone * 45) * sr.gen_range(150..=250) / 100;
    let discount_pct = sr.gen_range(20..=55);
    let fuel_pct = sr.gen_range(14..=19);
    let (accessorial, acc_price) = *pick(&mut sr, ACCESSORIALS);
    let tracking = tracking_number(carrier, g, spec.seed ^ SHIPMENT_SALT, false);
    let invoice = invoice_id(account, shipped);
    let mut r = rng(spec.seed, Func::CarrierLines.salt(), k);
    let base_net = list * (100 - discount_pct) / 100;
    let (description, gross, net) = match k % CHARGES_PER_SHIPMENT {
        0 => (m.name.to_owned(), list, base_net),
        1 => (
            "Fuel Surcharge".to_owned(),
            list * fuel_pct / 100,
            base_net * fuel_pct / 100,
        ),
        _ => (
            accessorial.to_owned(),
            acc_price,
            acc_price * (100 - r.gen_range(0..=20)) / 100,
        ),
    };
    let c = &CARRIERS[carrier];
    let date = ts(shipped);
    let day = &date[..10];
    let (gross_s, net_s, incentive_s) = (
        format!("{:.2}", money(gross)),
        format!("{:.2}", money(net)),
        format!("{:.2}", money(gross - net)),
    );
    let raw: Map<String, Value> = match carrier {
        0 => fields([
            ("Account Number", json!(ACCOUNTS[account].1)),
            ("Invoice Number", json!(invoice)),
            ("Tracking Number", json!(tracking)),
            ("Transaction Date", json!(day)),
            ("Charge Description", json!(description)),
            ("Incentive Amount", json!(incentive_s)),
            ("Net Amount", json!(net_s)),
            ("Billed Weight", json!(weight.to_string())),
            ("Zone", json!(format!("{zone:03}"))),
        ]),
        1 => fields([
            ("Bill to Account Number", json!(ACCOUNTS[account].1)),
            ("Invoice Number", json!(invoice)),
            ("Express or Ground Tracking ID", json!(tracking)),
            ("Shipment Date", json!(day.replace('-', ""))),
            ("Tracking ID Charge Description", json!(description)),
            ("Tracking ID Charge Amount", json!(gross_s)),
            ("Net Charge Amount", json!(net_s)),
            ("Rated Weight Amount", json!(weight.to_string())),
            ("Zone Code", json!(zone.to_string())),
        ]),
        2 => fields([
            ("Account", json!(ACCOUNTS[account].1)),
            ("Tracking Number", json!(tracking)),
            ("Transaction Date", json!(day)),
            ("Description", json!(description)),
            ("Retail Amount", json!(gross_s)),
            ("Postage Amount", json!(net_s)),
            ("Zone", json!(zone.to_string())),
        ]),
        _ => fields([
            ("Account", json!(ACCOUNTS[account].1)),
            ("Invoice", json!(invoice)),
            ("Waybill", json!(tracking)),
            ("Shipment Date", json!(day)),
            ("Charge Name", json!(description)),
            ("Charge Amount", json!(gross_s)),
            ("Discount", json!(incentive_s)),
            ("Weight", json!(weight.to_string())),
        ]),
    };
    InvoiceLineItem {
        id: line_id(k),
        created_date: date.clone(),
        updated_date: ts(updated),
        tracking_number: tracking,
        invoice_id: invoice,
        account_id: ACCOUNTS[account].1.to_owned(),
        transaction_date: date,
        charge_description: description,
        gross_cost: money(gross),
        net_cost: money(net),
        raw,
        additional_fields: fields([
            ("carrier", json!(c.name)),
            ("service", json!(m.name)),
            ("zone", json!(zone)),
            ("billed_weight_lb", json!(weight)),
            ("disputed", json!(chance(&mut r, 2))),
        ]),
    }
}

/// Record `f` of `get_files`: even files are an invoice's CSV, odd ones its PDF. The
/// download link is minted by the API on every read, so it is `null` here.
pub fn file(spec: &SandboxSpec, f: u64) -> CarrierFile {
    // Both documents of an invoice share the even file's creation time.
    let created = Func::CarrierFiles.stamp(spec, f & !1).0;
    let updated = Func::CarrierFiles.updated(spec, f);
    let mut r = rng(spec.seed, Func::CarrierFiles.salt(), f / 2);
    let account = weighted(&mut r, ACCOUNT_WEIGHTS);
    let c = &CARRIERS[ACCOUNTS[account].0];
    let invoice = invoice_id(account, created);
    let ext = if f & 1 == 0 { "csv" } else { "pdf" };
    let stamp = ts(created);
    let date: String = stamp[..10].chars().filter(char::is_ascii_digit).collect();
    CarrierFile {
        id: file_id(f),
        created_date: stamp.clone(),
        updated_date: ts(updated),
        file_name: format!("{}_Invoice_{invoice}_{date}.{ext}", c.name.replace(' ', "")),
        file_type: ext.to_owned(),
        generated_time: stamp,
        download_url: None,
        download_url_expires_at: None,
        additional_fields: fields([
            ("carrier", json!(c.name)),
            ("account_id", json!(ACCOUNTS[account].1)),
            ("invoice_id", json!(invoice)),
            (
                "size_bytes",
                json!(if ext == "csv" {
                    r.gen_range(20_000..2_000_000)
                } else {
                    r.gen_range(80_000..900_000)
                }),
            ),
        ]),
    }
}
