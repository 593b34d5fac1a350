//! Post-processing of the generated code: acronym-aware snake case for the field names.
//!
//! typify names a property's field with heck's snake case, which starts a word at every capital
//! that a lowercase letter follows: `ExecIDs` became `exec_i_ds`, `EnableIPv4` `enable_i_pv4`,
//! `ExternalCAs` `external_c_as`, `IOMaximumIOps` `io_maximum_i_ops`. Nobody guesses those
//! names (bollard and the Docker docs' readers write `exec_ids`, `enable_ipv4`, ...). The field
//! name cannot be chosen through the input (typify derives it from the property name, which is
//! also the wire name), so this pass renames the fields after generation: see
//! [`ACRONYM_AWARE_NAMES`] for the rule and [`snake_case`] for the splitter. The wire name is
//! kept by serde's `rename` (typify writes one whenever the field name differs from the
//! property name; should a renamed field have none, the pass adds it).
//!
//! Operation names and parameters are named by progenitor with the same splitting. No
//! operationId of the specs has consecutive capitals, and the one parameter that does
//! (`copyUIDGID`) gets the same name either way (`copy_uidgid`); [`check_parameter_names`] makes
//! generation fail if a spec brings one that would differ, so that the rule cannot silently
//! stop holding for the builders.

use crate::error::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
use syn::ext::IdentExt;
use syn::visit_mut::{self, VisitMut};
use syn::{Fields, Item};

/// Rule (post-processing): generated field names follow [`snake_case`], which keeps acronyms
/// whole (`ExecIDs` -> `exec_ids`, `EnableIPv4` -> `enable_ipv4`, `IPAddress` -> `ip_address`,
/// `VirtualIPs` -> `virtual_ips`, `IOMaximumIOps` -> `io_maximum_iops`), where typify split off
/// one letter of them. A field is renamed only when the two names differ in their underscores
/// alone; two properties of one type that map to the same name fail generation.
pub const ACRONYM_AWARE_NAMES: &str = "acronym-aware snake case";

/// Mixed-case words kept whole although a capital follows their lowercase letters' run:
/// `IOps` (I/O operations per second; `IOBps`, bytes per second, splits as `io_bps`).
pub const MIXED_CASE_ACRONYMS: &[&str] = &["IOps"];

/// The acronym-aware snake case of a property or parameter name.
///
/// - A lowercase letter or digit followed by a capital ends a word (`ExecStart` ->
///   `exec_start`); any other character (`-`, `_`, `.`, ` `) separates words
///   (`X-Registry-Auth` -> `x_registry_auth`).
/// - A run of capitals followed by a lowercase letter splits before its last capital
///   (`IPAddress` -> `ip_address`, `NFd` -> `n_fd`), except when what follows the run is
///   - a plural `s` that ends the word (`IDs` -> `ids`, `CAs` -> `cas`, `IPsInUse` ->
///     `ips_in_use`),
///   - a `v` and digits, a version (`IPv4` -> `ipv4`, `GlobalIPv6Address` ->
///     `global_ipv6_address`),
///   - the rest of one of [`MIXED_CASE_ACRONYMS`] (`IOMaximumIOps` -> `io_maximum_iops`).
/// - Digits stay with the word before them (`Ipv6Address` -> `ipv6_address`).
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if !current.is_empty() {
            words.push(std::mem::take(current).to_ascii_lowercase());
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphanumeric() {
            flush(&mut current, &mut words);
            i += 1;
            continue;
        }
        if c.is_ascii_uppercase() {
            // A lowercase letter or a digit before a capital ends the word.
            if current.chars().last().is_some_and(|p| !p.is_ascii_uppercase()) {
                flush(&mut current, &mut words);
            }
            // The run of capitals starting here.
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_ascii_uppercase())
                .unwrap_or(chars.len());
            if end - i >= 2 && end < chars.len() && chars[end].is_ascii_lowercase() {
                if let Some(whole) = acronym_with_suffix(&chars, i, end) {
                    current.extend(&chars[i..whole]);
                    flush(&mut current, &mut words);
                    i = whole;
                    continue;
                }
                // The last capital starts the next word.
                current.extend(&chars[i..end - 1]);
                flush(&mut current, &mut words);
                i = end - 1;
                current.push(chars[i]);
                i += 1;
                continue;
            }
            current.extend(&chars[i..end]);
            i = end;
            continue;
        }
        current.push(c);
        i += 1;
    }
    flush(&mut current, &mut words);
    words.join("_")
}

