//! Sharing identical types between the version modules of one build, the same way under every
//! feature set.
//!
//! Most schemas do not change from one API version to the next. Generating them once per
//! version made `--all-features` cost rustc gigabytes and minutes, and kept users from passing
//! a `HostConfig` built for one version to a client of another. So a type of a newer version
//! whose generated code (the type, its impls and its serde impls) is identical to the same type
//! of the previous version, and whose referenced types are shared the same way, is replaced by
//! a `pub use` of the older one.
//!
//! The references matter: `HostConfig` may be textually identical in two versions while the
//! `Mount` it names changed. Sharing is decided as a greatest fixpoint: assume every textually
//! identical type is shared, then unshare any type that names an unshared type, until stable
//! (recursive types stay shared, as they should).
//!
//! Which types are shared must not depend on the enabled features: otherwise whether
//! `v1_41::types::HostConfig` is `v1_40::types::HostConfig` would change when any crate of the
//! graph enabled `v1_39`. So the fixpoint runs once over the whole version table, ahead of
//! time (`Identity::compute`, feature `maintenance`, written to `specs/type-identity.txt` by `cargo xtask regen`,
//! checked by `cargo xtask check`), and a build applies that [`Identity`] to the versions it
//! enables ([`share_types`]): two enabled modules share a type exactly when the table puts them
//! in one run of that type, whatever else is enabled. The build checks that the types the table
//! shares are identical in the generated code, and fails otherwise.

use crate::error::{Error, Result};
use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
#[cfg(feature = "maintenance")]
use std::fmt::Write as _;
use std::path::Path;
use syn::{Item, parse_quote};

/// File name of the type identity table inside `specs/`.
pub const TABLE: &str = "type-identity.txt";
/// The command that rewrites the table.
pub const REGEN: &str = "cargo xtask regen";

/// One version module of a build, `v1_<minor>` at the crate root, and its generated code.
pub struct Module<'a> {
    pub minor: u32,
    pub file: &'a mut syn::File,
}

/// The module name of version `1.minor` (the crate's `v1_41`).
fn module_name(minor: u32) -> String {
    format!("v1_{minor}")
}

/// The types of one module, grouped by type name: what sharing compares.
#[derive(Debug, Clone)]
pub struct Groups {
    /// Canonical text of each group: the type and its impls.
    text: BTreeMap<String, String>,
    /// Other group names each group mentions.
    refs: BTreeMap<String, BTreeSet<String>>,
}

/// The header of [`TABLE`]; [`Identity::render`] writes it, [`Identity::parse`] skips it.
#[cfg(feature = "maintenance")]
const HEADER: &str = "\
# Type identity across the API versions: written by `cargo xtask regen` (from the generated code of
# every version), checked by `cargo xtask check`, read by build.rs. Do not edit by hand.
#
# One line per type name of the generated `types` modules: the runs of consecutive versions that
# share one definition, by minor number. `HostConfig 24-29 30 31-55` says v1_24 ... v1_29 have one
# HostConfig, v1_30 its own and v1_31 ... v1_55 one more; a version in no run lacks the type.
# A run is a greatest fixpoint: its versions generate the same code for the type, and every type
# it names is in one run over the same versions too.
#
# `vA::types::T` and `vB::types::T` are the same Rust type exactly when A and B are in one run of
# T, under every feature set; the oldest enabled version of the run defines it, the others
# re-export it.
";

/// Which versions share each type: for each type name, the runs of consecutive versions (by
/// minor number, inclusive) that have one definition of it. The run's first version is the
/// type's *owner* for every version of the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    runs: BTreeMap<String, Vec<(u32, u32)>>,
}

impl Identity {
    /// Runs the fixpoint over `versions` (minor numbers, oldest first, each version compared
    /// with the one before it in the list). Over the whole version table this is the committed
    /// table; over a subset, the rule "share with the previous enabled version" that made
    /// identity depend on the features.
    #[cfg(feature = "maintenance")]
    pub fn compute(versions: &[(u32, &Groups)]) -> Identity {
        let groups: Vec<&Groups> = versions.iter().map(|(_, g)| *g).collect();
        let mut runs: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (i, own) in owners(&groups).into_iter().enumerate() {
            let minor = versions[i].0;
            for (t, o) in own {
                let list = runs.entry(t).or_default();
                match list.last_mut() {
                    Some(run) if o != i && run.0 == versions[o].0 => run.1 = minor,
                    _ => list.push((minor, minor)),
                }
            }
        }
        Identity { runs }
    }

