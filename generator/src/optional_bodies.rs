//! Post-processing of the generated code: an optional raw request body starts empty.
//!
//! Progenitor's operation builders fail with "body was not initialized" when `.body(..)` is not
//! called, even where the spec marks the body optional. For raw bodies (`reqwest::Body`: tar
//! archives, image content) an empty body is what the daemon reads as none, so a pull is
//! `client.image_create().from_image("busybox").tag("1").send()` and a build from a remote
//! context needs no `.body(..)`. Typed (JSON) optional bodies keep progenitor's behaviour:
//! `{}` is not always the same request as no body.

use serde_json::Value;
use syn::visit_mut::{self, VisitMut};

/// The operationIds whose request body the OpenAPI 3 document `doc` does not require.
pub fn optional_body_operations(doc: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for item in doc["paths"].as_object().into_iter().flat_map(|p| p.values()) {
        for op in item.as_object().into_iter().flat_map(|i| i.values()) {
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            if body.get("required").and_then(Value::as_bool) != Some(true)
                && let Some(id) = op.get("operationId").and_then(Value::as_str)
            {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// In the builders of `operations` (named as their operationIds) whose body is a raw
/// `reqwest::Body`, `new()` starts the body empty instead of uninitialized.
pub fn default_empty_bodies(file: &mut syn::File, operations: &[String]) {
    let raw: Vec<String> = raw_body_builders(file)
        .into_iter()
        .filter(|name| operations.contains(name))
        .collect();
    EmptyBodies {
        raw: &raw,
        current: None,
    }
    .visit_file_mut(file);
}

/// Names of the structs (at any module depth) with a field `body: Result<reqwest::Body, String>`.
fn raw_body_builders(file: &syn::File) -> Vec<String> {
    fn walk(items: &[syn::Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s)
                    if s.fields.iter().any(|f| {
                        f.ident.as_ref().is_some_and(|i| i == "body")
                            && quote::quote!(#f)
                                .to_string()
                                .replace(' ', "")
                                .ends_with("Result<reqwest::Body,String>")
                    }) =>
                {
                    out.push(s.ident.to_string())
                }
                syn::Item::Mod(m) => walk(m.content.as_ref().map_or(&[][..], |(_, i)| i), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&file.items, &mut out);
    out
}

struct EmptyBodies<'a> {
    raw: &'a [String],
    /// The builder whose `impl` is being visited, when it is one of `raw`.
    current: Option<String>,
}

impl VisitMut for EmptyBodies<'_> {
    fn visit_item_impl_mut(&mut self, i: &mut syn::ItemImpl) {
        let name = match (&i.trait_, &*i.self_ty) {
            (None, syn::Type::Path(p)) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        self.current = name.filter(|n| self.raw.contains(n));
        visit_mut::visit_item_impl_mut(self, i);
        self.current = None;
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if self.current.is_some() && f.sig.ident == "new" {
            visit_mut::visit_impl_item_fn_mut(self, f);
        }
    }

    fn visit_field_value_mut(&mut self, fv: &mut syn::FieldValue) {
        if matches!(&fv.member, syn::Member::Named(n) if n == "body") {
            fv.expr = syn::parse_quote!(Ok(reqwest::Body::from(::std::vec::Vec::<u8>::new())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use serde_json::json;

    fn builders() -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                pub struct ImageCreate<'a> { client: &'a super::Client, body: Result<reqwest::Body, String> }
                impl<'a> ImageCreate<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Err("body was not initialized".to_string()) }
                    }
                }
                pub struct ImageLoad<'a> { client: &'a super::Client, body: Result<reqwest::Body, String> }
                impl<'a> ImageLoad<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Err("body was not initialized".to_string()) }
                    }
                }
                pub struct SystemAuth<'a> { client: &'a super::Client, body: Result<types::AuthConfig, String> }
                impl<'a> SystemAuth<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                }
            }
        }
    }

    #[test]
    fn optional_raw_bodies_start_empty() {
        let mut file = builders();
        // ImageLoad's body is required here; SystemAuth's is optional but typed.
        default_empty_bodies(&mut file, &["ImageCreate".into(), "SystemAuth".into()]);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert_eq!(
            text.matches("body:Ok(reqwest::Body::from(::std::vec::Vec::<u8>::new()))")
                .count(),
            1,
            "{text}"
        );
        assert!(text.contains("pubstructImageCreate"));
        assert_eq!(
            text.matches("body:Err(").count(),
            1,
            "ImageLoad keeps its error: {text}"
        );
        assert!(
            text.contains("body:Ok(::std::default::Default::default())"),
            "SystemAuth untouched"
        );
    }

    #[test]
    fn operations_with_optional_bodies() {
        let doc = json!({ "paths": {
            "/images/create": { "post": { "operationId": "ImageCreate", "requestBody": { "content": {} } } },
            "/images/load": { "post": { "operationId": "ImageLoad", "requestBody": { "required": true } } },
            "/images/json": { "get": { "operationId": "ImageList" } },
        }});
        assert_eq!(optional_body_operations(&doc), ["ImageCreate"]);
    }
}
