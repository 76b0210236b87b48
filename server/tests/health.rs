//! `/healthz` and `/readyz` on both backends, including a database that was never migrated.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_service::{Services, store, testing::on_each_backend};
use server::{AppState, config::HttpConfig, router::leptos_options, sessions::AnySessionStore};

#[tokio::test]
async fn a_migrated_instance_is_live_and_ready() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let live = app.get("/healthz", &As::Nobody).await;
        assert_eq!(live.status, StatusCode::OK);
        let ready = app.get("/readyz", &As::Nobody).await;
        assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
        let j = ready.json();
        assert_eq!(j["status"], "ready");
        assert_eq!(j["migrations"]["applied"], j["migrations"]["known"]);
        assert!(j["migrations"]["known"].as_u64().unwrap() >= 4);
    })
    .await;
}

#[tokio::test]
async fn an_unmigrated_database_is_live_but_not_ready() {
    on_each_backend(|_, url| async move {
        let store = store::connect(&url).await.unwrap();
        let services = Services::new(store, "http://127.0.0.1:3000".into());
        let sessions = AnySessionStore::open(&url).await.unwrap();
        let http = HttpConfig {
            secure_cookies: false,
            max_body_bytes: MAX_BODY,
            site_root: "target/site".into(),
            metrics_token: None,
        };
        let state = AppState {
            leptos_options: leptos_options("target/site"),
            services: services.clone(),
        };
        let app = TestApp {
            router: server::app(state, sessions, &http),
            services,
        };
        assert_eq!(
            app.get("/healthz", &As::Nobody).await.status,
            StatusCode::OK
        );
        let ready = app.get("/readyz", &As::Nobody).await;
        assert_eq!(
            ready.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            ready.body
        );
        assert_eq!(ready.json()["migrations"]["applied"], 0);
        assert!(
            ready.json()["reason"]
                .as_str()
                .unwrap()
                .contains("countersign migrate")
        );
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let a = app.get("/healthz", &As::Nobody).await;
        let b = app.get("/api/v1/changes", &As::Nobody).await;
        let (ida, idb) = (
            a.headers["x-request-id"].to_str().unwrap(),
            b.headers["x-request-id"].to_str().unwrap(),
        );
        assert_eq!(ida.len(), 24);
        assert_ne!(ida, idb, "a fresh id per request, errors included");
        let send = |id: &'static str| {
            let req = axum::http::Request::get("/healthz")
                .header("host", HOST)
                .header("x-request-id", id);
            app.send(req.body(axum::body::Body::empty()).unwrap())
        };
        assert_eq!(
            send("ci-run-42/step-7").await.headers["x-request-id"],
            "ci-run-42/step-7",
            "a caller's id is kept"
        );
        let long = send(Box::leak("x".repeat(500).into_boxed_str())).await;
        assert_eq!(
            long.headers["x-request-id"].len(),
            24,
            "an unreasonable one is replaced"
        );
    })
    .await;
}

#[test]
fn the_database_url_never_appears_in_help_or_debug_output() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_countersign"))
        .arg("--help")
        .env("COUNTERSIGN_DATABASE_URL", "postgres://u:s3cret@h/db")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--database-url") && !help.contains("s3cret"),
        "{help}"
    );
    let argv = [
        "countersign",
        "--database-url",
        "postgres://u:s3cret@h/db",
        "migrate",
    ];
    let cli = <server::cli::Cli as clap::Parser>::try_parse_from(argv).unwrap();
    let debug = format!("{cli:?}");
    assert!(
        !debug.contains("s3cret") && debug.contains("redacted"),
        "{debug}"
    );
}

/// The database going away under a running instance: still live, no longer ready (and not
/// mistaken for an unmigrated one). On PostgreSQL the database is dropped, its connections
/// with it; on SQLite its directory is replaced by a file, so the database and its WAL are
/// gone. Both answer `503` with "the database does not answer".
#[tokio::test]
async fn readiness_fails_when_the_database_goes_away() {
    on_each_backend(|backend, url| async move {
        let app = TestApp::new(&url).await;
        assert_eq!(app.get("/readyz", &As::Nobody).await.status, StatusCode::OK);
        match backend {
            countersign_service::testing::Backend::Postgres => {
                let (admin, name) = url.rsplit_once('/').unwrap();
                let pool = sqlx::PgPool::connect(&format!("{admin}/postgres"))
                    .await
                    .unwrap();
                sqlx::query(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
                    .execute(&pool)
                    .await
                    .unwrap();
            }
            countersign_service::testing::Backend::Sqlite => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap()
                    .to_owned();
                let dir = std::path::Path::new(&path).parent().unwrap().to_owned();
                // Replace the database's directory with a file: nothing can be opened there.
                std::fs::remove_dir_all(&dir).unwrap();
                std::fs::write(&dir, b"not a directory").unwrap();
            }
        }
        let ready = app.get("/readyz", &As::Nobody).await;
        assert_eq!(
            app.get("/healthz", &As::Nobody).await.status,
            StatusCode::OK
        );
        assert_eq!(
            ready.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            ready.body
        );
        assert_eq!(ready.json()["reason"], "the database does not answer");
        if let Some(path) = url.strip_prefix("sqlite://") {
            let file = std::path::Path::new(path.split('?').next().unwrap())
                .parent()
                .unwrap()
                .to_owned();
            let _ = std::fs::remove_file(file);
        }
    })
    .await;
}
