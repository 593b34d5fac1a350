//! Turning the generated code's errors into [`Error`].

use crate::error::{Error, Result};
use crate::transport::{Endpoint, transport_error};
use progenitor_client::Error as GenError;
use std::any::Any;

/// Maps a generated-code error. `Err(Ok(value))` means "not an error": a `304 Not Modified`
/// of an operation without a body.
pub(crate) async fn map_error<T: 'static, E: serde::Serialize>(
    endpoint: &Endpoint,
    e: GenError<E>,
) -> std::result::Result<Error, Result<T>> {
    Ok(match e {
        GenError::ErrorResponse(rv) => {
            let status = rv.status().as_u16();
            let body = serde_json::to_value(rv.into_inner()).unwrap_or_default();
            let message = body.get("message").and_then(|m| m.as_str()).map(str::to_string);
            Error::Daemon {
                status,
                message: message.unwrap_or_else(|| body.to_string()),
            }
        }
        GenError::UnexpectedResponse(resp) if resp.status().as_u16() == 304 => {
            // Start/stop/restart of a container already in that state. Only bodiless
            // operations document 304; their success value is `()`.
            let unit: Box<dyn Any> = Box::new(());
            return match unit.downcast::<T>() {
                Ok(v) => Err(Ok(*v)),
                Err(_) => Ok(Error::Daemon {
                    status: 304,
                    message: "not modified".into(),
                }),
            };
        }
        GenError::UnexpectedResponse(resp) => daemon_error(endpoint, resp).await,
        GenError::InvalidResponsePayload(body, e) => Error::decode(&body, &e),
        GenError::CommunicationError(e) | GenError::ResponseBodyError(e) | GenError::InvalidUpgrade(e) => {
            transport_error(endpoint, e)
        }
        GenError::InvalidRequest(m) | GenError::Custom(m) => Error::Config(m),
    })
}

/// The error of a non-success response: the daemon's JSON `message`, or the body as text.
pub(crate) async fn daemon_error(endpoint: &Endpoint, resp: reqwest::Response) -> Error {
    let status = resp.status().as_u16();
    let body = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => return transport_error(endpoint, e),
    };
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
        .unwrap_or_else(|| String::from_utf8_lossy(&body).trim().to_string());
    Error::Daemon { status, message }
}
