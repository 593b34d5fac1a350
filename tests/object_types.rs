//! The object types of the generated code (see `generator/src/serde_impls.rs`), compiled and
//! run: bodies send only the fields that are set, and decoding takes keys however the input
//! holds them.

use docker_engine_api::v1_41::types::{ContainerCreateBody, HostConfig, ImageSummary, MountType};
use serde_json::json;

#[test]
fn a_body_sends_only_what_is_set() {
    let body = ContainerCreateBody {
        image: Some("busybox".into()),
        cmd: Some(vec!["true".into()]),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({ "Image": "busybox", "Cmd": ["true"], "HostConfig": { "NetworkMode": "none" } })
    );
    assert_eq!(
        serde_json::to_string(&ContainerCreateBody::default()).unwrap(),
        "{}"
    );
}

#[test]
fn nulls_missing_and_unknown_members_decode() {
    let text = r#"{"Id":"sha256:1","RepoTags":null,"Labels":{},"NotInTheSpec":[1,{"a":null}],"Size":5}"#;
    let image: ImageSummary = serde_json::from_str(text).unwrap();
    assert_eq!(image.id.as_deref(), Some("sha256:1"));
    assert_eq!(image.repo_tags, None);
    assert_eq!(image.labels, Some(Default::default()));
    assert_eq!(image.size, Some(5));
    assert_eq!(image.created, None);
}

#[test]
fn keys_decode_borrowed_escaped_owned_and_from_values() {
    // Plain keys are borrowed from the input; an escaped key is unescaped into a new string;
    // a reader and a `serde_json::Value` hand out keys that cannot be borrowed.
    for text in [r#"{"Image":"a"}"#, r#"{"Im\u0061ge":"a"}"#] {
        let body: ContainerCreateBody = serde_json::from_str(text).unwrap();
        assert_eq!(body.image.as_deref(), Some("a"), "{text}");
        let body: ContainerCreateBody = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(body.image.as_deref(), Some("a"), "{text}");
    }
    let body: ContainerCreateBody = serde_json::from_value(json!({ "Image": "a" })).unwrap();
    assert_eq!(body.image.as_deref(), Some("a"));
    let mount: MountType = serde_json::from_reader(&br#""b\u0069nd""#[..]).unwrap();
    assert_eq!(mount, MountType::Bind);
}

#[test]
fn a_wrong_type_names_the_field_and_the_type() {
    let err = serde_json::from_str::<ContainerCreateBody>(r#"{"Image": 5}"#).unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid type: integer `5`, expected a string"),
        "{err}"
    );
    let err = serde_json::from_str::<ContainerCreateBody>("[]").unwrap_err();
    assert!(err.to_string().contains("struct ContainerCreateBody"), "{err}");
}
