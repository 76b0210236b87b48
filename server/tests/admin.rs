//! The admin console's server fns on both backends: the role matrix for every admin
//! action, the guards as an admin meets them, and a forced password change after reset.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;
use leptos::server_fn::ServerFn;

const TEMP: &str = "temp-lantern-basin-55";

fn id_of(view: &serde_json::Value, name: &str) -> String {
    view["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["username"] == name)
        .map(|p| p["id"].to_string())
        .unwrap_or_else(|| panic!("{name} not listed"))
}

#[tokio::test]
async fn only_admins_reach_any_admin_action() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let others = [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (app.agent("bot", None).await, StatusCode::UNAUTHORIZED),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
            ),
            (
                app.person("aude", &[Role::Auditor]).await,
                StatusCode::FORBIDDEN,
            ),
        ];
        let people = app.call::<app::api::AdminPeople>(&admin, &[]).await;
        assert_eq!(people.status, StatusCode::OK);
        let rita = id_of(&people.json(), "rita");
        let adam_pw = password_of("adam");
        let calls: Vec<Call> = vec![
            (
                app::api::AdminCreatePerson::PATH,
                vec![
                    ("username", "newbie"),
                    ("display_name", "N"),
                    ("role_reviewer", "on"),
                    ("initial_password", TEMP),
                ],
            ),
            (
                app::api::AdminSetRoles::PATH,
                vec![("user_id", &rita), ("role_auditor", "on")],
            ),
            (
                app::api::AdminSetDisabled::PATH,
                vec![("user_id", &rita), ("disabled", "true")],
            ),
            (
                app::api::AdminResetPassword::PATH,
                vec![
                    ("user_id", &rita),
                    ("temporary_password", TEMP),
                    ("confirm_password", &adam_pw),
                ],
            ),
        ];
        role_matrix(&app, &calls, &others).await;
        let after = app.call::<app::api::AdminPeople>(&admin, &[]).await.json();
        assert_eq!(after["can_manage"], true);
        let after = after["people"].clone();
        assert_eq!(
            after.as_array().unwrap().len(),
            3,
            "nobody was created (adam, rita, aude)"
        );
        let rita_row = after
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["username"] == "rita")
            .unwrap()
            .clone();
        assert_eq!(
            (rita_row["roles"].clone(), rita_row["disabled"].clone()),
            (serde_json::json!(["reviewer"]), serde_json::json!(false))
        );
        role_matrix(&app, &calls, &[(admin, StatusCode::OK)]).await;
    })
    .await;
}

