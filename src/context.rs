//! Docker CLI contexts: named endpoints in the CLI's configuration directory (`DOCKER_CONFIG`,
//! default `~/.docker`).
//!
//! The store, as the CLI writes it: `contexts/meta/<id>/meta.json` holds
//! `{"Name": ..., "Endpoints": {"docker": {"Host": ..., "SkipTLSVerify": ...}}}`, and
//! `contexts/tls/<id>/docker/` the endpoint's `ca.pem`, `cert.pem`, `key.pem`. (`<id>` is a
//! digest of the name; contexts are found by the name inside, so no digest is needed here.)

use crate::error::{Error, Result};
use crate::tls::TlsConfig;
use crate::transport::Endpoint;
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

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Endpoints", default)]
    endpoints: std::collections::HashMap<String, Option<MetaEndpoint>>,
}

#[derive(Deserialize)]
struct MetaEndpoint {
    #[serde(rename = "Host")]
    host: Option<String>,
    #[serde(rename = "SkipTLSVerify", default)]
    skip_tls_verify: bool,
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
                Ok(bytes) => serde_json::from_slice::<CliConfig>(&bytes)
                    .map_err(|e| Error::Config(format!("{}: {e}", path.display())))?
                    .current_context
                    .filter(|c| !c.is_empty()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::Config(format!("{}: {e}", path.display()))),
            }
        }
    };
    Ok(name.filter(|n| n != DEFAULT_CONTEXT))
}

/// The Docker endpoint of the context `name` in the store under `dir`.
pub(crate) fn load(dir: &Path, name: &str) -> Result<ContextEndpoint> {
    let meta_root = dir.join("contexts").join("meta");
    let not_found = || Error::Config(format!("context `{name}` not found in {}", meta_root.display()));
    let entries = match std::fs::read_dir(&meta_root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(not_found()),
        Err(e) => return Err(Error::Config(format!("{}: {e}", meta_root.display()))),
    };
    for entry in entries.flatten() {
        let path = entry.path().join("meta.json");
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let meta: Meta =
            serde_json::from_slice(&bytes).map_err(|e| Error::Config(format!("{}: {e}", path.display())))?;
        if meta.name != name {
            continue;
        }
        let docker = meta.endpoints.get("docker").and_then(Option::as_ref);
        let host = docker.and_then(|d| d.host.as_deref()).ok_or_else(|| {
            Error::Config(format!(
                "context `{name}` has no Docker endpoint ({})",
                path.display()
            ))
        })?;
        let endpoint = Endpoint::parse(host).map_err(|e| Error::Config(format!("context `{name}`: {e}")))?;
        let tls_dir = dir
            .join("contexts")
            .join("tls")
            .join(entry.file_name())
            .join("docker");
        let skip_verify = docker.is_some_and(|d| d.skip_tls_verify);
        // The CLI talks TLS to a context's tcp:// endpoint when it has TLS material or skips
        // verification.
        let tls =
            (tls_dir.is_dir() || skip_verify).then(|| TlsConfig::from_dir(tls_dir).verify(!skip_verify));
        return Ok(ContextEndpoint { endpoint, tls });
    }
    Err(not_found())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CLI configuration directory with `contexts` as (name, id, meta.json endpoint, tls).
    fn store(tag: &str, current: Option<&str>, contexts: &[(&str, &str, &str, bool)]) -> PathBuf {
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
        for (name, id, endpoint, tls) in contexts {
            let meta = dir.join("contexts/meta").join(id);
            std::fs::create_dir_all(&meta).unwrap();
            let json = format!(r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{endpoint}}}}}"#);
            std::fs::write(meta.join("meta.json"), json).unwrap();
            if *tls {
                std::fs::create_dir_all(dir.join("contexts/tls").join(id).join("docker")).unwrap();
            }
        }
        dir
    }

    fn no_env(_: &str) -> Result<Option<String>> {
        Ok(None)
    }

    #[test]
    fn the_selected_context() {
        let dir = store("selected", Some("remote"), &[]);
        assert_eq!(selected(&dir, &no_env).unwrap().as_deref(), Some("remote"));
        let env = |n: &str| Ok((n == "DOCKER_CONTEXT").then(|| "other".to_string()));
        assert_eq!(
            selected(&dir, &env).unwrap().as_deref(),
            Some("other"),
            "DOCKER_CONTEXT first"
        );
        let env = |n: &str| Ok((n == "DOCKER_CONTEXT").then(|| DEFAULT_CONTEXT.to_string()));
        assert_eq!(selected(&dir, &env).unwrap(), None);
        let empty = store("empty", None, &[]);
        assert_eq!(
            selected(&empty, &no_env).unwrap(),
            None,
            "no config.json: default"
        );
        std::fs::write(empty.join("config.json"), "{not json").unwrap();
        assert!(matches!(selected(&empty, &no_env), Err(Error::Config(m)) if m.contains("config.json")));
        for d in [dir, empty] {
            std::fs::remove_dir_all(d).unwrap();
        }
    }

    #[test]
    fn contexts_are_found_by_name() {
        let dir = store(
            "load",
            None,
            &[
                (
                    "plain",
                    "a1",
                    r#"{"Host":"unix:///run/other.sock","SkipTLSVerify":false}"#,
                    false,
                ),
                (
                    "remote",
                    "b2",
                    r#"{"Host":"tcp://docker.example:2376","SkipTLSVerify":false}"#,
                    true,
                ),
                (
                    "insecure",
                    "c3",
                    r#"{"Host":"tcp://h:2376","SkipTLSVerify":true}"#,
                    false,
                ),
                ("nodocker", "d4", r#"null"#, false),
            ],
        );
        let plain = load(&dir, "plain").unwrap();
        assert_eq!(plain.endpoint, Endpoint::Unix("/run/other.sock".into()));
        assert_eq!(plain.tls, None);
        let remote = load(&dir, "remote").unwrap();
        assert_eq!(remote.endpoint.to_string(), "tcp://docker.example:2376");
        let tls = remote.tls.expect("TLS material");
        assert!(
            tls.verifies() && tls.dir().ends_with("contexts/tls/b2/docker"),
            "{tls:?}"
        );
        assert!(!load(&dir, "insecure").unwrap().tls.unwrap().verifies());
        let err = load(&dir, "nodocker").unwrap_err();
        assert!(err.to_string().contains("no Docker endpoint"), "{err}");
        let err = load(&dir, "missing").unwrap_err();
        assert!(err.to_string().contains("context `missing` not found"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
