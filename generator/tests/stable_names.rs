//! Names and types a user can carry from one version module to the next, over all versions.
//!
//! - Acronyms stay whole in field, parameter and method names (generator/src/names.rs): no
//!   name has a one-letter word split out of a run of capitals of its wire name
//!   (`exec_i_ds` for `ExecIDs`), nor a word boundary inside such a run before a word that is
//!   not one (`nano_cp_us` for `NanoCPUs`).
//! - Strings are plain `String`s (generator/src/convert.rs `DROP_LENGTH_LIMITS`,
//!   `DROP_TYPED_STRING_FORMATS`, `NONZERO_MINIMUM`): no newtype wraps a `String`, nothing
//!   checks a length, and no field is a `NonZero*`, chrono, uuid or `std::net` type.

use docker_engine_api_codegen::{SpecVersion, VERSIONS, generate_module, openapi3};
use quote::ToTokens;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use syn::ext::IdentExt;

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// One-letter words out of a run of capitals that are words of their own: the Go field names
/// of `/info` (`NFd`: number of file descriptors, `NGoroutines`, `NEventsListener`).
const ONE_LETTER_WORDS: &[(&str, &str)] = &[
    ("NFd", "n_fd"),
    ("NGoroutines", "n_goroutines"),
    ("NEventsListener", "n_events_listener"),
];

/// What each version breaks of the two invariants: (name problems, type problems).
struct Problems {
    names: Vec<String>,
    types: Vec<String>,
    /// How many generated names had a wire name with consecutive capitals (the check's reach).
    checked: usize,
}

/// Generates every version once (on two threads) for both tests.
fn problems() -> &'static BTreeMap<String, Problems> {
    static ALL: OnceLock<BTreeMap<String, Problems>> = OnceLock::new();
    ALL.get_or_init(|| {
        let specs = specs_dir();
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|t| {
                    let specs = &specs;
                    s.spawn(move || {
                        VERSIONS
                            .iter()
                            .skip(t)
                            .step_by(2)
                            .map(|v| (format!("v{}", v.name()), version_problems(specs, v)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("thread"))
                .collect()
        })
    })
}

fn version_problems(specs: &Path, version: &'static SpecVersion) -> Problems {
    let failed = |e: String| Problems {
        names: vec![e.clone()],
        types: vec![e],
        checked: 0,
    };
    let doc = match openapi3(specs, version) {
        Ok(d) => d,
        Err(e) => return failed(e.to_string()),
    };
    let generated = match generate_module(specs, version) {
        Ok(g) => g,
        Err(e) => return failed(format!("generation failed: {e}")),
    };
    let mut wires = BTreeSet::new();
    wire_names(&doc, &mut wires);
    let mut by_letters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for w in wires {
        let letters: String = w.chars().filter(char::is_ascii_alphanumeric).collect();
        by_letters
            .entry(letters.to_ascii_lowercase())
            .or_default()
            .push(w);
    }
    let mut names = Vec::new();
    let mut checked = 0;
    for (place, name) in generated_names(&generated.file) {
        let bare = name.trim_end_matches('_');
        for wire in by_letters.get(&bare.replace('_', "")).into_iter().flatten() {
            if wire
                .as_bytes()
                .windows(2)
                .any(|w| w.iter().all(u8::is_ascii_uppercase))
            {
                checked += 1;
            }
            if let Some(problem) = split_acronym(wire, bare)
                && !ONE_LETTER_WORDS.contains(&(wire.as_str(), bare))
            {
                names.push(format!("{place}.{name} ({wire}): {problem}"));
            }
        }
    }
    Problems {
        names,
        types: type_problems(&generated.file),
        checked,
    }
}

/// Property and parameter names of an OpenAPI document.
fn wire_names(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            if let Some(Value::Array(params)) = map.get("parameters") {
                out.extend(params.iter().filter_map(|p| p["name"].as_str().map(String::from)));
            }
            map.values().for_each(|v| wire_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| wire_names(v, out)),
        _ => {}
    }
}

/// Field names of the structs and enum variants of `types` and `builder`, the `pub fn`s of the
/// builders (their setters) and of `impl Client`, each with where it is.
fn generated_names(file: &syn::File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" || m.ident == "builder" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    match item {
                        syn::Item::Struct(s) => {
                            fields(&format!("{}::{}", m.ident, s.ident), &s.fields, &mut out)
                        }
                        syn::Item::Enum(e) => {
                            for v in &e.variants {
                                fields(&format!("types::{}::{}", e.ident, v.ident), &v.fields, &mut out);
                            }
                        }
                        syn::Item::Impl(i) if m.ident == "builder" => methods(i, &mut out),
                        _ => {}
                    }
                }
            }
            syn::Item::Impl(i) if i.trait_.is_none() => methods(i, &mut out),
            _ => {}
        }
    }
    out
}

fn fields(place: &str, f: &syn::Fields, out: &mut Vec<(String, String)>) {
    for ident in f.iter().filter_map(|f| f.ident.as_ref()) {
        out.push((place.to_string(), ident.unraw().to_string()));
    }
}

