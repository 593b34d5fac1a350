//! Generates one module per enabled version feature into OUT_DIR (see `generator/`).
//!
//! Versions built together share the types that `specs/type-identity.txt` (written by
//! `cargo xtask regen`) gives one owner: a newer module re-exports them from the oldest enabled
//! one, so identity is the same under every feature set (`docker_engine_api_codegen::sharing`).

use docker_engine_api_codegen::{ApiVersion, VERSIONS, generate_shared, sharing};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", specs.join(sharing::TABLE).display());

    let enabled: Vec<_> = VERSIONS
        .iter()
        .filter(|v| std::env::var_os(format!("CARGO_FEATURE_{}", v.feature().to_uppercase())).is_some())
        .collect();
    for v in &enabled {
        println!("cargo:rerun-if-changed={}", specs.join(v.spec).display());
    }

    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let modules =
        generate_shared(&specs, &enabled, threads).unwrap_or_else(|e| panic!("code generation failed: {e}"));
    for (version, code) in modules {
        std::fs::write(out.join(format!("{}.rs", version.feature())), code).expect("write module");
    }

    std::fs::write(out.join("modules.rs"), facade_glue(&enabled)).expect("write modules.rs");
}

/// The module declarations, the list of enabled versions, the `Api` enum over their clients
/// and the `with_api!` macro, for src/lib.rs.
fn facade_glue(enabled: &[&ApiVersion]) -> String {
    if enabled.is_empty() {
        return "compile_error!(\"docker-engine-api: enable at least one API version feature, e.g. `latest` \
                or `v1_41`\");\n"
            .to_string();
    }
    let mut s = String::new();
    for v in enabled {
        let f = v.feature();
        writeln!(
            s,
            "/// Docker Engine API v{name}, generated from `specs/{spec}`.\n\
             #[cfg(feature = \"{f}\")]\n\
             #[allow(rustdoc::all, clippy::all, unused_imports)]\n\
             pub mod {f} {{ include!(concat!(env!(\"OUT_DIR\"), \"/{f}.rs\")); }}",
            name = v.name(),
            spec = v.spec
        )
        .unwrap();
    }
    let minors: Vec<_> = enabled.iter().map(|v| v.minor.to_string()).collect();
    let variant = |v: &ApiVersion| format!("V1_{}", v.minor);
    writeln!(
        s,
        "/// Minor numbers of the enabled API versions `1.x`, oldest first.\n\
         pub const ENABLED_MINORS: &[u32] = &[{}];\n\n\
         /// The generated client of the selected version module: one variant per enabled version\n\
         /// feature (more may appear when another crate enables more features: match with\n\
         /// [`with_api!`] rather than by hand).\n\
         #[derive(Debug, Clone)]\n#[non_exhaustive]\npub enum Api {{",
        minors.join(", ")
    )
    .unwrap();
    for v in enabled {
        writeln!(
            s,
            "    /// API v{}.\n    {}({}::Client),",
            v.name(),
            variant(v),
            v.feature()
        )
        .unwrap();
    }
    s.push_str("}\n\nimpl Api {\n    /// The client of module `1.minor` talking to `url`, if that module is enabled.\n    #[allow(unreachable_patterns)]\n    pub(crate) fn new(minor: u32, url: &str, http: reqwest::Client) -> Option<Api> {\n        match minor {\n");
    for v in enabled {
        writeln!(
            s,
            "            {} => Some(Api::{}({}::Client::new_with_client(url, http))),",
            v.minor,
            variant(v),
            v.feature()
        )
        .unwrap();
    }
    s.push_str("            _ => None,\n        }\n    }\n\n    /// The version of the module (not necessarily the one on the wire).\n    pub fn version(&self) -> ApiVersion {\n        match *self {\n");
    for v in enabled {
        writeln!(
            s,
            "            Api::{}(ref _c) => ApiVersion::v1({}),",
            variant(v),
            v.minor
        )
        .unwrap();
    }
    s.push_str("        }\n    }\n\n    /// The version this client talks on the wire (`/v1.41/...`): its module's, or the\n    /// daemon's when that is older.\n    pub fn wire_version(&self) -> ApiVersion {\n        match *self {\n");
    for v in enabled {
        writeln!(
            s,
            "            Api::{}(ref c) => crate::version::wire_of(&c.baseurl),",
            variant(v)
        )
        .unwrap();
    }
    s.push_str("        }\n    }\n}\n\n");
    // `with_api!(api, client, module => body)`: `body` once per enabled version.
    s.push_str("/// Runs the same code on whichever version module an [`Api`] holds: `client` is bound to that\n/// module's `Client` and `module` names the module, e.g. `module::types::ContainerCreateBody`.\n/// The body must have one type for every enabled version.\n///\n/// `with_api!(docker.api(), client, module, since 1.25 => body)` runs a body of type\n/// `Result<_, Error>` on the modules of v1.25 and newer only, and is `Err(Error::NotAvailable)`\n/// on older ones: code with operations that old modules lack still compiles with them enabled.\n///\n/// In debug builds the body's locals get their own stack slots in every arm: a large body with\n/// many versions enabled needs a bigger stack than the default 2 MB (`RUST_MIN_STACK`, or\n/// tokio's `thread_stack_size`), or a smaller body (one operation per `with_api!`).\n#[macro_export]\nmacro_rules! with_api {\n    ($api:expr, $client:ident, $module:ident => $body:expr) => {\n        match $api {\n");
    for v in enabled {
        writeln!(s, "            $crate::Api::{}($client) => {{ #[allow(unused_imports)] use $crate::{} as $module; $body }}", variant(v), v.feature()).unwrap();
    }
    s.push_str("            #[allow(unreachable_patterns)]\n            _ => unreachable!(\"every Api variant has an arm\"),\n        }\n    };\n");
    // `since 1.N`: the body (a `Result<_, Error>`) runs when the wire version is v1.N or newer
    // (so on modules v1.N and newer, talking a daemon that has v1.N); otherwise it is
    // `Error::NotAvailable`, and code using newer operations compiles with old modules on.
    for since in VERSIONS {
        writeln!(
            s,
            "    ($api:expr, $client:ident, $module:ident, since {} => $body:expr) => {{{{\n        \
             let api = $api;\n        let wire = $crate::Api::wire_version(&api);\n        \
             match api {{",
            since.name()
        )
        .unwrap();
        for v in enabled.iter().filter(|v| v.minor >= since.minor) {
            writeln!(s, "            $crate::Api::{}($client) if wire.minor >= {} => {{ #[allow(unused_imports)] use $crate::{} as $module; $body }}", variant(v), since.minor, v.feature()).unwrap();
        }
        writeln!(
            s,
            "            #[allow(unreachable_patterns)]\n            _ => ::std::result::Result::Err($crate::Error::NotAvailable {{ operation: \"an operation of API v{}+\".to_string(), version: wire }}),\n        }}\n    }}}};",
            since.name()
        )
        .unwrap();
    }
    s.push_str("}\n\n");
    // Every generated request goes through `trace::execute` (a span per request), through
    // progenitor's `ClientHooks`: an impl for the `Client` itself takes precedence over the
    // default one for `&Client`.
    for v in enabled {
        writeln!(
            s,
            "impl progenitor_client::ClientHooks<()> for {f}::Client {{\n    \
             async fn exec(&self, request: reqwest::Request, info: &progenitor_client::OperationInfo) -> reqwest::Result<reqwest::Response> {{\n        \
             crate::trace::execute(&self.client, request, info.operation_id).await\n    }}\n}}",
            f = v.feature()
        )
        .unwrap();
    }
    s.push_str("\nimpl Docker {\n");
    for v in enabled {
        writeln!(
            s,
            "    /// The v{name} module's client, talking v{name} or the negotiated version if that is older\n    \
             /// (the Go SDK's way: fields and operations newer than the wire version are ignored or\n    \
             /// rejected by the daemon).\n    pub fn {f}(&self) -> {f}::Client {{\n        \
             {f}::Client::new_with_client(&self.base_for(ApiVersion::v1({m})), self.http().clone())\n    }}",
            name = v.name(),
            f = v.feature(),
            m = v.minor
        )
        .unwrap();
    }
    s.push_str("}\n");
    s
}
