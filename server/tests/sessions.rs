//! Console sessions on both backends: password change ends other sessions, idle and
//! absolute expiry, and the sign-in throttle as a browser meets it.

mod common;

use std::time::Duration;

use axum::http::{StatusCode, header};
use common::*;
use countersign_core::{Role, throttle};
use countersign_service::{SessionPolicy, testing::on_each_backend};

const NEW: &str = "fresh-lantern-basin-77";

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        let laptop = app.sign_in("rita").await;
        let phone = app.sign_in("rita").await;
        let old = password_of("rita");

        let mismatch = app
            .call::<app::api::ChangePassword>(
                &laptop,
                &[
                    ("current", &old),
                    ("new", NEW),
                    ("confirm", "other-words-entirely-9"),
                ],
            )
            .await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(mismatch.body.contains("confirm"), "{}", mismatch.body);

        let r = app
            .call::<app::api::ChangePassword>(
                &laptop,
                &[("current", &old), ("new", NEW), ("confirm", NEW)],
            )
            .await;
        assert!(r.status.is_success(), "{} {}", r.status, r.body);
        let laptop = As::Person(session_cookie(&r).expect("this session continues under a new id"));
        assert_eq!(
            app.call::<app::api::Queue>(&laptop, &[]).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.call::<app::api::Queue>(&phone, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "other sessions end"
        );

        let with_old = app
            .call::<app::api::Login>(&As::Nobody, &[("username", "rita"), ("password", &old)])
            .await;
        assert_eq!(with_old.status, StatusCode::UNAUTHORIZED);
        let with_new = app
            .call::<app::api::Login>(&As::Nobody, &[("username", "rita"), ("password", NEW)])
            .await;
        assert!(session_cookie(&with_new).is_some());
    })
    .await;
}

#[tokio::test]
async fn everyone_signed_in_may_change_their_own_password_and_nobody_else_may() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let agent = app.agent("bot", None).await;
        for (who, expected) in [
            (As::Nobody, StatusCode::UNAUTHORIZED),
            (agent, StatusCode::UNAUTHORIZED),
        ] {
            let r = app
                .call::<app::api::ChangePassword>(
                    &who,
                    &[("current", "x"), ("new", NEW), ("confirm", NEW)],
                )
                .await;
            assert_eq!(r.status, expected, "{who:?}");
        }
        for (name, role) in [
            ("rita", Role::Reviewer),
            ("aude", Role::Auditor),
            ("adam", Role::Admin),
        ] {
            let me = app.person(name, &[role]).await;
            let old = password_of(name);
            let r = app
                .call::<app::api::ChangePassword>(
                    &me,
                    &[("current", &old), ("new", NEW), ("confirm", NEW)],
                )
                .await;
            assert!(r.status.is_success(), "{name}: {} {}", r.status, r.body);
        }
    })
    .await;
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout_and_the_absolute_lifetime() {
    on_each_backend(|_, url| async move {
        let idle = TestApp::with_sessions(
            &url,
            SessionPolicy {
                idle: Duration::from_secs(1),
                absolute: Duration::from_secs(3600),
            },
        )
        .await;
        let me = idle.person("ida", &[Role::Auditor]).await;
        assert_eq!(
            idle.call::<app::api::Queue>(&me, &[]).await.status,
            StatusCode::OK
        );
        tokio::time::sleep(Duration::from_millis(2100)).await;
        assert_eq!(
            idle.call::<app::api::Queue>(&me, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "idle too long"
        );
    })
    .await;
    on_each_backend(|_, url| async move {
        let app = TestApp::with_sessions(
            &url,
            SessionPolicy {
                idle: Duration::from_secs(3600),
                absolute: Duration::from_secs(2),
            },
        )
        .await;
        let me = app.person("abe", &[Role::Auditor]).await;
        for _ in 0..3 {
            assert_eq!(
                app.call::<app::api::Queue>(&me, &[]).await.status,
                StatusCode::OK
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(
            app.call::<app::api::Queue>(&me, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "however active"
        );
    })
    .await;
}

#[tokio::test]
async fn repeated_failed_sign_ins_answer_429_with_retry_after_and_no_hint() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        for _ in 0..throttle::FREE_FAILURES {
            let r = app
                .call::<app::api::Login>(
                    &As::Nobody,
                    &[("username", "rita"), ("password", "wrong-wrong-wrong")],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        let pw = password_of("rita");
        let r = app
            .call::<app::api::Login>(&As::Nobody, &[("username", "rita"), ("password", &pw)])
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers[header::RETRY_AFTER], "1");
        assert!(
            r.body.contains("RateLimited") && !r.body.to_lowercase().contains("account"),
            "{}",
            r.body
        );
        assert!(session_cookie(&r).is_none());
    })
    .await;
}

#[tokio::test]
async fn reading_keeps_an_active_session_alive_past_the_idle_timeout() {
    on_each_backend(|_, url| async move {
        let policy = SessionPolicy {
            idle: Duration::from_secs(2),
            absolute: Duration::from_secs(3600),
        };
        let app = TestApp::with_sessions(&url, policy).await;
        let me = app.person("ida", &[Role::Auditor]).await;
        // Read-only requests every 0.8 s for 4 s: twice the idle timeout, never idle that long.
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(800)).await;
            assert_eq!(
                app.call::<app::api::Queue>(&me, &[]).await.status,
                StatusCode::OK
            );
        }
    })
    .await;
}
