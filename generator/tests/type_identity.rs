//! Type identity does not depend on the enabled versions: sharing through the committed table
//! (`specs/type-identity.txt`) gives the same "`vA::types::T` is `vB::types::T`" relation
//! between two versions whatever other versions are built with them. The old rule (share with
//! the previous *enabled* version, the fixpoint over the enabled versions only) does not, which
//! the test also shows, so that it cannot pass vacuously.

use docker_engine_api_codegen::sharing::{self, Groups, Identity, Module};
use docker_engine_api_codegen::{SpecVersion, generate_module};
use quote::ToTokens;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

/// The feature subsets compared, and the versions they need. `VolumeUsageData` is the same in
/// v1.30 and v1.32 but not in v1.31 between them: under the old rule v1_30 and v1_32 shared it
/// when v1_31 was off, and did not when it was on.
const SUBSETS: &[&[u32]] = &[
    &[40, 41],
    &[39, 40, 41],
    &[41, 45],
    &[39, 41, 45],
    &[30, 32],
    &[30, 31, 32],
];

/// The standalone generated code of each version of [`SUBSETS`].
fn generated() -> BTreeMap<u32, syn::File> {
    let minors: BTreeSet<u32> = SUBSETS.iter().flat_map(|s| s.iter().copied()).collect();
    minors
        .into_iter()
        .map(|m| {
            let v = SpecVersion::find(m).expect("in VERSIONS");
            let g = generate_module(&specs(), v).unwrap_or_else(|e| panic!("v{}: {e}", v.name()));
            (m, g.file)
        })
        .collect()
}

/// The rule under test: given the enabled versions' groups, the identity to apply.
type Rule<'a> = &'a dyn Fn(&[(u32, &Groups)]) -> Identity;

/// Builds `subset` (oldest first) as build.rs does with `rule`; returns, for each version, the
/// module that defines each of its types.
fn build(
    files: &BTreeMap<u32, syn::File>,
    subset: &[u32],
    rule: Rule<'_>,
) -> BTreeMap<u32, BTreeMap<String, u32>> {
    let mut copies: Vec<syn::File> = subset.iter().map(|m| files[m].clone()).collect();
    let groups: Vec<Groups> = copies.iter().map(sharing::groups).collect();
    let versions: Vec<(u32, &Groups)> = subset.iter().copied().zip(&groups).collect();
    let identity = rule(&versions);
    let mut modules: Vec<Module<'_>> = copies
        .iter_mut()
        .zip(subset)
        .map(|(file, &minor)| Module { minor, file })
        .collect();
    sharing::share_types(&mut modules, &identity).unwrap_or_else(|e| panic!("{subset:?}: {e}"));
    subset
        .iter()
        .copied()
        .zip(copies.iter().map(|f| definers(f, subset)))
        .collect()
}

/// The defining module of each type of a generated module: its own for a definition, the
/// re-exported one for `pub use crate::v1_XX::types::T`.
fn definers(file: &syn::File, subset: &[u32]) -> BTreeMap<String, u32> {
    let types = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .expect("a types module");
    let own = |ident: &syn::Ident| (ident.to_string(), u32::MAX);
    let mut found: BTreeMap<String, u32> = BTreeMap::new();
    for item in types {
        let (name, minor) = match item {
            syn::Item::Struct(s) => own(&s.ident),
            syn::Item::Enum(e) => own(&e.ident),
            syn::Item::Type(t) => own(&t.ident),
            syn::Item::Use(u) => {
                let text = u.tree.to_token_stream().to_string().replace(' ', "");
                let Some(rest) = text.strip_prefix("crate::v1_") else {
                    continue;
                };
                let (minor, name) = rest.split_once("::types::").expect("a type re-export");
                let minor: u32 = minor.parse().expect("a version module");
                assert!(subset.contains(&minor), "{text}: not an enabled module");
                (name.to_string(), minor)
            }
            _ => continue,
        };
        found.insert(name, minor);
    }
    found
}