    /// The version whose definition of `ty` version `1.minor` uses, if it has the type.
    pub fn owner(&self, ty: &str, minor: u32) -> Option<u32> {
        let runs = self.runs.get(ty)?;
        runs.iter()
            .find(|(start, end)| (*start..=*end).contains(&minor))
            .map(|(start, _)| *start)
    }

    /// The types the table gives version `1.minor`.
    pub fn types_of(&self, minor: u32) -> impl Iterator<Item = &str> {
        self.runs
            .iter()
            .filter(move |(_, runs)| runs.iter().any(|(s, e)| (*s..=*e).contains(&minor)))
            .map(|(t, _)| t.as_str())
    }

    /// The text of [`TABLE`]: a header, then one line per type.
    #[cfg(feature = "maintenance")]
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for (t, runs) in &self.runs {
            out.push_str(t);
            for (start, end) in runs {
                if start == end {
                    let _ = write!(out, " {start}");
                } else {
                    let _ = write!(out, " {start}-{end}");
                }
            }
            out.push('\n');
        }
        out
    }

    /// Reads the text of [`TABLE`] (the inverse of `Identity::render`).
    pub fn parse(text: &str) -> Result<Identity> {
        let mut runs: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l)) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |what: &str| Error::new(format!("{TABLE} line {n}: {what}: `{line}`"));
            let mut words = line.split(' ');
            let name = words.next().unwrap_or_default();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(bad("not a type name"));
            }
            let mut list: Vec<(u32, u32)> = Vec::new();
            for word in words {
                let (a, b) = word.split_once('-').unwrap_or((word, word));
                let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
                    return Err(bad("a run is `A` or `A-B` (minor numbers)"));
                };
                if a > b || list.last().is_some_and(|(_, end)| *end >= a) {
                    return Err(bad("runs must be ascending and disjoint"));
                }
                list.push((a, b));
            }
            if list.is_empty() {
                return Err(bad("a type without versions"));
            }
            if runs.insert(name.to_string(), list).is_some() {
                return Err(bad("a type named twice"));
            }
        }
        Ok(Identity { runs })
    }

    /// Reads [`TABLE`] from the specs directory.
    pub fn load(specs_dir: &Path) -> Result<Identity> {
        let path = specs_dir.join(TABLE);
        let text =
            std::fs::read_to_string(&path).map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
        Identity::parse(&text)
    }
}

/// The groups of a generated module, to compare with other versions.
pub fn groups(file: &syn::File) -> Groups {
    let mut text: BTreeMap<String, String> = BTreeMap::new();
    let mut tokens: BTreeMap<String, TokenStream> = BTreeMap::new();
    let Some(types) = types_items(file) else {
        return Groups {
            text,
            refs: BTreeMap::new(),
        };
    };
    let names = type_names(types);
    for item in types.iter() {
        if let Some(g) = group_of(item, &names) {
            let t = item.to_token_stream();
            text.entry(g.clone()).or_default().push_str(&t.to_string());
            tokens.entry(g).or_default().extend(t);
        }
    }
    let refs = tokens
        .into_iter()
        .map(|(g, t)| {
            let mut found = BTreeSet::new();
            idents(t, &names, &mut found, false);
            found.remove(&g);
            (g, found)
        })
        .collect();
    Groups { text, refs }
}

