//! No credential in any `Debug`, `Display` or error output: one sentinel secret goes everywhere
//! a credential can (`RegistryAuth`, the registry headers, the CLI's `config.json` and its
//! credential helpers, the generated types and operation builders of v1.41 and v1.55, requests
//! to a daemon that hangs up), every rendering of the results is scanned for it, and each must show
//! `<redacted>` where the secret was, so that the test cannot pass by rendering nothing.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use docker_engine_api::registry_auth::{RegistryAuth, registry_config_header};
use std::error::Error as StdError;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

const SENTINEL: &str = "S3NT1NEL-secret";

/// The renderings of one value or error, and what must not occur in them.
#[derive(Default)]
struct Scan {
    /// `(what, rendering)`.
    texts: Vec<(String, String)>,
    /// The sentinel and its encodings (headers, `auth` entries).
    forbidden: Vec<String>,
    /// Renderings that should show `<redacted>` and do not.
    unredacted: Vec<String>,
}

impl Scan {
    fn new() -> Scan {
        Scan {
            forbidden: vec![SENTINEL.to_string()],
            ..Scan::default()
        }
    }

    fn forbid(&mut self, encoded: &str) {
        self.forbidden.push(encoded.to_string());
    }

    /// `{:?}` and `{:#?}` of `value`, which must show `<redacted>`.
    fn debug(&mut self, what: &str, value: &dyn Debug) {
        for text in [format!("{value:?}"), format!("{value:#?}")] {
            if !text.contains("<redacted>") {
                self.unredacted.push(format!("{what}: {text}"));
            }
            self.texts.push((what.to_string(), text));
        }
    }

    /// Display, `{:#}`, Debug and `{:#?}` of `error` and of each of its sources.
    fn error(&mut self, what: &str, error: &(dyn StdError + 'static)) {
        let mut next = Some(error);
        let mut depth = 0;
        while let Some(e) = next {
            let what = format!("{what} (source {depth})");
            for text in [
                format!("{e}"),
                format!("{e:#}"),
                format!("{e:?}"),
                format!("{e:#?}"),
            ] {
                self.texts.push((what.clone(), text));
            }
            next = e.source();
            depth += 1;
        }
    }

    fn text(&mut self, what: &str, text: String) {
        self.texts.push((what.to_string(), text));
    }

    /// Panics with every rendering that shows a forbidden string, or no `<redacted>` where it
    /// should.
    fn assert_clean(&self) {
        assert!(!self.texts.is_empty());
        let leaks: Vec<String> = self
            .texts
            .iter()
            .filter(|(_, text)| self.forbidden.iter().any(|f| text.contains(f.as_str())))
            .map(|(what, text)| format!("{what}:\n{text}"))
            .collect();
        assert!(
            leaks.is_empty() && self.unredacted.is_empty(),
            "{} of {} renderings show the secret:\n\n{}\n\n{} show no `<redacted>`:\n{}",
            leaks.len(),
            self.texts.len(),
            leaks.join("\n\n"),
            self.unredacted.len(),
            self.unredacted.join("\n")
        );
    }
}

fn hub_auth() -> RegistryAuth {
    RegistryAuth::new("registry.example.com", "jane", SENTINEL)
}

fn token_auth() -> RegistryAuth {
    RegistryAuth::token("token.example.com", SENTINEL)
}

#[test]
fn registry_auth_values() {
    let mut scan = Scan::new();
    let (auth, token) = (hub_auth(), token_auth());
    let header = auth.header();
    let config = registry_config_header([&auth, &token]);
    scan.forbid(&header);
    scan.forbid(&token.header());
    scan.forbid(&config);
    scan.debug("RegistryAuth::new", &auth);
    scan.debug("RegistryAuth::token", &token);
    scan.debug("a set of them", &vec![auth.clone(), token.clone()]);
    scan.assert_clean();
    // The headers do carry it.
    let decoded = base64::engine::general_purpose::URL_SAFE.decode(&config).unwrap();
    assert!(String::from_utf8(decoded).unwrap().contains(SENTINEL));
}

// The CLI's configuration: `from_docker_config` reads `DOCKER_CONFIG` (and `PATH`, for the
// credential helpers), so each case runs in a child process of this test binary with its own
// environment; the child prints what it got and the parent scans that.

/// Set in the child process.
const CHILD: &str = "SECRETS_TEST_CHILD";
/// What the child prints first, so that an empty output is not taken for a clean one.
const CHILD_RAN: &str = "secrets child ran";

/// The child's half: renders what the CLI's configuration gives for a few registries.
#[test]
fn config_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    println!("{CHILD_RAN}");
    for image in [
        "good.example/app",
        "token.example/app",
        "bad.example/app",
        "helper.example/app",
        "busybox",
    ] {
        match RegistryAuth::from_docker_config(image) {
            Ok(auth) => println!("{image}: Ok({auth:?}) / {auth:#?}"),
            Err(e) => print_error(image, &e),
        }
    }
    match RegistryAuth::all_from_docker_config() {
        Ok(all) => println!("all: Ok({all:?}) / {all:#?}"),
        Err(e) => print_error("all", &e),
    }
}

