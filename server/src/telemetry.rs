//! Logging and request ids.
//!
//! Logs go to stderr, human-readable by default or one JSON object per line with
//! `--log-format json`, filtered by `RUST_LOG`. Every request gets an `x-request-id` (the
//! caller's, when it sends one of sane length, else a fresh random one); it is echoed on the
//! response and recorded on the request's tracing span, so every log line of a request
//! carries it.

use axum::http::{HeaderName, HeaderValue, Request};
use rand::RngCore;
use tower_http::{
    request_id::{MakeRequestId, RequestId},
    trace::TraceLayer,
};

/// How logs are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

pub fn init(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// 96 random bits, hex: unique enough to find one request in the logs.
#[derive(Clone, Copy, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _req: &Request<B>) -> Option<RequestId> {
        let mut bytes = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        HeaderValue::from_str(&hex::encode(bytes))
            .ok()
            .map(RequestId::new)
    }
}

/// Drops a caller-supplied id that is empty, too long or not visible ASCII, so the
/// generator replaces it (logs and responses carry only ids we can print safely).
pub fn sanitize_request_id<B>(mut req: Request<B>) -> Request<B> {
    let bad = req.headers().get(&REQUEST_ID).is_some_and(|v| {
        v.is_empty() || v.len() > 128 || !v.as_bytes().iter().all(|b| b.is_ascii_graphic())
    });
    if bad {
        req.headers_mut().remove(&REQUEST_ID);
    }
    req
}

/// A tracing layer whose span names the method, path and request id.
pub fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&Request<axum::body::Body>) -> tracing::Span + Clone,
> {
    TraceLayer::new_for_http().make_span_with(|req: &Request<axum::body::Body>| {
        let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
    })
}
