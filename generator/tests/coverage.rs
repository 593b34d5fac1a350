//! Every operation of every version gets a client method.
//!
//! progenitor names a method after the snake_case of its operationId (`ContainerCreate` ->
//! `container_create`); each one must be a `pub fn` of the inherent `impl Client`. An operation
//! that progenitor cannot generate fails `generate_module` (which names it), and so this test.

use docker_engine_api_codegen::{VERSIONS, generate_module, load_spec, operation_ids};
use quote::ToTokens;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// `ContainerCreate` -> `container_create`, `SystemPingHead` -> `system_ping_head`.
fn snake_case(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The `pub fn`s of `impl Client { .. }` (the inherent impl, not `impl ClientInfo for Client`).
fn client_methods(file: &syn::File) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let is_client = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client || imp.trait_.is_some() {
            continue;
        }
        for item in &imp.items {
            if let syn::ImplItem::Fn(f) = item
                && matches!(f.vis, syn::Visibility::Public(_))
            {
                methods.insert(f.sig.ident.to_string());
            }
        }
    }
    methods
}

#[test]
fn snake_case_matches_progenitor_naming() {
    assert_eq!(snake_case("ContainerCreate"), "container_create");
    assert_eq!(snake_case("SystemPingHead"), "system_ping_head");
    assert_eq!(snake_case("SwarmUnlockkey"), "swarm_unlockkey");
    assert_eq!(snake_case("Session"), "session");
}

/// The structs with named fields in `types` that still derive serde's traits: the lean impls
/// (generator/src/serde_impls.rs) are meant to cover every object type.
fn objects_with_derived_serde(file: &syn::File) -> Vec<String> {
    let Some(types) = file.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    }) else {
        return vec!["<no types module>".into()];
    };
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => Some(s),
            _ => None,
        })
        .filter(|s| {
            s.attrs
                .iter()
                .any(|a| a.path().is_ident("derive") && a.to_token_stream().to_string().contains("serde"))
        })
        .map(|s| s.ident.to_string())
        .collect()
}

#[test]
fn every_operation_of_every_version_has_a_client_method() {
    let specs = specs_dir();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    let start = Instant::now();
    for version in VERSIONS {
        // The operations of the vendored spec itself, so that one lost on the way is missed.
        let ids = match load_spec(&specs.join(version.spec)) {
            Ok(doc) => operation_ids(&doc),
            Err(e) => {
                failures.push(format!("v{}: {e}", version.name()));
                continue;
            }
        };
        let t = Instant::now();
        let generated = match generate_module(&specs, version) {
            Ok(g) => g,
            Err(e) => {
                failures.push(format!("v{}: generation failed: {e}", version.name()));
                continue;
            }
        };
        let elapsed = t.elapsed();
        let methods = client_methods(&generated.file);
        let missing: Vec<_> = ids
            .iter()
            .filter(|id| !methods.contains(&snake_case(id)))
            .collect();
        report.push(format!(
            "v{}: {} operations, {} client methods, {} missing, generated in {:.2?}",
            version.name(),
            ids.len(),
            methods.len(),
            missing.len(),
            elapsed
        ));
        if generated.operations != ids.len() {
            failures.push(format!(
                "v{}: Generated.operations is {}, the spec has {}",
                version.name(),
                generated.operations,
                ids.len()
            ));
        }
        if !missing.is_empty() {
            failures.push(format!("v{}: no client method for {missing:?}", version.name()));
        }
        let derived = objects_with_derived_serde(&generated.file);
        if !derived.is_empty() {
            failures.push(format!(
                "v{}: object types left to serde's derive: {derived:?}",
                version.name()
            ));
        }
    }
    report.push(format!("total: {:.2?}", start.elapsed()));
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}\n\n{}",
        failures.len(),
        failures.join("\n"),
        report.join("\n")
    );
}
