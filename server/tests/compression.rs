//! Responses are compressed where it is safe: the API's JSON and static assets, never
//! HTML pages (BREACH).

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use common::*;
use countersign_service::testing::on_each_backend;

fn get(path: &str, encoding: &str) -> Request<Body> {
    Request::builder()
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT_ENCODING, encoding)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn json_is_compressed_and_html_is_not() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let doc = app.send(get("/api/v1/openapi.json", "br, gzip")).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.headers[header::CONTENT_ENCODING], "br");
        let gz = app.send(get("/api/v1/openapi.json", "gzip")).await;
        assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
        let page = app.send(get("/login", "br, gzip")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.headers.get(header::CONTENT_ENCODING).is_none(),
            "HTML is never compressed"
        );
    })
    .await;
}
