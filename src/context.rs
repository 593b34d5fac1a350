//! Docker CLI contexts: named endpoints in the CLI's configuration directory (`DOCKER_CONFIG`,
//! default `~/.docker`).
//!
//! The store, as the CLI writes it: `contexts/meta/<id>/meta.json` holds
//! `{"Name": ..., "Endpoints": {"docker": {"Host": ..., "SkipTLSVerify": ...}}}`, and
//! `contexts/tls/<id>/docker/` the endpoint's `ca.pem`, `cert.pem`, `key.pem`; `<id>` is the
//! hex SHA-256 of the context's name. As with the CLI, only the selected context's files are
//! read: another context, broken or not, changes nothing.

use crate::connection::Endpoint;
use crate::connection::TlsConfig;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The name of the context that means "`DOCKER_HOST`, or the local socket".
pub const DEFAULT_CONTEXT: &str = "default";

/// The Docker endpoint of a context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ContextEndpoint {
    pub endpoint: Endpoint,
    pub tls: Option<TlsConfig>,
}

/// The parts of a `meta.json` read here; other fields and endpoints are ignored.
#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "Endpoints")]
    endpoints: Option<MetaEndpoints>,
}

#[derive(Deserialize)]
struct MetaEndpoints {
    docker: Option<MetaEndpoint>,
}

#[derive(Deserialize)]
struct MetaEndpoint {
    #[serde(rename = "Host")]
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify")]
    skip_tls_verify: Option<bool>,
}

#[derive(Deserialize)]
struct CliConfig {
    #[serde(rename = "currentContext")]
    current_context: Option<String>,
}

/// The CLI's configuration directory: `DOCKER_CONFIG`, or `~/.docker`.
pub(crate) fn config_dir(var: &impl Fn(&str) -> Result<Option<String>>) -> Result<PathBuf> {
    match var("DOCKER_CONFIG")? {
        Some(dir) => Ok(dir.into()),
        None => std::env::home_dir()
            .map(|h| h.join(".docker"))
            .ok_or_else(|| Error::Config("DOCKER_CONFIG is not set and there is no home directory".into())),
    }
}

/// The context selected without `DOCKER_HOST`: `DOCKER_CONTEXT`, else `currentContext` of
/// `config.json`; `None` for the default context.
pub(crate) fn selected(dir: &Path, var: &impl Fn(&str) -> Result<Option<String>>) -> Result<Option<String>> {
    let name = match var("DOCKER_CONTEXT")? {
        Some(name) => Some(name),
        None => {
            let path = dir.join("config.json");
            match std::fs::read(&path) {
                Ok(bytes) => current_context(&bytes)
                    .map_err(|why| Error::Config(format!("{}: {why}", path.display())))?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::Config(format!("{}: {e}", path.display()))),
            }
        }
    };
    Ok(name.filter(|n| n != DEFAULT_CONTEXT))
}

/// `currentContext` of a CLI `config.json` (`None` if absent or empty). An error tells where
/// the file is malformed, never what it holds (it holds credentials).
pub(crate) fn current_context(config_json: &[u8]) -> std::result::Result<Option<String>, String> {
    let config: CliConfig = serde_json::from_slice(config_json).map_err(|e| json_error(&e))?;
    Ok(config.current_context.filter(|c| !c.is_empty()))
}

/// The directory name of context `name` in the store (under `contexts/meta` and
/// `contexts/tls`): the hex SHA-256 of the name, as the CLI names it.
pub(crate) fn context_id(name: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The Docker endpoint of the context `name` in the store under `dir`.
pub(crate) fn load(dir: &Path, name: &str) -> Result<ContextEndpoint> {
    let id = context_id(name);
    let path = dir.join("contexts").join("meta").join(&id).join("meta.json");
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Config(format!(
                "context `{name}` not found: no {}",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Error::Config(format!(
                "context `{name}`: {}: {e}",
                path.display()
            )));
        }
    };
    let (endpoint, skip_verify) = docker_endpoint(&bytes)
        .map_err(|why| Error::Config(format!("context `{name}`: {}: {why}", path.display())))?;
    let tls_dir = dir.join("contexts").join("tls").join(&id).join("docker");
    // The CLI talks TLS to a context's tcp:// endpoint when it has TLS material or skips
    // verification.
    let tls = (tls_dir.is_dir() || skip_verify).then(|| TlsConfig::from_dir(tls_dir).verify(!skip_verify));
    Ok(ContextEndpoint { endpoint, tls })
}

