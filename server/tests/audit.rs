//! The audit trail on both backends: every action in the vocabulary is really written,
//! with its actor and client address, and only auditors and admins can read it.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;
use countersign_core::{Role, audit::ACTIONS};
use countersign_service::testing::on_each_backend;
use leptos::server_fn::ServerFn;

async fn all_events(app: &TestApp, who: &As) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut before = String::new();
    loop {
        let form: Vec<(&str, &str)> = if before.is_empty() {
            vec![]
        } else {
            vec![("before", before.as_str())]
        };
        let page = app.call::<app::api::AuditEvents>(who, &form).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rows = page.json().as_array().unwrap().clone();
        let full = rows.len() as i64 == app::api::AUDIT_PAGE;
        before = rows.last().map(|r| r["id"].to_string()).unwrap_or_default();
        out.extend(rows);
        if !full {
            return out;
        }
    }
}

#[tokio::test]
async fn every_audit_action_is_written_with_actor_and_client() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        // `countersign dev seed` leaves one audit row per batch (done first: the checks
        // below look at the newest rows of each action).
        countersign_service::seed::seed(&app.services, 1, 1).await.unwrap();
        let admin = app.person("adam", &[Role::Admin]).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let apw = password_of("adam");
        // Sign-in failure and sign-out.
        app.call::<app::api::Login>(
            &As::Nobody,
            &[("username", "rita"), ("password", "wrong-wrong-wrong")],
        )
        .await;
        let spare = app.sign_in("rita").await;
        app.call::<app::api::Logout>(&spare, &[]).await;
        // People.
        app.call::<app::api::AdminCreatePerson>(
            &admin,
            &[
                ("username", "nora"),
                ("display_name", "N"),
                ("role_reviewer", "on"),
                ("initial_password", "nora-first-pass-2931"),
            ],
        )
        .await;
        let people = app.call::<app::api::AdminPeople>(&admin, &[]).await.json();
        let nora = people["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["username"] == "nora")
            .unwrap()["id"]
            .to_string();
        for form in [
            vec![("user_id", nora.as_str()), ("role_auditor", "on")],
            vec![("user_id", nora.as_str()), ("role_reviewer", "on")],
        ] {
            assert_eq!(
                app.call::<app::api::AdminSetRoles>(&admin, &form)
                    .await
                    .status,
                StatusCode::OK
            );
        }
        for d in ["true", "false"] {
            app.call::<app::api::AdminSetDisabled>(&admin, &[("user_id", &nora), ("disabled", d)])
                .await;
        }
        // Nora signs in once (her signing key is made), so the reset retires a key.
        app.call::<app::api::Login>(&As::Nobody, &[("username", "nora"), ("password", "nora-first-pass-2931")])
            .await;
        app.call::<app::api::AdminResetPassword>(
            &admin,
            &[
                ("user_id", &nora),
                ("temporary_password", "temp-lantern-basin-55"),
                ("confirm_password", &apw),
            ],
        )
        .await;
        let old = password_of("rita");
        let r = app
            .call::<app::api::ChangePassword>(
                &rita,
                &[
                    ("current", &old),
                    ("new", "rita-own-choice-7731"),
                    ("confirm", "rita-own-choice-7731"),
                ],
            )
            .await;
        let rita = As::Person(session_cookie(&r).unwrap());
        // Agents and changes.
        app.call::<app::api::AdminAddAgent>(&admin, &[("name", "bot"), ("owner", "")])
            .await;
        let agents = app.call::<app::api::AdminAgents>(&admin, &[]).await.json();
        let bot_id = agents["agents"][0]["id"].to_string();
        let token = agents["new_token"]["token"].as_str().unwrap().to_owned();
        let bot = As::Agent(token);
        // Webhooks: one kept, one deleted.
        for _ in 0..2 {
            let r = app
                .post_json("/api/v1/webhooks", &bot, &serde_json::json!({"url": "http://127.0.0.1:9/hook"}))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let hooks = app.get("/api/v1/webhooks", &bot).await.json();
        let last = hooks["webhooks"][1]["id"].as_i64().unwrap();
        assert_eq!(app.delete(&format!("/api/v1/webhooks/{last}"), &bot).await.status, StatusCode::NO_CONTENT);
        let (one, two) = (
            submit(&app, &bot, "one").await,
            submit(&app, &bot, "two").await,
        );
        let revised = app
            .post_json(&format!("/api/v1/changes/{two}/revisions"), &bot, &change_body("two, again"))
            .await;
        assert_eq!(revised.status, StatusCode::CREATED, "{}", revised.body);
        app.post_json(
            &format!("/api/v1/changes/{two}/withdraw"),
            &bot,
            &serde_json::json!({}),
        )
        .await;
        let id = one.to_string();
        let pw = "rita-own-choice-7731";
        let form = [
            ("change_id", id.as_str()),
            ("revision", "1"),
            ("verdict", "approve"),
            ("comment", ""),
            ("password", pw),
        ];
        assert_eq!(
            app.call::<app::api::Decide>(&rita, &form).await.status,
            StatusCode::OK
        );
        let delivery = app.services.store.deliveries(10).await.unwrap()[0].id.to_string();
        let replayed = app
            .call::<app::api::ReplayDelivery>(&admin, &[("delivery_id", delivery.as_str())])
            .await;
        assert_eq!(replayed.status, StatusCode::OK, "{}", replayed.body);
        let three = submit(&app, &bot, "three").await;
        let late = chrono::Utc::now() + chrono::Duration::days(30);
        let expired = countersign_service::stakes::expire_at(&app.services, late).await.unwrap();
        assert_eq!(expired.iter().map(|c| c.0).collect::<Vec<_>>(), [three]);
        // A policy that requires `unit` at medium, a change failing it, an admin override.
        let strict = countersign_core::policy::DEFAULT_TOML.replace(
            "[tiers.medium]\napprovals = 1",
            "[tiers.medium]\napprovals = 1\nrequired_evals = [\"unit\"]",
        );
        let saved = app
            .call::<app::api::SavePolicy>(&admin, &[("text", strict.as_str()), ("confirm_password", apw.as_str())])
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let mut failing = change_body("four");
        failing["evals"][0]["status"] = "fail".into();
        let four = app.post_json("/api/v1/changes", &bot, &failing).await.json()["id"].to_string();
        let why = "the unit suite is flaky upstream, OPS-12";
        let o = app
            .call::<app::api::OverrideEvals>(&admin, &[("change_id", four.as_str()), ("justification", why), ("confirm_password", apw.as_str())])
            .await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.body);
        app.call::<app::api::AdminSetAgentOwner>(
            &admin,
            &[("agent_id", &bot_id), ("owner", "rita")],
        )
        .await;
        for q in ["true", "false"] {
            app.call::<app::api::AdminSetQuarantined>(
                &admin,
                &[
                    ("agent_id", &bot_id),
                    ("quarantined", q),
                    ("confirm_password", &apw),
                ],
            )
            .await;
        }
        app.call::<app::api::AdminRotateToken>(
            &admin,
            &[
                ("agent_id", &bot_id),
                ("agent_name", "bot"),
                ("confirm_password", &apw),
            ],
        )
        .await;
        app.call::<app::api::AdminRevokeTokens>(&admin, &[("agent_id", &bot_id)])
            .await;
        let pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZ805D3eqNZywjCI19lInBJOp7YMr\nCrzAH3CVTAOQ0jgMeCvVTiaRJaRPRDOv8UMs6U4SvKc6pnrIDOoSYI3fdA==\n-----END PUBLIC KEY-----\n";
        app.call::<app::api::AdminAddAgentKey>(&admin, &[("agent_id", &bot_id), ("public_key", pem)]).await;
        let listed = app.call::<app::api::AdminAgents>(&admin, &[]).await.json();
        let key_id = listed["agents"][0]["keys"][0]["id"].to_string();
        app.call::<app::api::AdminRevokeAgentKey>(&admin, &[("agent_id", &bot_id), ("key_id", &key_id)]).await;

        let events = all_events(&app, &admin).await;
        let seen: BTreeSet<&str> = events
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        let missing: Vec<&&str> = ACTIONS.iter().filter(|a| !seen.contains(**a)).collect();
        assert!(missing.is_empty(), "never written: {missing:?}");
        assert!(
            seen.iter().all(|a| ACTIONS.contains(a)),
            "unlisted action in {seen:?}"
        );
        let decide = events
            .iter()
            .find(|e| e["action"] == "change.decide")
            .unwrap();
        assert_eq!(
            (decide["actor"].as_str(), decide["subject"].as_str()),
            (Some("user rita"), Some(format!("change:{one}").as_str()))
        );
        let failed = events
            .iter()
            .find(|e| e["action"] == "user.login_failed")
            .unwrap();
        assert_eq!(
            failed["client"], "192.0.2.10",
            "the client address is recorded"
        );
        for action in ["agent.create", "agent.token_rotate", "agent.quarantine", "user.role_grant", "user.password_reset"] {
            let e = events.iter().find(|e| e["action"] == action).unwrap();
            assert_eq!(e["client"], "192.0.2.10", "{action}");
        }
        let nora_created = events
            .iter()
            .find(|e| e["action"] == "user.create" && e["details"].as_str().unwrap().contains("nora"))
            .unwrap();
        assert_eq!(
            (nora_created["actor"].as_str(), nora_created["client"].as_str()),
            (Some("user adam"), Some("192.0.2.10"))
        );
        let filtered = app
            .call::<app::api::AuditEvents>(&admin, &[("action", "agent.quarantine")])
            .await
            .json();
        assert_eq!(filtered.as_array().unwrap().len(), 1);
        let bad = app
            .call::<app::api::AuditEvents>(&admin, &[("action", "made.up")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn only_auditors_and_admins_read_the_audit_trail() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        for (who, expected) in [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (app.agent("bot", None).await, StatusCode::UNAUTHORIZED),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
            ),
            (app.person("aude", &[Role::Auditor]).await, StatusCode::OK),
            (app.person("adam", &[Role::Admin]).await, StatusCode::OK),
        ] {
            for path in [
                app::api::AuditEvents::PATH,
                app::api::GetLogStatus::PATH,
                app::api::GetLogBundle::PATH,
                app::api::Oversight::PATH,
            ] {
                let r = app
                    .call_from(&who, &[], path, Some(ORIGIN), "application/json")
                    .await;
                assert_eq!(r.status, expected, "{path} as {who:?}");
                if expected == StatusCode::OK && path == app::api::GetLogStatus::PATH {
                    let j = r.json();
                    assert_eq!(j["signed"], true, "{j}");
                    assert!(
                        j["size"].as_u64().unwrap() >= 4,
                        "the people made are in the log: {j}"
                    );
                }
            }
        }
    })
    .await;
}
