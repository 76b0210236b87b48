//! Brotli or gzip for the big static assets (the hydrate wasm, its JS glue, the CSS) and
//! the agent API's JSON — never for HTML pages: a page can hold a secret shown once (a new
//! agent token) next to text others control, the shape BREACH-style attacks need.

use tower_http::compression::{
    CompressionLayer,
    predicate::{NotForContentType, Predicate, SizeAbove},
};

/// What is compressed: anything over 1 KB that is not HTML (nor already compressed media).
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().gzip(true).br(true).compress_when(
        SizeAbove::new(1024)
            .and(NotForContentType::new("text/html"))
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::SSE),
    )
}
