//! Post-processing of the generated code: the types lose typify's struct builders.
//!
//! Progenitor's builder interface makes typify emit, for every struct, a second struct in
//! `types::builder` with a fallible setter per field: about half of a version module's lines,
//! and a large share of its compile time, for nothing a struct literal cannot do, since every
//! property is optional (`convert::convert_schema` drops `required`) and every struct implements
//! `Default`. The operation builders keep their named setters; a request body is a plain type:
//!
//! ```ignore
//! client.container_create().body(types::ContainerCreateBody { image: Some("busybox".into()), ..Default::default() })
//! client.container_create().body_map(|mut b| { b.image = Some("busybox".into()); b })
//! ```

use syn::visit_mut::{self, VisitMut};
use syn::{ImplItem, Item};

/// Removes `types::builder`, the `builder()` constructors, and makes every path
/// `types::builder::X` (the operation builders' bodies) name `types::X` instead.
pub fn drop_type_builders(file: &mut syn::File) {
    for item in &mut file.items {
        if let Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, items)) = &mut m.content
        {
            items.retain(|item| !matches!(item, Item::Mod(m) if m.ident == "builder"));
            for item in items.iter_mut() {
                if let Item::Impl(i) = item {
                    i.items
                        .retain(|it| !matches!(it, ImplItem::Fn(f) if f.sig.ident == "builder" && f.sig.inputs.is_empty()));
                }
            }
            items.retain(|item| !matches!(item, Item::Impl(i) if i.items.is_empty() && i.trait_.is_none()));
        }
    }
    BuilderPaths.visit_file_mut(file);
}

/// Rewrites `types::builder::X` to `types::X`.
struct BuilderPaths;

impl VisitMut for BuilderPaths {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let names: Vec<_> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names.len() == 3 && names[0] == "types" && names[1] == "builder" {
            let last = path.segments.pop().expect("three segments");
            path.segments.pop();
            path.segments.push(last);
        }
        visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use syn::parse_quote;

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn builders_are_removed_and_bodies_name_the_type() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Default)]
                pub struct Body { pub image: Option<String> }
                impl Body {
                    pub fn builder() -> builder::Body { Default::default() }
                }
                impl Body {
                    pub fn kept(&self) {}
                }
                impl ::std::convert::From<&Body> for Body {
                    fn from(value: &Body) -> Self { value.clone() }
                }
                pub mod builder {
                    pub struct Body { image: Result<Option<String>, String> }
                }
            }
            pub mod builder {
                pub struct Create<'a> {
                    body: Result<types::builder::Body, String>,
                }
                impl<'a> Create<'a> {
                    pub fn body_map<F>(mut self, f: F) -> Self
                    where F: std::ops::FnOnce(types::builder::Body) -> types::builder::Body {
                        self.body = self.body.map(f);
                        self
                    }
                }
            }
        };
        drop_type_builders(&mut file);
        let out = text(&file);
        assert!(!out.contains("types :: builder"), "{out}");
        assert!(!out.contains("fn builder"), "{out}");
        assert!(!out.contains("pub mod builder { pub struct Body"), "{out}");
        assert!(out.contains("body : Result < types :: Body , String >"), "{out}");
        assert!(out.contains("FnOnce (types :: Body) -> types :: Body"), "{out}");
        assert!(out.contains("pub fn kept"), "{out}");
        assert!(out.contains("From < & Body > for Body"), "{out}");
        // The operation builders' own module stays.
        assert!(out.contains("pub struct Create"), "{out}");
    }
}