/// Where the word ends when the run of capitals `chars[start..end]` (two or more, followed by a
/// lowercase letter) is an acronym with a suffix that belongs to it (see [`snake_case`]).
fn acronym_with_suffix(chars: &[char], start: usize, end: usize) -> Option<usize> {
    let word_ends_at = |k: usize| k == chars.len() || !chars[k].is_ascii_lowercase();
    // A plural `s` (ending the word; `IDs2` would be read as `I`, `Ds2`: none exist).
    if chars[end] == 's' && word_ends_at(end + 1) && !chars.get(end + 1).is_some_and(char::is_ascii_digit) {
        return Some(end + 1);
    }
    // A version: `v` and digits.
    if chars[end] == 'v' && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
        let digits_end = (end + 1..chars.len())
            .find(|&k| !chars[k].is_ascii_digit())
            .unwrap_or(chars.len());
        return Some(digits_end);
    }
    // A mixed-case acronym that is the whole run and its lowercase letters: `IOps`.
    MIXED_CASE_ACRONYMS.iter().find_map(|a| {
        let until = start + a.chars().count();
        let is_it = until <= chars.len() && chars[start..until].iter().copied().eq(a.chars());
        let upper = a.chars().take_while(char::is_ascii_uppercase).count();
        (is_it && start + upper == end && word_ends_at(until)).then_some(until)
    })
}

/// Applies [`ACRONYM_AWARE_NAMES`] to the structs and enum variants of `types`, and to the
/// uses of their fields anywhere in `file`. Returns how many fields were renamed.
pub fn acronym_aware_fields(file: &mut syn::File) -> Result<usize> {
    let mut renamed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut count = 0;
    for item in &mut file.items {
        let Item::Mod(m) = item else { continue };
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        if m.ident != "types" {
            continue;
        }
        for item in items.iter_mut() {
            match item {
                Item::Struct(s) => {
                    let owner = s.ident.to_string();
                    count += rename_fields(&owner, &mut s.fields, &mut renamed)?;
                }
                Item::Enum(e) => {
                    for v in &mut e.variants {
                        let owner = format!("{}::{}", e.ident, v.ident);
                        count += rename_fields(&owner, &mut v.fields, &mut renamed)?;
                    }
                }
                _ => {}
            }
        }
    }
    // A field access names no type: rename uses only of names that became one new name.
    let mut uses = BTreeMap::new();
    for (old, new) in renamed {
        if new.len() > 1 {
            return Err(Error::new(format!(
                "{ACRONYM_AWARE_NAMES}: fields named `{old}` are renamed to {new:?}"
            )));
        }
        uses.insert(old, new.into_iter().next().expect("one name"));
    }
    FieldUses(&uses).visit_file_mut(file);
    Ok(count)
}

/// Renames the named `fields` of `owner`; records `old -> new` in `renamed`.
fn rename_fields(
    owner: &str,
    fields: &mut Fields,
    renamed: &mut BTreeMap<String, BTreeSet<String>>,
) -> Result<usize> {
    let Fields::Named(named) = fields else {
        return Ok(0);
    };
    let mut count = 0;
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for field in named.named.iter_mut() {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let old = ident.unraw().to_string();
        let wire = serde_rename(&field.attrs).unwrap_or_else(|| old.clone());
        let new = snake_case(&wire);
        let name = if new != old && new.replace('_', "") == old.replace('_', "") && is_plain_ident(&new) {
            field.ident = Some(syn::Ident::new(&new, ident.span()));
            if serde_rename(&field.attrs).is_none() {
                field.attrs.push(syn::parse_quote!(#[serde(rename = #wire)]));
            }
            renamed.entry(old).or_default().insert(new.clone());
            count += 1;
            new
        } else {
            old
        };
        if let Some(other) = taken.insert(name.clone(), wire.clone()) {
            return Err(Error::new(format!(
                "{ACRONYM_AWARE_NAMES}: properties `{other}` and `{wire}` of {owner} are both named `{name}`"
            )));
        }
    }
    Ok(count)
}

/// A name that is an identifier as it is (not a keyword, which typify suffixes or escapes).
fn is_plain_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// The `rename` of a field's `#[serde(..)]` attributes.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// Renames field accesses, struct literal fields and struct pattern fields.
struct FieldUses<'a>(&'a BTreeMap<String, String>);

impl FieldUses<'_> {
    fn rename(&self, member: &mut syn::Member) {
        if let syn::Member::Named(ident) = member
            && let Some(new) = self.0.get(&ident.unraw().to_string())
        {
            *ident = syn::Ident::new(new, ident.span());
        }
    }
}