#[tokio::test]
async fn an_admin_meets_the_guards_with_clear_messages() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        let people = app.call::<app::api::AdminPeople>(&admin, &[]).await.json();
        let (adam, rita) = (id_of(&people, "adam"), id_of(&people, "rita"));

        let demote_self = app
            .call::<app::api::AdminSetRoles>(&admin, &[("user_id", &adam), ("role_reviewer", "on")])
            .await;
        assert_eq!(demote_self.status, StatusCode::FORBIDDEN);
        assert!(
            demote_self.body.contains("your own admin role"),
            "{}",
            demote_self.body
        );
        let disable_self = app
            .call::<app::api::AdminSetDisabled>(&admin, &[("user_id", &adam), ("disabled", "true")])
            .await;
        assert_eq!(disable_self.status, StatusCode::FORBIDDEN);

        let grant = app
            .call::<app::api::AdminSetRoles>(&admin, &[("user_id", &rita), ("role_admin", "on")])
            .await;
        assert_eq!(
            grant.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "granting admin needs the admin's password"
        );
        let wrong = app
            .call::<app::api::AdminSetRoles>(
                &admin,
                &[
                    ("user_id", &rita),
                    ("role_admin", "on"),
                    ("confirm_password", "not-my-password-9"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let weak = app
            .call::<app::api::AdminCreatePerson>(
                &admin,
                &[
                    ("username", "x"),
                    ("display_name", ""),
                    ("initial_password", "password1234"),
                ],
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        let twin = app
            .call::<app::api::AdminCreatePerson>(
                &admin,
                &[
                    ("username", "rita"),
                    ("display_name", ""),
                    ("initial_password", TEMP),
                ],
            )
            .await;
        assert_eq!(twin.status, StatusCode::CONFLICT);
    })
    .await;
}

#[tokio::test]
async fn after_a_reset_the_person_must_choose_a_password_before_doing_anything() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let rita_session = app.person("rita", &[Role::Reviewer]).await;
        let rita = id_of(
            &app.call::<app::api::AdminPeople>(&admin, &[]).await.json(),
            "rita",
        );
        let adam_pw = password_of("adam");
        let r = app
            .call::<app::api::AdminResetPassword>(
                &admin,
                &[
                    ("user_id", &rita),
                    ("temporary_password", TEMP),
                    ("confirm_password", &adam_pw),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.call::<app::api::Queue>(&rita_session, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "her sessions ended"
        );

        let login = app
            .call::<app::api::Login>(&As::Nobody, &[("username", "rita"), ("password", TEMP)])
            .await;
        let rita_now = As::Person(session_cookie(&login).unwrap());
        let blocked = app.call::<app::api::Queue>(&rita_now, &[]).await;
        assert_eq!(blocked.status, StatusCode::FORBIDDEN);
        assert!(
            blocked.body.contains("Choose a new password"),
            "{}",
            blocked.body
        );
        let me = app.call::<app::api::GetMe>(&rita_now, &[]).await.json();
        assert_eq!(me["must_change_password"], true);
        let new = "rita-own-choice-7731";
        let r = app
            .call::<app::api::ChangePassword>(
                &rita_now,
                &[("current", TEMP), ("new", new), ("confirm", new)],
            )
            .await;
        let rita_now = As::Person(session_cookie(&r).unwrap());
        assert_eq!(
            app.call::<app::api::Queue>(&rita_now, &[]).await.status,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn auditors_read_the_people_and_agents_lists_but_cannot_manage() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        app.agent("bot", None).await;
        for (who, expected, manage) in [
            (As::Nobody, StatusCode::UNAUTHORIZED, None),
            (
                app.agent("bot2", None).await,
                StatusCode::UNAUTHORIZED,
                None,
            ),
            (
                app.person("rita", &[Role::Reviewer]).await,
                StatusCode::FORBIDDEN,
                None,
            ),
            (
                app.person("aude", &[Role::Auditor]).await,
                StatusCode::OK,
                Some(false),
            ),
            (admin, StatusCode::OK, Some(true)),
        ] {
            for path in [app::api::AdminPeople::PATH, app::api::AdminAgents::PATH] {
                let r = app
                    .call_from(&who, &[], path, Some(ORIGIN), "application/json")
                    .await;
                assert_eq!(r.status, expected, "{path} as {who:?}");
                if let Some(m) = manage {
                    assert_eq!(r.json()["can_manage"], m, "{path} as {who:?}");
                }
            }
        }
    })
    .await;
}

#[tokio::test]
async fn an_admin_changing_their_own_roles_keeps_working_under_a_new_session_id() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let admin = app.person("adam", &[Role::Admin]).await;
        let other_device = app.sign_in("adam").await;
        let adam = id_of(
            &app.call::<app::api::AdminPeople>(&admin, &[]).await.json(),
            "adam",
        );
        let r = app
            .call::<app::api::AdminSetRoles>(
                &admin,
                &[
                    ("user_id", &adam),
                    ("role_admin", "on"),
                    ("role_reviewer", "on"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let renewed = As::Person(session_cookie(&r).expect("a new session id"));
        assert_ne!(format!("{renewed:?}"), format!("{admin:?}"));
        assert_eq!(
            app.call::<app::api::Queue>(&renewed, &[]).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.call::<app::api::Queue>(&admin, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "old id retired"
        );
        assert_eq!(
            app.call::<app::api::Queue>(&other_device, &[]).await.status,
            StatusCode::UNAUTHORIZED
        );
    })
    .await;
}
