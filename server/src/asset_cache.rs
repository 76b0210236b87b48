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

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// The site's built client assets live under this path.
pub const PKG_PREFIX: &str = "/pkg/";

/// The files of `<site_root>/pkg`, with conditional GETs, ranges and any precompressed
/// `.br`/`.gz` siblings.
pub fn pkg_files(site_root: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(Path::new(site_root).join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
}

pub async fn revalidate_pkg(req: Request, next: Next) -> Response {
    let is_pkg = req.uri().path().starts_with(PKG_PREFIX);
    let mut res = next.run(req).await;
    if is_pkg {
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-cache"));
    }
    res
}
