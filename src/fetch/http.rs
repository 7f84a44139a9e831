//! Blocking HTTP GETs (ureq over rustls: no system OpenSSL), reporting bytes as they arrive.

use std::io::Read;
use std::time::Duration;

use ureq::Agent;

/// What the server answered.
#[derive(Debug)]
pub enum Response {
    Body(Vec<u8>),
    /// 404: the archive does not hold the file.
    NotFound,
    /// Any other non-success status.
    Status(u16),
}

/// The request never got an HTTP answer (no route, refused, DNS, TLS, timeout, cut mid-body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable(pub String);

/// A body larger than this is refused: the largest archive zips (a month of 1m klines) are a few MB.
const MAX_BODY_BYTES: u64 = 1 << 30;

#[derive(Debug)]
pub struct Http {
    agent: Agent,
    base_url: String,
}

impl Http {
    pub fn new(base_url: &str) -> Self {
        let config = Agent::config_builder()
            // 404 and 5xx are answers to act on, not transport errors.
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(20)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .user_agent(concat!("wick/", env!("CARGO_PKG_VERSION")))
            .build();
        Http {
            agent: config.into(),
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path)
    }

    /// GET `<base>/<path>`, calling `on_bytes` with each chunk's size as the body arrives.
    pub fn get(&self, path: &str, on_bytes: &mut dyn FnMut(u64)) -> Result<Response, Unreachable> {
        let mut response = self.agent.get(&self.url(path)).call().map_err(describe)?;
        let status = response.status().as_u16();
        if status == 404 {
            return Ok(Response::NotFound);
        }
        if !(200..300).contains(&status) {
            return Ok(Response::Status(status));
        }
        let mut reader = response.body_mut().as_reader().take(MAX_BODY_BYTES + 1);
        let mut body = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = reader
                .read(&mut chunk)
                .map_err(|e| Unreachable(format!("download cut off: {e}")))?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
            on_bytes(n as u64);
        }
        if body.len() as u64 > MAX_BODY_BYTES {
            return Ok(Response::Status(413));
        }
        Ok(Response::Body(body))
    }
}

/// A short reason, for a one-line message.
fn describe(err: ureq::Error) -> Unreachable {
    let reason = match err {
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::Timeout(t) => format!("timed out: {t}"),
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
            _ => e.to_string(),
        },
        other => other.to_string(),
    };
    Unreachable(reason)
}
