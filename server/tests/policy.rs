//! The stakes policy over HTTP on both backends: the role matrix for the policy server
//! fns, and an admin's preview → save as the console does it, with a change in flight
//! keeping the stricter requirement.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::{Role, policy::DEFAULT_TOML};
use countersign_service::testing::on_each_backend;
use leptos::server_fn::ServerFn;

/// The default with high needing one approval, not two.
fn looser() -> String {
    DEFAULT_TOML.replace("[tiers.high]\napprovals = 2", "[tiers.high]\napprovals = 1")
}

#[tokio::test]
async fn only_admins_preview_and_save_and_auditors_read() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let auditor = app.person("aude", &[Role::Auditor]).await;
        let others = [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (app.agent("bot", None).await, StatusCode::UNAUTHORIZED),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
            ),
            (auditor.clone(), StatusCode::FORBIDDEN),
        ];
        let text = looser();
        let pw = password_of("adam");
        let calls: Vec<Call> = vec![
            (app::api::PreviewPolicy::PATH, vec![("text", text.as_str())]),
            (
                app::api::SavePolicy::PATH,
                vec![("text", text.as_str()), ("confirm_password", pw.as_str())],
            ),
            (app::api::DiscardPolicyDraft::PATH, vec![]),
        ];
        role_matrix(&app, &calls, &others).await;
        let page = app.call::<app::api::GetPolicyPage>(&auditor, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page = page.json();
        assert_eq!(
            (page["version"].as_i64(), page["can_edit"].as_bool()),
            (Some(1), Some(false))
        );
        assert_eq!(
            page["history"].as_array().unwrap().len(),
            1,
            "nothing was saved by the refused calls"
        );
        assert_eq!(page["text"], DEFAULT_TOML);
        role_matrix(&app, &calls, &[(admin, StatusCode::OK)]).await;
    })
    .await;
}

#[tokio::test]
async fn preview_then_save_never_lowers_a_pending_change() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let bot = app.agent("bot", None).await;
        let mut body = change_body("risky");
        body["stakes"] = "high".into();
        let r = app.post_json("/api/v1/changes", &bot, &body).await;
        let id = r.json()["id"].as_i64().unwrap();

        let bad = app
            .call::<app::api::PreviewPolicy>(&admin, &[("text", "[tiers]\nlow = 3")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("policy"), "{}", bad.body);

        let text = looser();
        let ok = app
            .call::<app::api::PreviewPolicy>(&admin, &[("text", text.as_str())])
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        let page = app
            .call::<app::api::GetPolicyPage>(&admin, &[])
            .await
            .json();
        assert_eq!(page["draft"], text.as_str());
        let row = &page["preview"][0];
        assert_eq!(row["id"].as_i64(), Some(id));
        assert_eq!(
            row["changed"], false,
            "looser for high: the change keeps needing two"
        );
        assert!(
            row["after"]
                .as_str()
                .unwrap()
                .starts_with("high: 2 approvals"),
            "{row}"
        );

        let wrong = app
            .call::<app::api::SavePolicy>(
                &admin,
                &[
                    ("text", text.as_str()),
                    ("confirm_password", "nope-nope-nope"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
        let pw = password_of("adam");
        let saved = app
            .call::<app::api::SavePolicy>(
                &admin,
                &[("text", text.as_str()), ("confirm_password", pw.as_str())],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let page = app
            .call::<app::api::GetPolicyPage>(&admin, &[])
            .await
            .json();
        assert_eq!(
            (page["version"].as_i64(), page["saved"].as_i64()),
            (Some(2), Some(2))
        );
        assert!(page["draft"].is_null());
        let got = app.get(&format!("/api/v1/changes/{id}"), &bot).await.json();
        assert_eq!(got["requirement"]["approvals"], 2, "in flight: still two");
        let mut later = change_body("later");
        later["stakes"] = "high".into();
        let r = app.post_json("/api/v1/changes", &bot, &later).await.json();
        let got = app
            .get(&format!("/api/v1/changes/{}", r["id"]), &bot)
            .await
            .json();
        assert_eq!(
            got["requirement"]["approvals"], 1,
            "submitted after: the new rule"
        );
    })
    .await;
}

#[tokio::test]
async fn only_admins_override_failing_required_evals() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let bot = app.agent("bot", None).await;
        let strict = DEFAULT_TOML.replace(
            "[tiers.medium]\napprovals = 1",
            "[tiers.medium]\napprovals = 1\nrequired_evals = [\"unit\"]",
        );
        let pw = password_of("adam");
        let saved = app
            .call::<app::api::SavePolicy>(
                &admin,
                &[("text", strict.as_str()), ("confirm_password", pw.as_str())],
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let mut body = change_body("failing");
        body["evals"][0]["status"] = "fail".into();
        let id = app.post_json("/api/v1/changes", &bot, &body).await.json()["id"].to_string();
        let why = "known flaky test, fixed upstream in OPS-12";
        let calls: Vec<Call> = vec![(
            app::api::OverrideEvals::PATH,
            vec![
                ("change_id", id.as_str()),
                ("justification", why),
                ("confirm_password", pw.as_str()),
            ],
        )];
        let others = [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (bot.clone(), StatusCode::UNAUTHORIZED),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
            ),
            (
                app.person("aude", &[Role::Auditor]).await,
                StatusCode::FORBIDDEN,
            ),
        ];
        role_matrix(&app, &calls, &others).await;
        let got = app.get(&format!("/api/v1/changes/{id}"), &bot).await.json();
        assert_eq!(
            got["progress_detail"]["summary"],
            "blocked: eval `unit` failed"
        );
        role_matrix(&app, &calls, &[(admin.clone(), StatusCode::OK)]).await;
        let got = app.get(&format!("/api/v1/changes/{id}"), &bot).await.json();
        assert_eq!(
            got["progress_detail"]["summary"], "0 of 1 approvals",
            "the gate is lifted, the approval still needed"
        );
        let again = app
            .call::<app::api::OverrideEvals>(
                &admin,
                &[
                    ("change_id", id.as_str()),
                    ("justification", why),
                    ("confirm_password", pw.as_str()),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    })
    .await;
}
