//! Sharing identical types between the version modules of one build.
//!
//! Most schemas do not change from one API version to the next. Generating them once per
//! version made `--all-features` cost rustc gigabytes and minutes, and kept users from passing
//! a `HostConfig` built for one version to a client of another. So when several versions are
//! generated together, a type of a newer version whose generated code (the type, its impls
//! and its builder) is identical to the same type of the previous version, and whose
//! referenced types are shared the same way, is replaced by a `pub use` of the older one.
//!
//! The references matter: `HostConfig` may be textually identical in two versions while the
//! `Mount` it names changed. Sharing is decided as a greatest fixpoint: assume every textually
//! identical type is shared, then unshare any type that names an unshared type, until stable
//! (recursive types stay shared, as they should).

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Item, parse_quote};

/// One version module: its name at the crate root (`v1_41`) and its generated code.
pub struct Module<'a> {
    pub name: String,
    pub file: &'a mut syn::File,
}

/// The types of one module, grouped by type name.
struct Groups {
    /// Canonical text of each group: type, impls, builder.
    text: BTreeMap<String, String>,
    /// Other group names each group mentions.
    refs: BTreeMap<String, BTreeSet<String>>,
}

/// Replaces the types that `modules` (oldest first) share with their predecessor by
/// re-exports. Returns how many types were shared.
pub fn share_types(modules: &mut [Module<'_>]) -> usize {
    let groups: Vec<Groups> = modules.iter_mut().map(|m| groups(m.file)).collect();
    // owner[i][T]: the module whose definition of T module i uses.
    let mut owner: Vec<BTreeMap<String, usize>> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let mut own: BTreeMap<String, usize> = g.text.keys().map(|t| (t.clone(), i)).collect();
        if i > 0 {
            let prev = &groups[i - 1];
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
    let mut count = 0;
    for i in 0..modules.len() {
        let reexports: BTreeMap<String, String> = owner[i]
            .iter()
            .filter(|(_, o)| **o != i)
            .map(|(t, o)| (t.clone(), modules[*o].name.clone()))
            .collect();
        count += reexports.len();
        reexport(modules[i].file, &reexports);
    }
    count
}

fn types_mod(file: &mut syn::File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

fn builder_mod(types: &mut [Item]) -> Option<&mut Vec<Item>> {
    types.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
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

fn groups(file: &mut syn::File) -> Groups {
    let mut text: BTreeMap<String, String> = BTreeMap::new();
    let mut tokens: BTreeMap<String, TokenStream> = BTreeMap::new();
    let Some(types) = types_mod(file) else {
        return Groups {
            text,
            refs: BTreeMap::new(),
        };
    };
    let names = type_names(types);
    let mut add = |prefix: &str, item: &Item| {
        if let Some(g) = group_of(item, &names) {
            let t = item.to_token_stream();
            let entry = text.entry(g.clone()).or_default();
            entry.push_str(prefix);
            entry.push_str(&t.to_string());
            tokens.entry(g).or_default().extend(t);
        }
    };
    for item in types.iter() {
        add("", item);
    }
    if let Some(builder) = builder_mod(types) {
        for item in builder.iter() {
            add("builder:", item);
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

/// Replaces the groups in `reexports` (type name to owning module) by `pub use` items.
fn reexport(file: &mut syn::File, reexports: &BTreeMap<String, String>) {
    if reexports.is_empty() {
        return;
    }
    let Some(types) = types_mod(file) else { return };
    let names = type_names(types);
    let gone = |item: &Item| group_of(item, &names).is_some_and(|g| reexports.contains_key(&g));
    types.retain(|item| !gone(item));
    let mut with_builder = BTreeSet::new();
    if let Some(builder) = builder_mod(types) {
        with_builder.extend(builder.iter().filter_map(|item| group_of(item, &names)));
        builder.retain(|item| !gone(item));
    }
    for (name, module) in reexports {
        let module = syn::Ident::new(module, proc_macro2::Span::call_site());
        let ident = syn::Ident::new(name, proc_macro2::Span::call_site());
        types.push(parse_quote!(pub use crate::#module::types::#ident;));
        if with_builder.contains(name)
            && let Some(builder) = builder_mod(types)
        {
            builder.push(parse_quote!(pub use crate::#module::types::builder::#ident;));
        }
    }
}
