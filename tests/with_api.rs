//! `with_api!` as users call it, every form, on a fake daemon that speaks API 1.41.

mod support;

use docker_engine_api::{ApiVersion, Docker, Error, Result, with_api};
use support::fake::{Fake, Reply};

async fn docker_on_1_41() -> (Fake, Docker) {
    let fake = Fake::tcp(|req| Reply::negotiation(req).unwrap_or_else(|| Reply::json("200 OK", "{}"))).await;
    let docker = Docker::builder()
        .host(&fake.host)
        .unwrap()
        .connect()
        .await
        .unwrap();
    assert_eq!(docker.api().wire_version(), ApiVersion::v1(41));
    (fake, docker)
}

fn failing() -> Result<u32> {
    Err(Error::Protocol("inner".into()))
}

#[tokio::test]
async fn closure_forms() {
    let (_fake, docker) = docker_on_1_41().await;

    // `?` leaves the body, not the test; the body's value is `with_api!`'s.
    let early: Result<u32> = with_api!(docker.api(), async |c, _api| {
        docker.call(c.system_info().send()).await?;
        failing()?;
        Ok(1)
    });
    assert!(
        matches!(early, Err(Error::Protocol(ref m)) if m == "inner"),
        "{early:?}"
    );
    // `api` names the module; an owned `Api` too.
    let info = with_api!(docker.api().clone(), async |c, api| {
        let config = api::types::HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        };
        let info = docker.call(c.system_info().send()).await?;
        Ok((config.network_mode, info.id))
    })
    .unwrap();
    assert_eq!(info, (Some("none".into()), None));
    // A written type.
    let typed = with_api!(docker.api(), async |c, _api| -> Option<bool> {
        docker
            .call(c.system_info().send())
            .await
            .ok()
            .map(|info| info.id.is_none())
    });
    assert_eq!(typed, Some(true));
    // Not async.
    let sync: Result<u32> = with_api!(docker.api(), |_c, _api| Ok(failing().unwrap_or(2)));
    assert_eq!(sync.unwrap(), 2);
    let sync_typed = with_api!(docker.api(), |_c, api| -> Option<String> {
        api::types::HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        }
        .network_mode
    });
    assert_eq!(sync_typed.as_deref(), Some("none"));
}

#[tokio::test]
async fn since_forms() {
    let (_fake, docker) = docker_on_1_41().await;
    let newer: Result<()> = with_api!(docker.api(), since = 1.43, async |c, _api| {
        docker.call(c.system_info().send()).await?;
        Ok(())
    });
    assert!(
        matches!(&newer, Err(Error::NotAvailable { since, version }) if (since.minor, version.minor) == (43, 41)),
        "{newer:?}"
    );
    let older = with_api!(docker.api(), since = 1.41, async |c, _api| {
        let info = docker.call(c.system_info().send()).await?;
        failing().map(|_| false).or(Ok(info.id.is_none()))
    });
    assert!(older.unwrap());
    let sync: Result<()> = with_api!(docker.api(), since = 1.43, |_c, _api| Ok(()));
    assert!(sync.is_err());
}

/// The older forms: the body is inlined, `?` leaves the enclosing function.
#[tokio::test]
async fn inline_forms() -> Result<()> {
    let (_fake, docker) = docker_on_1_41().await;
    let id = with_api!(docker.api(), c, _api => docker.call(c.system_info().send()).await?.id);
    assert_eq!(id, None);
    let newer: Result<()> = with_api!(docker.api(), c, _api, since 1.43 => {
        docker.call(c.system_info().send()).await?;
        Ok(())
    });
    assert!(newer.is_err());
    Ok(())
}
