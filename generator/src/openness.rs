//! Post-processing of the generated code: string enums become open.
//!
//! A newer daemon sends values an older spec does not list (mount type `image`, container
//! state `stopping`, new event types). typify generates closed enums, which would fail the
//! whole response. Every string enum gets an `Unknown(String)` variant that keeps the value
//! (`#[serde(untagged)]`, tried after the known names), and its string conversions are
//! rewritten to be infallible, with `as_str()`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, Item, ItemEnum, parse_quote};

/// Name of the variant that holds values the spec does not list (`UnknownValue` where the spec
/// already has an `Unknown`).
pub const UNKNOWN_VARIANT: &str = "Unknown";

fn unknown_ident(variants: &[(syn::Ident, String)]) -> syn::Ident {
    let taken = variants.iter().any(|(i, _)| i == UNKNOWN_VARIANT);
    format_ident!("{}", if taken { "UnknownValue" } else { UNKNOWN_VARIANT })
}

/// Opens every string enum in `file` (searching nested modules).
pub fn open_enums(file: &mut syn::File) {
    open_in(&mut file.items);
}

fn open_in(items: &mut Vec<Item>) {
    for item in items.iter_mut() {
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content
        {
            open_in(inner);
        }
    }
    let enums: Vec<(syn::Ident, Vec<(syn::Ident, String)>)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) => string_variants(e).map(|v| (e.ident.clone(), v)),
            _ => None,
        })
        .collect();
    if enums.is_empty() {
        return;
    }
    let names: Vec<_> = enums.iter().map(|(name, _)| name.clone()).collect();
    // Drop typify's fallible conversions of these enums: they are replaced below.
    items.retain(|item| !matches!(item, Item::Impl(i) if is_string_conversion(i, &names)));
    for item in items.iter_mut() {
        if let Item::Enum(e) = item
            && let Some((_, variants)) = enums.iter().find(|(name, _)| *name == e.ident)
        {
            open_enum(e, unknown_ident(variants));
        }
    }
    for (name, variants) in &enums {
        let impls: syn::File = syn::parse2(conversions(name, variants)).expect("conversion impls parse");
        items.extend(impls.items);
    }
}

/// The variants and wire values of an enum whose variants are all units, or `None`.
fn string_variants(e: &ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    if e.variants.is_empty() {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, Fields::Unit) {
                return None;
            }
            let value = serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string());
            Some((v.ident.clone(), value))
        })
        .collect()
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                rename = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

fn is_string_conversion(i: &syn::ItemImpl, names: &[syn::Ident]) -> bool {
    let syn::Type::Path(self_ty) = &*i.self_ty else {
        return false;
    };
    let Some(ident) = self_ty.path.get_ident() else {
        return false;
    };
    let Some((trait_path, _)) = &i.trait_ else {
        return false;
    };
    let last = trait_path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    names.contains(ident) && matches!(last.as_str(), "Display" | "FromStr" | "TryFrom")
}

fn open_enum(e: &mut ItemEnum, unknown: syn::Ident) {
    // `Copy` cannot hold a String.
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        {
            let kept: Vec<_> = paths.into_iter().filter(|p| !p.is_ident("Copy")).collect();
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    e.variants.push(parse_quote! {
        /// A value this version of the API does not list, as the daemon sent it.
        #[serde(untagged)]
        #unknown(::std::string::String)
    });
}

fn conversions(name: &syn::Ident, variants: &[(syn::Ident, String)]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|(i, _)| i).collect();
    let values: Vec<_> = variants.iter().map(|(_, v)| v).collect();
    let unknown = unknown_ident(variants);
    quote! {
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::#unknown(other.to_string()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
    }
}
