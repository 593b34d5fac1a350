//! Registry credentials for pull, push, build and plugin requests: the `X-Registry-Auth` and
//! `X-Registry-Config` headers, and the docker CLI's stored credentials.
//!
//! ```
//! use docker_engine_api::registry_auth::RegistryAuth;
//!
//! let auth = RegistryAuth::new("registry.example.com", "jane", "hunter2");
//! // `client.image_push().name(..).x_registry_auth(auth.header())`
//! assert!(!auth.header().contains('+'));
//! assert!(!format!("{auth:?}").contains("hunter2"));
//! ```

use crate::error::{Error, Result};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The key under which the docker CLI stores Docker Hub's credentials.
pub const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// Credentials for one registry, as the daemon reads them from `X-Registry-Auth`: a user name
/// and password, or an identity token (from `POST /auth`, or a credential helper's `<token>`).
/// The default value is anonymous (`{}`), which the daemon takes where a header is required.
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegistryAuth {
    /// The user name, with [`password`](Self::password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password (or a personal access token where the registry takes one as a password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The registry's host (and port), without a scheme; [`DOCKER_HUB`] for Docker Hub.
    #[serde(rename = "serveraddress", skip_serializing_if = "Option::is_none")]
    pub server_address: Option<String>,
    /// A token that replaces user name and password (`IdentityToken` of `POST /auth`).
    #[serde(rename = "identitytoken", skip_serializing_if = "Option::is_none")]
    pub identity_token: Option<String>,
}

impl RegistryAuth {
    /// A user name and password for `server` (`host[:port]`).
    pub fn new(server: &str, username: &str, password: &str) -> RegistryAuth {
        RegistryAuth {
            username: Some(username.into()),
            password: Some(password.into()),
            server_address: Some(server.into()),
            identity_token: None,
        }
    }

    /// An identity token for `server`, as `POST /auth` returns it (`IdentityToken`).
    pub fn token(server: &str, identity_token: &str) -> RegistryAuth {
        RegistryAuth {
            server_address: Some(server.into()),
            identity_token: Some(identity_token.into()),
            ..RegistryAuth::default()
        }
    }

    /// The value of `X-Registry-Auth`: this JSON, base64url-encoded.
    pub fn header(&self) -> String {
        URL_SAFE.encode(serde_json::to_vec(self).expect("strings always serialize"))
    }

    /// The credentials the docker CLI would send for `image` (a reference such as
    /// `registry.example.com:5000/app:1`, or a bare registry host): from the credential
    /// helper (`credHelpers`, else `credsStore`, run as `docker-credential-<name> get`), else
    /// from `auths` of `config.json` in `DOCKER_CONFIG` (default `~/.docker`). `None` when
    /// nothing is stored for that registry.
    pub fn from_docker_config(image: &str) -> Result<Option<RegistryAuth>> {
        let dir = crate::context::config_dir(&crate::docker::env)?;
        stored(&dir, registry_key(registry_of(image)), None)
    }

    /// Every credential the docker CLI has stored (`auths`, `credHelpers`, and what the
    /// `credsStore` helper lists), as the CLI sends them with a build: pass them to
    /// [`registry_config_header`] so that `FROM` a private image pulls it.
    pub fn all_from_docker_config() -> Result<Vec<RegistryAuth>> {
        let dir = crate::context::config_dir(&crate::docker::env)?;
        all_stored(&dir, None)
    }
}

impl std::fmt::Debug for RegistryAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("RegistryAuth")
            .field("username", &self.username)
            .field("password", &secret(&self.password))
            .field("server_address", &self.server_address)
            .field("identity_token", &secret(&self.identity_token))
            .finish()
    }
}

/// The value of `X-Registry-Config` for `POST /build`: each credential under its server
/// address, base64url-encoded (credentials without a server address are left out).
pub fn registry_config_header<'a>(auths: impl IntoIterator<Item = &'a RegistryAuth>) -> String {
    let map: HashMap<&str, &RegistryAuth> = auths
        .into_iter()
        .filter_map(|a| Some((a.server_address.as_deref()?, a)))
        .collect();
    URL_SAFE.encode(serde_json::to_vec(&map).expect("strings always serialize"))
}

/// The registry host of an image reference, by the daemon's rule: the part before the first
/// `/` when it has a `.` or `:`, is `localhost` or has capitals; otherwise `docker.io`.
pub fn registry_of(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            first
        }
        Some(_) => "docker.io",
        // A bare name is a Docker Hub repository, unless it is a host itself.
        None if image.contains(['.', ':']) || image == "localhost" => image,
        None => "docker.io",
    }
}

