//! Post-processing of the generated code: lean serde impls for the object types.
//!
//! serde's derive writes, for every struct, a field enum with its own visitor, a sequence
//! visitor, a map visitor with one local and one duplicate check per field, and exact-length
//! serialization. Over the ~260 object types of a version that was two thirds of a module's
//! compile time. Every property is optional (`convert::convert_schema` drops `required`), so an
//! object type only needs: start from `Default`, set the field of each known key, skip unknown
//! keys; and serialize the fields that are `Some`. That is what this pass writes instead of the
//! derives, for each struct whose shape allows it (others keep the derives).
//!
//! On the wire this differs from the derive only where Docker never goes: an object given as a
//! JSON array is refused, and a repeated key keeps its last value instead of failing.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Fields, Item, ItemStruct, parse_quote};

/// Proof that a file has the `serde_support` module: only [`add_support_module`] makes one, and
/// the passes whose generated impls name the module's items take it ([`lean_object_impls`],
/// `openness::open_enums`), so they cannot run on a file without the module.
pub struct SerdeSupport(());

impl SerdeSupport {
    /// `serde_support::Text<'de>` as the items of `types` name it.
    pub fn text(&self) -> TokenStream {
        quote!(super::serde_support::Text<'de>)
    }
}

/// Adds the `serde_support` module (see [`support_module`]) at the top of `file`.
pub fn add_support_module(file: &mut syn::File) -> SerdeSupport {
    file.items.insert(0, support_module());
    SerdeSupport(())
}

/// Replaces the serde derives of the eligible structs of `types` with lean impls (which use
/// `serde_support`). Returns how many structs were rewritten.
pub fn lean_object_impls(file: &mut syn::File, support: &SerdeSupport) -> usize {
    let mut count = 0;
    for item in &mut file.items {
        if let Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &mut m.content
        {
            let mut impls = Vec::new();
            for item in items.iter_mut() {
                if let Item::Struct(s) = item
                    && let Some(fields) = object_fields(s)
                {
                    strip_serde(s);
                    impls.push(object_impls(&s.ident, &fields, support));
                    count += 1;
                }
            }
            for tokens in impls {
                let parsed: syn::File = syn::parse2(tokens).expect("serde impls parse");
                items.extend(parsed.items);
            }
        }
    }
    count
}

/// The Rust name and wire name of each field, if `s` is a struct this pass can handle: named
/// fields, all `Option`, serde attributes only `rename` and `skip_serializing_if`, and derives
/// of `Default`, `Deserialize` and `Serialize`.
fn object_fields(s: &ItemStruct) -> Option<Vec<(syn::Ident, String)>> {
    let derives = derives(&s.attrs);
    let has = |name: &str| derives.iter().any(|d| d == name);
    let plain = s.generics.params.is_empty() && !s.attrs.iter().any(|a| a.path().is_ident("serde"));
    if !(plain && has("Default") && has("Deserialize") && has("Serialize")) {
        return None;
    }
    let Fields::Named(named) = &s.fields else {
        return None;
    };
    named
        .named
        .iter()
        .map(|f| {
            let ident = f.ident.clone()?;
            let is_option = matches!(&f.ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
            if !is_option {
                return None;
            }
            let wire = field_rename(&f.attrs)?.unwrap_or_else(|| ident.unraw().to_string());
            Some((ident, wire))
        })
        .collect()
}

/// The last segment of each derived path.
fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

/// `Some(rename)` when the field's serde attributes are ones this pass reproduces
/// (`rename`, `skip_serializing_if = "...Option::is_none"`), `None` otherwise.
fn field_rename(attrs: &[syn::Attribute]) -> Option<Option<String>> {
    let mut rename = None;
    let mut ok = true;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let value: syn::LitStr = meta.value()?.parse()?;
            if meta.path.is_ident("rename") {
                rename = Some(value.value());
            } else if !(meta.path.is_ident("skip_serializing_if")
                && value.value().ends_with("Option::is_none"))
            {
                ok = false;
            }
            Ok(())
        });
        ok &= parsed.is_ok();
    }
    ok.then_some(rename)
}

/// Removes the serde derives and the fields' serde attributes.
fn strip_serde(s: &mut ItemStruct) {
    for attr in s.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let serde = |p: &syn::Path| {
            p.segments.first().is_some_and(|s| s.ident == "serde")
                && p.segments
                    .last()
                    .is_some_and(|s| s.ident == "Deserialize" || s.ident == "Serialize")
        };
        let kept: Vec<_> = paths.into_iter().filter(|p| !serde(p)).collect();
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
    for field in s.fields.iter_mut() {
        field.attrs.retain(|a| !a.path().is_ident("serde"));
    }
}