fn methods(i: &syn::ItemImpl, out: &mut Vec<(String, String)>) {
    let owner = i.self_ty.to_token_stream().to_string().replace(' ', "");
    for item in &i.items {
        if let syn::ImplItem::Fn(f) = item
            && matches!(f.vis, syn::Visibility::Public(_))
        {
            out.push((format!("{owner}::fn"), f.sig.ident.unraw().to_string()));
        }
    }
}

/// Why `name` splits an acronym of `wire` (their letters are the same), if it does.
fn split_acronym(wire: &str, name: &str) -> Option<String> {
    // The letters and digits, each with whether a separator (`-`, `_`, `.`) is before it.
    let mut letters = Vec::new();
    let mut separated = Vec::new();
    let mut after_separator = false;
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            letters.push(c);
            separated.push(after_separator);
            after_separator = false;
        } else {
            after_separator = true;
        }
    }
    let upper = |k: usize| letters.get(k).is_some_and(char::is_ascii_uppercase);
    // Two capitals in a row at `k`, `k + 1`.
    let run = |k: usize| upper(k) && upper(k + 1) && !separated[k + 1];
    let mut k = 0;
    for word in name.split('_').filter(|w| !w.is_empty()) {
        let len = word.len();
        if len == 1 && run(k) {
            return Some(format!("`{word}` is one letter of the run of capitals at {k}"));
        }
        if k > 0 && run(k - 1) {
            // A boundary inside a run of capitals: the next word must be a capitalized word.
            let lower = letters[k + 1..k + len]
                .iter()
                .filter(|c| c.is_ascii_lowercase())
                .count();
            if lower < 2 || upper(k + 1) {
                return Some(format!(
                    "a word boundary inside a run of capitals, before `{word}`"
                ));
            }
        }
        k += len;
    }
    None
}

/// Newtypes of `String`, length checks and checked or parsed scalar types.
fn type_problems(file: &syn::File) -> Vec<String> {
    let mut problems = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(m) = item else { continue };
        if m.ident != "types" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            if let syn::Item::Struct(s) = item
                && let syn::Fields::Unnamed(f) = &s.fields
                && f.unnamed.len() == 1
                && f.unnamed[0]
                    .ty
                    .to_token_stream()
                    .to_string()
                    .replace(' ', "")
                    .ends_with("string::String")
            {
                problems.push(format!("types::{} is a newtype of String", s.ident));
            }
        }
    }
    let text = file.to_token_stream().to_string().replace(' ', "");
    for (needle, what) in [
        (".chars().count()", "a length check"),
        ("NonZero", "a NonZero integer"),
        ("::chrono::", "a chrono type"),
        ("::uuid::", "a uuid"),
        ("::std::net::", "a std::net address"),
    ] {
        let n = text.matches(needle).count();
        if n > 0 {
            problems.push(format!("{n} × {what} (`{needle}`)"));
        }
    }
    problems
}

fn report(pick: impl Fn(&Problems) -> &Vec<String>) -> Vec<String> {
    problems()
        .iter()
        .flat_map(|(v, p)| pick(p).iter().map(move |problem| format!("{v}: {problem}")))
        .collect()
}

#[test]
fn split_acronym_finds_what_heck_does() {
    assert!(split_acronym("ExecIDs", "exec_i_ds").is_some());
    assert!(split_acronym("EnableIPv4", "enable_i_pv4").is_some());
    assert!(split_acronym("ExternalCAs", "external_c_as").is_some());
    assert!(split_acronym("IOMaximumIOps", "io_maximum_i_ops").is_some());
    assert!(split_acronym("NanoCPUs", "nano_cp_us").is_some());
    assert!(split_acronym("IPsInUse", "i_ps_in_use").is_some());
    for (wire, name) in [
        ("ExecIDs", "exec_ids"),
        ("EnableIPv4", "enable_ipv4"),
        ("IPAddress", "ip_address"),
        ("MaximumIOBps", "maximum_io_bps"),
        ("NanoCPUs", "nano_cpus"),
        ("IPsInUse", "ips_in_use"),
        ("copyUIDGID", "copy_uidgid"),
        ("X-Registry-Auth", "x_registry_auth"),
    ] {
        assert_eq!(split_acronym(wire, name), None, "{wire} {name}");
    }
}

#[test]
fn no_name_splits_an_acronym() {
    let names = report(|p| &p.names);
    let checked: usize = problems().values().map(|p| p.checked).sum();
    println!("{checked} generated names of wire names with consecutive capitals checked");
    assert!(checked > 1000, "only {checked} names with acronyms were checked");
    assert!(
        names.is_empty(),
        "{} name(s) split an acronym:\n{}",
        names.len(),
        names.join("\n")
    );
}

#[test]
fn strings_are_plain_in_every_version() {
    let types = report(|p| &p.types);
    assert!(
        types.is_empty(),
        "{} problem(s):\n{}",
        types.len(),
        types.join("\n")
    );
}
