//! Agent API v1 contract, on SQLite and PostgreSQL: every route, its bad inputs, and
//! idempotency. Status codes and problem documents are what agents program against.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;
use serde_json::json;

async fn count_changes(app: &TestApp, agent: &As) -> usize {
    app.get("/api/v1/changes?status=&limit=200", agent)
        .await
        .json()["changes"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn submit_returns_201_with_id_status_stakes_digest_and_url() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let r = app
            .post_json("/api/v1/changes", &bot, &change_body("Rotate keys"))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let j = r.json();
        let id = j["id"].as_i64().unwrap();
        assert_eq!(j["status"], "pending");
        assert_eq!(j["stakes"], "medium");
        assert_eq!(j["declared_stakes"], "medium");
        assert_eq!(j["progress"], "0 of 1 approvals");
        assert!(j["digest"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(j["digest"].as_str().unwrap().len(), 7 + 64);
        assert_eq!(j["url"], format!("http://127.0.0.1:3000/changes/{id}"));
        assert_eq!(r.headers["location"], format!("/api/v1/changes/{id}"));

        let got = app.get(&format!("/api/v1/changes/{id}"), &bot).await;
        assert_eq!(got.status, StatusCode::OK);
        let g = got.json();
        assert_eq!(
            (g["title"].as_str(), g["digest"].clone()),
            (Some("Rotate keys"), j["digest"].clone())
        );
        assert_eq!(g["labels"]["ticket"], "PAY-1");
        assert_eq!(g["evals"]["passed"], 1);
        assert_eq!(g["decisions"], json!([]));
        // The requirement, why, and how far the change has got.
        assert_eq!(g["requirement"]["approvals"], 1);
        assert_eq!(g["requirement"]["tier"], "medium");
        assert_eq!(
            g["requirement"]["reasons"],
            json!(["the agent declared medium"])
        );
        assert!(
            g["requirement"]["policy"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        assert_eq!(g["progress_detail"]["summary"], "0 of 1 approvals");
        assert_eq!(g["progress_detail"]["outcome"], "pending");
    })
    .await;
}

#[tokio::test]
async fn idempotency_key_replays_and_refuses_a_different_body() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let send = |body: serde_json::Value| {
            let req = axum::http::Request::post("/api/v1/changes")
                .header("host", HOST)
                .header("content-type", "application/json")
                .header("idempotency-key", "run-42")
                .header(
                    "authorization",
                    match &bot {
                        As::Agent(t) => format!("Bearer {t}"),
                        _ => unreachable!(),
                    },
                )
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            app.send(req)
        };
        let first = send(change_body("A")).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let replay = send(change_body("A")).await;
        assert_eq!(
            replay.status,
            StatusCode::OK,
            "a replay is not a new resource"
        );
        assert_eq!(replay.json()["id"], first.json()["id"]);
        let clash = send(change_body("B")).await;
        assert_eq!(clash.status, StatusCode::CONFLICT);
        assert_eq!(clash.headers["content-type"], "application/problem+json");
        assert_eq!(
            count_changes(&app, &bot).await,
            1,
            "the clash stored nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_naming_the_field_and_stores_nothing() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let cases: Vec<(serde_json::Value, StatusCode, &str)> = vec![
            (json!({"repository": "r", "diff": "d"}), StatusCode::UNPROCESSABLE_ENTITY, "/title"),
            (json!({"title": "t", "diff": "d"}), StatusCode::UNPROCESSABLE_ENTITY, "/repository"),
            (json!({"title": "t", "repository": "r"}), StatusCode::UNPROCESSABLE_ENTITY, "/diff"),
            (json!({"title": "t", "repository": "r", "diff": "d", "stakes": "urgent"}), StatusCode::UNPROCESSABLE_ENTITY, "/stakes"),
            (json!({"title": "t", "repository": "r", "diff": "d", "evals": [{"name": "x", "status": "passed"}]}), StatusCode::UNPROCESSABLE_ENTITY, "/evals/0/status"),
            (json!({"title": "t", "repository": "r", "diff": "d", "evals": [{"status": "pass"}]}), StatusCode::UNPROCESSABLE_ENTITY, "/evals/0"),
            (json!({"title": "t", "repository": "r", "diff": "d", "attestations": ["text"]}), StatusCode::UNPROCESSABLE_ENTITY, "/attestations/0"),
            (json!({"title": "t", "repository": "r", "diff": "d", "labels": {"a": 1}}), StatusCode::UNPROCESSABLE_ENTITY, "/labels/a"),
            (json!({"title": 5, "repository": "r", "diff": "d"}), StatusCode::UNPROCESSABLE_ENTITY, "/title"),
        ];
        for (body, status, field) in cases {
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, status, "{body} -> {}", r.body);
            assert_eq!(r.headers["content-type"], "application/problem+json");
            let p = r.json();
            assert_eq!(p["status"], status.as_u16());
            assert!(p["title"].is_string() && p["type"].is_string() && p["detail"].is_string());
            let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
            assert!(fields.contains(&field), "{body}: expected {field} in {fields:?}");
        }
        let malformed = app.post_raw("/api/v1/changes", &bot, "application/json", "{\"title\": ".into()).await;
        assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
        assert_eq!(malformed.json()["type"], "urn:countersign:problem:malformed-json");
        let not_json = app.post_raw("/api/v1/changes", &bot, "text/plain", "hello".into()).await;
        assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let mut huge = change_body("big");
        huge["diff"] = json!("+x\n".repeat(MAX_BODY / 3 + 10));
        let too_big = app.post_json("/api/v1/changes", &bot, &huge).await;
        assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", too_big.body);
        assert_eq!(too_big.headers["content-type"], "application/problem+json");
        assert_eq!(count_changes(&app, &bot).await, 0, "nothing half-written");
    })
    .await;
}

