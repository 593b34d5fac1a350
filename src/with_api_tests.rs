//! The dispatch behind `with_api!` on clients built here. Inside this crate the macro cannot be
//! called (it names the generated `__with_api!` by its path, which rustc refuses for a macro
//! that `include!` defines in the same crate), so these tests call `__with_api!` as `with_api!`
//! forwards to it; tests/with_api.rs calls `with_api!` itself, from outside.

use crate::{Api, ApiVersion, Error, Result};

fn v1_55_talking_v1_41() -> Api {
    let unix = crate::Endpoint::Unix("/nonexistent.sock".into());
    let http = crate::connection::http_client(&unix, Default::default(), None, None).unwrap();
    Api::new(55, "http://docker.sock/v1.41", http).unwrap()
}

/// `since` compares with the wire version: a v1.55 module talking 1.41 does not run code for
/// 1.43, and runs code for 1.41.
#[test]
fn since_follows_the_wire_version() {
    let api = v1_55_talking_v1_41();
    assert_eq!(api.wire_version(), ApiVersion::v1(41));
    let newer: Result<()> = __with_api!((inline), &api, _c, _m, since 1.43, Ok(()));
    assert!(
        matches!(&newer, Err(Error::NotAvailable { since, version }) if (since.minor, version.minor) == (43, 41)),
        "{newer:?}"
    );
    let older: Result<()> = __with_api!((inline), &api, _c, _m, since 1.41, Ok(()));
    assert!(older.is_ok(), "{older:?}");
    // The closure forms' modes.
    let boxed: Result<()> = futures_util::FutureExt::now_or_never(async {
        __with_api!((boxed crate::Result<_>), &api, _c, _m, since 1.43, Ok(()))
    })
    .expect("nothing to wait for");
    assert!(matches!(boxed, Err(Error::NotAvailable { .. })), "{boxed:?}");
    let called: Result<()> = __with_api!((call crate::Result<_>), &api, _c, _m, since 1.41, Ok(()));
    assert!(called.is_ok(), "{called:?}");
    // An owned `Api` too.
    let owned: Result<ApiVersion> =
        __with_api!((inline), api, c, _m, since 1.25, Ok(crate::version::wire_of(&c.baseurl)));
    assert_eq!(owned.unwrap(), ApiVersion::v1(41));
}

/// In the boxed mode `?` leaves the body, which gives `with_api!` its value.
#[test]
fn the_boxed_body_is_a_future_of_its_own() {
    let api = v1_55_talking_v1_41();
    let failing = || -> Result<u32> { Err(Error::Protocol("inner".into())) };
    let early: Result<u32> = futures_util::FutureExt::now_or_never(async {
        __with_api!((boxed crate::Result<_>), &api, _c, m, {
            let config = m::types::HostConfig { network_mode: Some("none".into()), ..Default::default() };
            assert!(config.network_mode.is_some());
            failing()?;
            Ok(1)
        })
    })
    .expect("nothing to wait for");
    assert!(
        matches!(early, Err(Error::Protocol(ref m)) if m == "inner"),
        "{early:?}"
    );
}
