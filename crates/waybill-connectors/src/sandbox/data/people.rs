//! People, addresses and carrier identifiers built from the word lists.

use rand::rngs::SmallRng;
use rand::Rng;
use serde_json::{Map, Value};
use waybill_model::records::{BillToAddress, ShipFromAddress, ShipToAddress};

use super::names::{self, City, CITIES, FIRST_NAMES, LAST_NAMES, STREETS, STREET_SUFFIXES, UNITS};
use super::rng::{chance, mix, pick, scramble};

/// Base of every deep link into the simulated systems' UIs.
pub const UI_BASE: &str = "https://sandbox.waybill.local";

/// A recipient or payer with a street address.
#[derive(Debug, Clone)]
pub struct Person {
    /// Given name.
    pub first: &'static str,
    /// Family name.
    pub last: &'static str,
    /// House number and street.
    pub street: String,
    /// Apartment or suite.
    pub unit: Option<&'static str>,
    /// City, state and postal code.
    pub city: &'static City,
    /// Phone number.
    pub phone: String,
    /// Email address.
    pub email: String,
}

impl Person {
    /// A random person; `n` makes the email address distinct.
    pub fn random(rng: &mut SmallRng, n: u64) -> Self {
        let first = *pick(rng, FIRST_NAMES);
        let last = *pick(rng, LAST_NAMES);
        let city = pick(rng, CITIES);
        let street = format!(
            "{} {} {}",
            rng.gen_range(10..9900),
            pick(rng, STREETS),
            pick(rng, STREET_SUFFIXES)
        );
        let unit = chance(rng, 25).then(|| *pick(rng, UNITS));
        let phone = format!("+1 {}-555-{:04}", city.area, rng.gen_range(100..10000));
        Self {
            first,
            last,
            street,
            unit,
            city,
            phone,
            email: names::email(first, last, n),
        }
    }

    /// `First Last`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// The person as a delivery address.
    pub fn ship_to(&self, company: Option<&str>) -> ShipToAddress {
        ShipToAddress {
            full_name: Some(self.full_name()),
            company: company.map(str::to_owned),
            address1: Some(self.street.clone()),
            address2: self.unit.map(str::to_owned),
            address3: None,
            city: Some(self.city.name.to_owned()),
            state: Some(self.city.state.to_owned()),
            postal_code: Some(self.city.postal.to_owned()),
            country: Some(self.city.country.to_owned()),
            phone_number: Some(self.phone.clone()),
            email_address: Some(self.email.clone()),
        }
    }

    /// The person as a billing address.
    pub fn bill_to(&self) -> BillToAddress {
        BillToAddress {
            full_name: Some(self.full_name()),
            address1: Some(self.street.clone()),
            address2: self.unit.map(str::to_owned),
            address3: None,
            city: Some(self.city.name.to_owned()),
            state: Some(self.city.state.to_owned()),
            postal_code: Some(self.city.postal.to_owned()),
            country: Some(self.city.country.to_owned()),
        }
    }
}

/// A business origin address.
pub fn origin(
    address1: &str,
    city: &str,
    state: &str,
    postal: &str,
    country: &str,
) -> ShipFromAddress {
    ShipFromAddress {
        address1: Some(address1.to_owned()),
        address2: None,
        address3: None,
        city: Some(city.to_owned()),
        state: Some(state.to_owned()),
        postal_code: Some(postal.to_owned()),
        country: Some(country.to_owned()),
    }
}

/// A tracking number in the carrier's own format, unique per `(carrier, n, is_return)` for
/// `n` below a few million. `carrier` indexes [`names::CARRIERS`].
pub fn tracking_number(carrier: usize, n: u64, seed: u64, is_return: bool) -> String {
    let digits = |modulus: u64| {
        let n = if is_return { n + modulus / 2 } else { n };
        scramble(n % modulus, modulus, seed ^ carrier as u64)
    };
    match carrier {
        0 => {
            // 1Z + shipper number + service code + package number.
            let mut shipper = String::with_capacity(6);
            let mut h = mix(seed ^ is_return as u64);
            for _ in 0..6 {
                shipper.push(b"0123456789ABCDEFGHJKLMNPRSTUVWXY"[(h % 32) as usize] as char);
                h /= 32;
            }
            format!("1Z{shipper}03{:08}", digits(100_000_000))
        }
        1 => format!("{:012}", digits(1_000_000_000_000)),
        2 => format!("9400{:018}", digits(1_000_000_000_000_000_000)),
        _ => format!("{:010}", digits(10_000_000_000)),
    }
}

/// The carrier's public tracking page for a number.
pub fn tracking_url(carrier: usize, number: &str) -> String {
    format!("{}{}", names::CARRIERS[carrier].tracking_url, number)
}

/// A one-entry-or-more `additional_fields` map from pairs.
pub fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
