//! The version diffs against the upstream changelog (`specs/CHANGELOG.md`): a change that the
//! changelog announces for a version appears in the diff from the version before.

mod support;

use docker_engine_api_codegen::SpecVersion;
use xtask::diff::{Item, Kind, diff};
use xtask::{export, v1_24::changelog_bullets};

/// (version, text of its changelog bullet, the change expected in the diff).
const ANNOUNCED: &[(u32, &str, Kind, Item, &str, &str)] = &[
    (
        25,
        "`GET /version` now returns `MinAPIVersion`",
        Kind::Added,
        Item::Property,
        "GET /version",
        "MinAPIVersion",
    ),
    (
        25,
        "`POST /containers/prune` prunes stopped containers",
        Kind::Added,
        Item::Operation,
        "POST /containers/prune",
        "ContainerPrune",
    ),
    (
        25,
        "`DELETE /volumes/(name)` now accepts a `force` query parameter",
        Kind::Added,
        Item::Parameter,
        "DELETE /volumes/{name}",
        "force",
    ),
    (
        25,
        "now takes `AutoRemove` in HostConfig",
        Kind::Added,
        Item::Property,
        "HostConfig",
        "AutoRemove",
    ),
    (
        26,
        "`POST /plugins/(plugin name)/upgrade` upgrade a plugin",
        Kind::Added,
        Item::Operation,
        "POST /plugins/{name}/upgrade",
        "PluginUpgrade",
    ),
    (
        35,
        "now supports an additional query parameter: `until`",
        Kind::Added,
        Item::Parameter,
        "GET /containers/{id}/logs",
        "until",
    ),
    (
        35,
        "now accepts a `WorkingDir` property",
        Kind::Added,
        Item::Property,
        "POST /containers/{id}/exec",
        "WorkingDir",
    ),
    (
        35,
        "`Get /version` now returns a `Platform.Name` field",
        Kind::Added,
        Item::Property,
        "GET /version",
        "Platform.Name",
    ),
    (
        42,
        "now accept a `signal` query parameter",
        Kind::Added,
        Item::Parameter,
        "POST /containers/{id}/stop",
        "signal",
    ),
    (
        50,
        "`DELETE /images/{name}` now supports a `platforms` query parameter",
        Kind::Added,
        Item::Parameter,
        "DELETE /images/{name}",
        "platforms",
    ),
    (
        55,
        "`GET /images/{name}/attestations` is a new endpoint",
        Kind::Added,
        Item::Operation,
        "GET /images/{name}/attestations",
        "ImageAttestations",
    ),
    (
        55,
        "`AttestationStatement` objects",
        Kind::Added,
        Item::Schema,
        "AttestationStatement",
        "",
    ),
];

#[test]
fn announced_changes_appear_in_the_diffs() {
    let root = support::root();
    let changelog = std::fs::read_to_string(root.join("specs/CHANGELOG.md")).unwrap();
    let document = |minor: u32| export::document(&root, SpecVersion::find(minor).unwrap()).unwrap();
    let mut missing = Vec::new();
    let mut last: Option<(u32, xtask::diff::Diff)> = None;
    for &(minor, text, kind, item, scope, name) in ANNOUNCED {
        assert!(
            changelog_bullets(&changelog, minor)
                .iter()
                .any(|b| b.contains(text)),
            "no bullet of `## v1.{minor} API changes` says {text:?}"
        );
        if last.as_ref().is_none_or(|(m, _)| *m != minor) {
            let d = diff(
                &format!("1.{}", minor - 1),
                &document(minor - 1),
                &format!("1.{minor}"),
                &document(minor),
            );
            last = Some((minor, d));
        }
        let d = &last.as_ref().unwrap().1;
        if !d.has(kind, item, scope, name) {
            missing.push(format!(
                "v1.{minor}: {text:?}: no {kind:?} {item:?} `{name}` in `{scope}`"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The committed diff names the change too (the Markdown that people read).
#[test]
fn the_committed_markdown_names_announced_changes() {
    let root = support::root();
    let md = std::fs::read_to_string(root.join("docs/api-diffs/v1.54-v1.55.md")).unwrap();
    assert!(
        md.contains("`GET /images/{name}/attestations` (ImageAttestations)"),
        "{md}"
    );
    let md = std::fs::read_to_string(root.join("docs/api-diffs/v1.34-v1.35.md")).unwrap();
    assert!(md.contains("added parameter `query until`"), "{md}");
}
