//! Post-processing of the generated code: string enums become open.
//!
//! A newer daemon sends values an older spec does not list (mount type `image`, container
//! state `stopping`, new event types). typify generates closed enums, which would fail the
//! whole response. Every string enum gets an `Unknown(String)` variant that keeps the value,
//! and its string conversions are rewritten to be infallible, with `as_str()`. Its serde
//! impls go through those conversions instead of serde's derive (whose `untagged` fallback
//! buffers every value and costs much more code).

use crate::serde_impls::SerdeSupport;
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

/// Opens every string enum in `file` (searching nested modules). Their `Deserialize` impls
/// use `serde_support`.
pub fn open_enums(file: &mut syn::File, support: &SerdeSupport) {
    open_in(&mut file.items, support);
}

fn open_in(items: &mut Vec<Item>, support: &SerdeSupport) {
    for item in items.iter_mut() {
        if let Item::Mod(m) = item
            && let Some((_, inner)) = &mut m.content
        {
            open_in(inner, support);
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
        let impls: syn::File =
            syn::parse2(conversions(name, variants, support)).expect("conversion impls parse");
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
    // `Copy` cannot hold a String; serde goes through the string conversions.
    let dropped =
        |p: &syn::Path| p.is_ident("Copy") || p.segments.first().is_some_and(|s| s.ident == "serde");
    for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        {
            let kept: Vec<_> = paths.into_iter().filter(|p| !dropped(p)).collect();
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    e.attrs.retain(|a| !a.path().is_ident("serde"));
    for variant in e.variants.iter_mut() {
        variant.attrs.retain(|a| !a.path().is_ident("serde"));
    }
    e.variants.push(parse_quote! {
        /// A value this version of the API does not list, as the daemon sent it.
        #unknown(::std::string::String)
    });
}

fn conversions(name: &syn::Ident, variants: &[(syn::Ident, String)], support: &SerdeSupport) -> TokenStream {
    let text_type = support.text();
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
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let text: #text_type = ::serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(text.as_str()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    /// What typify generates for a string enum, inside `types` as progenitor nests it, with
    /// neighbours that must stay as they are.
    fn typify_like() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
                pub enum MountType {
                    #[serde(rename = "bind")]
                    Bind,
                    #[serde(rename = "volume")]
                    Volume,
                    Npipe,
                }
                impl ::std::convert::From<&Self> for MountType {
                    fn from(value: &MountType) -> Self {
                        value.clone()
                    }
                }
                impl ::std::fmt::Display for MountType {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        match *self {
                            Self::Bind => f.write_str("bind"),
                            Self::Volume => f.write_str("volume"),
                            Self::Npipe => f.write_str("Npipe"),
                        }
                    }
                }
                impl ::std::str::FromStr for MountType {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            "bind" => Ok(Self::Bind),
                            "volume" => Ok(Self::Volume),
                            "Npipe" => Ok(Self::Npipe),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
                impl ::std::convert::TryFrom<&str> for MountType {
                    type Error = self::error::ConversionError;
                    fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        value.parse()
                    }
                }
                impl ::std::convert::TryFrom<::std::string::String> for MountType {
                    type Error = self::error::ConversionError;
                    fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, self::error::ConversionError> {
                        value.parse()
                    }
                }
                /// Not a string enum: untouched.
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Either {
                    Text(::std::string::String),
                    List(::std::vec::Vec<::std::string::String>),
                }
                impl ::std::convert::TryFrom<&str> for Either {
                    type Error = self::error::ConversionError;
                    fn try_from(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        Ok(Self::Text(value.to_string()))
                    }
                }
                pub struct Name(::std::string::String);
                impl ::std::fmt::Display for Name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        self.0.fmt(f)
                    }
                }
            }
        }
    }

    fn types(file: &syn::File) -> &[Item] {
        file.items
            .iter()
            .find_map(|i| match i {
                Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| &items[..]),
                _ => None,
            })
            .expect("mod types")
    }

    fn enum_named<'a>(items: &'a [Item], name: &str) -> &'a ItemEnum {
        items
            .iter()
            .find_map(|i| match i {
                Item::Enum(e) if e.ident == name => Some(e),
                _ => None,
            })
            .unwrap_or_else(|| panic!("enum {name}"))
    }

    /// `(trait's last segment with generics, or "" for inherent impls, body text)` of the impls
    /// for `name`.
    fn impls_of(items: &[Item], name: &str) -> Vec<(String, String)> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Impl(imp) if imp.self_ty.to_token_stream().to_string() == name => {
                    let tr = imp
                        .trait_
                        .as_ref()
                        .and_then(|(p, _)| p.segments.last())
                        .map(|s| s.to_token_stream().to_string())
                        .unwrap_or_default();
                    Some((tr, imp.to_token_stream().to_string()))
                }
                _ => None,
            })
            .collect()
    }

    fn derives(e: &ItemEnum) -> Vec<String> {
        e.attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .flat_map(|a| {
                a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                    .unwrap()
                    .into_iter()
                    .map(|p| p.to_token_stream().to_string().replace(' ', ""))
            })
            .collect()
    }

    fn open(file: &mut syn::File) {
        let support = crate::serde_impls::add_support_module(file);
        open_enums(file, &support);
    }

    fn opened(mut file: syn::File) -> syn::File {
        open(&mut file);
        // Still valid Rust that prettyplease can print.
        let _ = prettyplease::unparse(&file);
        file
    }

    #[test]
    fn string_enums_get_an_unknown_variant() {
        let file = opened(typify_like());
        let e = enum_named(types(&file), "MountType");
        let names: Vec<_> = e.variants.iter().map(|v| v.ident.to_string()).collect();
        assert_eq!(names, ["Bind", "Volume", "Npipe", "Unknown"]);
        let unknown = e.variants.last().unwrap();
        assert_eq!(
            unknown.fields.to_token_stream().to_string(),
            "(:: std :: string :: String)",
            "holds the value"
        );
        let serde_attrs = e
            .variants
            .iter()
            .flat_map(|v| &v.attrs)
            .filter(|a| a.path().is_ident("serde"))
            .count();
        assert_eq!(serde_attrs, 0, "wire names live in the conversions");
    }

    #[test]
    fn opened_enums_lose_copy_and_serde_derives() {
        let file = opened(typify_like());
        let e = enum_named(types(&file), "MountType");
        assert_eq!(
            derives(e),
            ["Clone", "Debug", "Eq", "Hash", "Ord", "PartialEq", "PartialOrd"]
        );
    }

    #[test]
    fn conversions_are_replaced_by_infallible_ones() {
        let file = opened(typify_like());
        let impls = impls_of(types(&file), "MountType");
        let traits: Vec<_> = impls.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            traits,
            [
                "From < & Self >",
                "",
                "Display",
                "From < & str >",
                "From < :: std :: string :: String >",
                "FromStr",
                "Serialize",
                "Deserialize < 'de >"
            ],
            "typify's Display/FromStr/TryFrom are gone, From<&Self> is kept"
        );
        let body = |t: &str| &impls.iter().find(|(tr, _)| tr == t).unwrap().1;
        assert!(body("Serialize").contains("serializer . serialize_str (self . as_str ())"));
        assert!(body("Deserialize < 'de >").contains("Self :: from (text . as_str ())"));
        assert!(
            body("").contains("pub fn as_str (& self) -> & str"),
            "{}",
            body("")
        );
        // The wire values, from `rename` or else the variant name.
        for arm in [
            r#"Self :: Bind => "bind""#,
            r#"Self :: Volume => "volume""#,
            r#"Self :: Npipe => "Npipe""#,
            "Self :: Unknown (value) => value . as_str ()",
        ] {
            assert!(body("").contains(arm), "as_str lacks `{arm}`: {}", body(""));
        }
        assert!(body("Display").contains("f . write_str (self . as_str ())"));
        assert!(body("FromStr").contains("type Err = :: std :: convert :: Infallible"));
        assert!(
            body("From < & str >").contains("other => Self :: Unknown (other . to_string ())"),
            "{}",
            body("From < & str >")
        );
    }

    #[test]
    fn other_items_are_untouched() {
        let before = typify_like();
        let file = opened(typify_like());
        for name in ["Either", "Name"] {
            let items_before = impls_of(types(&before), name);
            assert_eq!(impls_of(types(&file), name), items_before, "{name}");
        }
        assert_eq!(
            enum_named(types(&file), "Either").to_token_stream().to_string(),
            enum_named(types(&before), "Either").to_token_stream().to_string()
        );
    }

    #[test]
    fn an_existing_unknown_variant_makes_it_unknown_value() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(Clone, Copy, Debug, PartialEq)]
            pub enum Reachability {
                #[serde(rename = "unknown")]
                Unknown,
                #[serde(rename = "reachable")]
                Reachable,
            }
        };
        open(&mut file);
        let e = enum_named(&file.items, "Reachability");
        let names: Vec<_> = e.variants.iter().map(|v| v.ident.to_string()).collect();
        assert_eq!(names, ["Unknown", "Reachable", "UnknownValue"]);
        let impls = impls_of(&file.items, "Reachability");
        let as_str = &impls.iter().find(|(t, _)| t.is_empty()).unwrap().1;
        assert!(as_str.contains(r#"Self :: Unknown => "unknown""#), "{as_str}");
        assert!(
            as_str.contains("Self :: UnknownValue (value) => value . as_str ()"),
            "{as_str}"
        );
        // Top-level items are opened too, not only those in modules.
        assert_eq!(derives(e), ["Clone", "Debug", "PartialEq"]);
    }
}