/// The key of `registry` in the CLI's store: Docker Hub has its historical URL.
fn registry_key(registry: &str) -> &str {
    match registry {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB,
        other => other,
    }
}

/// What is read of the CLI's `config.json`.
#[derive(Default)]
struct ConfigFile {
    auths: HashMap<String, StoredAuth>,
    /// `credsStore`.
    creds_store: Option<String>,
    /// `credHelpers`.
    cred_helpers: HashMap<String, String>,
}

#[derive(Default)]
struct StoredAuth {
    /// base64 of `user:password`.
    auth: Option<String>,
    username: Option<String>,
    password: Option<String>,
    identitytoken: Option<String>,
}

/// The credentials stored for `key` in the CLI configuration directory `dir`. `path` replaces
/// `PATH` for finding credential helpers (tests).
pub(crate) fn stored(dir: &Path, key: &str, path: Option<&std::ffi::OsStr>) -> Result<Option<RegistryAuth>> {
    let config = read_config(dir)?;
    let helper = config
        .cred_helpers
        .get(key)
        .or(config.creds_store.as_ref())
        .filter(|h| !h.is_empty());
    if let Some(helper) = helper {
        return from_helper(helper, key, path);
    }
    // Keys may be written as URLs (`https://host/v1/`); the CLI matches them by host.
    let entry = config.auths.get(key).or_else(|| {
        config
            .auths
            .iter()
            .find(|(k, _)| key != DOCKER_HUB && host_of(k) == key)
            .map(|(_, v)| v)
    });
    entry.map(|e| decode_entry(key, e)).transpose()
}

/// Every credential stored in the CLI configuration directory `dir`: the `auths` entries, the
/// servers of `credHelpers`, and what the `credsStore` helper lists.
pub(crate) fn all_stored(dir: &Path, path: Option<&std::ffi::OsStr>) -> Result<Vec<RegistryAuth>> {
    let config = read_config(dir)?;
    let mut keys: std::collections::BTreeSet<String> = config.auths.keys().cloned().collect();
    keys.extend(config.cred_helpers.keys().cloned());
    if let Some(store) = config.creds_store.as_deref().filter(|s| !s.is_empty()) {
        let listed = run_helper(store, "list", "", path)?.unwrap_or_else(|| "{}".into());
        let servers = serde_json::from_str::<Value>(&listed)
            .map_err(|e| json_problem(&e))
            .and_then(|v| {
                Ok(object(&v, || "the answer".into())?
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>())
            })
            .map_err(|why| Error::Config(format!("docker-credential-{store} list: {why}")))?;
        keys.extend(servers);
    }
    let mut all = Vec::new();
    for key in keys {
        all.extend(stored(dir, &key, path)?);
    }
    Ok(all)
}

fn read_config(dir: &Path) -> Result<ConfigFile> {
    let file = dir.join("config.json");
    match std::fs::read(&file) {
        Ok(bytes) => parse_config(&bytes).map_err(|why| Error::Config(format!("{}: {why}", file.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(Error::Config(format!("{}: {e}", file.display()))),
    }
}

/// The errors of reading `bytes` as `config.json` and decoding each stored entry (for the fuzz
/// target, which checks that none quotes a credential).
pub(crate) fn config_errors(bytes: &[u8]) -> Vec<String> {
    match parse_config(bytes) {
        Err(why) => vec![why],
        Ok(config) => config
            .auths
            .iter()
            .filter_map(|(key, entry)| decode_entry(key, entry).err())
            .map(|e| e.to_string())
            .collect(),
    }
}

/// Reads `config.json`. A problem is reported by its place, never with the value found there:
/// serde's messages quote a value of the wrong type (`invalid type: string "..."`), which in this
/// file may be a credential.
fn parse_config(bytes: &[u8]) -> std::result::Result<ConfigFile, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_problem(&e))?;
    let top = object(&value, || "the file".into())?;
    let mut config = ConfigFile::default();
    for (key, entry) in optional_object(top.get("auths"), || "`auths`".into())?
        .into_iter()
        .flatten()
    {
        let entry = optional_object(Some(entry), || format!("the `auths` entry of {key}"))?;
        let field = |name: &str| {
            let what = || format!("`{name}` of the `auths` entry of {key}");
            string(entry.and_then(|e| e.get(name)), what)
        };
        let stored = StoredAuth {
            auth: field("auth")?,
            username: field("username")?,
            password: field("password")?,
            identitytoken: field("identitytoken")?,
        };
        config.auths.insert(key.clone(), stored);
    }
    config.creds_store = string(top.get("credsStore"), || "`credsStore`".into())?;
    let helpers = optional_object(top.get("credHelpers"), || "`credHelpers`".into())?;
    for (key, helper) in helpers.into_iter().flatten() {
        if let Some(helper) = string(Some(helper), || format!("the `credHelpers` entry of {key}"))? {
            config.cred_helpers.insert(key.clone(), helper);
        }
    }
    Ok(config)
}

/// A JSON parse error, without quoting the input: serde_json's syntax errors name a position
/// and what was expected there (only data errors quote a value, and parsing into a `Value` has
/// none; they get the position alone).
fn json_problem(e: &serde_json::Error) -> String {
    if e.is_syntax() || e.is_eof() {
        format!("not JSON: {e}")
    } else {
        format!("unexpected JSON at line {} column {}", e.line(), e.column())
    }
}

fn object(value: &Value, what: impl Fn() -> String) -> std::result::Result<&Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{} is not a JSON object", what()))
}

