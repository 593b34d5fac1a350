//! The one table of supported API versions: build.rs, the facade, xtask and the tests all read it.

use crate::fixes::{self, Fix};

/// One Docker Engine API version that the crate generates a module for.
#[derive(Debug, Clone, Copy)]
pub struct ApiVersion {
    /// Minor version: the API is `1.<minor>`.
    pub minor: u32,
    /// File name of the vendored Swagger 2.0 spec under `specs/`.
    pub spec: &'static str,
    /// Recorded corrections of upstream spec errors, applied in order.
    pub fixes: &'static [Fix],
}

impl ApiVersion {
    /// `"1.41"`, as it appears in `/v1.41/` and `Api-Version` headers.
    pub fn name(&self) -> String {
        format!("1.{}", self.minor)
    }

    /// `"v1_41"`: the Cargo feature and the module name.
    pub fn feature(&self) -> String {
        format!("v1_{}", self.minor)
    }

    /// Looks a version up by its minor number.
    pub fn find(minor: u32) -> Option<&'static ApiVersion> {
        VERSIONS.iter().find(|v| v.minor == minor)
    }
}

/// The newest version: the `latest` feature and the default feature point at it.
pub fn latest() -> &'static ApiVersion {
    VERSIONS.last().expect("the version table is not empty")
}

macro_rules! versions {
    ($($minor:literal => $fixes:expr),* $(,)?) => {
        /// Every supported version, oldest first.
        pub const VERSIONS: &[ApiVersion] = &[$(ApiVersion {
            minor: $minor,
            spec: concat!("v1.", stringify!($minor), ".yaml"),
            fixes: $fixes,
        }),*];
    };
}

versions! {
    25 => fixes::V1_25_TO_1_34,
    26 => fixes::V1_25_TO_1_34,
    27 => fixes::V1_25_TO_1_34,
    28 => fixes::V1_25_TO_1_34,
    29 => fixes::V1_25_TO_1_34,
    30 => fixes::V1_25_TO_1_34,
    31 => fixes::V1_25_TO_1_34,
    32 => fixes::V1_25_TO_1_34,
    33 => fixes::V1_25_TO_1_34,
    34 => fixes::V1_25_TO_1_34,
    35 => fixes::V1_35_TO_1_55,
    36 => fixes::V1_35_TO_1_55,
    37 => fixes::V1_35_TO_1_55,
    38 => fixes::V1_35_TO_1_55,
    39 => fixes::V1_35_TO_1_55,
    40 => fixes::V1_35_TO_1_55,
    41 => fixes::V1_35_TO_1_55,
    42 => fixes::V1_35_TO_1_55,
    43 => fixes::V1_35_TO_1_55,
    44 => fixes::V1_35_TO_1_55,
    45 => fixes::V1_35_TO_1_55,
    46 => fixes::V1_35_TO_1_55,
    47 => fixes::V1_35_TO_1_55,
    48 => fixes::V1_35_TO_1_55,
    49 => fixes::V1_35_TO_1_55,
    50 => fixes::V1_35_TO_1_55,
    51 => fixes::V1_35_TO_1_55,
    52 => fixes::V1_35_TO_1_55,
    53 => fixes::V1_35_TO_1_55,
    54 => fixes::V1_35_TO_1_55,
    55 => fixes::V1_35_TO_1_55,
}
