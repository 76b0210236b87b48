//! The auditor's history and exports on both backends: who may read them, each filter,
//! expired and withdrawn changes kept, signatures checked per row, and the JSONL, CSV and
//! bundle exports (the bundle verifies with the CLI's verifier).

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::{Role, tlog::verify::verify_wire};
use countersign_service::testing::on_each_backend;

#[tokio::test]
async fn the_history_filters_keeps_everything_and_exports() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let ravi = app.person("ravi", &[Role::Reviewer]).await;
        let aude = app.person("aude", &[Role::Auditor]).await;
        let approved = submit(&app, &bot, "approved").await;
        let mut crit = change_body("rejected");
        crit["stakes"] = "critical".into();
        let rejected = app.post_json("/api/v1/changes", &bot, &crit).await.json()["id"]
            .as_i64()
            .unwrap();
        let withdrawn = submit(&app, &bot, "withdrawn").await;
        let expired = submit(&app, &bot, "expired").await;
        assert_eq!(
            decide(&app, &rita, "rita", approved, "approve", "ok")
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            decide(&app, &ravi, "ravi", rejected, "reject", "no")
                .await
                .status,
            StatusCode::OK
        );
        app.post_json(
            &format!("/api/v1/changes/{withdrawn}/withdraw"),
            &bot,
            &serde_json::json!({}),
        )
        .await;
        let later = chrono::Utc::now() + chrono::Duration::days(30);
        assert_eq!(
            countersign_service::stakes::expire_at(&app.services, later)
                .await
                .unwrap()
                .len(),
            1,
            "{expired}"
        );

        let rows = |form: Vec<(&'static str, String)>| {
            let (app, aude) = (app.clone(), aude.clone());
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let r = app.call::<app::api::AuditHistory>(&aude, &form).await;
                (
                    r.status,
                    if r.status == StatusCode::OK {
                        r.json().as_array().unwrap().clone()
                    } else {
                        Vec::new()
                    },
                )
            }
        };
        let (status, all) = rows(vec![]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(all.len(), 4, "every change, decided or not: {all:?}");
        let (_, by_rita) = rows(vec![("reviewer", "rita".into())]).await;
        assert_eq!(by_rita.len(), 1);
        assert_eq!(
            (
                by_rita[0]["change_id"].as_i64(),
                by_rita[0]["signature"].as_str()
            ),
            (Some(approved), Some("valid"))
        );
        let (_, rejections) = rows(vec![("verdict", "reject".into())]).await;
        assert_eq!(
            (rejections.len(), rejections[0]["stakes"].as_str()),
            (1, Some("critical"))
        );
        for (status, id) in [("withdrawn", withdrawn), ("expired", expired)] {
            let (_, r) = rows(vec![("status", status.into())]).await;
            assert_eq!(
                (
                    r.len(),
                    r[0]["change_id"].as_i64(),
                    r[0]["verdict"].is_null()
                ),
                (1, Some(id), true),
                "{status}"
            );
        }
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(
            rows(vec![("from", today.clone()), ("to", today.clone())])
                .await
                .1
                .len(),
            4
        );
        assert_eq!(rows(vec![("to", yesterday)]).await.1.len(), 0);
        assert_eq!(
            rows(vec![("from", "last tuesday".into())]).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            rows(vec![("verdict", "maybe".into())]).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // Who may read and export.
        let admin = app.person("adam", &[Role::Admin]).await;
        for (who, expected) in [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (bot.clone(), StatusCode::UNAUTHORIZED),
            (rita.clone(), StatusCode::FORBIDDEN),
            (aude.clone(), StatusCode::OK),
            (admin, StatusCode::OK),
        ] {
            let r = app.call::<app::api::AuditHistory>(&who, &[]).await;
            assert_eq!(r.status, expected, "history as {who:?}");
            let e = app.get("/audit/export?format=csv", &who).await;
            assert_eq!(e.status, expected, "export as {who:?}: {}", e.body);
        }

        let csv = app
            .get("/audit/export?format=csv&reviewer=rita", &aude)
            .await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("countersign-history.csv")
        );
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(
            lines[0].starts_with("change_id,title,repository,agent,stakes,status"),
            "{}",
            lines[0]
        );
        assert_eq!(lines.len(), 2, "{}", csv.body);
        let jsonl = app.get("/audit/export?format=jsonl", &aude).await;
        let parsed: Vec<serde_json::Value> = jsonl
            .body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(parsed.len(), 4);
        assert!(parsed.iter().any(|r| {
            r["envelope"]
                .as_str()
                .is_some_and(|e| e.contains("payloadType"))
        }));
        let bundle = app.get("/audit/export?format=bundle", &aude).await.json();
        let leaves: Vec<String> = bundle["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["leaf"].as_str().unwrap().to_owned())
            .collect();
        let f = verify_wire(
            bundle["checkpoint"].as_str().unwrap(),
            &bundle["keys"].to_string(),
            &leaves,
        );
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.decisions, 2);
        assert_eq!(
            app.get("/audit/export?format=pdf", &aude).await.status,
            StatusCode::BAD_REQUEST
        );

        // The oversight dashboard renders its charts on the server, readable without script.
        let page = app.get("/dashboard", &aude).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<svg") && page.body.contains("Approvals per reviewer"),
            "{}",
            &page.body[..page.body.len().min(500)]
        );
        assert!(
            page.body.contains("<title>rita: 1</title>"),
            "rita's one approval is drawn"
        );
        let d = app.call::<app::api::Oversight>(&aude, &[]).await.json();
        assert_eq!(d["human_approvals"].as_u64(), Some(1));
        assert_eq!(d["pending_now"], serde_json::json!([0, 0, 0, 0]));
    })
    .await;
}