impl VisitMut for FieldUses<'_> {
    fn visit_expr_field_mut(&mut self, e: &mut syn::ExprField) {
        self.rename(&mut e.member);
        visit_mut::visit_expr_field_mut(self, e);
    }

    fn visit_field_value_mut(&mut self, f: &mut syn::FieldValue) {
        if f.colon_token.is_none()
            && let syn::Member::Named(ident) = &f.member
            && self.0.contains_key(&ident.unraw().to_string())
        {
            // `Self { exec_i_ds }` (shorthand) becomes `Self { exec_ids: exec_i_ds }`.
            f.colon_token = Some(Default::default());
        }
        self.rename(&mut f.member);
        visit_mut::visit_field_value_mut(self, f);
    }

    fn visit_field_pat_mut(&mut self, f: &mut syn::FieldPat) {
        if f.colon_token.is_none()
            && let syn::Member::Named(ident) = &f.member
            && self.0.contains_key(&ident.unraw().to_string())
        {
            f.colon_token = Some(Default::default());
        }
        self.rename(&mut f.member);
        visit_mut::visit_field_pat_mut(self, f);
    }
}

/// Fails when progenitor named a parameter of `doc` (the OpenAPI 3 document of `file`)
/// otherwise than [`snake_case`] does (see the module documentation): a field of an operation
/// builder whose name differs from the [`snake_case`] of a parameter only in its underscores.
pub fn check_parameter_names(file: &syn::File, doc: &serde_json::Value) -> Result<()> {
    let mut ours: BTreeMap<String, (String, String)> = BTreeMap::new();
    for item in doc["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        let shared = item
            .get("parameters")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten();
        let ops = item.as_object().into_iter().flat_map(|i| i.values());
        let own = ops.flat_map(|op| {
            op.get("parameters")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
        });
        for p in shared.chain(own) {
            let Some(name) = p.get("name").and_then(|n| n.as_str()) else {
                continue;
            };
            let snake = snake_case(name);
            ours.insert(snake.replace('_', ""), (name.to_string(), snake));
        }
    }
    let mut differing = BTreeSet::new();
    for item in &file.items {
        let Item::Mod(m) = item else { continue };
        let Some((_, items)) = &m.content else { continue };
        if m.ident != "builder" {
            continue;
        }
        for item in items {
            let Item::Struct(s) = item else { continue };
            for field in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                let theirs = field.unraw().to_string();
                if let Some((wire, snake)) = ours.get(&theirs.replace('_', ""))
                    && *snake != theirs
                    && is_plain_ident(snake)
                {
                    differing.insert(format!("{}.{theirs} ({wire}), not `{snake}`", s.ident));
                }
            }
        }
    }
    if differing.is_empty() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "{ACRONYM_AWARE_NAMES}: progenitor names parameters otherwise (rename them in \
             generator/src/names.rs): {}",
            differing.into_iter().collect::<Vec<_>>().join("; ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use syn::parse_quote;

    #[test]
    fn acronyms_stay_whole() {
        for (wire, name) in [
            ("ExecIDs", "exec_ids"),
            ("EnableIPv4", "enable_ipv4"),
            ("EnableIPv6", "enable_ipv6"),
            ("GlobalIPv6Address", "global_ipv6_address"),
            ("GlobalIPv6PrefixLen", "global_ipv6_prefix_len"),
            ("IPv4Address", "ipv4_address"),
            ("DeviceIDs", "device_ids"),
            ("ExternalCAs", "external_cas"),
            ("VirtualIPs", "virtual_ips"),
            ("LinkLocalIPs", "link_local_ips"),
            ("IPsInUse", "ips_in_use"),
            ("DynamicIPsAvailable", "dynamic_ips_available"),
            ("IOMaximumIOps", "io_maximum_iops"),
            ("BlkioDeviceReadIOps", "blkio_device_read_iops"),
            ("MaximumIOBps", "maximum_io_bps"),
            ("NanoCPUs", "nano_cpus"),
            ("URLs", "urls"),
            ("InsecureRegistryCIDRs", "insecure_registry_cidrs"),
        ] {
            assert_eq!(snake_case(wire), name, "{wire}");
        }
    }

    #[test]
    fn runs_of_capitals_split_before_the_last_one() {
        for (wire, name) in [
            ("IPAddress", "ip_address"),
            ("IPAMConfig", "ipam_config"),
            ("TLSInfo", "tls_info"),
            ("OOMKilled", "oom_killed"),
            ("OSType", "os_type"),
            ("SigningCACert", "signing_ca_cert"),
            ("MinAPIVersion", "min_api_version"),
            ("NFd", "n_fd"),
            ("NGoroutines", "n_goroutines"),
            ("ID", "id"),
            ("NCPU", "ncpu"),
            ("ContainerIDFile", "container_id_file"),
            ("copyUIDGID", "copy_uidgid"),
        ] {
            assert_eq!(snake_case(wire), name, "{wire}");
        }
    }

    #[test]
    fn other_names_are_plain_snake_case() {
        for (wire, name) in [
            ("ContainerCreate", "container_create"),
            ("Ipv6address", "ipv6address"),
            ("Ipv6Address", "ipv6_address"),
            ("Cgroup2Path", "cgroup2_path"),
            ("X-Registry-Auth", "x_registry_auth"),
            ("fromImage", "from_image"),
            ("com.docker.x", "com_docker_x"),
            ("size_rw", "size_rw"),
            ("t", "t"),
            ("Os", "os"),
        ] {
            assert_eq!(snake_case(wire), name, "{wire}");
        }
    }

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn fields_are_renamed_and_keep_their_wire_name() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Default)]
                pub struct Inspect {
                    #[serde(rename = "ExecIDs", default, skip_serializing_if = "Option::is_none")]
                    pub exec_i_ds: Option<Vec<String>>,
                    #[serde(rename = "IPAddress")]
                    pub ip_address: Option<String>,
                    pub id: Option<String>,
                    #[serde(rename = "Type")]
                    pub type_: Option<String>,
                }
                pub enum E {
                    V { #[serde(rename = "EnableIPv4")] enable_i_pv4: bool },
                }
                impl Inspect {
                    fn f(&self) -> usize {
                        let Inspect { exec_i_ds, .. } = self;
                        let _ = Inspect { exec_i_ds: None, ..Default::default() };
                        self.exec_i_ds.len()
                    }
                }
            }
        };
        assert_eq!(acronym_aware_fields(&mut file).unwrap(), 2);
        let out = text(&file);
        assert!(
            out.contains(
                "# [serde (rename = \"ExecIDs\" , default , skip_serializing_if = \"Option::is_none\")] pub exec_ids"
            ),
            "{out}"
        );
        assert!(
            out.contains("# [serde (rename = \"EnableIPv4\")] enable_ipv4"),
            "{out}"
        );
        assert!(out.contains("pub ip_address"), "{out}");
        assert!(out.contains("pub type_"), "{out}");
        assert!(out.contains("Inspect { exec_ids : exec_i_ds , .. }"), "{out}");
        assert!(out.contains("Inspect { exec_ids : None"), "{out}");
        assert!(out.contains("self . exec_ids . len ()"), "{out}");
        assert!(!out.contains(". exec_i_ds"), "{out}");
    }

    #[test]
    fn a_missing_rename_is_added() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct S { pub ExecIDs: Option<String> }
            }
        };
        // Not a typify output (its names are snake case), but the wire name must survive.
        acronym_aware_fields(&mut file).unwrap();
        let out = text(&file);
        assert!(
            out.contains("pub ExecIDs"),
            "renamed only across underscores: {out}"
        );

        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct S { pub exec_i_ds: Option<String> }
            }
        };
        acronym_aware_fields(&mut file).unwrap();
        // Without a rename the wire name is the field's own name, which is already snake case.
        assert!(text(&file).contains("pub exec_i_ds"), "{}", text(&file));
    }

    #[test]
    fn two_properties_with_one_name_fail() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Net {
                    #[serde(rename = "VirtualIPs")]
                    pub virtual_i_ps: Option<String>,
                    pub virtual_ips: Option<String>,
                }
            }
        };
        let e = acronym_aware_fields(&mut file).unwrap_err().to_string();
        assert!(
            e.contains("`VirtualIPs` and `virtual_ips` of Net are both named `virtual_ips`"),
            "{e}"
        );
    }

    #[test]
    fn differing_parameter_names_fail() {
        let doc = serde_json::json!({ "paths": { "/x": {
            "parameters": [{ "name": "ShareIDs", "in": "query" }],
            "get": { "parameters": [{ "name": "copyUIDGID", "in": "query" }] },
        } } });
        let good: syn::File = parse_quote! {
            pub mod builder { pub struct X<'a> { client: &'a Client, share_ids: Option<String>, copy_uidgid: bool } }
        };
        check_parameter_names(&good, &doc).unwrap();
        let bad: syn::File = parse_quote! {
            pub mod builder { pub struct X<'a> { client: &'a Client, share_i_ds: Option<String> } }
        };
        let e = check_parameter_names(&bad, &doc).unwrap_err().to_string();
        assert!(e.contains("X.share_i_ds (ShareIDs), not `share_ids`"), "{e}");
    }
}