/// An object that may be absent or `null` (Go's decoder takes both as empty).
fn optional_object(
    value: Option<&Value>,
    what: impl Fn() -> String,
) -> std::result::Result<Option<&Map<String, Value>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => object(v, what).map(Some),
    }
}

/// A string that may be absent or `null`.
fn string(value: Option<&Value>, what: impl Fn() -> String) -> std::result::Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{} is not a string", what())),
    }
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

fn decode_entry(key: &str, e: &StoredAuth) -> Result<RegistryAuth> {
    let mut auth = RegistryAuth {
        username: e.username.clone(),
        password: e.password.clone(),
        server_address: Some(key.into()),
        identity_token: e.identitytoken.clone().filter(|t| !t.is_empty()),
    };
    if let Some(encoded) = e.auth.as_deref().filter(|a| !a.is_empty()) {
        // The kind of problem only: base64's errors name the offending byte of the secret.
        let bad = |why: &str| Error::Config(format!("config.json: the `auth` of {key} {why}"));
        let text = STANDARD
            .decode(encoded.trim())
            .map_err(|_| bad("is not base64"))?;
        let text = String::from_utf8(text).map_err(|_| bad("is not UTF-8"))?;
        let (user, password) = text
            .split_once(':')
            .ok_or_else(|| bad("is not `user:password`"))?;
        auth.username = Some(user.into());
        auth.password = Some(password.into());
    }
    Ok(auth)
}

/// Asks `docker-credential-<helper> get` for `key`'s credentials (the credential helper
/// protocol: the server on stdin, `{"ServerURL","Username","Secret"}` on stdout).
fn from_helper(helper: &str, key: &str, path: Option<&std::ffi::OsStr>) -> Result<Option<RegistryAuth>> {
    let Some(answer) = run_helper(helper, "get", key, path)? else {
        return Ok(None);
    };
    // The answer holds the secret: a problem is told without quoting it.
    let (username, secret) = serde_json::from_str::<Value>(&answer)
        .map_err(|e| json_problem(&e))
        .and_then(|answer| {
            let answer = object(&answer, || "the answer".into())?;
            let field = |name: &str| {
                string(answer.get(name), || format!("`{name}`"))?
                    .ok_or_else(|| format!("`{name}` is missing"))
            };
            Ok((field("Username")?, field("Secret")?))
        })
        .map_err(|why| Error::Config(format!("docker-credential-{helper} get {key}: {why}")))?;
    Ok(Some(if username == "<token>" {
        RegistryAuth::token(key, &secret)
    } else {
        RegistryAuth::new(key, &username, &secret)
    }))
}