fn object_impls(name: &syn::Ident, fields: &[(syn::Ident, String)], support: &SerdeSupport) -> TokenStream {
    let text_type = support.text();
    let idents: Vec<_> = fields.iter().map(|(i, _)| i).collect();
    let wire: Vec<_> = fields.iter().map(|(_, w)| w).collect();
    let expecting = format!("struct {name}");
    let name_str = name.to_string();
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let len = 0 #(+ self.#idents.is_some() as usize)*;
                let mut object = serializer.serialize_struct(#name_str, len)?;
                #(if let Some(value) = &self.#idents {
                    object.serialize_field(#wire, value)?;
                })*
                object.end()
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        let mut value = #name::default();
                        while let Some(key) = map.next_key::<#text_type>()? {
                            match key.as_str() {
                                #(#wire => value.#idents = map.next_value()?,)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(value)
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}

/// `serde_support::Text`: a string read from the input, borrowed where the input allows, so
/// that object keys and enum values are matched without allocating.
fn support_module() -> Item {
    parse_quote! {
        /// Helpers of the generated serde impls (unused in a module whose types are all shared
        /// with an older one).
        #[allow(dead_code)]
        mod serde_support {
            /// A string from the input, borrowed where the input allows.
            pub(crate) struct Text<'de>(::std::borrow::Cow<'de, str>);
            impl Text<'_> {
                pub(crate) fn as_str(&self) -> &str {
                    &self.0
                }
            }
            impl<'de> ::serde::Deserialize<'de> for Text<'de> {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl<'de> ::serde::de::Visitor<'de> for Visitor {
                        type Value = Text<'de>;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_borrowed_str<E>(self, v: &'de str) -> ::std::result::Result<Text<'de>, E> {
                            Ok(Text(::std::borrow::Cow::Borrowed(v)))
                        }
                        fn visit_str<E>(self, v: &str) -> ::std::result::Result<Text<'de>, E> {
                            Ok(Text(::std::borrow::Cow::Owned(v.to_owned())))
                        }
                        fn visit_string<E>(self, v: ::std::string::String) -> ::std::result::Result<Text<'de>, E> {
                            Ok(Text(::std::borrow::Cow::Owned(v)))
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn types_of(file: &syn::File) -> &[Item] {
        file.items
            .iter()
            .find_map(|i| match i {
                Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| &items[..]),
                _ => None,
            })
            .expect("mod types")
    }

    fn text_of(items: &[Item], name: &str) -> Vec<String> {
        items
            .iter()
            .filter(|i| match i {
                Item::Struct(s) => s.ident == name,
                Item::Impl(i) => i.self_ty.to_token_stream().to_string() == name,
                _ => false,
            })
            .map(|i| i.to_token_stream().to_string())
            .collect()
    }

    /// Structs in the shapes typify gives: an object type, a raw-identifier field, and three
    /// this pass must leave alone.
    fn typify_like() -> syn::File {
        parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct Mount {
                    #[serde(rename = "Target", skip_serializing_if = "::std::option::Option::is_none")]
                    pub target: ::std::option::Option<::std::string::String>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub r#type: ::std::option::Option<MountType>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct Required {
                    pub name: ::std::string::String,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct Flattened {
                    #[serde(flatten)]
                    pub extra: ::std::option::Option<::serde_json::Map<::std::string::String, ::serde_json::Value>>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(transparent)]
                pub struct Name(pub ::std::string::String);
            }
        }
    }

    #[test]
    fn object_types_get_impls_instead_of_derives() {
        let mut file = typify_like();
        let support = add_support_module(&mut file);
        assert_eq!(lean_object_impls(&mut file, &support), 1);
        let mount = text_of(types_of(&file), "Mount");
        assert_eq!(mount.len(), 3, "{mount:#?}");
        assert!(
            mount[0].starts_with("# [derive (Clone , Debug , Default)] pub struct Mount"),
            "{}",
            mount[0]
        );
        assert!(!mount[0].contains("serde"), "field attributes go: {}", mount[0]);
        assert!(
            mount[1].contains(r#"object . serialize_field ("Target" , value)"#),
            "{}",
            mount[1]
        );
        assert!(
            mount[1].contains(r#"object . serialize_field ("type" , value)"#),
            "raw ident: {}",
            mount[1]
        );
        assert!(mount[1].contains(
            "let len = 0 + self . target . is_some () as usize + self . r#type . is_some () as usize"
        ));
        assert!(
            mount[2].contains(r#""Target" => value . target = map . next_value () ?"#),
            "{}",
            mount[2]
        );
        assert!(
            mount[2].contains(r#""type" => value . r#type = map . next_value () ?"#),
            "{}",
            mount[2]
        );
        assert!(
            mount[2].contains("IgnoredAny"),
            "unknown keys are skipped: {}",
            mount[2]
        );
        // Still valid Rust that prettyplease can print.
        let _ = prettyplease::unparse(&file);
    }

    #[test]
    fn other_shapes_keep_serde_derive() {
        let before = typify_like();
        let mut file = typify_like();
        let support = add_support_module(&mut file);
        lean_object_impls(&mut file, &support);
        for name in ["Required", "Flattened", "Name"] {
            assert_eq!(
                text_of(types_of(&file), name),
                text_of(types_of(&before), name),
                "{name}"
            );
        }
    }

    #[test]
    fn the_support_module_is_added_once_per_file() {
        let mut file = typify_like();
        let support = add_support_module(&mut file);
        lean_object_impls(&mut file, &support);
        let support: Vec<_> = file
            .items
            .iter()
            .filter(|i| matches!(i, Item::Mod(m) if m.ident == "serde_support"))
            .collect();
        assert_eq!(support.len(), 1);
        assert!(
            support[0]
                .to_token_stream()
                .to_string()
                .contains("fn visit_borrowed_str")
        );
    }
}
