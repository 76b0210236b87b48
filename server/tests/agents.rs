//! Agent management on both backends: the role matrix for every agent action, token
//! rotation and revocation taking effect at once, quarantine, and ownership.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::Role;
use countersign_service::testing::{fixture, on_each_backend};
use leptos::server_fn::ServerFn;
use serde_json::Value;

async fn agents(app: &TestApp, admin: &As) -> Value {
    let r = app.call::<app::api::AdminAgents>(admin, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn agent_id(view: &Value, name: &str) -> String {
    view["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap()["id"]
        .to_string()
}

#[tokio::test]
async fn only_admins_reach_any_agent_action() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let bot = app.agent("bot", None).await;
        let id = agent_id(&agents(&app, &admin).await, "bot");
        let pw = password_of("adam");
        let calls: Vec<Call> = vec![
            (
                app::api::AdminAddAgent::PATH,
                vec![("name", "newbot"), ("owner", "")],
            ),
            (
                app::api::AdminRotateToken::PATH,
                vec![
                    ("agent_id", &id),
                    ("agent_name", "bot"),
                    ("confirm_password", &pw),
                ],
            ),
            (app::api::AdminRevokeTokens::PATH, vec![("agent_id", &id)]),
            (
                app::api::AdminSetAgentOwner::PATH,
                vec![("agent_id", &id), ("owner", "adam")],
            ),
            (
                app::api::AdminSetQuarantined::PATH,
                vec![
                    ("agent_id", &id),
                    ("quarantined", "true"),
                    ("confirm_password", &pw),
                ],
            ),
        ];
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
        assert_eq!(
            app.post_json("/api/v1/changes", &bot, &change_body("still works"))
                .await
                .status,
            StatusCode::CREATED,
            "nothing changed"
        );
        role_matrix(&app, &calls, &[(admin, StatusCode::OK)]).await;
    })
    .await;
}

