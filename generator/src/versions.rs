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
    ($($minor:literal => [$($fix:ident),* $(,)?]),* $(,)?) => {
        /// Every supported version, oldest first, with the fixes of its spec.
        pub const VERSIONS: &[ApiVersion] = &[$(ApiVersion {
            minor: $minor,
            spec: concat!("v1.", stringify!($minor), ".yaml"),
            fixes: &[$(fixes::$fix),*],
        }),*];
    };
}

versions! {
    // Derived from v1.25 (upstream published no Swagger file for v1.24): see xtask/src/v1_24.rs.
    24 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX],
    25 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, NETWORK_PRUNE_KEY],
    26 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST],
    27 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, PRUNE_FILTERS],
    28 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST],
    29 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST],
    30 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    31 => [CMD_TYPE_LIST, INSPECT_PORTS_MAP, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    32 => [CMD_TYPE_LIST, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    33 => [CMD_TYPE_LIST, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    34 => [CMD_TYPE_LIST, LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    35 => [LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH],
    36 => [LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    37 => [LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    38 => [LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    39 => [LOGS_ARE_STREAMS, AUTH_NEVER_204, PUSH_AUX, DF_CONTAINER_LIST, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    40 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    41 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    42 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    43 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    44 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    45 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    46 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    47 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    48 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    49 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    50 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    51 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    52 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    53 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    54 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
    55 => [AUTH_NEVER_204, PUSH_AUX, DISTRIBUTION_AUTH, BUILD_AUX_ANY],
}
