//! The open enums of the generated code (see `generator/src/openness.rs`), compiled and run:
//! a value the spec does not list is kept as `Unknown(String)` and written back unchanged.

use docker_engine_api::v1_41::types::{
    ContainerState, ContainerStateStatus, ContainerSummary, MountType, Reachability,
};
use serde_json::json;

#[test]
fn an_unlisted_value_is_kept() {
    // `image` mounts came with API 1.48; v1.41 lists bind, volume, tmpfs and npipe.
    let t: MountType = serde_json::from_value(json!("image")).expect("decodes");
    assert_eq!(t, MountType::Unknown("image".into()));
    assert_eq!(serde_json::to_value(&t).unwrap(), json!("image"));
    assert_eq!(t.as_str(), "image");
    assert_eq!(t.to_string(), "image");
}

#[test]
fn listed_values_round_trip() {
    for (value, variant) in [
        ("bind", MountType::Bind),
        ("volume", MountType::Volume),
        ("tmpfs", MountType::Tmpfs),
        ("npipe", MountType::Npipe),
    ] {
        let decoded: MountType = serde_json::from_value(json!(value)).unwrap();
        assert_eq!(decoded, variant, "{value}");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(value));
        assert_eq!(decoded.as_str(), value);
        assert_eq!(decoded.to_string(), value);
    }
}

#[test]
fn string_conversions_are_infallible() {
    let parsed: MountType = "volume".parse().unwrap();
    assert_eq!(parsed, MountType::Volume);
    let Ok(parsed) = "image".parse::<MountType>();
    assert_eq!(parsed, MountType::Unknown("image".into()));
    assert_eq!(MountType::from("bind"), MountType::Bind);
    assert_eq!(
        MountType::from(String::from("cluster")),
        MountType::Unknown("cluster".into())
    );
    // Case matters: the wire value is exact.
    assert_eq!(MountType::from("Bind"), MountType::Unknown("Bind".into()));
}

#[test]
fn a_struct_with_an_unlisted_status_decodes() {
    let state: ContainerState = serde_json::from_value(json!({
        "Status": "stopping",
        "Running": true,
        "Pid": 42,
        "StartedAt": "2026-11-27T03:54:24.581253378Z",
        "FinishedAt": "0001-01-01T00:00:00Z",
    }))
    .expect("decodes");
    assert_eq!(
        state.status,
        Some(ContainerStateStatus::Unknown("stopping".into()))
    );
    assert_eq!(state.running, Some(true));
    let back = serde_json::to_value(&state).unwrap();
    assert_eq!(back["Status"], "stopping");

    let summary: ContainerSummary = serde_json::from_value(json!({
        "Id": "56ad95f85ee4",
        "State": "running",
        "Mounts": [{ "Type": "image", "Source": "busybox", "Destination": "/img" }],
    }))
    .expect("decodes");
    let mount = &summary.mounts.as_ref().unwrap()[0];
    assert_eq!(mount.type_, Some(MountType::Unknown("image".into())));
}

#[test]
fn an_enum_that_lists_unknown_uses_unknown_value() {
    // Swarm node reachability lists "unknown" itself.
    let listed: Reachability = serde_json::from_value(json!("unknown")).unwrap();
    assert_eq!(listed, Reachability::Unknown);
    let unlisted: Reachability = serde_json::from_value(json!("flaky")).unwrap();
    assert_eq!(unlisted, Reachability::UnknownValue("flaky".into()));
    assert_eq!(serde_json::to_value(&unlisted).unwrap(), json!("flaky"));
    assert_eq!(Reachability::Unknown.as_str(), "unknown");
}
