//! Post-processing of the generated code: credentials print as `"<redacted>"` in `Debug`.
//!
//! typify and progenitor derive `Debug` for every type and operation builder, so `{:?}` of an
//! `AuthConfig`, of a swarm join request or of `client.image_push().x_registry_auth(..)` wrote
//! the password, the token or the header into logs and panic messages. This pass replaces the
//! derive, for each struct with a field of [`SECRET_FIELDS`] and each operation builder with a
//! credential header of [`SECRET_HEADERS`], by an impl that prints the same thing, except each
//! such value: `Some("<redacted>")` when set, `None` when not, and a builder's setter error as
//! it was (`Err("x_registry_auth was not initialized")`; these name the field, not the value).
//! The bodies of `system_auth`, `swarm_join`, `secret_create`, ... are covered by their type.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{Fields, Item, ItemStruct, parse_quote};

/// What a redacted value prints as.
pub const REDACTED: &str = "<redacted>";

/// Credential fields of the generated types: each field (its Rust name) in each of the types
/// (their names differ between versions: inline schemas are named after their operation).
pub struct SecretFields {
    pub types: &'static [&'static str],
    pub fields: &'static [&'static str],
    /// What the values are.
    pub what: &'static str,
}

/// Every credential field of the specs' types (checked over every version by
/// `tests/coverage.rs`, which also lists the look-alike fields that hold no secret).
pub const SECRET_FIELDS: &[SecretFields] = &[
    SecretFields {
        types: &["AuthConfig"],
        // Only `password` is in the specs; the other three are in the daemon's Go type (and
        // in the CLI's config.json) and are listed so a fix that declares them is covered.
        fields: &["password", "auth", "identitytoken", "registrytoken"],
        what: "registry credentials (`POST /auth` body)",
    },
    SecretFields {
        types: &["AuthResponse", "SystemAuthResponse"],
        fields: &["identity_token"],
        what: "the token `POST /auth` hands out in place of the password",
    },
    SecretFields {
        types: &["JoinTokens", "SwarmInspectResponseJoinTokens"],
        fields: &["worker", "manager"],
        what: "the tokens that admit a node to the swarm",
    },
    SecretFields {
        types: &["SwarmJoinRequest", "SwarmJoinBody"],
        fields: &["join_token"],
        what: "the join token a node sends",
    },
    SecretFields {
        types: &[
            "UnlockKeyResponse",
            "SwarmUnlockkeyResponse",
            "SwarmUnlockRequest",
            "SwarmUnlockBody",
        ],
        fields: &["unlock_key"],
        what: "the key that decrypts a locked swarm's raft logs",
    },
    SecretFields {
        types: &["SecretSpec"],
        fields: &["data"],
        what: "the payload of a swarm secret (only sent, never returned)",
    },
    SecretFields {
        types: &["SwarmSpecCaConfig"],
        fields: &["signing_ca_key"],
        what: "the private key of the swarm's root CA (PEM)",
    },
];

/// Request headers that carry credentials (base64url JSON of `AuthConfig`s).
pub const SECRET_HEADERS: &[&str] = &["X-Registry-Auth", "X-Registry-Config"];

/// The name progenitor gives the builder field of a header parameter.
pub fn header_field(header: &str) -> String {
    header.to_ascii_lowercase().replace('-', "_")
}

/// The fields of [`SECRET_FIELDS`] that a type named `type_name` redacts.
pub fn secret_fields_of(type_name: &str) -> Vec<&'static str> {
    SECRET_FIELDS
        .iter()
        .filter(|s| s.types.contains(&type_name))
        .flat_map(|s| s.fields.iter().copied())
        .collect()
}

/// Rewrites the `Debug` of the credential-carrying structs of `types` and `builder`. Returns the
/// names of the structs rewritten (`types::AuthConfig`, `builder::ImagePush`).
pub fn redact_secrets(file: &mut syn::File) -> Vec<String> {
    let headers: Vec<String> = SECRET_HEADERS.iter().map(|h| header_field(h)).collect();
    let mut rewritten = Vec::new();
    for item in &mut file.items {
        let Item::Mod(m) = item else { continue };
        let Some((_, items)) = &mut m.content else {
            continue;
        };
        let module = m.ident.to_string();
        let secret: &dyn Fn(&str, &str) -> bool = match module.as_str() {
            "types" => &|type_name, field| secret_fields_of(type_name).contains(&field),
            "builder" => &|_, field| headers.iter().any(|h| h == field),
            _ => continue,
        };
        let mut out = Vec::with_capacity(items.len());
        for mut item in items.drain(..) {
            let debug = match &mut item {
                Item::Struct(s) => {
                    let type_name = s.ident.to_string();
                    redacting_debug(s, |field| secret(&type_name, field))
                }
                _ => None,
            };
            if let Some(debug) = debug {
                if let Item::Struct(s) = &item {
                    rewritten.push(format!("{module}::{}", s.ident));
                }
                out.push(item);
                out.push(debug);
            } else {
                out.push(item);
            }
        }
        *items = out;
    }
    rewritten
}

