//! Post-processing of the generated operations: a request costs what the same request through
//! plain reqwest costs.
//!
//! - progenitor sends an `api-version: <spec version>` header with every request, built in a
//!   `HeaderMap` of its own. The Docker daemon does not read it (the version is in the path,
//!   `/v1.XX/...`), and with several modules it named the module's version rather than the
//!   one on the wire. It is left out: an operation without header parameters builds no header
//!   map at all, the others one sized for their own headers.
//! - progenitor's `ResponseValue::{from_response, stream, empty}` copy the response's header
//!   map into the value. The generated operations call module functions that move it instead.
//!
//! And one rule of the Docker API: a `304 Not Modified` of an operation without a response
//! body (start a started container, stop a stopped one) is its success, as in the docker CLI;
//! progenitor leaves 3xx statuses out, so they would be unexpected responses.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// The module functions that build a `ResponseValue` with the response's own header map,
/// added to the operations' `builder` module (same signatures as progenitor's).
const RESPONSE_VALUES: &str = r#"
/// `ResponseValue::from_response`, with the response's header map moved, not copied.
async fn json_value<T: ::serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = ::std::mem::take(response.headers_mut());
    let full = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let inner = ::serde_json::from_slice(&full).map_err(|e| Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// `ResponseValue::stream`, with the response's header map moved, not copied.
fn stream_value(mut response: reqwest::Response) -> ResponseValue<ByteStream> {
    let status = response.status();
    let headers = ::std::mem::take(response.headers_mut());
    ResponseValue::new(ByteStream::new(Box::pin(response.bytes_stream())), status, headers)
}

/// `ResponseValue::empty`, with the response's header map moved, not copied.
fn empty_value(mut response: reqwest::Response) -> ResponseValue<()> {
    let status = response.status();
    let headers = ::std::mem::take(response.headers_mut());
    ResponseValue::new((), status, headers)
}
"#;

/// Applies these rules to a generated file.
pub fn lean_requests(file: &mut syn::File) {
    Lean.visit_file_mut(file);
}

struct Lean;

impl VisitMut for Lean {
    fn visit_item_mod_mut(&mut self, m: &mut syn::ItemMod) {
        if m.ident == "builder"
            && let Some((_, items)) = &mut m.content
        {
            let helpers: syn::File = syn::parse_str(RESPONSE_VALUES).expect("the helpers parse");
            items.extend(helpers.items);
        }
        visit_mut::visit_item_mod_mut(self, m);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident == "send" {
            drop_api_version_header(&mut f.block);
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        visit_mut::visit_expr_match_mut(self, m);
        not_modified_is_success(m);
    }

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, e);
        // `ResponseValue::from_response(response).await`, `ResponseValue::stream(response)`,
        // `ResponseValue::empty(response)`.
        let syn::Expr::Call(call) = e else {
            return;
        };
        let syn::Expr::Path(p) = &*call.func else {
            return;
        };
        let segments: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let [ty, f] = segments.as_slice() else {
            return;
        };
        if ty != "ResponseValue" {
            return;
        }
        let name = match f.as_str() {
            "from_response" => "json_value",
            "stream" => "stream_value",
            "empty" => "empty_value",
            _ => return,
        };
        *call.func = syn::parse_str(name).expect("a path");
    }
}

/// In the status match of a bodiless operation (an `Ok(empty_value(response))` arm, after the
/// rewrite above), `304u16` gives the same success.
fn not_modified_is_success(m: &mut syn::ExprMatch) {
    let empty = |a: &syn::Arm| mentions(&a.body, "Ok (empty_value (response))");
    let Some(last) = m.arms.iter().rposition(empty) else {
        return;
    };
    if m.arms.iter().any(|a| mentions(&a.pat, "304u16")) {
        return;
    }
    let arm: syn::Arm = syn::parse_quote! { 304u16 => Ok(empty_value(response)), };
    m.arms.insert(last + 1, arm);
}

fn mentions(tokens: &impl ToTokens, what: &str) -> bool {
    tokens.to_token_stream().to_string().contains(what)
}

