//! Where the daemon listens: `DOCKER_HOST` addresses, parsed strictly.
//!
//! Every malformed address is an [`Error::Config`] that says what is wrong. The address is quoted
//! with its userinfo (`user:password@`) replaced by `***`, so that a password never reaches an
//! error message or a log.

use super::{SshTarget, TlsConfig};
use crate::error::{Error, Result};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

/// The default socket of a local daemon.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// The port of a `tcp://` address without one.
const DEFAULT_PORT: u16 = 2375;

const USAGE: &str = "expected `unix:///PATH`, `tcp://HOST[:PORT]` or `ssh://[USER@]HOST[:PORT][/PATH]`";

/// A daemon address, as `DOCKER_HOST` spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Endpoint {
    /// `unix:///var/run/docker.sock`
    Unix(PathBuf),
    /// `tcp://host:2375` or `http://host:2375`: HTTP, or HTTPS when the connection has a
    /// [`TlsConfig`]. The host is as [`Endpoint::parse`] writes it: a lowercase DNS name, an
    /// IPv4 address, or an IPv6 address in brackets (`[::1]`).
    Tcp {
        /// The host name or address.
        host: String,
        /// The TCP port.
        port: u16,
    },
    /// `ssh://[user@]host[:port][/remote/socket]`: through `ssh` and `docker system dial-stdio`
    /// on that host, as the docker CLI does (see [`SshTarget`]).
    Ssh(SshTarget),
}

impl Endpoint {
    /// Parses a `DOCKER_HOST` value the way the docker CLI does, more strictly: hosts are DNS
    /// names, IPv4 addresses or bracketed IPv6 addresses; ports are 1-65535; `tcp://` takes no
    /// path (but a final `/`), query, fragment or credentials, `ssh://` no password.
    pub fn parse(s: &str) -> Result<Self> {
        Endpoint::parse_quoted(s).map_err(|why| Error::Config(format!("invalid DOCKER_HOST {why}")))
    }

    /// [`Endpoint::parse`] with the error as "`ADDRESS`: WHY", the address redacted.
    pub(crate) fn parse_quoted(s: &str) -> std::result::Result<Self, String> {
        parse(s).map_err(|why| format!("`{}`: {why}", redacted(s)))
    }

    /// The base URL requests go to (the host part is ignored on a unix socket). The host and port
    /// read back unchanged from it: [`Endpoint::parse`] checks that.
    pub(crate) fn base_url(&self, tls: Option<&TlsConfig>) -> String {
        match self {
            Endpoint::Unix(_) | Endpoint::Ssh(_) => "http://docker.sock".to_string(),
            Endpoint::Tcp { host, port } if tls.is_some() => format!("https://{host}:{port}"),
            Endpoint::Tcp { host, port } => format!("http://{host}:{port}"),
        }
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Endpoint::Unix(p) => write!(f, "unix://{}", p.display()),
            Endpoint::Tcp { host, port } => write!(f, "tcp://{host}:{port}"),
            Endpoint::Ssh(target) => target.fmt(f),
        }
    }
}

fn parse(s: &str) -> std::result::Result<Endpoint, String> {
    if s.trim() != s {
        return Err("leading or trailing whitespace".into());
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(USAGE.into());
    };
    match scheme {
        "unix" => parse_unix(rest),
        "tcp" | "http" => parse_tcp(rest),
        "ssh" => SshTarget::parse(rest).map(Endpoint::Ssh),
        "https" => Err("write `tcp://` and configure TLS (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)".into()),
        "npipe" => Err("named pipes exist only on Windows".into()),
        "fd" => Err("the `fd` transport is not supported".into()),
        _ if scheme.len() <= 16
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) =>
        {
            Err(format!("unknown scheme `{scheme}`; {USAGE}"))
        }
        _ => Err(format!("unknown scheme; {USAGE}")),
    }
}

fn parse_unix(path: &str) -> std::result::Result<Endpoint, String> {
    if path.is_empty() {
        return Ok(Endpoint::Unix(DEFAULT_SOCKET.into()));
    }
    if path.contains('\0') {
        return Err("the socket path contains a NUL byte".into());
    }
    if !path.starts_with('/') {
        return Err("the socket path must be absolute (`unix:///PATH`)".into());
    }
    if path.contains("://") {
        return Err("the socket path contains `://`".into());
    }
    Ok(Endpoint::Unix(path.into()))
}