/// When `s` derives `Debug` and has a field that `secret` names: removes the derive and returns
/// the impl that replaces it.
fn redacting_debug(s: &mut ItemStruct, secret: impl Fn(&str) -> bool) -> Option<Item> {
    let Fields::Named(named) = &s.fields else {
        return None;
    };
    // Each field's name and the value `Debug` shows; `true` for a redacted one.
    let fields: Vec<(String, TokenStream, bool)> = named
        .named
        .iter()
        .filter_map(|f| Some((f.ident.as_ref()?, &f.ty)))
        .map(|(ident, ty)| {
            let name = ident.unraw().to_string();
            if secret(&name) {
                (name, redacted(ident, ty), true)
            } else {
                (name, quote!(&self.#ident), false)
            }
        })
        .collect();
    if !fields.iter().any(|(_, _, hidden)| *hidden) || !drop_debug_derive(s) {
        return None;
    }
    assert!(
        s.generics.type_params().next().is_none(),
        "{}: a redacting Debug for a generic struct would need bounds",
        s.ident
    );
    let name = &s.ident;
    let name_str = name.to_string();
    let (impl_generics, ty_generics, where_clause) = s.generics.split_for_impl();
    let entries = fields
        .iter()
        .map(|(name, value, _)| quote!(.field(#name, #value)));
    let tokens: TokenStream = quote! {
        #[doc = " Credentials show as `\"<redacted>\"`."]
        impl #impl_generics ::std::fmt::Debug for #name #ty_generics #where_clause {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name_str) #(#entries)* .finish()
            }
        }
    };
    Some(syn::parse2(tokens).expect("Debug impl parses"))
}

/// The value `Debug` shows for the credential field `ident` of type `ty`: whether it is set
/// (and a builder's setter error), never the value.
fn redacted(ident: &syn::Ident, ty: &syn::Type) -> TokenStream {
    match outer(ty) {
        // `Option<T>`: `Some("<redacted>")` or `None`.
        Some(("Option", _)) => quote!(&self.#ident.as_ref().map(|_| #REDACTED)),
        // A builder's `Result<Option<T>, String>`.
        Some(("Result", Some(inner))) if matches!(outer(inner), Some(("Option", _))) => {
            quote!(&self.#ident.as_ref().map(|v| v.as_ref().map(|_| #REDACTED)))
        }
        // A builder's `Result<T, String>`.
        Some(("Result", _)) => quote!(&self.#ident.as_ref().map(|_| #REDACTED)),
        _ => quote!(&#REDACTED),
    }
}

/// `("Option", Some(T))` for `Option<T>` (any path to it), `("Result", Some(T))` for
/// `Result<T, E>`; `None` for other types.
fn outer(ty: &syn::Type) -> Option<(&'static str, Option<&syn::Type>)> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let name = ["Option", "Result"].into_iter().find(|n| last.ident == n)?;
    let first = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((name, first))
}

/// Removes `Debug` from the derives of `s`; `false` when it does not derive it.
fn drop_debug_derive(s: &mut ItemStruct) -> bool {
    let mut found = false;
    for attr in s.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let is_debug = |p: &syn::Path| p.segments.last().is_some_and(|s| s.ident == "Debug");
        if paths.iter().any(is_debug) {
            found = true;
            let kept: Vec<_> = paths.into_iter().filter(|p| !is_debug(p)).collect();
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    // An empty `#[derive()]` is valid but noise.
    s.attrs.retain(|a| {
        !(a.path().is_ident("derive") && a.meta.require_list().is_ok_and(|l| l.tokens.is_empty()))
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn generated_like() -> syn::File {
        parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, Default)]
                pub struct AuthConfig {
                    pub email: ::std::option::Option<::std::string::String>,
                    pub password: ::std::option::Option<::std::string::String>,
                    pub username: ::std::option::Option<::std::string::String>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct SwarmJoinRequest {
                    pub join_token: ::std::string::String,
                    pub r#type: ::std::option::Option<::std::string::String>,
                }
                #[derive(Clone, Debug, Default)]
                pub struct ConfigSpec {
                    pub data: ::std::option::Option<::std::string::String>,
                }
            }
            pub mod builder {
                #[derive(Debug, Clone)]
                pub struct ImagePush<'a> {
                    client: &'a super::Client,
                    name: Result<::std::string::String, String>,
                    x_registry_auth: Result<::std::string::String, String>,
                }
                #[derive(Debug, Clone)]
                pub struct ImageBuild<'a> {
                    client: &'a super::Client,
                    x_registry_config: Result<Option<::std::string::String>, String>,
                }
                #[derive(Debug, Clone)]
                pub struct ImageList<'a> {
                    client: &'a super::Client,
                    all: Result<Option<bool>, String>,
                }
            }
        }
    }

    fn item_text(file: &syn::File, module: &str, name: &str) -> Vec<String> {
        let items = file
            .items
            .iter()
            .find_map(|i| match i {
                Item::Mod(m) if m.ident == module => m.content.as_ref().map(|(_, items)| items),
                _ => None,
            })
            .expect("module");
        items
            .iter()
            .filter(|i| match i {
                Item::Struct(s) => s.ident == name,
                Item::Impl(i) => i.self_ty.to_token_stream().to_string().starts_with(name),
                _ => false,
            })
            .map(|i| i.to_token_stream().to_string())
            .collect()
    }

    #[test]
    fn credential_fields_and_headers_get_a_redacting_debug() {
        let mut file = generated_like();
        let rewritten = redact_secrets(&mut file);
        assert_eq!(
            rewritten,
            [
                "types::AuthConfig",
                "types::SwarmJoinRequest",
                "builder::ImagePush",
                "builder::ImageBuild"
            ]
        );

        let auth = item_text(&file, "types", "AuthConfig");
        assert_eq!(auth.len(), 2, "{auth:#?}");
        assert!(auth[0].starts_with("# [derive (Clone , Default)]"), "{}", auth[0]);
        for expected in [
            r#". field ("email" , & self . email)"#,
            r#". field ("password" , & self . password . as_ref () . map (| _ | "<redacted>"))"#,
            r#". field ("username" , & self . username)"#,
        ] {
            assert!(auth[1].contains(expected), "{expected} in {}", auth[1]);
        }

        // A required field, a raw identifier, other derives kept.
        let join = item_text(&file, "types", "SwarmJoinRequest");
        assert!(
            join[0].starts_with("# [derive (:: serde :: Deserialize , :: serde :: Serialize , Clone)]"),
            "{}",
            join[0]
        );
        assert!(
            join[1].contains(r#". field ("join_token" , & "<redacted>")"#),
            "{}",
            join[1]
        );
        assert!(
            join[1].contains(r#". field ("type" , & self . r#type)"#),
            "{}",
            join[1]
        );

        let push = item_text(&file, "builder", "ImagePush");
        assert!(push[0].starts_with("# [derive (Clone)]"), "{}", push[0]);
        assert!(
            push[1].contains("impl < 'a > :: std :: fmt :: Debug for ImagePush < 'a >"),
            "{}",
            push[1]
        );
        assert!(push[1].contains(r#". field ("client" , & self . client)"#));
        assert!(push[1].contains(r#". field ("name" , & self . name)"#));
        assert!(push[1].contains(
            r#". field ("x_registry_auth" , & self . x_registry_auth . as_ref () . map (| _ | "<redacted>"))"#
        ));
        let build = item_text(&file, "builder", "ImageBuild");
        assert!(build[1].contains(
            r#"& self . x_registry_config . as_ref () . map (| v | v . as_ref () . map (| _ | "<redacted>"))"#
        ));

        // Look-alikes and builders without credentials keep their derive.
        let config = item_text(&file, "types", "ConfigSpec");
        assert_eq!(config.len(), 1);
        assert!(config[0].contains("Debug"));
        let list = item_text(&file, "builder", "ImageList");
        assert_eq!(list.len(), 1);
        assert!(list[0].contains("Debug"));
        let _ = prettyplease::unparse(&file);
    }

    #[test]
    fn the_table_names_rust_fields() {
        assert_eq!(header_field("X-Registry-Auth"), "x_registry_auth");
        for s in SECRET_FIELDS {
            for f in s.fields {
                assert!(
                    f.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{f}: snake_case Rust field names"
                );
            }
        }
        assert_eq!(secret_fields_of("SecretSpec"), ["data"]);
        assert!(secret_fields_of("ConfigSpec").is_empty());
    }
}