fn print_error(what: &str, error: &(dyn StdError + 'static)) {
    let mut next = Some(error);
    while let Some(e) = next {
        println!("{what}: Err({e}) / {e:#} / {e:?} / {e:#?}");
        next = e.source();
    }
}

/// A fresh directory for one case.
fn case_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockerapi-secrets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A credential helper `docker-credential-<name>` in `dir` running the shell `body`.
#[cfg(unix)]
fn helper(dir: &Path, name: &str, body: &str) {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(format!("docker-credential-{name}"));
    std::fs::write(&path, format!("#!/bin/sh\nread server\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs [`config_child`] with `dir` as `DOCKER_CONFIG` (and first on `PATH`); its output.
fn run_child(dir: &Path) -> String {
    let mut path = std::ffi::OsString::from(dir);
    if let Some(old) = std::env::var_os("PATH") {
        path.push(":");
        path.push(old);
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "config_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("DOCKER_CONFIG", dir)
        .env("PATH", path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the child failed:\n{text}");
    assert!(text.contains(CHILD_RAN), "the child did not run:\n{text}");
    text
}

#[test]
fn cli_configuration() {
    let user_password = STANDARD.encode(format!("jane:{SENTINEL}"));
    let no_colon = STANDARD.encode(format!("jane-{SENTINEL}"));
    let mut scan = Scan::new();
    scan.forbid(&user_password);
    scan.forbid(&no_colon);
    let mut redacted = 0;
    let mut case = |name: &str, config: serde_json::Value, helpers: &[(&str, &str)]| {
        let dir = case_dir(name);
        std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
        #[cfg(unix)]
        for (helper_name, body) in helpers {
            helper(&dir, helper_name, body);
        }
        #[cfg(not(unix))]
        let _ = helpers;
        let out = run_child(&dir);
        redacted += out.matches("<redacted>").count();
        scan.text(name, out);
        std::fs::remove_dir_all(dir).unwrap();
    };
    let answer = format!(r#"{{"ServerURL":"helper.example","Username":"<token>","Secret":"{SENTINEL}"}}"#);
    // Well-formed: the credentials come back, and print redacted.
    case(
        "good",
        serde_json::json!({
            "auths": {
                "good.example": {"auth": user_password},
                "token.example": {"identitytoken": SENTINEL},
            },
            "credHelpers": {"helper.example": "sentinel"},
        }),
        &[("sentinel", &format!("echo '{answer}'"))],
    );
    // Malformed entries, each alone (the whole file is refused).
    for (name, config) in [
        (
            "entry-not-object",
            serde_json::json!({"auths": {"bad.example": user_password}}),
        ),
        ("auths-not-object", serde_json::json!({"auths": SENTINEL})),
        (
            "auth-not-base64",
            serde_json::json!({"auths": {"bad.example": {"auth": SENTINEL}}}),
        ),
        (
            "auth-no-colon",
            serde_json::json!({"auths": {"bad.example": {"auth": no_colon}}}),
        ),
        (
            "token-not-string",
            serde_json::json!({"auths": {"bad.example": {"identitytoken": [SENTINEL]}}}),
        ),
        (
            "password-not-string",
            serde_json::json!({"auths": {"bad.example": {"password": {"p": SENTINEL}}}}),
        ),
        (
            "helpers-not-strings",
            serde_json::json!({"credHelpers": {"bad.example": [SENTINEL]}}),
        ),
        (
            "store-not-string",
            serde_json::json!({"credsStore": {"s": SENTINEL}}),
        ),
    ] {
        case(name, config, &[]);
    }
    // Credential helpers that answer something other than the protocol's JSON.
    let helper_config = serde_json::json!({"credHelpers": {"helper.example": "sentinel"}});
    for (name, body) in [
        ("helper-plain-text", format!("echo '{SENTINEL}'")),
        ("helper-json-string", format!(r#"echo '"{SENTINEL}"'"#)),
        (
            "helper-wrong-type",
            format!(r#"echo '{{"Username": 1, "Secret": "{SENTINEL}"}}'"#),
        ),
        (
            "helper-fails",
            format!("echo '{answer}'; echo 'helper broke' >&2; exit 1"),
        ),
    ] {
        case(name, helper_config.clone(), &[("sentinel", &body)]);
    }
    #[cfg(unix)]
    case(
        "store-list-not-json",
        serde_json::json!({"credsStore": "sentinel"}),
        &[(
            "sentinel",
            &format!(r#"[ "$1" = list ] && {{ echo '"{SENTINEL}"'; exit 0; }}; exit 1"#),
        )],
    );
    scan.assert_clean();
    // good.example, token.example and the helper's answer; `all` again.
    assert!(redacted >= 3, "the credentials were not read:\n{:#?}", scan.texts);
}

/// The generated types and operation builders of one version module, rendered and sent to a
/// closed port.
macro_rules! generated_module {
    ($test:ident, $module:ident, $identity_response:path) => {
        #[tokio::test]
        async fn $test() {
            use docker_engine_api::$module::{Client, types};
            let mut scan = Scan::new();
            let header = hub_auth().header();
            let config = registry_config_header([&hub_auth(), &token_auth()]);
            scan.forbid(&header);
            scan.forbid(&config);

            // Set on the default: v1.41's AuthConfig has an `email`, v1.55's has not.
            let mut auth_config = types::AuthConfig::default();
            auth_config.username = Some("jane".into());
            auth_config.password = Some(SENTINEL.into());
            auth_config.serveraddress = Some("registry.example.com".into());
            let join_tokens = types::JoinTokens {
                worker: Some(SENTINEL.into()),
                manager: Some(SENTINEL.into()),
            };
            let join = types::SwarmJoinRequest {
                join_token: Some(SENTINEL.into()),
                listen_addr: Some("0.0.0.0:2377".into()),
                ..Default::default()
            };
            let unlock = types::SwarmUnlockRequest {
                unlock_key: Some(SENTINEL.into()),
            };
            let unlock_key = types::UnlockKeyResponse {
                unlock_key: Some(SENTINEL.into()),
            };
            let secret = types::SecretSpec {
                name: Some("db-password".into()),
                data: Some(SENTINEL.into()),
                ..Default::default()
            };
            let swarm_spec = types::SwarmSpec {
                ca_config: Some(types::SwarmSpecCaConfig {
                    signing_ca_key: Some(SENTINEL.into()),
                    ..Default::default()
                }),
                ..Default::default()
            };
            scan.debug("AuthConfig", &auth_config);
            scan.debug("JoinTokens", &join_tokens);
            scan.debug(
                "Swarm",
                &types::Swarm {
                    join_tokens: Some(join_tokens.clone()),
                    ..Default::default()
                },
            );
            scan.debug("SwarmJoinRequest", &join);
            scan.debug("SwarmUnlockRequest", &unlock);
            scan.debug("UnlockKeyResponse", &unlock_key);
            scan.debug("SecretSpec", &secret);
            scan.debug("SwarmSpec", &swarm_spec);
            $identity_response(&mut scan);
            // Unset credentials stay `None`, the rest stays readable.
            let empty = format!("{:?}", types::AuthConfig::default());
            assert!(empty.contains("password: None"), "{empty}");
            assert!(format!("{auth_config:?}").contains("jane"));

            // A fake daemon that negotiates, then hangs up on every request: the builders'
            // errors are transport errors, which quote the request URL.
            let fake = support::fake::Fake::tcp(|req| {
                support::fake::Reply::negotiation(req).unwrap_or_else(support::fake::Reply::hang_up)
            })
            .await;
            let docker = docker_engine_api::Docker::builder()
                .host(&fake.host)
                .unwrap()
                .version(docker_engine_api::ApiVersion::v1(55))
                .connect()
                .await
                .unwrap();
            let client: Client = docker.$module();
            macro_rules! builder {
                ($what:expr, $builder:expr) => {{
                    let builder = $builder;
                    scan.debug($what, &builder);
                    match builder.send().await {
                        Ok(_) => panic!("{}: a daemon that hangs up answered", $what),
                        Err(e) => scan.error($what, &e),
                    }
                }};
            }
            builder!(
                "system_auth",
                client.system_auth().body(auth_config.clone())
            );
            builder!(
                "image_push",
                client.image_push().name("app").x_registry_auth(&header)
            );
            builder!(
                "image_push with the bare secret",
                client.image_push().name("app").x_registry_auth(SENTINEL)
            );
            builder!(
                "image_push with a header value reqwest refuses",
                client
                    .image_push()
                    .name("app")
                    .x_registry_auth(format!("{SENTINEL}\n"))
            );
            builder!(
                "image_build",
                client.image_build().x_registry_config(&config)
            );
            builder!(
                "image_create",
                client
                    .image_create()
                    .from_image("app")
                    .x_registry_auth(&header)
            );
            builder!(
                "plugin_pull",
                client
                    .plugin_pull()
                    .remote("plugin")
                    .x_registry_auth(&header)
            );
            builder!(
                "plugin_upgrade",
                client
                    .plugin_upgrade()
                    .name("p")
                    .remote("plugin")
                    .x_registry_auth(&header)
            );
            builder!(
                "service_create",
                client
                    .service_create()
                    .body(types::ServiceSpec::default())
                    .x_registry_auth(&header)
            );
            builder!(
                "service_update",
                client
                    .service_update()
                    .id("s")
                    .version(1)
                    .body(types::ServiceSpec::default())
                    .x_registry_auth(&header)
            );
            builder!(
                "distribution_inspect",
                client
                    .distribution_inspect()
                    .name("app")
                    .x_registry_auth(&header)
            );
            builder!("swarm_join", client.swarm_join().body(join.clone()));
            builder!("swarm_unlock", client.swarm_unlock().body(unlock.clone()));
            builder!("secret_create", client.secret_create().body(secret.clone()));
            builder!(
                "swarm_update",
                client.swarm_update().version(1).body(swarm_spec.clone())
            );
            scan.assert_clean();
        }
    };
}

/// `POST /auth`'s answer: `SystemAuthResponse` up to v1.51, `AuthResponse` from v1.52.
fn identity_response_v1_41(scan: &mut Scan) {
    use docker_engine_api::v1_41::types::SystemAuthResponse;
    let response = SystemAuthResponse {
        identity_token: Some(SENTINEL.into()),
        status: Some("Login Succeeded".into()),
    };
    scan.debug("SystemAuthResponse", &response);
}

fn identity_response_v1_55(scan: &mut Scan) {
    use docker_engine_api::v1_55::types::AuthResponse;
    let response = AuthResponse {
        identity_token: Some(SENTINEL.into()),
        status: Some("Login Succeeded".into()),
    };
    scan.debug("AuthResponse", &response);
}

generated_module!(generated_v1_41, v1_41, identity_response_v1_41);
generated_module!(generated_v1_55, v1_55, identity_response_v1_55);