fn parse_tcp(rest: &str) -> std::result::Result<Endpoint, String> {
    if rest.contains('@') {
        return Err(
            "credentials (`USER@` or `USER:PASSWORD@`) are not allowed in a tcp:// address; \
                    the daemon authenticates TLS client certificates"
                .into(),
        );
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match (tail.find('?'), tail.find('#')) {
        (Some(q), f) if f.is_none_or(|f| q < f) => return Err("a query (`?...`) is not allowed".into()),
        (_, Some(_)) => return Err("a fragment (`#...`) is not allowed".into()),
        _ => {}
    }
    if !tail.is_empty() && tail != "/" {
        return Err("a path is not allowed (only a final `/`)".into());
    }
    let (host, port) = split_authority(authority)?;
    let host = match host {
        Host::Name(name) => name.to_ascii_lowercase(),
        Host::V4(a) => a.to_string(),
        Host::V6(a) => url::Host::<String>::Ipv6(a).to_string(),
    };
    let port = port.unwrap_or(DEFAULT_PORT);
    // What the HTTP client will read: it must be this very host and port.
    let url = url::Url::parse(&format!("http://{host}:{port}/"));
    match url {
        Ok(u) if u.host_str() == Some(host.as_str()) && u.port_or_known_default() == Some(port) => {}
        _ => return Err("the host is not a valid URL host".into()),
    }
    Ok(Endpoint::Tcp { host, port })
}

/// A host as written in an address, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Host<'a> {
    /// A DNS name (or an ssh alias of that form), as written.
    Name(&'a str),
    V4(Ipv4Addr),
    /// Written in brackets.
    V6(Ipv6Addr),
}

/// Splits `HOST[:PORT]` and checks both parts.
pub(crate) fn split_authority(authority: &str) -> std::result::Result<(Host<'_>, Option<u16>), String> {
    if authority.is_empty() {
        return Err("the host is empty".into());
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let Some((addr, after)) = inner.split_once(']') else {
            return Err("unbalanced `[`: an IPv6 address is written `[ADDRESS]`".into());
        };
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or("only `:PORT` may follow an IPv6 address's `]`")?,
            ),
        };
        (Host::V6(ipv6(addr)?), port)
    } else {
        if authority.contains(['[', ']']) {
            return Err("unbalanced brackets: an IPv6 address is written `[ADDRESS]`".into());
        }
        let (host, port) = match authority.split_once(':') {
            Some((_, p)) if p.contains(':') => {
                return Err("an IPv6 address must be in brackets, as in `[::1]:2375`".into());
            }
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        (name_or_ipv4(host)?, port)
    };
    Ok((host, port.map(port_number).transpose()?))
}

fn ipv6(addr: &str) -> std::result::Result<Ipv6Addr, String> {
    if addr.contains('%') {
        return Err("IPv6 zone identifiers (`%...`) are not supported".into());
    }
    if addr.is_empty() {
        return Err("the host is empty".into());
    }
    match addr.parse::<Ipv6Addr>() {
        Ok(a) => Ok(a),
        Err(_) if addr.parse::<Ipv4Addr>().is_ok() => Err("brackets hold only IPv6 addresses".into()),
        Err(_) => Err("the brackets do not hold a valid IPv6 address".into()),
    }
}

