//! The role matrix: anonymous, reviewer, auditor, admin and agent against every mutating
//! route and server fn, with the expected status written inline. On both backends.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;
use leptos::server_fn::ServerFn;
use serde_json::json;

struct Cast {
    nobody: As,
    reviewer: As,
    auditor: As,
    admin: As,
    agent: As,
}

async fn cast(app: &TestApp) -> Cast {
    Cast {
        nobody: As::Nobody,
        reviewer: app.person("rita", &[Role::Reviewer]).await,
        auditor: app.person("aude", &[Role::Auditor]).await,
        admin: app.person("adam", &[Role::Admin]).await,
        agent: app.agent("bot", None).await,
    }
}

#[tokio::test]
async fn submitting_and_withdrawing_take_an_agent_token_not_a_session() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let c = cast(&app).await;
        let id = submit(&app, &c.agent, "x").await;
        let stranger = app.agent("stranger", None).await;
        for (who, expected) in [
            (&c.nobody, StatusCode::UNAUTHORIZED),
            (&c.reviewer, StatusCode::UNAUTHORIZED),
            (&c.auditor, StatusCode::UNAUTHORIZED),
            (&c.admin, StatusCode::UNAUTHORIZED),
            (&stranger, StatusCode::NOT_FOUND),
            (&c.agent, StatusCode::CREATED),
        ] {
            let r = app
                .post_json(
                    &format!("/api/v1/changes/{id}/revisions"),
                    who,
                    &change_body("x2"),
                )
                .await;
            assert_eq!(r.status, expected, "revise as {who:?}: {}", r.body);
        }
        for (who, expected) in [
            (&c.nobody, StatusCode::UNAUTHORIZED),
            (&c.reviewer, StatusCode::UNAUTHORIZED),
            (&c.auditor, StatusCode::UNAUTHORIZED),
            (&c.admin, StatusCode::UNAUTHORIZED),
            (&c.agent, StatusCode::CREATED),
        ] {
            let r = app
                .post_json("/api/v1/changes", who, &change_body("m"))
                .await;
            assert_eq!(r.status, expected, "submit as {who:?}");
        }
        for (who, expected) in [
            (&c.nobody, StatusCode::UNAUTHORIZED),
            (&c.reviewer, StatusCode::UNAUTHORIZED),
            (&c.auditor, StatusCode::UNAUTHORIZED),
            (&c.admin, StatusCode::UNAUTHORIZED),
            (&c.agent, StatusCode::OK),
        ] {
            let r = app
                .post_json(&format!("/api/v1/changes/{id}/withdraw"), who, &json!({}))
                .await;
            assert_eq!(r.status, expected, "withdraw as {who:?}");
        }
        let bogus = As::Agent("cs_agent_not-a-real-token".into());
        assert_eq!(
            app.post_json("/api/v1/changes", &bogus, &change_body("m"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}

#[tokio::test]
async fn only_a_reviewer_or_an_admin_may_decide() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let c = cast(&app).await;
        let id = submit(&app, &c.agent, "x").await;
        for (who, name, expected) in [
            (&c.nobody, "nobody", StatusCode::UNAUTHORIZED),
            (&c.agent, "bot", StatusCode::UNAUTHORIZED),
            (&c.auditor, "aude", StatusCode::FORBIDDEN),
        ] {
            let r = decide(&app, who, name, id, "approve", "").await;
            assert_eq!(r.status, expected, "decide as {who:?}: {}", r.body);
        }
        let still = app
            .get(&format!("/api/v1/changes/{id}"), &c.agent)
            .await
            .json();
        assert_eq!(still["status"], "pending", "refused calls changed nothing");
        let r = decide(&app, &c.reviewer, "rita", id, "approve", "").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.get(&format!("/api/v1/changes/{id}"), &c.agent)
                .await
                .json()["status"],
            "approved"
        );
        let other = submit(&app, &c.agent, "y").await;
        let r = decide(&app, &c.admin, "adam", other, "approve", "").await;
        assert_eq!(r.status, StatusCode::OK, "an admin may decide: {}", r.body);
    })
    .await;
}

#[tokio::test]
async fn reading_the_console_needs_a_signed_in_person_with_a_role() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let c = cast(&app).await;
        let id = submit(&app, &c.agent, "x").await.to_string();
        for (who, expected) in [
            (&c.nobody, StatusCode::UNAUTHORIZED),
            (&c.agent, StatusCode::UNAUTHORIZED),
            (&c.reviewer, StatusCode::OK),
            (&c.auditor, StatusCode::OK),
            (&c.admin, StatusCode::OK),
        ] {
            let q = app.call::<app::api::Queue>(who, &[]).await;
            assert_eq!(q.status, expected, "queue as {who:?}");
            let v = app
                .call::<app::api::GetChangeView>(who, &[("id", &id)])
                .await;
            assert_eq!(v.status, expected, "change view as {who:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn state_changes_from_another_site_are_refused() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let c = cast(&app).await;
        let id = submit(&app, &c.agent, "x").await.to_string();
        let pw = password_of("rita");
        let form = [
            ("change_id", id.as_str()),
            ("revision", "1"),
            ("verdict", "approve"),
            ("comment", ""),
            ("password", pw.as_str()),
        ];
        let path = app::api::Decide::PATH;
        for origin in [Some("https://evil.example"), None] {
            let r = app
                .call_from(&c.reviewer, &form, path, origin, "application/json")
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "origin {origin:?}");
        }
        assert_eq!(
            app.get(&format!("/api/v1/changes/{id}"), &c.agent)
                .await
                .json()["status"],
            "pending"
        );
        // A login form posted from another site is refused too (login CSRF).
        let login = app
            .call_from(
                &As::Nobody,
                &[("username", "rita"), ("password", &pw)],
                app::api::Login::PATH,
                Some("https://evil.example"),
                "text/html",
            )
            .await;
        assert_eq!(login.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn choosing_the_diff_layout_takes_a_signed_in_person_and_sets_a_cookie() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let c = cast(&app).await;
        let path = app::api::SetDiffLayout::PATH;
        let form = [("layout", "split")];
        for (who, expected) in [
            (&c.nobody, StatusCode::UNAUTHORIZED),
            (&c.agent, StatusCode::UNAUTHORIZED),
            (&c.reviewer, StatusCode::OK),
            (&c.auditor, StatusCode::OK),
            (&c.admin, StatusCode::OK),
        ] {
            let r = app
                .call_from(who, &form, path, Some(ORIGIN), "application/json")
                .await;
            assert_eq!(r.status, expected, "as {who:?}: {}", r.body);
            let cookie = r
                .headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.starts_with("cs_diff_layout=split;"));
            assert_eq!(cookie, expected == StatusCode::OK, "as {who:?}");
        }
        let bad = app
            .call_from(
                &c.reviewer,
                &[("layout", "sideways")],
                path,
                Some(ORIGIN),
                "application/json",
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}
