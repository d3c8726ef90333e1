//! The SSRF guard for every outbound call Waybill makes on someone else's say-so: webhook
//! deliveries and connector calls to a vendor URL a customer entered (a `base_url`, a store
//! URL). URLs must be http(s) and never reach private, loopback, link-local or otherwise
//! internal addresses unless the operator allows it. URLs with a literal address are checked
//! when they are saved (and webhooks again before each attempt); host names are checked after
//! DNS resolution, by the HTTP client's resolver, so a name that resolves to an internal
//! address (or starts to) is refused when the call is made.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Longest endpoint URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Whether an address is one an outbound call must not reach by default.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0 // "this network"
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space (CGNAT)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking
        || o[0] >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_internal_v4(v4);
    }
    let s = ip.segments();
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        // NAT64 and IPv4-compatible forms carry an IPv4 address in the low 32 bits.
        || ((s[0] == 0x64 && s[1] == 0xff9b) || s[..6].iter().all(|x| *x == 0))
            && is_internal_v4(Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8))
}

/// The address of a URL whose host is a literal IP (the parser has already normalized
/// forms such as `http://2130706433/` to dotted quads).
fn host_ip(url: &Url) -> Option<IpAddr> {
    let h = url.host_str()?;
    h.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// Checks an endpoint URL as a client sent it; the message says what is wrong.
pub fn validate_url(raw: &str, allow_private: bool) -> Result<Url, String> {
    if raw.len() > MAX_URL_LEN {
        return Err(format!("The URL is longer than {MAX_URL_LEN} characters."));
    }
    let url = Url::parse(raw.trim()).map_err(|e| format!("Not a valid URL: {e}."))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err("The URL must start with http:// or https://.".into());
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err("The URL has no host.".into());
    };
    if !allow_private {
        let internal = match host_ip(&url) {
            Some(ip) => is_internal(ip),
            None => {
                let d = host.trim_end_matches('.').to_ascii_lowercase();
                d == "localhost" || d.ends_with(".localhost")
            }
        };
        if internal {
            return Err("The URL points to a private, loopback or link-local address, which Waybill may not call.".into());
        }
    }
    Ok(url)
}

/// Re-checks a literal-address URL just before an attempt (host names are the resolver's job).
pub fn check_before_send(url: &Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let internal = match (url.host_str(), host_ip(url)) {
        (None, _) => true,
        (_, Some(ip)) => is_internal(ip),
        (Some(_), None) => false,
    };
    if internal {
        return Err("refused: the endpoint's address is private, loopback or link-local".into());
    }
    Ok(())
}

/// A DNS resolver that drops internal addresses; a name with nothing else left fails.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    /// Let internal addresses through (tests, trusted networks).
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow || !is_internal(a.ip()))
                .collect();
            if allowed.is_empty() {
                let e: Box<dyn std::error::Error + Send + Sync> = format!(
                    "refused: {host} resolves only to private, loopback or link-local addresses"
                )
                .into();
                return Err(e);
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "::127.0.0.1",
        ] {
            assert!(is_internal(a.parse().unwrap()), "{a}");
        }
        for a in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_internal(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn urls() {
        assert!(validate_url("https://example.com/hook", false).is_ok());
        assert!(validate_url("ftp://example.com/", false).is_err());
        assert!(validate_url("not a url", false).is_err());
        assert!(validate_url("http://127.0.0.1:8080/", false).is_err());
        assert!(validate_url("http://2130706433/", false).is_err());
        assert!(validate_url("http://[::1]/", false).is_err());
        assert!(validate_url("http://LOCALHOST./x", false).is_err());
        assert!(validate_url("http://169.254.169.254/latest", false).is_err());
        assert!(validate_url("http://127.0.0.1:8080/", true).is_ok());
        assert!(validate_url(&format!("https://example.com/{}", "a".repeat(3000)), false).is_err());
    }

    #[tokio::test]
    async fn resolver_refuses_names_of_internal_addresses() {
        let refused = GuardedResolver {
            allow_private: false,
        }
        .resolve("localhost".parse().unwrap())
        .await;
        assert!(refused.is_err());
        let allowed = GuardedResolver {
            allow_private: true,
        }
        .resolve("localhost".parse().unwrap())
        .await;
        assert!(allowed.unwrap().next().is_some());
    }
}