/// Removes the `api-version` append; then the header map itself if nothing else goes in it.
fn drop_api_version_header(block: &mut syn::Block) {
    let before = block.stmts.len();
    block.stmts.retain(|s| {
        !(matches!(s, syn::Stmt::Expr(..)) && mentions(s, "header_map") && mentions(s, "\"api-version\""))
    });
    if block.stmts.len() == before {
        return;
    }
    let is_let = |s: &syn::Stmt| matches!(s, syn::Stmt::Local(l) if mentions(&l.pat, "header_map"));
    let others = block
        .stmts
        .iter()
        .filter(|s| !is_let(s) && mentions(*s, "header_map . append"))
        .count();
    if others == 0 {
        block.stmts.retain(|s| !is_let(s));
        DropHeaders.visit_block_mut(block);
    } else {
        for s in &mut block.stmts {
            if let syn::Stmt::Local(l) = s
                && mentions(&l.pat, "header_map")
                && let Some(init) = &mut l.init
                && let syn::Expr::Call(call) = &mut *init.expr
                && let Some(syn::Expr::Lit(lit)) = call.args.first_mut()
                && let syn::Lit::Int(n) = &lit.lit
            {
                let n: usize = n.base10_parse().expect("a capacity");
                lit.lit = syn::Lit::Int(syn::LitInt::new(
                    &format!("{}usize", n - 1),
                    proc_macro2::Span::call_site(),
                ));
            }
        }
    }
}

/// Removes `.headers(header_map)` from method chains.
struct DropHeaders;

impl VisitMut for DropHeaders {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, e);
        if let syn::Expr::MethodCall(m) = e
            && m.method == "headers"
            && m.args.len() == 1
            && mentions(&m.args[0], "header_map")
        {
            *e = (*m.receiver).clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lean(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        lean_requests(&mut file);
        file.to_token_stream().to_string()
    }

    #[test]
    fn no_header_map_without_header_parameters() {
        let out = lean(
            r#"impl<'a> Ping<'a> { pub async fn send(self) -> R {
                let url = format!("{}/_ping", client.baseurl,);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()));
                let mut request = client.client.get(url).headers(header_map).build()?;
                match response.status().as_u16() { 200u16 => Ok(ResponseValue::stream(response)), _ => todo!() }
            } }"#,
        );
        assert!(!out.contains("header_map"), "{out}");
        assert!(out.contains("client . client . get (url) . build ()"), "{out}");
        assert!(out.contains("Ok (stream_value (response))"), "{out}");
    }

    #[test]
    fn header_parameters_keep_their_map() {
        let out = lean(
            r#"impl<'a> Build<'a> { pub async fn send(self) -> R {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                header_map.append(::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static(super::Client::api_version()));
                if let Some(value) = x_registry_config { header_map.append("X-Registry-Config", value.to_string().try_into()?); }
                let mut request = client.client.post(url).headers(header_map).build()?;
                match response.status().as_u16() { 200u16 => ResponseValue::from_response(response).await, _ => todo!() }
            } }"#,
        );
        assert!(!out.contains("api-version"), "{out}");
        assert!(out.contains("with_capacity (1usize)"), "{out}");
        assert!(out.contains(". headers (header_map)"), "{out}");
        assert!(out.contains("json_value (response) . await"), "{out}");
    }

    #[test]
    fn not_modified_is_the_success_of_bodiless_operations() {
        let out = lean(
            r#"impl<'a> Start<'a> { pub async fn send(self) -> R {
                match response.status().as_u16() { 204u16 => Ok(ResponseValue::empty(response)), _ => Err(Error::UnexpectedResponse(response)) }
            } }"#,
        );
        assert!(
            out.contains(
                "204u16 => Ok (empty_value (response)) , 304u16 => Ok (empty_value (response)) , _ =>"
            ),
            "{out}"
        );
        // Operations with a body keep a 304 unexpected.
        let out = lean(
            r#"impl<'a> Inspect<'a> { pub async fn send(self) -> R {
                match response.status().as_u16() { 200u16 => ResponseValue::from_response(response).await, _ => todo!() }
            } }"#,
        );
        assert!(!out.contains("304u16"), "{out}");
    }

    #[test]
    fn helpers_go_into_the_builder_module() {
        let out = lean("pub mod builder { use super::types; }");
        for f in ["fn json_value", "fn stream_value", "fn empty_value"] {
            assert!(out.contains(f), "{out}");
        }
    }
}
