//! Webhooks on both backends: registration over the API (the secret shown once, only for
//! agents), a receiver on loopback that fails the first attempt and accepts the retry,
//! each delivery's Standard Webhooks signature checked with the secret, a receiver that
//! never answers given up after the last backoff, and the admins' log with replay.

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Bytes,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use common::*;
use countersign_core::{Role, webhook};
use countersign_service::{testing::on_each_backend, webhooks};
use serde_json::json;

type Seen = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A receiver that answers 500 to the first `fail` requests, then 204; returns its URL.
async fn receiver(fail: usize) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            async move {
                let mut l = log.lock().unwrap();
                l.push((headers, body));
                if l.len() <= fail {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_deliveries_retry_give_up_and_replay() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let mut svc = app.services.clone();
        svc.webhook_backoff = Arc::new(vec![Duration::from_millis(50)]);
        let bot = app.agent("bot", None).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let (hook_url, seen) = receiver(1).await;

        // Only agents register; bad URLs are refused; the secret comes back once.
        for who in [As::Nobody, rita.clone()] {
            let r = app
                .post_json("/api/v1/webhooks", &who, &json!({"url": hook_url}))
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let bad = app
            .post_json(
                "/api/v1/webhooks",
                &bot,
                &json!({"url": "ftp://example.com/x"}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let created = app
            .post_json("/api/v1/webhooks", &bot, &json!({"url": hook_url}))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let secret = created.json()["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("whsec_"));
        let listed = app.get("/api/v1/webhooks", &bot).await;
        assert!(
            !listed.body.contains(&secret),
            "listing never shows the secret"
        );

        let id = submit(&app, &bot, "hooked").await;
        assert_eq!(
            decide(&app, &rita, "rita", id, "approve", "ok")
                .await
                .status,
            StatusCode::OK
        );
        // First attempt: the receiver fails; after the backoff the retry is accepted.
        assert_eq!(webhooks::deliver_due(&svc).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(webhooks::deliver_due(&svc).await.unwrap(), 1);
        let got = seen.lock().unwrap().clone();
        assert_eq!(got.len(), 2);
        for (headers, body) in &got {
            let h = |k: &str| headers[k].to_str().unwrap().to_owned();
            let ts: i64 = h("webhook-timestamp").parse().unwrap();
            assert!(webhook::verify(
                &secret,
                &h("webhook-id"),
                ts,
                body,
                &h("webhook-signature"),
                chrono::Utc::now().timestamp()
            ));
            assert!(!webhook::verify(
                "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                &h("webhook-id"),
                ts,
                body,
                &h("webhook-signature"),
                ts
            ));
        }
        assert_eq!(
            got[0].0["webhook-id"], got[1].0["webhook-id"],
            "a retry is the same message"
        );
        let event: serde_json::Value = serde_json::from_slice(&got[1].1).unwrap();
        assert_eq!(
            (event["type"].as_str(), event["data"]["id"].as_i64()),
            (Some("change.approved"), Some(id))
        );

        // A change withdrawn while the receiver is down for good: given up after the last wait.
        let (down_url, down_seen) = receiver(usize::MAX).await;
        app.post_json("/api/v1/webhooks", &bot, &json!({"url": down_url}))
            .await;
        let gone = submit(&app, &bot, "withdrawn").await;
        app.post_json(
            &format!("/api/v1/changes/{gone}/withdraw"),
            &bot,
            &json!({}),
        )
        .await;
        for _ in 0..2 {
            webhooks::deliver_due(&svc).await.unwrap();
            tokio::time::sleep(Duration::from_millis(80)).await;
        }
        let log = svc.store.deliveries(50).await.unwrap();
        let failed = log.iter().find(|d| d.url == down_url).unwrap();
        assert_eq!(
            (failed.state.as_str(), failed.attempts, failed.last_status),
            ("failed", 2, Some(500))
        );
        assert_eq!(down_seen.lock().unwrap().len(), 2);
        let done = log
            .iter()
            .find(|d| d.url == hook_url && d.event == "change.approved")
            .unwrap();
        assert_eq!((done.state.as_str(), done.attempts), ("delivered", 2));

        // The admins' log and replay: the role matrix, then the replay is sent again.
        let admin = app.person("adam", &[Role::Admin]).await;
        let aude = app.person("aude", &[Role::Auditor]).await;
        let listed = app.call::<app::api::WebhookDeliveries>(&aude, &[]).await;
        assert_eq!(listed.status, StatusCode::OK);
        let fid = failed.id.to_string();
        let calls: Vec<Call> = vec![(
            <app::api::ReplayDelivery as leptos::server_fn::ServerFn>::PATH,
            vec![("delivery_id", fid.as_str())],
        )];
        role_matrix(
            &app,
            &calls,
            &[
                (As::Nobody, StatusCode::UNAUTHORIZED),
                (bot.clone(), StatusCode::UNAUTHORIZED),
                (rita.clone(), StatusCode::FORBIDDEN),
                (aude.clone(), StatusCode::FORBIDDEN),
            ],
        )
        .await;
        assert_eq!(
            svc.store
                .deliveries(50)
                .await
                .unwrap()
                .iter()
                .find(|d| d.id == failed.id)
                .unwrap()
                .state,
            "failed"
        );
        role_matrix(&app, &calls, &[(admin, StatusCode::OK)]).await;
        webhooks::deliver_due(&svc).await.unwrap();
        assert_eq!(down_seen.lock().unwrap().len(), 3, "replayed");
    })
    .await;
}