/// The fixpoint over `groups` (consecutive versions, oldest first): `owner[i][T]` is the index
/// of the version whose definition of T version `i` uses.
#[cfg(feature = "maintenance")]
fn owners(groups: &[&Groups]) -> Vec<BTreeMap<String, usize>> {
    let mut owner: Vec<BTreeMap<String, usize>> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let mut own: BTreeMap<String, usize> = g.text.keys().map(|t| (t.clone(), i)).collect();
        if i > 0 {
            let prev = groups[i - 1];
            let mut shared: BTreeSet<String> = g
                .text
                .iter()
                .filter(|(t, text)| prev.text.get(*t) == Some(*text))
                .map(|(t, _)| t.clone())
                .collect();
            loop {
                let unshare: Vec<String> = shared
                    .iter()
                    .filter(|t| g.refs[*t].iter().any(|r| !shared.contains(r)))
                    .cloned()
                    .collect();
                if unshare.is_empty() {
                    break;
                }
                for t in unshare {
                    shared.remove(&t);
                }
            }
            for t in shared {
                own.insert(t.clone(), owner[i - 1][&t]);
            }
        }
        owner.push(own);
    }
    owner
}

/// Most problems listed when the table does not match the generated code.
const SHOWN: usize = 12;

/// Replaces the types of `modules` (the enabled versions, oldest first) that `identity` shares
/// with an older enabled module by re-exports: T of version N is defined by the oldest enabled
/// version with the same owner of T as N. Fails, naming [`REGEN`], when the table does not fit
/// the generated code: a type it lacks or has in excess, or one it shares that differs (or names
/// a type that is not shared along with it). Returns how many types were shared.
pub fn share_types(modules: &mut [Module<'_>], identity: &Identity) -> Result<usize> {
    let groups: Vec<Groups> = modules.iter().map(|m| groups(m.file)).collect();
    let minors: Vec<u32> = modules.iter().map(|m| m.minor).collect();
    let mut problems = Vec::new();
    // definer[i][T]: the module whose definition of T module i uses.
    let mut definer: Vec<BTreeMap<&str, usize>> = Vec::new();
    for (i, &minor) in minors.iter().enumerate() {
        let mut d = BTreeMap::new();
        for t in groups[i].text.keys() {
            match identity.owner(t, minor) {
                None => problems.push(format!(
                    "{}::types::{t} is generated but not in the table",
                    module_name(minor)
                )),
                Some(o) => {
                    let j = (0..=i)
                        .find(|&j| identity.owner(t, minors[j]) == Some(o))
                        .unwrap_or(i);
                    d.insert(t.as_str(), j);
                }
            }
        }
        for t in identity.types_of(minor) {
            if !groups[i].text.contains_key(t) {
                problems.push(format!(
                    "the table has {}::types::{t}, which is not generated",
                    module_name(minor)
                ));
            }
        }
        definer.push(d);
    }
    for (i, d) in definer.iter().enumerate() {
        for (&t, &j) in d.iter().filter(|(_, j)| **j != i) {
            let (n, m) = (module_name(minors[i]), module_name(minors[j]));
            if groups[j].text.get(t) != groups[i].text.get(t) {
                problems.push(format!("the table shares {t} between {m} and {n}, which differ"));
            }
            for r in &groups[i].refs[t] {
                if d.get(r.as_str()) != definer[j].get(r.as_str()) {
                    problems.push(format!(
                        "the table shares {t} between {m} and {n}, but not the {r} it names"
                    ));
                }
            }
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(SHOWN);
        problems.truncate(SHOWN);
        if more > 0 {
            problems.push(format!("and {more} more"));
        }
        return Err(Error::new(format!(
            "specs/{TABLE} does not match the generated code; run `{REGEN}` (and commit the table):\n  {}",
            problems.join("\n  ")
        )));
    }
    let mut count = 0;
    for (i, m) in modules.iter_mut().enumerate() {
        let reexports: BTreeMap<String, String> = definer[i]
            .iter()
            .filter(|(_, j)| **j != i)
            .map(|(t, j)| (t.to_string(), module_name(minors[*j])))
            .collect();
        count += reexports.len();
        reexport(m.file, &reexports);
    }
    Ok(count)
}

fn types_items(file: &syn::File) -> Option<&Vec<Item>> {
    file.items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })
}

