//! API version numbers (`1.41`), as in `/v1.41/` paths and `Api-Version` headers.

use crate::Error;
use std::fmt;
use std::str::FromStr;

/// A Docker Engine API version, `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    /// Always 1 so far.
    pub major: u32,
    /// The minor version: 41 for API 1.41.
    pub minor: u32,
}

impl ApiVersion {
    /// `1.minor`: every Engine API version so far.
    pub const fn v1(minor: u32) -> Self {
        ApiVersion { major: 1, minor }
    }

    /// The path prefix sent on the wire, `/v1.41`.
    pub fn path_prefix(&self) -> String {
        format!("/v{self}")
    }
}

/// The version of a versioned base URL (`http://docker.sock/v1.41`); `v1.0` if it has none
/// (never for the facade's clients).
pub(crate) fn wire_of(base: &str) -> ApiVersion {
    base.rsplit('/')
        .next()
        .and_then(|last| last.strip_prefix('v'))
        .and_then(|v| v.parse().ok())
        .unwrap_or(ApiVersion::v1(0))
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for ApiVersion {
    type Err = Error;

    /// Parses `1.41` (a leading `v` is accepted, as in `v1.41`).
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::Config(format!(
                "invalid API version `{s}`: expected `MAJOR.MINOR`, e.g. `1.41`"
            ))
        };
        let t = s.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let (major, minor) = t.split_once('.').ok_or_else(bad)?;
        let num = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        Ok(ApiVersion {
            major: num(major)?,
            minor: num(minor)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders() {
        assert_eq!("1.41".parse::<ApiVersion>().unwrap(), ApiVersion::v1(41));
        assert_eq!("v1.9".parse::<ApiVersion>().unwrap(), ApiVersion::v1(9));
        assert!(ApiVersion::v1(9) < ApiVersion::v1(41));
        assert_eq!(ApiVersion::v1(41).path_prefix(), "/v1.41");
        assert_eq!(wire_of("https://[::1]:2376/v1.24"), ApiVersion::v1(24));
        for bad in ["", "1", "1.", ".4", "1.4.1", "a.b", "1.-4", " 1 . 4"] {
            assert!(
                matches!(bad.parse::<ApiVersion>(), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