fn name_or_ipv4(host: &str) -> std::result::Result<Host<'_>, String> {
    if host.is_empty() {
        return Err("the host is empty".into());
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        let c = match c {
            ' ' => "a space".to_string(),
            c if c.is_control() => "a control character".to_string(),
            c if !c.is_ascii() => {
                "a non-ASCII character (write an internationalized name in its `xn--` form)".to_string()
            }
            c => format!("`{c}`"),
        };
        return Err(format!(
            "the host contains {c}: a host is a DNS name (letters, digits, `-`, `_`, `.`), an IPv4 \
             address or an IPv6 address in brackets"
        ));
    }
    // One final dot: a fully qualified name.
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.split('.').any(str::is_empty) {
        return Err("the host has an empty label (`..`, or a leading or trailing `.`)".into());
    }
    // A last label starting with a digit is an IPv4 address to URL parsers (`127.1`, `0x7f.1`):
    // only the dotted-quad form is taken, and never as a name.
    if name
        .rsplit('.')
        .next()
        .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_digit()))
    {
        return match host.parse::<Ipv4Addr>() {
            Ok(a) => Ok(Host::V4(a)),
            Err(_) => Err(
                "the host is not a valid IPv4 address (`A.B.C.D`), and a host name's last \
                           label cannot start with a digit"
                    .into(),
            ),
        };
    }
    if name.len() > 253 || name.split('.').any(|l| l.len() > 63) {
        return Err("the host name is too long (253 characters, 63 per label)".into());
    }
    if name.split('.').any(|l| l.starts_with('-') || l.ends_with('-')) {
        return Err("a host name label must not start or end with `-`".into());
    }
    Ok(Host::Name(host))
}

fn port_number(p: &str) -> std::result::Result<u16, String> {
    if p.is_empty() {
        return Err("the port after `:` is empty".into());
    }
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the port must be a number (digits only)".into());
    }
    let digits = p.trim_start_matches('0');
    match digits.parse::<u16>() {
        Ok(port) if digits.len() <= 5 && port != 0 => Ok(port),
        _ => Err("the port must be between 1 and 65535".into()),
    }
}

