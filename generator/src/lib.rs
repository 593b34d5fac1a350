#![doc = include_str!("../README.md")]

pub mod convert;
mod error;
#[cfg(feature = "maintenance")]
pub mod features;
pub mod fixes;
mod generate;
pub mod glue;
#[cfg(feature = "maintenance")]
pub mod golden;
mod lean_requests;
pub mod names;
mod openness;
mod optional_bodies;
mod passes;
mod plain_types;
#[cfg(feature = "maintenance")]
pub mod provenance;
pub mod redaction;
mod serde_impls;
pub mod sharing;
pub mod versions;
mod yaml;

pub use error::{Error, Result};
pub use generate::{
    Generated, Operation, generate, generate_filtered, generate_module, generate_shared,
    leave_errors_to_the_facade, load_spec, openapi3, operation_ids, parse_spec, retain_operations,
};
#[cfg(feature = "maintenance")]
pub use generate::{spec_yaml, type_identity};
pub use versions::{SpecVersion, VERSIONS};
