//! The post-processing passes over progenitor's code, run in one place and one order.
//!
//! Each pass is a module of its own ([`crate::plain_types`], [`crate::names`], ...); [`run`]
//! applies them to a freshly generated module. The order matters where a pass reads what
//! another rewrites, or writes code that needs what another inserts:
//!
//! 1. `plain_types::drop_type_builders` first: typify's builder structs repeat the fields of
//!    the types, and renaming the fields (next) would rename their uses but not the builders'
//!    own fields.
//! 2. `names::acronym_aware_fields`: it takes the wire names from typify's serde `rename`
//!    attributes, which `serde_impls::lean_object_impls` removes; and the serde impls and
//!    `redaction` (whose secret fields are the final Rust names) must see the renamed fields.
//! 3. The operation builders: `names::check_parameter_names`, `optional_bodies`.
//! 4. The serde impls: `serde_impls::add_support_module` inserts the `serde_support` module and
//!    returns the [`SerdeSupport`] that `openness::open_enums` and
//!    `serde_impls::lean_object_impls` require, since their impls name its items.
//! 5. `redaction::redact_secrets` (replaces the `Debug` derives those passes leave in place) and
//!    `lean_requests` (the operations' `send`).

use crate::error::Result;
use crate::serde_impls::{self, SerdeSupport};
use crate::{lean_requests, names, openness, optional_bodies, plain_types, redaction};
use serde_json::Value;

/// Runs every pass on `file`, the code progenitor generated from the OpenAPI 3 document `doc`.
pub fn run(file: &mut syn::File, doc: &Value) -> Result<()> {
    plain_types::drop_type_builders(file);
    names::acronym_aware_fields(file)?;

    names::check_parameter_names(file, doc)?;
    optional_bodies::default_empty_bodies(file, &optional_bodies::optional_body_operations(doc));

    let support: SerdeSupport = serde_impls::add_support_module(file);
    openness::open_enums(file, &support);
    serde_impls::lean_object_impls(file, &support);

    redaction::redact_secrets(file);
    lean_requests::lean_requests(file);
    Ok(())
}