/// `s` for an error message: what precedes the last `@` (after the scheme) as `***`, control
/// characters escaped, at most 200 characters.
fn redacted(s: &str) -> String {
    let shown = match s.rfind('@') {
        Some(at) => {
            let start = match s.find("://") {
                Some(i) if i < at && !s[..i].contains('@') => i + 3,
                _ => 0,
            };
            format!("{}***{}", &s[..start], &s[at..])
        }
        None => s.to_string(),
    };
    let mut out = String::new();
    for (i, c) in shown.chars().enumerate() {
        if i == 200 {
            out.push('…');
            break;
        }
        match c.is_control() {
            true => out.extend(c.escape_default()),
            false => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(h: &str, p: u16) -> Endpoint {
        Endpoint::Tcp {
            host: h.into(),
            port: p,
        }
    }

    #[test]
    fn parses_docker_host() {
        assert_eq!(
            Endpoint::parse("unix:///run/x.sock").unwrap(),
            Endpoint::Unix("/run/x.sock".into())
        );
        assert_eq!(
            Endpoint::parse("unix://").unwrap(),
            Endpoint::Unix(DEFAULT_SOCKET.into())
        );
        for (s, host, port) in [
            ("tcp://127.0.0.1:2375", "127.0.0.1", 2375),
            ("tcp://localhost", "localhost", 2375),
            ("http://localhost:8080/", "localhost", 8080),
            ("tcp://Docker.Example.:02376", "docker.example.", 2376),
            ("tcp://my_host-1.lan:1", "my_host-1.lan", 1),
            ("tcp://[::1]:2375", "[::1]", 2375),
            ("tcp://[::1]", "[::1]", 2375),
            ("tcp://[0:0:0:0:0:0:0:1]:65535", "[::1]", 65535),
            ("tcp://[FE80::1]:1", "[fe80::1]", 1),
            ("tcp://[::ffff:10.0.0.1]:2375", "[::ffff:a00:1]", 2375),
        ] {
            assert_eq!(Endpoint::parse(s).unwrap(), tcp(host, port), "{s}");
        }
        let ssh = Endpoint::parse("ssh://me@build.example:2222").unwrap();
        assert!(matches!(&ssh, Endpoint::Ssh(t) if t.host == "build.example" && t.port == Some(2222)));
        assert_eq!(ssh.to_string(), "ssh://me@build.example:2222");
    }

    /// Each malformed form is a configuration error that says what is wrong.
    #[test]
    fn malformed_hosts_are_config_errors_that_say_why() {
        for (bad, why) in [
            ("", "expected `unix:///PATH`"),
            ("/var/run/docker.sock", "expected `unix:///PATH`"),
            ("docker.example:2375", "expected `unix:///PATH`"),
            (" tcp://h:1", "whitespace"),
            ("tcp://h:1\n", "whitespace"),
            ("unix://relative", "must be absolute"),
            ("unix:///a\0b", "NUL byte"),
            ("unix:///a/tcp://b", "contains `://`"),
            ("tcp://", "the host is empty"),
            ("tcp://:2375", "the host is empty"),
            ("tcp://[]:2375", "the host is empty"),
            ("tcp://h:port", "digits only"),
            ("tcp://h:+80", "digits only"),
            ("tcp://h:-1", "digits only"),
            ("tcp://h: 80", "digits only"),
            ("tcp://h:", "the port after `:` is empty"),
            ("tcp://[::1]:", "the port after `:` is empty"),
            ("tcp://h:0", "between 1 and 65535"),
            ("tcp://h:65536", "between 1 and 65535"),
            ("tcp://h:99999999999999999999", "between 1 and 65535"),
            ("tcp://h:1/x", "a path is not allowed"),
            ("tcp://h:1//", "a path is not allowed"),
            ("tcp://h:1?x=1", "a query"),
            ("tcp://h:1/?x", "a query"),
            ("tcp://127.0.0.1#:12345", "a fragment"),
            ("tcp://h:1/#", "a fragment"),
            ("tcp://my host:2375", "contains a space"),
            ("tcp://h\tx:1", "a control character"),
            ("tcp://h%2e:1", "contains `%`"),
            ("tcp://h,x:1", "contains `,`"),
            ("tcp://h\\x:1", "contains `\\`"),
            ("tcp://hé:1", "non-ASCII"),
            ("tcp://a..b:1", "empty label"),
            ("tcp://.a:1", "empty label"),
            ("tcp://a..:1", "empty label"),
            ("tcp://-a:1", "must not start or end with `-`"),
            ("tcp://a-.b:1", "must not start or end with `-`"),
            (&format!("tcp://{}.x:1", "a".repeat(64)), "too long"),
            (&format!("tcp://{}x:1", "a.".repeat(127)), "too long"),
            ("tcp://127.1:1", "not a valid IPv4 address"),
            ("tcp://0x7f.0.0.1:1", "not a valid IPv4 address"),
            ("tcp://1.2.3.4.:1", "not a valid IPv4 address"),
            ("tcp://256.0.0.1:1", "not a valid IPv4 address"),
            ("tcp://010.0.0.1:1", "not a valid IPv4 address"),
            ("tcp://host.123:1", "not a valid IPv4 address"),
            ("tcp://xn--a:1", "not a valid URL host"),
            ("tcp://[::1", "unbalanced `[`"),
            ("tcp://::1]:1", "unbalanced brackets"),
            ("tcp://h]:1", "unbalanced brackets"),
            ("tcp://h[x]:1", "unbalanced brackets"),
            ("tcp://::1", "must be in brackets"),
            ("tcp://fe80::1:2375", "must be in brackets"),
            ("tcp://[::1]x", "only `:PORT` may follow"),
            ("tcp://[::1]]:1", "only `:PORT` may follow"),
            ("tcp://[fe80::1%25eth0]:1", "zone identifiers"),
            ("tcp://[127.0.0.1]:1", "only IPv6 addresses"),
            ("tcp://[::g]:1", "not hold a valid IPv6 address"),
            ("tcp://user@h:2375", "credentials"),
            ("tcp://user:secret@h:2375", "credentials"),
            ("http://user:secret@h", "credentials"),
            ("ssh://", "the host is empty"),
            ("ssh://u@-oProxyCommand=x", "contains `=`"),
            ("ssh://-oProxyCommand", "must not start or end with `-`"),
            ("ssh://u:secret@h", "password"),
            ("ssh://u:@h", "password"),
            ("ssh://h?x", "query"),
            ("ssh://h#x", "fragment"),
            ("ssh://h:0", "between 1 and 65535"),
            ("ssh://my host", "contains a space"),
            ("ssh://[::1", "unbalanced `[`"),
            ("ssh://u;x@h", "the user may hold only"),
            ("npipe:////./pipe/docker_engine", "only on Windows"),
            ("https://h:2376", "write `tcp://`"),
            ("foo://x", "unknown scheme `foo`"),
        ] {
            match Endpoint::parse(bad) {
                Err(Error::Config(m)) => assert!(m.contains(why), "{bad:?}: {m}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    /// A password never shows: not in errors (Display or Debug), not in a parsed endpoint.
    #[test]
    fn passwords_never_show() {
        for s in [
            "tcp://user:S3CRET@host:2375",
            "tcp://S3CRET@host:2375",
            "tcp://u:S3CRET@[::1]:1",
            "tcp://u:S3CRET@host:port",
            "tcp://u:S3/CRET@host",
            "tcp://u:S3CRET#x@host",
            "tcp://u:S3CRET?@host",
            "tcp://u:S3C@RET@host",
            "http://u:S3CRET@host",
            "ssh://u:S3CRET@host",
            "ssh://u:S3CRET@host:22/run/docker.sock",
            "ssh://u:S3/CRET@host",
            "ssh://u:S3CRET#@host",
            "ssh://u:S3[CRET@host",
            "ssh://u:S3CRET@",
            "unix://u:S3CRET@/x",
            "u:S3CRET@host:2375",
            "foo://u:S3CRET@host",
            "u:S3CRET@x://host",
            " tcp://u:S3CRET@host",
        ] {
            let err = Endpoint::parse(s).unwrap_err();
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("S3"), "{s}: {shown}");
                assert!(!shown.contains("CRET"), "{s}: {shown}");
            }
        }
        let err = Endpoint::parse("tcp://user:S3CRET@host:2375").unwrap_err();
        assert!(err.to_string().contains("`tcp://***@host:2375`"), "{err}");
        // A user alone is legitimate for ssh, and shown.
        let ok = Endpoint::parse("ssh://me@host").unwrap();
        assert_eq!(ok.to_string(), "ssh://me@host");
    }

    /// What the HTTP client reads from the base URL is the parsed host and port, unchanged.
    #[test]
    fn the_base_url_reads_back_unchanged() {
        for s in [
            "tcp://localhost",
            "tcp://LOCALHOST:1",
            "tcp://docker.example.com:2376",
            "tcp://docker.example.com.:2376",
            "tcp://xn--bcher-kva.example:2375",
            "tcp://my_service:2375",
            "tcp://a-b.c-d:80",
            "tcp://h:443",
            "tcp://0.0.0.0:1",
            "tcp://255.255.255.255:65535",
            "tcp://127.0.0.1:2375",
            "tcp://[::]:2375",
            "tcp://[::1]:2375",
            "tcp://[2001:DB8:0:0:1:0:0:1]:2375",
            "tcp://[2001:db8::1:0:0:1]:2375",
            "tcp://[::ffff:192.168.0.1]:2375",
            "tcp://[::192.168.0.1]:2375",
            "tcp://[fe80::1:2:3:4]:2375",
            "tcp://[1:2:3:4:5:6:7:8]:8",
        ] {
            let endpoint = Endpoint::parse(s).unwrap();
            let Endpoint::Tcp { host, port } = &endpoint else {
                panic!("{s}")
            };
            for tls in [None, Some(&TlsConfig::from_dir("/x"))] {
                let base = endpoint.base_url(tls);
                let url = url::Url::parse(&base).unwrap();
                assert_eq!(url.host_str(), Some(host.as_str()), "{s}: {base}");
                assert_eq!(url.port_or_known_default(), Some(*port), "{s}: {base}");
                assert_eq!(url.path(), "/", "{s}: {base}");
            }
            assert_eq!(Endpoint::parse(&endpoint.to_string()).unwrap(), endpoint, "{s}");
        }
    }

    #[test]
    fn display_parses_back() {
        for s in [
            "unix:///run/x.sock",
            "unix:///run/a b@c.sock",
            "tcp://h:1",
            "tcp://[::1]:2375",
            "ssh://h",
            "ssh://me@[::1]:22/run/d.sock",
            "ssh://Build.Example",
        ] {
            let e = Endpoint::parse(s).unwrap();
            assert_eq!(e.to_string(), s);
            assert_eq!(Endpoint::parse(&e.to_string()).unwrap(), e);
        }
    }
}
