//! The freight forwarder's shipments, by ocean, air and truck. Every aligned block of ten
//! holds every status of `FREIGHT_STATUSES`. Departure lies between creation and the last
//! update; delivered shipments arrived at their last update; ETAs may lie in the future.

use rand::Rng;
use serde_json::json;
use waybill_model::records::FreightShipment;
use waybill_model::resource::FREIGHT_STATUSES;

use super::names::CITIES;
use super::people::{fields, UI_BASE};
use super::rng::{money, pick, rng, scramble, stratified, weighted};
use super::spec::{between, ts, SandboxSpec, DAY};
use super::Func;

/// Share of each of `FREIGHT_STATUSES` per ten shipments.
const STATUS_WEIGHTS: [u32; 5] = [1, 2, 1, 1, 5];
/// The forwarder's status text for each of `FREIGHT_STATUSES`.
const RAW_STATUSES: [&str; 5] = [
    "Booked",
    "Departed Origin",
    "Arrived at Port of Discharge",
    "Out for Delivery",
    "Delivered",
];

/// A mode of transport with its lanes, carriers, transit days and cost range in dollars.
struct Mode {
    /// The `shipment_method` value.
    name: &'static str,
    /// Origin ports or airports; empty for road, which uses cities.
    origins: &'static [&'static str],
    /// Destination ports or airports.
    destinations: &'static [&'static str],
    /// Lines, airlines or trucking companies.
    carriers: &'static [&'static str],
    /// Service names.
    services: &'static [&'static str],
    /// Transit time range in days.
    transit: (i64, i64),
    /// Cost range in dollars.
    cost: (i64, i64),
}

/// Ocean, air and truck.
static MODES: [Mode; 3] = [
    Mode {
        name: "ocean",
        origins: &["CNSHA", "CNYTN", "VNSGN", "KRPUS", "DEHAM", "INNSA"],
        destinations: &["USLAX", "USLGB", "USNYC", "USSAV", "USSEA"],
        carriers: &["Maersk", "MSC", "CMA CGM", "COSCO", "Hapag-Lloyd", "ONE"],
        services: &["FCL 20GP", "FCL 40HC", "LCL"],
        transit: (18, 35),
        cost: (1_800, 9_500),
    },
    Mode {
        name: "air",
        origins: &["PVG", "HKG", "SGN", "ICN", "FRA"],
        destinations: &["LAX", "ORD", "JFK", "ATL"],
        carriers: &[
            "Cathay Cargo",
            "Lufthansa Cargo",
            "Korean Air Cargo",
            "FedEx Express Freight",
        ],
        services: &["Standard Air", "Express Air"],
        transit: (2, 6),
        cost: (900, 6_500),
    },
    Mode {
        name: "truck",
        origins: &[],
        destinations: &[],
        carriers: &["Old Dominion", "XPO", "Estes", "Saia"],
        services: &["LTL", "FTL"],
        transit: (1, 5),
        cost: (350, 3_800),
    },
];

/// Id of shipment `i`.
pub fn shipment_id(i: u64) -> String {
    format!("FRT-{:08}", i + 1)
}

/// Record `i` of `get_shipments`.
pub fn shipment(spec: &SandboxSpec, i: u64) -> FreightShipment {
    let (created, updated) = Func::FreightShipments.stamp(spec, i);
    let mut r = rng(spec.seed, Func::FreightShipments.salt(), i);
    let status = stratified(spec.seed, Func::FreightShipments.salt(), i, &STATUS_WEIGHTS);
    let mode = &MODES[weighted(&mut r, &[55, 25, 20])];
    let (origin, destination) = if mode.origins.is_empty() {
        let a = pick(&mut r, CITIES);
        let b = pick(&mut r, CITIES);
        (
            format!("{}, {}", a.name, a.state),
            format!("{}, {}", b.name, b.state),
        )
    } else {
        (
            pick(&mut r, mode.origins).to_string(),
            pick(&mut r, mode.destinations).to_string(),
        )
    };
    let transit = r.gen_range(mode.transit.0..=mode.transit.1);
    let departed = (status > 0).then(|| between(&mut r, created, updated));
    let arrived = (status == 4).then_some(updated);
    let eta = match (departed, arrived) {
        (_, Some(a)) => a + r.gen_range(-2..=2) * DAY,
        (Some(d), None) => d + transit * DAY,
        (None, None) => created + (r.gen_range(3..=10) + transit) * DAY,
    };
    let reference = match mode.name {
        "ocean" => format!(
            "{}U{:07}",
            ["MSC", "MAE", "CMA", "COS"][r.gen_range(0..4)],
            scramble(i, 10_000_000, spec.seed)
        ),
        "air" => format!(
            "{}-{:08}",
            r.gen_range(100..999),
            scramble(i, 100_000_000, spec.seed)
        ),
        _ => format!("PRO{:09}", scramble(i, 1_000_000_000, spec.seed)),
    };
    let cost = r.gen_range(mode.cost.0 * 100..=mode.cost.1 * 100);
    FreightShipment {
        id: shipment_id(i),
        eta_date: Some(ts(eta)),
        created_date: ts(created),
        updated_date: ts(updated),
        cost: Some(money(cost)),
        shipment_date: departed.map(ts),
        arrival_date: arrived.map(ts),
        raw_status: Some(RAW_STATUSES[status].to_owned()),
        status: FREIGHT_STATUSES[status].to_owned(),
        shipment_method: mode.name.to_owned(),
        external_system_url: Some(format!("{UI_BASE}/freight/shipments/{}", shipment_id(i))),
        additional_fields: fields([
            ("origin", json!(origin)),
            ("destination", json!(destination)),
            ("carrier", json!(pick(&mut r, mode.carriers))),
            ("service", json!(pick(&mut r, mode.services))),
            ("reference_number", json!(reference)),
            ("weight_kg", json!(r.gen_range(50..=24_000))),
            (
                "incoterm",
                json!(["FOB", "EXW", "DDP", "CIF"][r.gen_range(0..4)]),
            ),
        ]),
    }
}
