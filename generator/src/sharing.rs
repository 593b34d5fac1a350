//! Sharing identical types between the version modules of one build.
//!
//! Most schemas do not change from one API version to the next. Generating them once per
//! version made `--all-features` cost rustc gigabytes and minutes, and kept users from passing
//! a `HostConfig` built for one version to a client of another. So when several versions are
//! generated together, a type of a newer version whose generated code (the type, its impls
//! and its serde impls) is identical to the same type of the previous version, and whose
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
    /// Canonical text of each group: the type and its impls.
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
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .enumerate()
            .map(|(i, file)| Module {
                name: format!("v1_{}", 40 + i),
                file,
            })
            .collect();
        let count = share_types(&mut modules);
        (count, files)
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
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip(["v1_40", "v1_41"])
            .map(|(file, name)| Module {
                name: name.to_string(),
                file,
            })
            .collect();
        assert_eq!(
            share_types(&mut modules),
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
        let mut modules: Vec<Module<'_>> = files
            .iter_mut()
            .zip(["v1_40", "v1_41"])
            .map(|(file, name)| Module {
                name: name.to_string(),
                file,
            })
            .collect();
        assert_eq!(share_types(&mut modules), 3);
        assert_eq!(
            reexports(&files[1]),
            [
                "pub use crate :: v1_40 :: types :: Leaf ;",
                "pub use crate :: v1_40 :: types :: Node ;",
                "pub use crate :: v1_40 :: types :: Tree ;",
            ]
        );
    }

    #[test]
    fn impls_belong_to_their_type() {
        let mut file = module(parse_quote!(i64));
        let g = groups(&mut file);
        let names: Vec<_> = g.text.keys().cloned().collect();
        assert_eq!(names, ["A", "B", "C"]);
        // `impl From<&B> for B` is in B's group.
        assert!(g.text["B"].contains("impl :: std :: convert :: From < & B > for B"));
        assert_eq!(g.refs["A"], BTreeSet::from(["B".to_string()]));
        assert!(g.refs["B"].is_empty(), "{:?}", g.refs["B"]);
    }
}