/// Runs `docker-credential-<helper> <verb>` with `input` on stdin: its standard output, or
/// `None` when it answers "credentials not found". `path` replaces `PATH` (tests). A failure
/// is told with the helper's standard error, never its standard output (which may hold a
/// secret).
fn run_helper(
    helper: &str,
    verb: &str,
    input: &str,
    path: Option<&std::ffi::OsStr>,
) -> Result<Option<String>> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let program = format!("docker-credential-{helper}");
    let mut command = Command::new(&program);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let fail = |why: String| Error::Config(format!("{program} {verb} {input}: {why}").replace("  ", " "));
    let mut child = command
        .arg(verb)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(e.to_string()))?;
    // A helper that exits before reading its input is judged by its exit status below.
    let _ = child.stdin.take().expect("piped").write_all(input.as_bytes());
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        return Ok(Some(stdout));
    }
    if stdout.contains("credentials not found") {
        return Ok(None);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stderr = stderr.trim();
    Err(fail(if stderr.is_empty() {
        out.status.to_string()
    } else {
        format!("{}: {stderr}", out.status)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn decoded(header: &str) -> Value {
        serde_json::from_slice(&URL_SAFE.decode(header).unwrap()).unwrap()
    }

    #[test]
    fn headers_are_base64url_json() {
        let auth = RegistryAuth::new("127.0.0.1:5000", "jane", "p>?~~~");
        let h = auth.header();
        // These bytes make `+` or `/` in standard base64, which the daemon would not read.
        assert_ne!(STANDARD.encode(serde_json::to_vec(&auth).unwrap()), h);
        assert!(!h.contains(['+', '/']), "{h}");
        assert_eq!(
            decoded(&h),
            json!({"username": "jane", "password": "p>?~~~", "serveraddress": "127.0.0.1:5000"})
        );
        assert_eq!(RegistryAuth::default().header(), "e30=");
        assert_eq!(
            decoded(&RegistryAuth::token("r.example", "tok").header()),
            json!({"serveraddress": "r.example", "identitytoken": "tok"})
        );
        let config = registry_config_header([&auth, &RegistryAuth::default()]);
        assert_eq!(decoded(&config), json!({"127.0.0.1:5000": decoded(&h)}));
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", RegistryAuth::new("r", "jane", "hunter2"));
        assert!(text.contains("jane") && !text.contains("hunter2"), "{text}");
        let text = format!("{:?}", RegistryAuth::token("r", "tok-123"));
        assert!(!text.contains("tok-123"), "{text}");
    }

    #[test]
    fn registries_of_references() {
        for (image, registry) in [
            ("busybox", "docker.io"),
            ("library/busybox:1", "docker.io"),
            ("jane/app@sha256:abc", "docker.io"),
            ("registry.example.com/app", "registry.example.com"),
            ("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000"),
            ("localhost/app", "localhost"),
            ("Upper/app", "Upper"),
            ("registry.example.com", "registry.example.com"),
            ("localhost:5000", "localhost:5000"),
        ] {
            assert_eq!(registry_of(image), registry, "{image}");
        }
        assert_eq!(registry_key(registry_of("busybox")), DOCKER_HUB);
    }

    fn config_dir(tag: &str, config: &Value) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("dockerapi-auth-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
        dir
    }

    #[test]
    fn auths_of_config_json() {
        let dir = config_dir(
            "auths",
            &json!({"auths": {
                DOCKER_HUB: {"auth": STANDARD.encode("hubuser:pa:ss")},
                "https://r.example:5000/v2/": {"auth": STANDARD.encode("jane:pw")},
                "tok.example": {"identitytoken": "idtok"},
                "bad.example": {"auth": "***"},
            }}),
        );
        let get = |key| stored(&dir, key, None);
        assert_eq!(
            get(DOCKER_HUB).unwrap(),
            Some(RegistryAuth::new(DOCKER_HUB, "hubuser", "pa:ss"))
        );
        assert_eq!(
            get("r.example:5000").unwrap(),
            Some(RegistryAuth::new("r.example:5000", "jane", "pw"))
        );
        assert_eq!(
            get("tok.example").unwrap(),
            Some(RegistryAuth::token("tok.example", "idtok"))
        );
        assert_eq!(get("other.example").unwrap(), None);
        let err = get("bad.example").unwrap_err().to_string();
        assert!(err.contains("bad.example") && err.contains("base64"), "{err}");
        assert_eq!(stored(&dir.join("missing"), DOCKER_HUB, None).unwrap(), None);
        std::fs::write(dir.join("config.json"), "{").unwrap();
        assert!(matches!(get(DOCKER_HUB), Err(Error::Config(_))));
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Problems of `config.json` are told by place and kind, without the value found there.
    #[test]
    fn config_errors_quote_no_credentials() {
        let secret = "pa55-word";
        let user_password = STANDARD.encode(format!("jane:{secret}"));
        for (config, expected) in [
            (
                json!({"auths": {"r.example": user_password}}),
                "the `auths` entry of r.example is not a JSON object",
            ),
            (json!({"auths": secret}), "`auths` is not a JSON object"),
            (
                json!({"auths": {"r.example": {"password": [secret]}}}),
                "`password` of the `auths` entry of r.example is not a string",
            ),
            (
                json!({"credHelpers": {"r.example": {"x": secret}}}),
                "the `credHelpers` entry of r.example is not a string",
            ),
            (json!([secret]), "the file is not a JSON object"),
        ] {
            let err = parse_config(config.to_string().as_bytes())
                .err()
                .unwrap_or_else(|| panic!("{config}"));
            assert_eq!(err, expected);
        }
        let err = parse_config(format!("{{\"auths\": {secret}}}").as_bytes())
            .err()
            .unwrap();
        assert!(
            err.starts_with("not JSON: expected value at line 1 column 11"),
            "{err}"
        );
        for (auth, kind) in [
            (secret.to_string(), "is not base64"),
            (STANDARD.encode(secret), "is not `user:password`"),
        ] {
            let entry = StoredAuth {
                auth: Some(auth),
                ..StoredAuth::default()
            };
            let err = decode_entry("r.example", &entry).unwrap_err().to_string();
            assert!(err.ends_with(&format!("the `auth` of r.example {kind}")), "{err}");
        }
        // Well-formed, with nulls where Go's decoder takes them.
        let config = json!({"auths": {"r.example": {"auth": user_password, "email": null}, "n.example": null}, "credHelpers": null});
        let parsed = parse_config(config.to_string().as_bytes()).unwrap();
        assert_eq!(parsed.auths["r.example"].auth.as_deref(), Some(&*user_password));
        assert!(parsed.auths["n.example"].auth.is_none());
    }

    #[cfg(unix)]
    #[test]
    fn credential_helpers() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = config_dir(
            "helpers",
            &json!({"credsStore": "store", "credHelpers": {"r.example": "fake"}, "auths": {"r.example": {}}}),
        );
        // Helpers answer as the protocol says; `store` knows one server and a token.
        let script = |name: &str, body: &str| {
            let p = dir.join(format!("docker-credential-{name}"));
            std::fs::write(&p, format!("#!/bin/sh\nread server\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        script(
            "fake",
            r#"echo "{\"ServerURL\":\"$server\",\"Username\":\"u-$1\",\"Secret\":\"s\"}""#,
        );
        script(
            "store",
            r#"[ "$1" = list ] && { echo '{"tok.example":"<token>","listed.example":"lee"}'; exit 0; }
case "$server" in
  listed.example) echo '{"ServerURL":"listed.example","Username":"lee","Secret":"pw"}' ;;
  tok.example) echo '{"ServerURL":"tok.example","Username":"<token>","Secret":"idtok"}' ;;
  broken.example) echo 'oops' >&2; exit 3 ;;
  leaky.example) echo '{"Username":"lee","Secret":"pw-on-stdout"}'; exit 1 ;;
  plain.example) echo 'pw-on-stdout' ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac"#,
        );
        let path = Some(dir.as_os_str());
        let get = |key| stored(&dir, key, path);
        assert_eq!(
            get("r.example").unwrap(),
            Some(RegistryAuth::new("r.example", "u-get", "s"))
        );
        assert_eq!(
            get("tok.example").unwrap(),
            Some(RegistryAuth::token("tok.example", "idtok"))
        );
        assert_eq!(get("none.example").unwrap(), None);
        let err = get("broken.example").unwrap_err().to_string();
        assert!(
            err.contains("docker-credential-store get broken.example") && err.contains("oops"),
            "{err}"
        );
        // What a helper prints on stdout may be the secret: never quoted.
        let err = get("leaky.example").unwrap_err().to_string();
        assert!(
            err.ends_with("docker-credential-store get leaky.example: exit status: 1"),
            "{err}"
        );
        let err = get("plain.example").unwrap_err().to_string();
        assert!(
            err.contains("get plain.example: not JSON") && !err.contains("pw-on"),
            "{err}"
        );
        // All of them, as a build sends them: the helpers' servers and the store's list
        // (`auths` keys too, which the store answers here, for none).
        let mut all = all_stored(&dir, path).unwrap();
        all.sort_by(|a, b| a.server_address.cmp(&b.server_address));
        assert_eq!(
            all,
            [
                RegistryAuth::new("listed.example", "lee", "pw"),
                RegistryAuth::new("r.example", "u-get", "s"),
                RegistryAuth::token("tok.example", "idtok"),
            ]
        );
        std::fs::remove_file(dir.join("docker-credential-fake")).unwrap();
        let err = get("r.example").unwrap_err().to_string();
        assert!(err.contains("docker-credential-fake"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
