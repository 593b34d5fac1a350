//! `with_api!` on clients built here (the macro is defined by the generated glue, after every
//! other module of the crate).

use crate::{Api, ApiVersion, Error, Result};

/// `since` compares with the wire version: a v1.55 module talking 1.41 does not run code for
/// 1.43, and runs code for 1.41.
#[test]
fn since_follows_the_wire_version() {
    let unix = crate::Endpoint::Unix("/nonexistent.sock".into());
    let http = crate::transport::http_client(&unix, Default::default(), None, None).unwrap();
    let api = Api::new(55, "http://docker.sock/v1.41", http).unwrap();
    assert_eq!(api.wire_version(), ApiVersion::v1(41));
    let newer: Result<()> = with_api!(&api, _c, _m, since 1.43 => Ok(()));
    assert!(
        matches!(&newer, Err(Error::NotAvailable { version, .. }) if *version == ApiVersion::v1(41)),
        "{newer:?}"
    );
    let older: Result<()> = with_api!(&api, _c, _m, since 1.41 => Ok(()));
    assert!(older.is_ok(), "{older:?}");
    // An owned `Api` too.
    let owned: Result<ApiVersion> =
        with_api!(api, c, _m, since 1.25 => Ok(crate::version::wire_of(&c.baseurl)));
    assert_eq!(owned.unwrap(), ApiVersion::v1(41));
}