#[tokio::test]
async fn an_agent_sees_only_its_own_changes() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let (a, b) = (app.agent("a", None).await, app.agent("b", None).await);
        let id = submit(&app, &a, "mine").await;
        for path in [
            format!("/api/v1/changes/{id}"),
            format!("/api/v1/changes/{id}/decision"),
        ] {
            let r = app.get(&path, &b).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(r.headers["content-type"], "application/problem+json");
        }
        let w = app
            .post_json(&format!("/api/v1/changes/{id}/withdraw"), &b, &json!({}))
            .await;
        assert_eq!(w.status, StatusCode::NOT_FOUND);
        assert_eq!(count_changes(&app, &b).await, 0);
        assert_eq!(
            app.get("/api/v1/changes/not-a-number", &a).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/api/v1/nothing-here", &a).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn list_pages_newest_first_with_a_cursor_and_filters_by_status() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(submit(&app, &bot, &format!("c{i}")).await);
        }
        app.post_json(
            &format!("/api/v1/changes/{}/withdraw", ids[1]),
            &bot,
            &json!({}),
        )
        .await;
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = app
                .get(&format!("/api/v1/changes?limit=2&cursor={cursor}"), &bot)
                .await
                .json();
            seen.extend(
                page["changes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_i64().unwrap()),
            );
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_owned(),
                None => break,
            }
        }
        ids.reverse();
        assert_eq!(seen, ids);
        let withdrawn = app
            .get("/api/v1/changes?status=withdrawn", &bot)
            .await
            .json();
        assert_eq!(withdrawn["changes"].as_array().unwrap().len(), 1);
        for bad in [
            "?limit=0",
            "?limit=201",
            "?limit=x",
            "?cursor=abc",
            "?status=done",
        ] {
            let r = app.get(&format!("/api/v1/changes{bad}"), &bot).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        }
    })
    .await;
}

#[tokio::test]
async fn withdraw_moves_pending_to_withdrawn_once() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let id = submit(&app, &bot, "w").await;
        let r = app
            .post_json(&format!("/api/v1/changes/{id}/withdraw"), &bot, &json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["status"], "withdrawn");
        let again = app
            .post_json(&format!("/api/v1/changes/{id}/withdraw"), &bot, &json!({}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let waited = app
            .get(&format!("/api/v1/changes/{id}/decision?wait=30"), &bot)
            .await;
        assert_eq!(
            waited.json()["status"],
            "withdrawn",
            "a final status answers at once"
        );
    })
    .await;
}

#[tokio::test]
async fn long_poll_returns_as_soon_as_a_reviewer_decides() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let id = submit(&app, &bot, "deploy").await;

        let pending = app
            .get(&format!("/api/v1/changes/{id}/decision?wait=1"), &bot)
            .await;
        assert_eq!(pending.status, StatusCode::OK);
        assert_eq!(pending.json()["status"], "pending", "the wait ran out");
        for bad in ["61", "-1", "soon"] {
            let r = app
                .get(&format!("/api/v1/changes/{id}/decision?wait={bad}"), &bot)
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "wait={bad}");
        }

        let started = std::time::Instant::now();
        let wait_path = format!("/api/v1/changes/{id}/decision?wait=30");
        let waiter = app.get(&wait_path, &bot);
        let decider = async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            decide(&app, &rita, "rita", id, "approve", "ship it").await
        };
        let (answer, decided) = tokio::join!(waiter, decider);
        assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "woken by the decision, not the timeout"
        );
        let j = answer.json();
        assert_eq!(j["status"], "approved");
        let d = &j["decisions"][0];
        assert_eq!(
            (
                d["verdict"].as_str(),
                d["reviewer"].as_str(),
                d["comment"].as_str()
            ),
            (Some("approve"), Some("rita"), Some("ship it"))
        );
        assert_eq!(
            d["digest"], j["digest"],
            "the decision names the digest it decided on"
        );
        assert_eq!(d["revision"], 1);
    })
    .await;
}
