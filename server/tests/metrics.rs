//! `/metrics` after real traffic: request latency by route, queue depth by stakes,
//! submissions, decisions by verdict and time to decision; loopback or token only.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;

/// Fetches `/metrics` over real TCP from a loopback address.
async fn scrape(base: &str, token: Option<&str>) -> (u16, String) {
    let (base, token) = (base.to_owned(), token.map(str::to_owned));
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut req = agent.get(format!("{base}/metrics"));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let mut r = req.call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    })
    .await
    .unwrap()
}

fn value(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_after_traffic_and_who_may_read_them() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let base = app.listen().await;
        let bot = app.agent("bot", None).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let decided = submit(&app, &bot, "decided").await;
        submit(&app, &bot, "still pending").await;
        assert_eq!(decide(&app, &rita, "rita", decided, "approve", "ok").await.status, StatusCode::OK);

        let (status, body) = scrape(&base, None).await;
        assert_eq!(status, 200, "loopback may scrape");
        // change_body submits at medium stakes: one of the two is still pending.
        assert_eq!(value(&body, "countersign_queue_depth{stakes=\"medium\"}"), Some(1.0), "{body}");
        assert_eq!(value(&body, "countersign_queue_depth{stakes=\"low\"}"), Some(0.0));
        assert!(value(&body, "countersign_decisions_total{verdict=\"approve\"}").is_some_and(|n| n >= 1.0));
        assert!(value(&body, "countersign_changes_submitted_total").is_some_and(|n| n >= 2.0));
        assert!(body.contains("countersign_time_to_decision_seconds_bucket"));
        assert!(body.contains("http_request_duration_seconds_bucket{route=\"/api/v1/changes\",method=\"POST\",status=\"201\""), "latency by route pattern");
        assert!(!body.contains(&format!("/api/v1/changes/{decided}")), "raw paths never become labels");

        // From elsewhere, without a token: not found.
        assert_eq!(app.get("/metrics", &As::Nobody).await.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_token_is_required_even_on_loopback() {
    on_each_backend(|_, url| async move {
        let app = TestApp::with_metrics_token(&url, "scrape-secret").await;
        let base = app.listen().await;
        assert_eq!(scrape(&base, None).await.0, 404);
        assert_eq!(scrape(&base, Some("wrong")).await.0, 404);
        let (status, body) = scrape(&base, Some("scrape-secret")).await;
        assert_eq!(status, 200);
        assert!(body.contains("countersign_queue_depth"));
    })
    .await;
}
