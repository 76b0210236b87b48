//! The OpenAPI document against the real API: it lists exactly the routes that are
//! served, and real requests and responses validate against its schemas (on both
//! backends).

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use countersign_service::testing::on_each_backend;
use serde_json::{Value, json};

/// The errors of `instance` against `#/components/schemas/{name}` of `doc`.
fn errors(doc: &Value, name: &str, instance: &Value) -> Vec<String> {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    let v = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

fn check(doc: &Value, name: &str, instance: &Value) {
    let errors = errors(doc, name, instance);
    assert!(
        errors.is_empty(),
        "{name} does not match: {errors:?}\n{instance}"
    );
}

#[tokio::test]
async fn the_document_lists_the_real_routes_and_their_payloads_validate() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let r = app.get("/api/v1/openapi.json", &As::Nobody).await;
        assert_eq!(r.status, StatusCode::OK);
        let doc = r.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(
            doc["components"]["securitySchemes"]["agent_token"]["scheme"],
            "bearer"
        );

        let routes: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        let expected: BTreeSet<(String, String)> = [
            ("post", "/api/v1/changes"),
            ("get", "/api/v1/changes"),
            ("get", "/api/v1/changes/{id}"),
            ("get", "/api/v1/changes/{id}/decision"),
            ("post", "/api/v1/changes/{id}/withdraw"),
            ("post", "/api/v1/changes/{id}/revisions"),
            ("get", "/api/v1/log/checkpoint"),
            ("get", "/api/v1/log/entries"),
            ("get", "/api/v1/log/proof/inclusion"),
            ("get", "/api/v1/log/proof/consistency"),
            ("get", "/api/v1/keys"),
            ("post", "/api/v1/webhooks"),
            ("get", "/api/v1/webhooks"),
            ("delete", "/api/v1/webhooks/{id}"),
            ("get", "/api/v1/policies"),
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .into();
        assert_eq!(
            routes, expected,
            "the document lists exactly the API's routes"
        );

        let bot = app.agent("bot", None).await;
        let body = change_body("documented");
        check(&doc, "Submission", &body);
        let created = app.post_json("/api/v1/changes", &bot, &body).await;
        assert_eq!(created.status, StatusCode::CREATED);
        check(&doc, "Submitted", &created.json());
        let id = created.json()["id"].as_i64().unwrap();

        // Every documented route is served (none falls through to the catch-all).
        let hook = app
            .post_json(
                "/api/v1/webhooks",
                &bot,
                &json!({"url": "http://127.0.0.1:9/hook"}),
            )
            .await;
        check(&doc, "CreatedWebhook", &hook.json());
        check(
            &doc,
            "WebhookList",
            &app.get("/api/v1/webhooks", &bot).await.json(),
        );
        let hook_id = hook.json()["id"].as_i64().unwrap();
        for (method, path) in &routes {
            if path == "/api/v1/webhooks/{id}" {
                let r = app
                    .delete(&format!("/api/v1/webhooks/{hook_id}"), &bot)
                    .await;
                assert_eq!(r.status, StatusCode::NO_CONTENT, "{method} {path}");
                continue;
            }
            if path == "/api/v1/webhooks" && method == "post" {
                continue;
            }
            let path = path.replace("{id}", &id.to_string())
                + match path.as_str() {
                    "/api/v1/log/entries" => "?start=0&end=10",
                    "/api/v1/log/proof/inclusion" => "?index=0&size=1",
                    "/api/v1/log/proof/consistency" => "?old=1&new=1",
                    _ => "",
                };
            let r = match method.as_str() {
                "get" => app.get(&path, &bot).await,
                _ if path.ends_with("/withdraw") => continue,
                _ => app.post_json(&path, &bot, &body).await,
            };
            assert!(r.status.is_success(), "{method} {path}: {}", r.status);
        }
        check(
            &doc,
            "Change",
            &app.get(&format!("/api/v1/changes/{id}"), &bot).await.json(),
        );
        check(
            &doc,
            "Change",
            &app.get(&format!("/api/v1/changes/{id}/decision?wait=0"), &bot)
                .await
                .json(),
        );
        check(
            &doc,
            "ChangeList",
            &app.get("/api/v1/changes?limit=1", &bot).await.json(),
        );
        let w = app
            .post_json(&format!("/api/v1/changes/{id}/withdraw"), &bot, &json!({}))
            .await;
        check(&doc, "ChangeSummary", &w.json());
        let invalid = app
            .post_json("/api/v1/changes", &bot, &json!({"title": ""}))
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        check(&doc, "Problem", &invalid.json());
        check(
            &doc,
            "Problem",
            &app.get("/api/v1/changes/999999", &bot).await.json(),
        );
        // The schemas have teeth: wrong payloads are caught.
        assert!(!errors(&doc, "Submitted", &json!({"id": "seven"})).is_empty());
        assert!(!errors(&doc, "Change", &json!({"status": "approved"})).is_empty());
        assert!(
            !errors(
                &doc,
                "Submission",
                &json!({"title": "t", "stakes": "urgent"})
            )
            .is_empty()
        );
    })
    .await;
}