/// The Docker endpoint of a context's `meta.json` and its `SkipTLSVerify`. An error tells where
/// the file is malformed, not what it holds; a bad `Host` is quoted as `DOCKER_HOST` would be.
pub(crate) fn docker_endpoint(meta_json: &[u8]) -> std::result::Result<(Endpoint, bool), String> {
    let meta: Meta = serde_json::from_slice(meta_json).map_err(|e| json_error(&e))?;
    let docker = meta.endpoints.and_then(|e| e.docker);
    let host = docker
        .as_ref()
        .and_then(|d| d.host.as_deref())
        .ok_or("no Docker endpoint (`Endpoints.docker.Host`)")?;
    let endpoint = Endpoint::parse_quoted(host).map_err(|why| format!("invalid Docker host {why}"))?;
    Ok((endpoint, docker.and_then(|d| d.skip_tls_verify).unwrap_or(false)))
}

/// A JSON error by kind and position only: serde's messages can quote the document.
fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Eof => "truncated JSON",
        serde_json::error::Category::Data => "a value of the wrong type",
        serde_json::error::Category::Io => "unreadable",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh CLI configuration directory.
    fn config(tag: &str, current: Option<&str>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("docker-config-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if let Some(c) = current {
            std::fs::write(
                dir.join("config.json"),
                format!(r#"{{"auths":{{}},"currentContext":"{c}"}}"#),
            )
            .unwrap();
        }
        dir
    }

    /// Writes `meta` as the `meta.json` of directory `id`, and the TLS directory if `tls`.
    fn put(dir: &Path, id: &str, meta: &[u8], tls: bool) {
        let meta_dir = dir.join("contexts/meta").join(id);
        std::fs::create_dir_all(&meta_dir).unwrap();
        std::fs::write(meta_dir.join("meta.json"), meta).unwrap();
        if tls {
            std::fs::create_dir_all(dir.join("contexts/tls").join(id).join("docker")).unwrap();
        }
    }

    /// Writes context `name` where the CLI does, with `endpoint` as its Docker endpoint.
    fn context(dir: &Path, name: &str, endpoint: &str, tls: bool) {
        let json = format!(r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{endpoint}}}}}"#);
        put(dir, &context_id(name), json.as_bytes(), tls);
    }

    fn no_env(_: &str) -> Result<Option<String>> {
        Ok(None)
    }

    #[test]
    fn the_selected_context() {
        let dir = config("selected", Some("remote"));
        assert_eq!(selected(&dir, &no_env).unwrap().as_deref(), Some("remote"));
        let env = |n: &str| Ok((n == "DOCKER_CONTEXT").then(|| "other".to_string()));
        assert_eq!(
            selected(&dir, &env).unwrap().as_deref(),
            Some("other"),
            "DOCKER_CONTEXT first"
        );
        let env = |n: &str| Ok((n == "DOCKER_CONTEXT").then(|| DEFAULT_CONTEXT.to_string()));
        assert_eq!(selected(&dir, &env).unwrap(), None);
        let empty = config("empty", None);
        assert_eq!(
            selected(&empty, &no_env).unwrap(),
            None,
            "no config.json: default"
        );
        std::fs::write(empty.join("config.json"), "{not json").unwrap();
        let err = selected(&empty, &no_env).unwrap_err();
        assert!(
            matches!(&err, Error::Config(m) if m.contains("config.json: not valid JSON at line 1, column 2")),
            "{err}"
        );
        // Errors tell where, never what: config.json holds credentials.
        for bad in [
            r#"{"auths":{"r":{"auth":"dXNlcjpTM0NSRVQ="}},"currentContext":"dXNlcjpTM0NSRVQ="#,
            r#"{"auths":{"r":{"auth":"dXNlcjpTM0NSRVQ="}},"currentContext":["dXNlcjpTM0NSRVQ="]}"#,
            r#"{"currentContext":"x", "auths":{"r":{"auth":dXNlcjpTM0NSRVQ=}}}"#,
            r#"{"currentContext":"x", "dXNlcjpTM0NSRVQ=""#,
        ] {
            std::fs::write(empty.join("config.json"), bad).unwrap();
            let err = selected(&empty, &no_env).unwrap_err();
            for shown in [err.to_string(), format!("{err:?}")] {
                assert!(!shown.contains("dXNlcjpTM0NSRVQ"), "{shown}");
            }
        }
        for d in [dir, empty] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn context_ids_are_the_cli_digests() {
        assert_eq!(
            context_id("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
        );
        assert_eq!(
            context_id("good"),
            "770e607624d689265ca6c44884d0807d9b054d23c473c106c72be9de08b7376c"
        );
    }

    #[test]
    fn contexts_are_found_by_their_digest() {
        let dir = config("load", None);
        context(
            &dir,
            "plain",
            r#"{"Host":"unix:///run/other.sock","SkipTLSVerify":false}"#,
            false,
        );
        context(
            &dir,
            "remote",
            r#"{"Host":"tcp://docker.example:2376","SkipTLSVerify":false}"#,
            true,
        );
        context(
            &dir,
            "insecure",
            r#"{"Host":"tcp://h:2376","SkipTLSVerify":true}"#,
            false,
        );
        context(&dir, "nodocker", "null", false);
        let plain = load(&dir, "plain").unwrap();
        assert_eq!(plain.endpoint, Endpoint::Unix("/run/other.sock".into()));
        assert_eq!(plain.tls, None);
        let remote = load(&dir, "remote").unwrap();
        assert_eq!(remote.endpoint.to_string(), "tcp://docker.example:2376");
        let tls = remote.tls.expect("TLS material");
        let tls_dir = format!("contexts/tls/{}/docker", context_id("remote"));
        assert!(tls.verifies() && tls.dir().ends_with(tls_dir), "{tls:?}");
        assert!(!load(&dir, "insecure").unwrap().tls.unwrap().verifies());
        let err = load(&dir, "nodocker").unwrap_err();
        assert!(err.to_string().contains("no Docker endpoint"), "{err}");
        let err = load(&dir, "missing").unwrap_err();
        assert!(err.to_string().contains("context `missing` not found"), "{err}");
        // The name is hashed, never a path: no way out of the store.
        context(&dir, "x", r#"{"Host":"unix:///x"}"#, false);
        let err = load(&dir, &format!("../{}", context_id("x"))).unwrap_err();
        assert!(err.to_string().contains("not found"), "{err}");
        // A context whose name inside differs from the directory's is not found by that name
        // (the CLI reads by digest only).
        put(
            &dir,
            "0a",
            br#"{"Name":"byname","Endpoints":{"docker":{"Host":"unix:///x"}}}"#,
            false,
        );
        assert!(load(&dir, "byname").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Selecting `good` reads `good` only: other contexts' broken files, wherever they sort in
    /// the directory (before and after it, by name and by creation), change nothing.
    #[test]
    fn another_broken_context_changes_nothing() {
        let broken: [&[u8]; 6] = [
            b"{not json",
            b"",
            b"\xff\xfe\x00",
            br#"{"Name":"good","Endpoints":{"docker":{"Host":5}}}"#,
            br#"{"Name":"good","Endpoints":{"docker":{"Host":"tcp://u:S3CRET@h:1"}}}"#,
            br#"{"Name":"good","Endpoints":{"docker":{"Host":"tcp://bad host:1"}}}"#,
        ];
        let good = r#"{"Host":"tcp://good.example:2376","SkipTLSVerify":false}"#;
        // The broken ones under ids that sort first and last, created before and after `good`.
        for (order, (before, after)) in [(["00", "0"], ["ff", "zz"]), (["ff", "zz"], ["00", "0"])]
            .into_iter()
            .enumerate()
        {
            let dir = config(&format!("broken-{order}"), Some("good"));
            for (i, bytes) in broken.iter().enumerate() {
                put(&dir, &format!("{}{i}", before[0]), bytes, false);
                put(&dir, &format!("{}{i}", before[1]), bytes, false);
            }
            std::fs::create_dir_all(dir.join("contexts/meta/0000/meta.json")).unwrap();
            context(&dir, "good", good, false);
            for (i, bytes) in broken.iter().enumerate() {
                put(&dir, &format!("{}{i}", after[0]), bytes, false);
                put(&dir, &format!("{}{i}", after[1]), bytes, false);
            }
            let name = selected(&dir, &no_env).unwrap().unwrap();
            let ctx = load(&dir, &name).unwrap();
            assert_eq!(ctx.endpoint.to_string(), "tcp://good.example:2376");
            std::fs::remove_dir_all(dir).unwrap();
        }
    }

    /// The selected context's own broken meta.json: an error that says where, not what.
    #[test]
    fn a_broken_selected_context_is_an_error_without_its_contents() {
        let dir = config("own", None);
        for (meta, why) in [
            (
                &br#"{"Endpoints":{"docker":{"Host":"tcp://h:1","SkipTLSVerify":"S3CRET"}}}"#[..],
                "a value of the wrong type at line 1, column 67",
            ),
            (
                br#"{"Endpoints":{"docker":{"Host":["S3CRET"]}}}"#,
                "a value of the wrong type at line 1, column 31",
            ),
            (
                br#"{"Endpoints":{"docker":{"Host":"S3CRET"#,
                "truncated JSON at line 1, column 38",
            ),
            (br#"{"Endpoints":S3CRET}"#, "not valid JSON at line 1, column 14"),
            (
                br#"{"Endpoints":{"docker":{"Host":"tcp://u:S3CRET@h:1"}}}"#,
                "`tcp://***@h:1`: credentials",
            ),
            (b"", "truncated JSON at line 1, column 0"),
        ] {
            put(&dir, &context_id("own"), meta, false);
            let err = load(&dir, "own").unwrap_err();
            let shown = err.to_string();
            assert!(matches!(&err, Error::Config(_)), "{err:?}");
            assert!(
                shown.contains("context `own`") && shown.contains(why),
                "{shown}\n{why}"
            );
            assert!(
                !shown.contains("S3CRET") && !format!("{err:?}").contains("S3CRET"),
                "{shown}"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