fn types_mod(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The type name an item belongs to, if any.
fn group_of(item: &Item, names: &BTreeSet<String>) -> Option<String> {
    let named = |ident: &syn::Ident| Some(ident.to_string()).filter(|n| names.contains(n));
    match item {
        Item::Struct(s) => named(&s.ident),
        Item::Enum(e) => named(&e.ident),
        Item::Type(t) => named(&t.ident),
        Item::Impl(i) => {
            // `impl X`, `impl Trait for X`, `impl From<X> for Option<Y>`: the first type name
            // of this module found in the self type, then in the trait.
            let self_ty = first_name(i.self_ty.to_token_stream(), names);
            let trait_ty = i
                .trait_
                .as_ref()
                .and_then(|(p, _)| first_name(p.to_token_stream(), names));
            self_ty.or(trait_ty)
        }
        _ => None,
    }
}

fn first_name(tokens: TokenStream, names: &BTreeSet<String>) -> Option<String> {
    let mut found = BTreeSet::new();
    idents(tokens, names, &mut found, true);
    found.into_iter().next()
}

/// Collects the identifiers of `tokens` that are in `names` (only the first when `first`).
fn idents(tokens: TokenStream, names: &BTreeSet<String>, out: &mut BTreeSet<String>, first: bool) {
    for tt in tokens {
        if first && !out.is_empty() {
            return;
        }
        match tt {
            TokenTree::Ident(i) => {
                let s = i.to_string();
                if names.contains(&s) {
                    out.insert(s);
                }
            }
            TokenTree::Group(g) => idents(g.stream(), names, out, first),
            _ => {}
        }
    }
}

fn type_names(items: &[Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            Item::Type(t) => Some(t.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Replaces the groups in `reexports` (type name to owning module) by `pub use` items.
fn reexport(file: &mut syn::File, reexports: &BTreeMap<String, String>) {
    if reexports.is_empty() {
        return;
    }
    let Some(types) = types_mod(file) else { return };
    let names = type_names(types);
    let gone = |item: &Item| group_of(item, &names).is_some_and(|g| reexports.contains_key(&g));
    types.retain(|item| !gone(item));
    for (name, module) in reexports {
        let module = syn::Ident::new(module, proc_macro2::Span::call_site());
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        types.push(parse_quote!(pub use crate::#module::types::#ident;));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A version module in the generated shape: `types` with `A` (naming `B`), `B` with an
    /// impl, and the enum `C`. `b_field` is the type of `B.x`.
    fn module(b_field: syn::Type) -> syn::File {
        parse_quote! {
            pub mod types {
                pub struct A {
                    pub b: ::std::option::Option<B>,
                }
                pub struct B {
                    pub x: #b_field,
                }
                impl ::std::convert::From<&B> for B {
                    fn from(value: &B) -> Self {
                        value.clone()
                    }
                }
                pub enum C {
                    One,
                }
            }
            impl Client {
                pub fn get_a(&self) -> types::A {
                    todo!()
                }
            }
        }
    }

    /// The items of `types` as text, one per item.
    fn items(file: &syn::File) -> Vec<String> {
        let mut file = file.clone();
        let types = types_mod(&mut file).expect("types");
        types.iter().map(|i| i.to_token_stream().to_string()).collect()
    }

    fn reexports(file: &syn::File) -> Vec<String> {
        items(file)
            .into_iter()
            .filter(|i| i.starts_with("pub use"))
            .collect()
    }

    /// Shares between modules with these `B.x` types, oldest first; returns the modules.
    fn share(b_fields: &[syn::Type]) -> (usize, Vec<syn::File>) {
        let mut files: Vec<syn::File> = b_fields.iter().map(|t| module(t.clone())).collect();
        let minors: Vec<u32> = (40..).take(files.len()).collect();
        let count = share_all(&mut files, &minors);
        (count, files)
    }

    /// Computes the identity of `files` (versions `minors`, consecutive) and applies it.
    fn share_all(files: &mut [syn::File], minors: &[u32]) -> usize {
        let identity = identity(files, minors);
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip(minors)
            .map(|(file, &minor)| Module { minor, file })
            .collect();
        share_types(&mut modules, &identity).unwrap_or_else(|e| panic!("{e}"))
    }

    fn identity(files: &[syn::File], minors: &[u32]) -> Identity {
        let groups: Vec<Groups> = files.iter().map(groups).collect();
        let versions: Vec<(u32, &Groups)> = minors.iter().copied().zip(&groups).collect();
        Identity::compute(&versions)
    }

    #[test]
    fn identical_types_are_shared() {
        let (count, files) = share(&[parse_quote!(i64), parse_quote!(i64)]);
        assert_eq!(count, 3, "A, B and C");
        let text = |f: &syn::File| f.to_token_stream().to_string();
        assert_eq!(
            text(&files[0]),
            text(&module(parse_quote!(i64))),
            "the oldest module keeps everything"
        );
        assert_eq!(
            reexports(&files[1]),
            [
                "pub use crate :: v1_40 :: types :: A ;",
                "pub use crate :: v1_40 :: types :: B ;",
                "pub use crate :: v1_40 :: types :: C ;",
            ]
        );
        assert_eq!(
            items(&files[1]).len(),
            3,
            "nothing but the re-exports: {:?}",
            items(&files[1])
        );
        // The client outside `types` is kept.
        assert!(files[1].items.iter().any(|i| matches!(i, Item::Impl(_))));
    }

    #[test]
    fn a_type_naming_a_changed_type_is_not_shared() {
        // `A` is textually identical, but the `B` it names changed.
        let (count, files) = share(&[parse_quote!(i64), parse_quote!(::std::string::String)]);
        assert_eq!(count, 1, "only C");
        assert_eq!(reexports(&files[1]), ["pub use crate :: v1_40 :: types :: C ;"]);
        assert_eq!(files[1].items.len(), module(parse_quote!(String)).items.len());
        let kept = items(&files[1]);
        assert!(kept.iter().any(|i| i.starts_with("pub struct A")), "{kept:?}");
        assert!(kept.iter().any(|i| i.starts_with("pub struct B")), "{kept:?}");
    }

    #[test]
    fn a_changed_impl_is_a_change() {
        let old = module(parse_quote!(i64));
        let text = old.to_token_stream().to_string();
        let changed = text.replace("value . clone ()", "Self { x : value . x }");
        assert_ne!(text, changed);
        let mut files = [old, syn::parse_str(&changed).unwrap()];
        assert_eq!(
            share_all(&mut files, &[40, 41]),
            1,
            "only C: an impl of B changed, and A names B"
        );
    }

    #[test]
    fn sharing_follows_chains_to_the_oldest_definition() {
        let (count, files) = share(&[parse_quote!(i64), parse_quote!(i64), parse_quote!(i64)]);
        assert_eq!(count, 6);
        assert_eq!(reexports(&files[1]), reexports(&files[2]), "both from v1_40");
        // A change in the middle: v1_42 shares with v1_41, not v1_40.
        let (_, files) = share(&[parse_quote!(i64), parse_quote!(u8), parse_quote!(u8)]);
        assert!(reexports(&files[2]).contains(&"pub use crate :: v1_41 :: types :: A ;".to_string()));
        assert!(reexports(&files[2]).contains(&"pub use crate :: v1_40 :: types :: C ;".to_string()));
    }

    #[test]
    fn recursive_types_stay_shared() {
        let file: syn::File = parse_quote! {
            pub mod types {
                pub struct Tree {
                    pub children: ::std::vec::Vec<Node>,
                }
                pub struct Node {
                    pub tree: ::std::boxed::Box<Tree>,
                    pub value: Leaf,
                }
                pub struct Leaf {
                    pub value: i64,
                }
            }
        };
        let mut files = [file.clone(), file];
        assert_eq!(share_all(&mut files, &[40, 41]), 3);
        assert_eq!(
            reexports(&files[1]),
            [
                "pub use crate :: v1_40 :: types :: Leaf ;",
                "pub use crate :: v1_40 :: types :: Node ;",
                "pub use crate :: v1_40 :: types :: Tree ;",
            ]
        );
    }

    /// Which definition each type of `file` is: `(type, module)` with the defining module.
    fn definers(file: &syn::File, minor: u32) -> BTreeMap<String, u32> {
        items(file)
            .iter()
            .filter_map(|i| {
                if let Some(rest) = i.strip_prefix("pub use crate :: ") {
                    let (module, ty) = rest.split_once(" :: types :: ")?;
                    let module = module.strip_prefix("v1_")?.parse().ok()?;
                    Some((ty.trim_end_matches(" ;").to_string(), module))
                } else {
                    let ty = i.strip_prefix("pub struct ").or(i.strip_prefix("pub enum "))?;
                    let ty = ty.split([' ', '<']).next()?;
                    Some((ty.to_string(), minor))
                }
            })
            .collect()
    }

    #[test]
    fn identity_does_not_depend_on_the_enabled_versions() {
        // B (and A, which names it) changes in v1_41 and changes back in v1_42; C never changes.
        let all = [
            module(parse_quote!(i64)),
            module(parse_quote!(u8)),
            module(parse_quote!(i64)),
        ];
        let table = identity(&all, &[40, 41, 42]);
        assert_eq!(table.owner("C", 42), Some(40));
        assert_eq!(table.owner("A", 42), Some(42), "a new definition starts at v1_42");
        assert_eq!(table.owner("A", 41), Some(41));
        assert_eq!(table.owner("A", 39), None);
        // Only v1_40 and v1_42 enabled: C is shared, A and B are not (they differ in v1_41).
        let mut files = [all[0].clone(), all[2].clone()];
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip([40, 42])
            .map(|(file, minor)| Module { minor, file })
            .collect();
        assert_eq!(share_types(&mut modules, &table).unwrap(), 1);
        assert_eq!(reexports(&files[1]), ["pub use crate :: v1_40 :: types :: C ;"]);
        let d = definers(&files[1], 42);
        assert_eq!((d["A"], d["B"], d["C"]), (42, 42, 40));
        // The old rule (the fixpoint over the enabled versions only) shared all three.
        let mut old = [all[0].clone(), all[2].clone()];
        assert_eq!(share_all(&mut old, &[40, 42]), 3);
    }

    #[test]
    fn the_table_reads_back() {
        let all = [
            module(parse_quote!(i64)),
            module(parse_quote!(u8)),
            module(parse_quote!(i64)),
        ];
        let table = identity(&all, &[40, 41, 42]);
        let text = table.render();
        assert!(text.ends_with("A 40 41 42\nB 40 41 42\nC 40-42\n"), "{text}");
        assert!(text.starts_with('#'));
        assert_eq!(Identity::parse(&text).unwrap(), table);
        for bad in [
            "A 41 40",
            "A 40-42 42",
            "A",
            "A x",
            "A 40\nA 41",
            "A-B 40",
            "A 42-40",
        ] {
            assert!(Identity::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn a_table_that_does_not_fit_fails_with_the_fix() {
        let same = [module(parse_quote!(i64)), module(parse_quote!(i64))];
        let table = identity(&same, &[40, 41]);
        // B changed in v1_41, but the table still shares it (and A, which names it).
        let mut files = [module(parse_quote!(i64)), module(parse_quote!(u8))];
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip([40, 41])
            .map(|(file, minor)| Module { minor, file })
            .collect();
        let e = share_types(&mut modules, &table).unwrap_err().to_string();
        assert!(e.contains("run `cargo xtask regen`"), "{e}");
        assert!(
            e.contains("shares B between v1_40 and v1_41, which differ"),
            "{e}"
        );
        // A version the table does not know (added without a regen).
        let mut files = [module(parse_quote!(i64)), module(parse_quote!(i64))];
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip([41, 43])
            .map(|(file, minor)| Module { minor, file })
            .collect();
        let e = share_types(&mut modules, &table).unwrap_err().to_string();
        assert!(
            e.contains("v1_43::types::A is generated but not in the table"),
            "{e}"
        );
    }

    #[test]
    fn impls_belong_to_their_type() {
        let file = module(parse_quote!(i64));
        let g = groups(&file);
        let names: Vec<_> = g.text.keys().cloned().collect();
        assert_eq!(names, ["A", "B", "C"]);
        // `impl From<&B> for B` is in B's group.
        assert!(g.text["B"].contains("impl :: std :: convert :: From < & B > for B"));
        assert_eq!(g.refs["A"], BTreeSet::from(["B".to_string()]));
        assert!(g.refs["B"].is_empty(), "{:?}", g.refs["B"]);
    }
}
