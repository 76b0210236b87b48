//! The built client's files (`/pkg/…`) keep their names across releases, so browsers must
//! revalidate them before each use: `Cache-Control: no-cache`, and a bodiless 304 when
//! the file is unchanged.

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::*;
use countersign_service::testing::on_each_backend;

fn get(path: &str, if_modified_since: Option<&str>) -> Request<Body> {
    let mut req = Request::builder().uri(path).header(header::HOST, HOST);
    if let Some(since) = if_modified_since {
        req = req.header(header::IF_MODIFIED_SINCE, since);
    }
    req.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn client_files_are_revalidated_before_each_use() {
    on_each_backend(|_, url| async move {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        std::fs::write(site.path().join("pkg/chunk_7.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let app = TestApp::with_site_root(&url, site.path().to_str().unwrap()).await;

        let first = app.send(get("/pkg/chunk_7.wasm", None)).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(first.headers[header::CACHE_CONTROL], "no-cache");
        let modified = first.headers[header::LAST_MODIFIED]
            .to_str()
            .unwrap()
            .to_owned();

        let again = app.send(get("/pkg/chunk_7.wasm", Some(&modified))).await;
        assert_eq!(
            again.status,
            StatusCode::NOT_MODIFIED,
            "unchanged: no body sent again"
        );
        assert_eq!(again.headers[header::CACHE_CONTROL], "no-cache");
        assert!(again.body.is_empty());

        let missing = app.send(get("/pkg/chunk_8.wasm", None)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let page = app.send(get("/login", None)).await;
        assert_ne!(
            page.headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-cache"),
            "pages are not client files"
        );
    })
    .await;
}
