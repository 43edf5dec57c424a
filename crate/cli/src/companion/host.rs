//! What a probe may connect to: the host as the extension names it (a DNS
//! name or an IP literal, nothing else), and the class of each address it
//! resolves to, so that loopback and private networks stay out of reach
//! unless the user allowed them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The longest DNS name: 253 characters in text form (RFC 1035 section
/// 2.3.4 allows 255 octets on the wire, two of them length bytes).
const MAX_NAME: usize = 253;
/// The longest label (RFC 1035 section 2.3.4).
const MAX_LABEL: usize = 63;

/// A host a probe may be asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// A DNS name, ASCII (an internationalised name comes as its
    /// punycode A-label, as `URL.hostname` gives it).
    Name(String),
    /// An IPv4 or IPv6 literal (IPv6 with or without its brackets).
    Ip(IpAddr),
}

/// Parses a host strictly: no scheme, port, path, user information, space
/// or anything else a URL may carry around the host. The error says why.
pub fn parse_host(text: &str) -> Result<Host, String> {
    if text.is_empty() {
        return Err("the host is empty".into());
    }
    if text.len() > MAX_NAME + 1 {
        return Err(format!(
            "the host is {} characters long; a DNS name has at most {MAX_NAME}",
            text.len()
        ));
    }
    let bare = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(Host::Ip(ip));
    }
    if bare.len() != text.len() {
        return Err("only an IPv6 address goes between [ and ]".into());
    }
    dns_name(text).map(|()| Host::Name(text.to_owned()))
}

/// Checks a DNS host name: dot-separated labels of letters, digits, `-`
/// (not first or last) and `_` (which real names carry, and browsers
/// accept), an optional final dot.
pub fn dns_name(text: &str) -> Result<(), String> {
    if let Some(c) = text
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(format!(
            "{c:?} cannot be in a host name (give the host alone: no scheme, port, path or user)"
        ));
    }
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.len() > MAX_NAME {
        return Err(format!(
            "the name is {} characters long; at most {MAX_NAME}",
            name.len()
        ));
    }
    let labels: Vec<&str> = name.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err("the name has an empty label".into());
        }
        if label.len() > MAX_LABEL {
            return Err(format!("a label is longer than {MAX_LABEL} characters"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!("the label {label:?} starts or ends with -"));
        }
    }
    // The WHATWG URL parser reads a host whose last label is a number as
    // IPv4 (`127.1`, `0x7f.1`), and so does getaddrinfo: not a name.
    let last = labels.last().copied().unwrap_or_default();
    let numeric = last.chars().all(|c| c.is_ascii_digit())
        || (last.len() > 2
            && last[..2].eq_ignore_ascii_case("0x")
            && last[2..].chars().all(|c| c.is_ascii_hexdigit()));
    if numeric {
        return Err("the name ends in a number, as only an IPv4 address does".into());
    }
    Ok(())
}

/// Where an address leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressClass {
    /// Anything else: reachable on the internet, as far as we can tell.
    Public,
    /// 127.0.0.0/8, ::1: this machine.
    Loopback,
    /// RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 4193 (fc00::/7), and
    /// the deprecated site-local fec0::/10 (RFC 3879).
    Private,
    /// RFC 6598's shared address space, 100.64/10: the carrier's side of a
    /// carrier-grade NAT, another network that is not the internet.
    Shared,
    /// 169.254/16 and fe80::/10: this link only.
    LinkLocal,
    /// 0.0.0.0/8 ("this network", RFC 1122 section 3.2.1.3; Linux connects
    /// 0.0.0.0 to this machine) and ::.
    Unspecified,
    /// Multicast and the limited broadcast address: no one server.
    Multicast,
}

impl AddressClass {
    /// The class as a reply names it.
    pub fn name(self) -> &'static str {
        match self {
            AddressClass::Public => "public",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::Shared => "shared",
            AddressClass::LinkLocal => "link-local",
            AddressClass::Unspecified => "unspecified",
            AddressClass::Multicast => "multicast",
        }
    }
}

/// The class of an address; an IPv6 address that carries an IPv4 one
/// ([`embedded_v4`]) is classed as that IPv4 address, where it leads.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