#[tokio::test]
async fn a_rotated_token_replaces_the_old_one_at_once_and_is_shown_once() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let old = app.agent("bot", None).await;
        let id = agent_id(&agents(&app, &admin).await, "bot");
        let pw = password_of("adam");
        let r = app
            .call::<app::api::AdminRotateToken>(
                &admin,
                &[
                    ("agent_id", &id),
                    ("agent_name", "bot"),
                    ("confirm_password", "wrong-pass-here-1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.post_json("/api/v1/changes", &old, &change_body("a"))
                .await
                .status,
            StatusCode::CREATED
        );

        let r = app
            .call::<app::api::AdminRotateToken>(
                &admin,
                &[
                    ("agent_id", &id),
                    ("agent_name", "bot"),
                    ("confirm_password", &pw),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // The new token travels through the session (cookie refreshed) and is shown once.
        let admin = session_cookie(&r).map(As::Person).unwrap_or(admin);
        let view = agents(&app, &admin).await;
        let token = view["new_token"]["token"]
            .as_str()
            .expect("shown once")
            .to_owned();
        assert!(
            agents(&app, &admin).await["new_token"].is_null(),
            "and only once"
        );
        assert_eq!(
            app.post_json("/api/v1/changes", &old, &change_body("b"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        let new = As::Agent(token);
        assert_eq!(
            app.post_json("/api/v1/changes", &new, &change_body("c"))
                .await
                .status,
            StatusCode::CREATED
        );

        let r = app
            .call::<app::api::AdminRevokeTokens>(&admin, &[("agent_id", &id)])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            app.post_json("/api/v1/changes", &new, &change_body("d"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(agents(&app, &admin).await["agents"][0]["active_tokens"], 0);
    })
    .await;
}

#[tokio::test]
async fn a_quarantined_agent_is_refused_and_its_changes_cannot_be_approved() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let bot = app.agent("bot", None).await;
        let (first, second) = (
            submit(&app, &bot, "one").await,
            submit(&app, &bot, "two").await,
        );
        let id = agent_id(&agents(&app, &admin).await, "bot");
        let pw = password_of("adam");
        let set = |q: &'static str| {
            let (id, pw) = (id.clone(), pw.clone());
            let (app, admin) = (&app, &admin);
            async move {
                app.call::<app::api::AdminSetQuarantined>(
                    admin,
                    &[
                        ("agent_id", &id),
                        ("quarantined", q),
                        ("confirm_password", &pw),
                    ],
                )
                .await
            }
        };
        assert_eq!(set("true").await.status, StatusCode::OK);

        let refused = app.get(&format!("/api/v1/changes/{first}"), &bot).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.headers["content-type"], "application/problem+json");
        assert!(
            refused.json()["detail"]
                .as_str()
                .unwrap()
                .contains("quarantined")
        );
        let approve = decide(&app, &rita, "rita", first, "approve", "").await;
        assert_eq!(approve.status, StatusCode::FORBIDDEN, "{}", approve.body);
        assert!(approve.body.contains("quarantined"));
        let reject = decide(&app, &rita, "rita", second, "reject", "stop this").await;
        assert_eq!(reject.status, StatusCode::OK, "rejecting stays possible");

        assert_eq!(set("false").await.status, StatusCode::OK);
        assert_eq!(
            decide(&app, &rita, "rita", first, "approve", "")
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/api/v1/changes/{first}"), &bot)
                .await
                .json()["status"],
            "approved"
        );
    })
    .await;
}

#[tokio::test]
async fn the_owner_set_by_an_admin_can_no_longer_approve_the_agents_changes() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let otto = app.person("otto", &[Role::Reviewer]).await;
        let bot = app.agent("bot", None).await;
        let change = submit(&app, &bot, "x").await;
        let id = agent_id(&agents(&app, &admin).await, "bot");
        let r = app
            .call::<app::api::AdminSetAgentOwner>(
                &admin,
                &[("agent_id", &id), ("owner", "nobody-by-that-name")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = app
            .call::<app::api::AdminSetAgentOwner>(&admin, &[("agent_id", &id), ("owner", "otto")])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(agents(&app, &admin).await["agents"][0]["owner"], "otto");
        assert_eq!(
            decide(&app, &otto, "otto", change, "approve", "")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}

fn fixture_key() -> String {
    let pem = fixture("provenance/slsa-verifier/vsa/gce/v1/vsa_signing_public_key.pem");
    String::from_utf8(pem).expect("a PEM file is text")
}

#[tokio::test]
async fn admins_register_and_revoke_agent_signing_keys() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        app.agent("bot", None).await;
        let id = agent_id(&agents(&app, &admin).await, "bot");
        let pem = fixture_key();
        for (who, expected) in [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
            ),
            (
                app.person("aude", &[Role::Auditor]).await,
                StatusCode::FORBIDDEN,
            ),
        ] {
            let r = app
                .call::<app::api::AdminAddAgentKey>(
                    &who,
                    &[("agent_id", &id), ("public_key", &pem)],
                )
                .await;
            assert_eq!(r.status, expected, "{who:?}");
        }
        let r = app
            .call::<app::api::AdminAddAgentKey>(&admin, &[("agent_id", &id), ("public_key", &pem)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let again = app
            .call::<app::api::AdminAddAgentKey>(
                &admin,
                &[("agent_id", &id), ("public_key", &format!("\n{pem}\n"))],
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::CONFLICT,
            "the same key, reformatted, is recognised"
        );
        let junk = app
            .call::<app::api::AdminAddAgentKey>(
                &admin,
                &[("agent_id", &id), ("public_key", "ssh-ed25519 AAAA")],
            )
            .await;
        assert_eq!(junk.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(junk.body.contains("PEM"), "{}", junk.body);

        let keys = agents(&app, &admin).await["agents"][0]["keys"].clone();
        assert_eq!(keys.as_array().unwrap().len(), 1);
        assert_eq!(keys[0]["algorithm"], "ecdsa-p256");
        assert!(
            keys[0]["fingerprint"]
                .as_str()
                .unwrap()
                .starts_with("sha256:")
        );
        let key_id = keys[0]["id"].to_string();
        let rita = app.sign_in("rita").await;
        let r = app
            .call::<app::api::AdminRevokeAgentKey>(&rita, &[("agent_id", &id), ("key_id", &key_id)])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .call::<app::api::AdminRevokeAgentKey>(
                &admin,
                &[("agent_id", &id), ("key_id", &key_id)],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            agents(&app, &admin).await["agents"][0]["keys"],
            serde_json::json!([])
        );
        let twice = app
            .call::<app::api::AdminRevokeAgentKey>(
                &admin,
                &[("agent_id", &id), ("key_id", &key_id)],
            )
            .await;
        assert_eq!(twice.status, StatusCode::NOT_FOUND);
    })
    .await;
}
