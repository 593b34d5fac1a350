//! Docker Engine API bindings generated from the upstream specs, one module per API version.

include!(concat!(env!("OUT_DIR"), "/modules.rs"));
