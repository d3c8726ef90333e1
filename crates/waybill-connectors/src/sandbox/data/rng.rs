//! Seeding and sampling helpers. Every random choice of a record comes from a generator
//! seeded by `(seed, function salt, index)`, so a record never depends on any other record
//! having been generated first. Attributes that other records look up (a product's price,
//! an order's status) come from the same seeds, so the lookups agree with the record.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// FNV-1a of a function's key, computed at compile time to salt its seeds.
pub const fn fnv1a(s: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// The splitmix64 step: a bijective mix with good avalanche, so nearby inputs look unrelated.
pub fn mix(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A 64-bit hash of `(seed, salt, index)`; distinct for distinct indexes under one salt.
pub fn hash(seed: u64, salt: u64, index: u64) -> u64 {
    mix(mix(seed ^ salt).wrapping_add(index))
}

/// The generator of one record.
pub fn rng(seed: u64, salt: u64, index: u64) -> SmallRng {
    SmallRng::seed_from_u64(hash(seed, salt, index))
}

/// A uniformly chosen element.
pub fn pick<'a, T>(rng: &mut SmallRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// An index drawn with the given relative weights.
pub fn weighted(rng: &mut SmallRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    slot_to_index(rng.gen_range(0..total) as u64, weights)
}

/// True with probability `percent`/100.
pub fn chance(rng: &mut SmallRng, percent: u32) -> bool {
    rng.gen_range(0..100) < percent
}

/// Maps a slot in `0..sum(weights)` to the index whose weight band contains it.
pub fn slot_to_index(slot: u64, weights: &[u32]) -> usize {
    let mut acc = 0u64;
    for (i, w) in weights.iter().enumerate() {
        acc += *w as u64;
        if slot < acc {
            return i;
        }
    }
    weights.len() - 1
}

/// Greatest common divisor.
fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A category for `index` such that every aligned block of `sum(weights)` consecutive
/// indexes holds each category exactly `weight` times, in a seed-dependent order. This
/// guarantees every status appears once a function has a full block of records, while the
/// sequence still looks shuffled.
pub fn stratified(seed: u64, salt: u64, index: u64, weights: &[u32]) -> usize {
    let m: u64 = weights.iter().map(|w| *w as u64).sum();
    let (block, k) = (index / m, index % m);
    let h = hash(seed, salt ^ 0x5eed_b10c, block);
    // An affine permutation of 0..m with a multiplier away from 1 so runs get broken up.
    let mut a = m * 3 / 10 + (h % (m * 4 / 10).max(1));
    while gcd(a, m) != 1 {
        a += 1;
    }
    let b = (h >> 32) % m;
    slot_to_index((a * k + b) % m, weights)
}

/// A bijection on `0..modulus` (a power of ten), used to make unique numbers look random.
pub fn scramble(n: u64, modulus: u64, seed: u64) -> u64 {
    // 7_919_000_003 ends in 3, so it is coprime to every power of ten.
    ((n as u128 * 7_919_000_003u128 + (mix(seed) % modulus) as u128) % modulus as u128) as u64
}

/// Dollars from integer cents, so amounts print with at most two decimals.
pub fn money(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_fills_every_block_exactly() {
        let weights = [5u32, 1, 3, 1];
        for block in 0..5u64 {
            let mut counts = [0u32; 4];
            for k in 0..10 {
                counts[stratified(7, 1, block * 10 + k, &weights)] += 1;
            }
            assert_eq!(counts, weights);
        }
    }

    #[test]
    fn scramble_is_a_bijection() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..1000 {
            assert!(seen.insert(scramble(n, 1000, 42)));
        }
    }
}
