//! Cache rules for the built client (`/pkg/…`: the wasm entry module, its lazily loaded
//! chunks, the JS glue and the stylesheet). Their names do not change between releases
//! (`countersign.wasm`, `chunk_17.wasm`), and an entry module from one release with chunks
//! or a page from another fails to hydrate. So a browser may keep them but must ask before
//! each use (`no-cache`); the answer is a `304 Not Modified` without a body whenever the
//! file is unchanged. Without a header, browsers cache heuristically and can use a stale
//! module after an upgrade.
//!
//! `/pkg` is served here rather than by leptos_axum's fallback file handler: that one
//! passes only `Accept-Encoding` on to the file server, so `If-Modified-Since` was
//! dropped and every revalidation sent the whole file again.

use std::path::Path;

use axum::http::{HeaderValue, header};
use tower::Layer;
use tower_http::{
    services::ServeDir,
    set_header::{SetResponseHeader, SetResponseHeaderLayer},
};

/// The files of `<site_root>/pkg` (conditional GETs, ranges, any precompressed `.br`/`.gz`
/// siblings), each answer marked `Cache-Control: no-cache`.
pub fn pkg_files(site_root: &str) -> SetResponseHeader<ServeDir, HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
    .layer(
        ServeDir::new(Path::new(site_root).join("pkg"))
            .precompressed_br()
            .precompressed_gzip(),
    )
}
