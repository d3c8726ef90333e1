//! When to try again: the configured schedule with ±10 % jitter, never earlier than a
//! receiver's `Retry-After`.

use rand::Rng;
use std::time::Duration;

/// Longest `Retry-After` honoured; a receiver cannot park a delivery for longer.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The delay before the attempt after attempt number `step` (0-based position in the
/// schedule) failed, or `None` when the schedule is exhausted.
pub fn next_delay(
    schedule: &[Duration],
    step: usize,
    retry_after: Option<Duration>,
) -> Option<Duration> {
    let base = *schedule.get(step + 1)?;
    let jittered = jitter(base);
    Some(match retry_after {
        Some(ra) => jittered.max(ra.min(MAX_RETRY_AFTER)),
        None => jittered,
    })
}

/// `d` ± 10 %, so endpoints that fail together do not get retried in lockstep.
pub fn jitter(d: Duration) -> Duration {
    if d.is_zero() {
        return d;
    }
    let f = rand::thread_rng().gen_range(0.9..=1.1);
    d.mul_f64(f)
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
pub fn parse_retry_after(v: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = v.trim();
    if let Ok(s) = v.parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v)
        .ok()?
        .with_timezone(&chrono::Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_jitter_and_retry_after() {
        let s: Vec<Duration> = [0, 10, 100]
            .iter()
            .map(|x| Duration::from_secs(*x))
            .collect();
        for _ in 0..100 {
            let d = next_delay(&s, 0, None).unwrap();
            assert!(
                d >= Duration::from_secs(9) && d <= Duration::from_secs(11),
                "{d:?}"
            );
        }
        assert!(
            next_delay(&s, 1, Some(Duration::from_secs(500))).unwrap() >= Duration::from_secs(500)
        );
        assert!(next_delay(&s, 2, None).is_none());
        assert_eq!(
            next_delay(&s, 0, Some(Duration::from_secs(10 * 24 * 3600))).unwrap(),
            MAX_RETRY_AFTER
        );
    }

    #[test]
    fn retry_after_forms() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:27:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
