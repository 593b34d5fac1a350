//! Generator of the Docker Engine API bindings: reads a vendored Swagger 2.0 spec, applies the
//! recorded fixes, converts it to OpenAPI 3.0, and turns it into Rust with progenitor.
//!
//! Used by the crate's `build.rs` (one module per enabled version) and by `xtask`.

pub mod convert;
mod error;
#[cfg(feature = "maintenance")]
pub mod features;
pub mod fixes;
mod generate;
pub mod golden;
mod lean_requests;
pub mod names;
mod openness;
mod optional_bodies;
mod plain_types;
#[cfg(feature = "maintenance")]
pub mod provenance;
pub mod redaction;
mod serde_impls;
pub mod sharing;
pub mod versions;

pub use error::{Error, Result};
#[cfg(feature = "maintenance")]
pub use generate::spec_yaml;
pub use generate::{
    ERRORS_READ_BY_THE_FACADE, Generated, generate, generate_module, generate_shared,
    leave_errors_to_the_facade, load_spec, openapi3, operation_ids, parse_spec,
};
pub use versions::{ApiVersion, VERSIONS};