/// The pairs `(T, A, B)` of versions `A < B` of `common` where `vA::types::T` is
/// `vB::types::T` in a build.
fn relation(built: &BTreeMap<u32, BTreeMap<String, u32>>, common: &[u32]) -> BTreeSet<(String, u32, u32)> {
    let resolve = |m: u32, t: &str| built[&m].get(t).map(|&d| if d == u32::MAX { m } else { d });
    let mut same = BTreeSet::new();
    for (i, &a) in common.iter().enumerate() {
        for &b in &common[i + 1..] {
            for t in built[&a].keys() {
                if resolve(a, t).is_some() && resolve(a, t) == resolve(b, t) {
                    same.insert((t.clone(), a, b));
                }
            }
        }
    }
    same
}

/// Two subsets and the `(T, A, B)` of their common versions on which they disagree.
type Disagreement = (Vec<u32>, Vec<u32>, BTreeSet<(String, u32, u32)>);

/// For every two subsets, the pairs of their common versions whose relations differ.
fn disagreements(files: &BTreeMap<u32, syn::File>, rule: Rule<'_>) -> Vec<Disagreement> {
    let built: Vec<_> = SUBSETS.iter().map(|s| build(files, s, rule)).collect();
    let mut found = Vec::new();
    for (i, a) in SUBSETS.iter().enumerate() {
        for (j, b) in SUBSETS.iter().enumerate().skip(i + 1) {
            let common: Vec<u32> = a.iter().copied().filter(|m| b.contains(m)).collect();
            if common.len() < 2 {
                continue;
            }
            let (ra, rb) = (relation(&built[i], &common), relation(&built[j], &common));
            let differ: BTreeSet<_> = ra.symmetric_difference(&rb).cloned().collect();
            if !differ.is_empty() {
                found.push((a.to_vec(), b.to_vec(), differ));
            }
        }
    }
    found
}

fn show(found: &[Disagreement]) -> String {
    found
        .iter()
        .map(|(a, b, d)| {
            let some: Vec<String> = d
                .iter()
                .take(5)
                .map(|(t, x, y)| format!("v1_{x}/v1_{y}::{t}"))
                .collect();
            format!(
                "{a:?} vs {b:?}: {} pairs differ, e.g. {}",
                d.len(),
                some.join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn identity_is_the_same_under_every_feature_set() {
    let files = generated();
    let table = Identity::load(&specs()).unwrap_or_else(|e| panic!("{e}"));

    // The rule of build.rs: the committed table, whatever is enabled.
    let committed = |_: &[(u32, &Groups)]| table.clone();
    let found = disagreements(&files, &committed);
    assert!(
        found.is_empty(),
        "type identity between two versions depends on the other enabled versions:\n{}",
        show(&found)
    );
    // And it is what the table says: same type exactly when same owner.
    let all = [30, 31, 32, 39, 40, 41, 45];
    let built = build(&files, &all, &committed);
    let same_type = relation(&built, &all);
    for (&minor, types) in &built {
        for t in types.keys() {
            for (&other, _) in built.range(minor + 1..) {
                let same = same_type.contains(&(t.clone(), minor, other));
                let owners = (table.owner(t, minor), table.owner(t, other));
                assert_eq!(
                    same,
                    owners.0.is_some() && owners.0 == owners.1,
                    "v1_{minor}/v1_{other}::{t}"
                );
            }
        }
    }

    // The old rule, for contrast: the same subsets disagree.
    let previous_enabled = |versions: &[(u32, &Groups)]| Identity::compute(versions);
    let old = disagreements(&files, &previous_enabled);
    assert!(
        !old.is_empty(),
        "the old rule (share with the previous enabled version) gives the same identity under these \
         subsets: choose subsets that tell the rules apart"
    );
    println!("the old rule disagrees:\n{}", show(&old));
}
