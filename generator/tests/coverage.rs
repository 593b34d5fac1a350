//! Every operation of every version gets a client method.
//!
//! progenitor names a method after the snake_case of its operationId (`ContainerCreate` ->
//! `container_create`); each one must be a `pub fn` of the inherent `impl Client`. An operation
//! that progenitor cannot generate fails `generate_module` (which names it), and so this test.
//! The same pass over every version checks that the credential fields and headers print as
//! `<redacted>` in `Debug` (generator/src/redaction.rs).

use docker_engine_api_codegen::redaction::{SECRET_FIELDS, SECRET_HEADERS, header_field};
use docker_engine_api_codegen::{VERSIONS, generate_module, load_spec, operation_ids};
use quote::ToTokens;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;
use syn::ext::IdentExt;

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

/// Fields whose names look like credentials (see [`looks_secret`]) and hold none, by field
/// name, or by type and field for ambiguous names.
const NOT_SECRET: &[(&str, &str)] = &[
    // Builders: the detach key sequence, an image's author, flags asking for new tokens, and
    // where a service update takes its credentials from (`spec`, `previous-spec`).
    ("*", "detach_keys"),
    ("*", "author"),
    ("*", "rotate_manager_token"),
    ("*", "rotate_worker_token"),
    ("*", "rotate_manager_unlock_key"),
    ("*", "registry_auth_from"),
    // References to swarm secrets (ids, names, the name a CSI plugin reads a secret under).
    ("*", "secrets"),
    ("*", "secret_id"),
    ("*", "secret_name"),
    ("ClusterVolumeSpecAccessModeSecretsItem", "key"),
    ("ClusterVolumeSpecAccessModeSecretsItem", "secret"),
    // Objects that hold redacted ones: they print through the inner type's `Debug`.
    ("*", "join_tokens"),
    // Public material and look-alikes.
    ("*", "signing_ca_cert"),
    ("*", "ca_cert"),
    ("*", "cert_issuer_public_key"),
    ("*", "cert_issuer_subject"),
    ("*", "certificate_issuer"),
    ("*", "node_cert_expiry"),
    ("*", "credential_spec"),
    ("*", "authorization"),
    ("*", "sandbox_key"),
    ("*", "private_port"),
    ("*", "privateworkingset"),
    // Config payloads are not secret (that is what secrets are for), nor driver data or an
    // OCI descriptor's embedded content.
    ("ConfigSpec", "data"),
    ("DriverData", "data"),
    ("GraphDriver", "data"),
    ("GraphDriverData", "data"),
    ("OciDescriptor", "data"),
];

/// Entries of `SECRET_FIELDS` that no spec has (listed for fixes that may declare them).
const NOT_IN_SPECS: &[(&str, &str)] = &[
    ("AuthConfig", "auth"),
    ("AuthConfig", "identitytoken"),
    ("AuthConfig", "registrytoken"),
];

/// A field name that may hold a credential.
fn looks_secret(field: &str) -> bool {
    let words = [
        "password",
        "passwd",
        "passphrase",
        "token",
        "secret",
        "key",
        "auth",
        "credential",
        "private",
        "cert",
    ];
    words.iter().any(|w| field.contains(w)) || ["data", "worker", "manager"].contains(&field)
}

/// Checks the `Debug` of the structs of `types` and `builder`: every credential-looking field is
/// redacted (its struct has a hand-written `Debug` instead of the derive) or in [`NOT_SECRET`].
/// Adds the redacted `(type, field)` pairs of `types` to `seen`.
fn credential_problems(file: &syn::File, seen: &mut BTreeSet<(String, String)>) -> Vec<String> {
    let headers: Vec<String> = SECRET_HEADERS.iter().map(|h| header_field(h)).collect();
    let mut problems = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        let Some((_, items)) = &m.content else { continue };
        if m.ident != "types" && m.ident != "builder" {
            continue;
        }
        let hand_written_debug: BTreeSet<String> = items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Impl(i)
                    if i.trait_
                        .as_ref()
                        .is_some_and(|(p, _)| p.segments.last().is_some_and(|s| s.ident == "Debug")) =>
                {
                    match &*i.self_ty {
                        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    }
                }
                _ => None,
            })
            .collect();
        for item in items {
            let syn::Item::Struct(s) = item else { continue };
            let syn::Fields::Named(named) = &s.fields else {
                continue;
            };
            let name = s.ident.to_string();
            let derives_debug = s
                .attrs
                .iter()
                .any(|a| a.path().is_ident("derive") && a.to_token_stream().to_string().contains("Debug"));
            let redacting = !derives_debug && hand_written_debug.contains(&name);
            for field in named.named.iter().filter_map(|f| f.ident.as_ref()) {
                let field = field.unraw().to_string();
                let secret = if m.ident == "types" {
                    SECRET_FIELDS
                        .iter()
                        .any(|s| s.types.contains(&&*name) && s.fields.contains(&&*field))
                } else {
                    headers.contains(&field)
                };
                let allowed = NOT_SECRET
                    .iter()
                    .any(|(t, f)| *f == field && (*t == "*" || *t == name));
                if secret && !redacting {
                    problems.push(format!(
                        "{}::{name}.{field} is a credential its Debug prints",
                        m.ident
                    ));
                } else if secret && m.ident == "types" {
                    seen.insert((name.clone(), field));
                } else if !secret && !allowed && looks_secret(&field) {
                    problems.push(format!(
                        "{}::{name}.{field} looks like a credential: add it to SECRET_FIELDS \
                         (generator/src/redaction.rs) or to NOT_SECRET (tests/coverage.rs)",
                        m.ident
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_operation_of_every_version_has_a_client_method() {
    let specs = specs_dir();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    let mut redacted_seen = BTreeSet::new();
    let start = Instant::now();
    for version in VERSIONS {
        // The operations of the vendored spec itself, so that one lost on the way is missed.
        let ids = match load_spec(&specs.join(&*version.spec)) {
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
        for problem in credential_problems(&generated.file, &mut redacted_seen) {
            failures.push(format!("v{}: {problem}", version.name()));
        }
    }
    for s in SECRET_FIELDS {
        for field in s.fields {
            let in_specs = s
                .types
                .iter()
                .any(|t| redacted_seen.contains(&(t.to_string(), field.to_string())));
            if !in_specs && !NOT_IN_SPECS.contains(&(s.types[0], field)) {
                failures.push(format!(
                    "SECRET_FIELDS: no version has `{field}` in any of {:?} (renamed?)",
                    s.types
                ));
            }
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
