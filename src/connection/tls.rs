//! TLS to a `tcp://` daemon, configured as the docker CLI and the Go SDK do: a directory
//! (`DOCKER_CERT_PATH`, default `~/.docker`) with `ca.pem`, `cert.pem` and `key.pem`, and
//! `DOCKER_TLS_VERIFY` deciding whether the daemon's certificate is checked.
//!
//! The TLS itself is rustls with the ring provider, behind the `tls` feature.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// TLS settings of a connection.
///
/// ```no_run
/// # async fn demo() -> Result<(), docker_engine_api::Error> {
/// # #[cfg(feature = "tls")] {
/// use docker_engine_api::{DockerBuilder, TlsConfig};
/// let docker = DockerBuilder::default()
///     .host("tcp://docker.example.com:2376")?
///     .tls(TlsConfig::from_dir("/home/me/.docker/remote").verify(true))
///     .connect()
///     .await?;
/// # }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsConfig {
    dir: PathBuf,
    verify: bool,
}

impl TlsConfig {
    /// The certificates in `dir`: `ca.pem` (the authority that signed the daemon's certificate)
    /// and, for client authentication, `cert.pem` with `key.pem`. Files that are missing are
    /// not used. Verification is on.
    pub fn from_dir(dir: impl Into<PathBuf>) -> Self {
        TlsConfig {
            dir: dir.into(),
            verify: true,
        }
    }

    /// Whether the daemon's certificate must be signed by `ca.pem` and name the host
    /// (`DOCKER_TLS_VERIFY`). Off, any certificate is accepted: the connection is encrypted but
    /// not authenticated, as with the Go SDK when only `DOCKER_CERT_PATH` is set.
    pub fn verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// The directory the certificates are read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the daemon's certificate is verified.
    pub fn verifies(&self) -> bool {
        self.verify
    }

    /// From `DOCKER_TLS_VERIFY`, `DOCKER_TLS` and `DOCKER_CERT_PATH` (each counts when not
    /// empty): TLS when any of them is set, verified when `DOCKER_TLS_VERIFY` is.
    pub(crate) fn from_env(var: impl Fn(&str) -> Result<Option<String>>) -> Result<Option<Self>> {
        let verify = var("DOCKER_TLS_VERIFY")?.is_some();
        let tls = var("DOCKER_TLS")?.is_some();
        let dir = var("DOCKER_CERT_PATH")?;
        if !(verify || tls || dir.is_some()) {
            return Ok(None);
        }
        let dir = match dir {
            Some(d) => PathBuf::from(d),
            None => std::env::home_dir().map(|h| h.join(".docker")).ok_or_else(|| {
                Error::Config("DOCKER_CERT_PATH is not set and there is no home directory".into())
            })?,
        };
        Ok(Some(TlsConfig { dir, verify }))
    }
}

#[cfg(feature = "tls")]
mod rustls_config {
    use super::TlsConfig;
    use crate::error::{Error, Result};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::WebPkiSupportedAlgorithms;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};
    use std::sync::Arc;

    impl TlsConfig {
        /// The rustls configuration: roots from `ca.pem`, the client certificate if present.
        pub(crate) fn client_config(&self) -> Result<rustls::ClientConfig> {
            let bad = |what: &str, e: &dyn std::fmt::Display| {
                Error::Config(format!("TLS: {what} in {}: {e}", self.dir.display()))
            };
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|e| bad("protocol versions", &e))?;
            let ca = self.dir.join("ca.pem");
            let builder = if self.verify {
                if !ca.exists() {
                    return Err(Error::Config(format!(
                        "TLS verification needs the daemon's certificate authority: {} does not exist",
                        ca.display()
                    )));
                }
                let mut roots = rustls::RootCertStore::empty();
                for cert in CertificateDer::pem_file_iter(&ca).map_err(|e| bad("ca.pem", &e))? {
                    let cert = cert.map_err(|e| bad("ca.pem", &e))?;
                    roots.add(cert).map_err(|e| bad("ca.pem", &e))?;
                }
                if roots.is_empty() {
                    return Err(bad("ca.pem", &"no certificate"));
                }
                builder.with_root_certificates(roots)
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(AnyCertificate(
                        provider.signature_verification_algorithms,
                    )))
            };
            let (cert, key) = (self.dir.join("cert.pem"), self.dir.join("key.pem"));
            if cert.exists() && key.exists() {
                let chain = CertificateDer::pem_file_iter(&cert)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| bad("cert.pem", &e))?;
                let key = PrivateKeyDer::from_pem_file(&key).map_err(|e| bad("key.pem", &e))?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| bad("cert.pem and key.pem", &e))
            } else {
                Ok(builder.with_no_client_auth())
            }
        }
    }

    /// Accepts any server certificate (verification off), while still checking that the
    /// handshake is signed by the key of the certificate presented.
    #[derive(Debug)]
    struct AnyCertificate(WebPkiSupportedAlgorithms);

    impl ServerCertVerifier for AnyCertificate {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp_response: &[u8],
            _now: UnixTime,
        ) -> std::result::Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.supported_schemes()
        }
    }

    /// The rustls error in a chain of sources, if any. (`io::Error::source` skips the error it
    /// wraps, and hyper wraps rustls's errors in two of them, so wrapped errors are searched.)
    pub(crate) fn tls_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(found) = tls_error(inner)
        {
            return Some(found);
        }
        e.source().and_then(tls_error)
    }

    /// The configuration of a client that talks no TLS: reqwest with rustls but no default
    /// provider needs one all the same (it would panic building the client).
    pub(crate) fn unused_client_config() -> rustls::ClientConfig {
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions")
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    }
}

#[cfg(feature = "tls")]
pub(crate) use rustls_config::{tls_error, unused_client_config};

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&str, &str)]) -> impl Fn(&str) -> Result<Option<String>> + 'a {
        move |name| Ok(vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn environment_as_the_go_sdk_reads_it() {
        assert_eq!(TlsConfig::from_env(env(&[])).unwrap(), None);
        let c = TlsConfig::from_env(env(&[("DOCKER_CERT_PATH", "/certs")]))
            .unwrap()
            .unwrap();
        assert_eq!((c.dir(), c.verifies()), (Path::new("/certs"), false));
        let c = TlsConfig::from_env(env(&[("DOCKER_CERT_PATH", "/certs"), ("DOCKER_TLS_VERIFY", "1")]))
            .unwrap()
            .unwrap();
        assert!(c.verifies());
        let c = TlsConfig::from_env(env(&[("DOCKER_TLS_VERIFY", "1")]))
            .unwrap()
            .unwrap();
        assert!(c.dir().ends_with(".docker") && c.verifies(), "{c:?}");
        let c = TlsConfig::from_env(env(&[("DOCKER_TLS", "1")])).unwrap().unwrap();
        assert!(!c.verifies());
    }

    #[cfg(feature = "tls")]
    #[test]
    fn verification_needs_a_ca() {
        let dir = std::env::temp_dir().join(format!("no-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = TlsConfig::from_dir(&dir).client_config().unwrap_err();
        assert!(err.to_string().contains("ca.pem does not exist"), "{err}");
        std::fs::write(dir.join("ca.pem"), "not a certificate").unwrap();
        let err = TlsConfig::from_dir(&dir).client_config().unwrap_err();
        assert!(err.to_string().contains("ca.pem"), "{err}");
        // Without verification nothing is required.
        assert!(TlsConfig::from_dir(&dir).verify(false).client_config().is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