/// The IPv4 address an IPv6 one leads to: IPv4-mapped (::ffff:0:0/96, RFC
/// 4291 section 2.5.5.2), NAT64's well-known prefix (64:ff9b::/96, RFC 6052
/// section 2.1) and 6to4 (2002::/16, RFC 3056 section 2). Without this,
/// 64:ff9b::7f00:1 would pass for public and reach 127.0.0.1 through a
/// NAT64 gateway.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = ip.octets();
    match [a, b, c, d, e, f, g, h, i, j, k, l] {
        [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] => Some(Ipv4Addr::new(m, n, o, p)),
        [0x20, 0x02, ..] => Some(Ipv4Addr::new(c, d, e, f)),
        _ => None,
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    if ip.is_multicast() || ip.is_broadcast() {
        return AddressClass::Multicast;
    }
    let [a, b, ..] = ip.octets();
    match (a, b) {
        (0, _) => AddressClass::Unspecified,
        (127, _) => AddressClass::Loopback,
        (10, _) | (172, 16..=31) | (192, 168) => AddressClass::Private,
        (100, 64..=127) => AddressClass::Shared,
        (169, 254) => AddressClass::LinkLocal,
        _ => AddressClass::Public,
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    let first = ip.segments()[0];
    if ip.is_unspecified() {
        AddressClass::Unspecified
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfec0 {
        AddressClass::Private
    } else if first & 0xffc0 == 0xfe80 {
        AddressClass::LinkLocal
    } else if first & 0xff00 == 0xff00 {
        AddressClass::Multicast
    } else {
        AddressClass::Public
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_names_or_ip_literals() {
        let name = |s: &str| Host::Name(s.to_owned());
        let ip = |s: &str| Host::Ip(s.parse().unwrap());
        for (text, host) in [
            ("example.org", name("example.org")),
            ("Example.ORG.", name("Example.ORG.")),
            ("xn--bcher-kva.example", name("xn--bcher-kva.example")),
            ("_dmarc.example.org", name("_dmarc.example.org")),
            ("localhost", name("localhost")),
            ("a-b.c1", name("a-b.c1")),
            ("93.184.216.34", ip("93.184.216.34")),
            ("::1", ip("::1")),
            ("[2001:db8::1]", ip("2001:db8::1")),
        ] {
            assert_eq!(parse_host(text), Ok(host), "{text}");
        }
    }

    #[test]
    fn anything_around_the_host_is_refused() {
        let long_label = "a".repeat(64);
        let long_name = vec!["a".repeat(60); 5].join(".");
        for text in [
            "",
            "https://example.org",
            "example.org/path",
            "example.org:443",
            "user@example.org",
            "a b",
            " example.org",
            "example.org\n",
            "exa%6dple.org",
            "bücher.example",
            "-a.example",
            "a-.example",
            "a..example",
            ".example",
            "..",
            "127.1",
            "0x7f.1",
            "1.2.3.4.5",
            "01.2.3.4",
            "[example.org]",
            "[::1",
            "fe80::1%eth0",
            "[fe80::1%25eth0]",
            &long_label,
            &long_name,
            &"x".repeat(300),
        ] {
            assert!(parse_host(text).is_err(), "{text:?} was accepted");
        }
    }

    #[test]
    fn addresses_are_classed_where_they_lead() {
        for (address, class) in [
            ("93.184.216.34", AddressClass::Public),
            ("8.8.8.8", AddressClass::Public),
            ("172.32.0.1", AddressClass::Public),
            ("100.128.0.1", AddressClass::Public),
            ("2606:2800:220:1::", AddressClass::Public),
            ("127.0.0.1", AddressClass::Loopback),
            ("127.255.255.254", AddressClass::Loopback),
            ("::1", AddressClass::Loopback),
            ("::ffff:127.0.0.1", AddressClass::Loopback),
            ("10.1.2.3", AddressClass::Private),
            ("172.16.0.1", AddressClass::Private),
            ("172.31.255.255", AddressClass::Private),
            ("192.168.1.1", AddressClass::Private),
            ("::ffff:192.168.1.1", AddressClass::Private),
            ("fc00::1", AddressClass::Private),
            ("fd12:3456::1", AddressClass::Private),
            ("fec0::1", AddressClass::Private),
            ("100.64.0.1", AddressClass::Shared),
            ("169.254.169.254", AddressClass::LinkLocal),
            ("fe80::1", AddressClass::LinkLocal),
            ("0.0.0.0", AddressClass::Unspecified),
            ("0.1.2.3", AddressClass::Unspecified),
            ("::", AddressClass::Unspecified),
            ("224.0.0.1", AddressClass::Multicast),
            ("255.255.255.255", AddressClass::Multicast),
            ("ff02::1", AddressClass::Multicast),
            // IPv4 behind NAT64 and 6to4: classed as where they lead.
            ("64:ff9b::7f00:1", AddressClass::Loopback),
            ("64:ff9b::c0a8:101", AddressClass::Private),
            ("64:ff9b::808:808", AddressClass::Public),
            ("2002:a00:1::1", AddressClass::Private),
            ("2002:7f00:1::", AddressClass::Loopback),
            ("2002:5db8:d822::1", AddressClass::Public),
        ] {
            let ip: IpAddr = address.parse().unwrap();
            assert_eq!(classify(ip), class, "{address}");
        }
    }
}
