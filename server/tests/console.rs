//! The console's server fns as a browser uses them, with and without JavaScript: sign in
//! and out, and deciding with a password, including every refusal a reviewer can meet.

mod common;

use axum::http::{StatusCode, header};
use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn sign_in_cycles_the_session_and_sign_out_ends_it() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        let wrong = app
            .call::<app::api::Login>(
                &As::Nobody,
                &[("username", "rita"), ("password", "nope-nope-nope")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("BadCredentials"), "{}", wrong.body);
        assert!(session_cookie(&wrong).is_none());
        let unknown = app
            .call::<app::api::Login>(
                &As::Nobody,
                &[("username", "ghost"), ("password", "nope-nope-nope")],
            )
            .await;
        assert_eq!(
            unknown.body, wrong.body,
            "unknown user and wrong password look the same"
        );

        let old = app.sign_in("rita").await;
        // Signing in again while presenting the old session cookie must issue a new id and
        // retire the old one (no session fixation).
        let pw = password_of("rita");
        let r = app
            .call::<app::api::Login>(&old, &[("username", "rita"), ("password", &pw)])
            .await;
        let me = As::Person(session_cookie(&r).expect("a new cookie"));
        assert_ne!(format!("{me:?}"), format!("{old:?}"));
        assert_eq!(
            app.call::<app::api::Queue>(&old, &[]).await.status,
            StatusCode::UNAUTHORIZED,
            "old id retired"
        );
        let who = app.call::<app::api::GetMe>(&me, &[]).await;
        assert!(who.body.contains("\"rita\""), "{}", who.body);

        let out = app.call::<app::api::Logout>(&me, &[]).await;
        assert!(out.status.is_success(), "{}", out.status);
        let after = app.call::<app::api::Queue>(&me, &[]).await;
        assert_eq!(
            after.status,
            StatusCode::UNAUTHORIZED,
            "the old cookie is dead"
        );
    })
    .await;
}

#[tokio::test]
async fn without_javascript_forms_redirect_back_with_the_outcome() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        // Sign in as a plain form post: a 302 to the queue and a session cookie.
        let pw = password_of("rita");
        let ok = app
            .call_from(
                &As::Nobody,
                &[("username", "rita"), ("password", &pw)],
                app::api::Login::PATH,
                Some(ORIGIN),
                "text/html",
            )
            .await;
        assert_eq!(ok.status, StatusCode::FOUND);
        assert_eq!(ok.headers[header::LOCATION], "/");
        let rita = As::Person(session_cookie(&ok).unwrap());
        // A failed sign-in goes back to the form with the error in the URL for the page to show.
        let bad = app
            .call_from(
                &As::Nobody,
                &[("username", "rita"), ("password", "wrong-wrong-wrong")],
                app::api::Login::PATH,
                Some(ORIGIN),
                "text/html",
            )
            .await;
        assert_eq!(bad.status, StatusCode::FOUND);
        assert!(
            bad.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .contains("__err="),
            "{:?}",
            bad.headers
        );

        let bot = app.agent("bot", None).await;
        let id = submit(&app, &bot, "x").await.to_string();
        let form = [
            ("change_id", id.as_str()),
            ("revision", "1"),
            ("verdict", "reject"),
            ("comment", ""),
            ("password", pw.as_str()),
        ];
        let refused = app
            .call_from(
                &rita,
                &form,
                app::api::Decide::PATH,
                Some(ORIGIN),
                "text/html",
            )
            .await;
        assert_eq!(refused.status, StatusCode::FOUND, "back to the form");
        assert!(
            refused.headers[header::LOCATION]
                .to_str()
                .unwrap()
                .contains("__err=")
        );
        let page = app
            .get(
                &format!("/changes/{id}?__path={}&__err=x", app::api::Decide::PATH),
                &rita,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_meets_clear_refusals_and_no_duplicates() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let otto = app.person("otto", &[Role::Reviewer]).await;
        let owned = app.agent("ottos-bot", Some("otto")).await;
        let bot = app.agent("bot", None).await;
        let id = submit(&app, &bot, "x").await;

        let no_comment = decide(&app, &rita, "rita", id, "reject", "  ").await;
        assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_comment.body.contains("comment"), "{}", no_comment.body);

        let mut form_pw = password_of("rita");
        form_pw.push('x');
        let idstr = id.to_string();
        let bad_pw = [
            ("change_id", idstr.as_str()),
            ("revision", "1"),
            ("verdict", "approve"),
            ("comment", ""),
            ("password", form_pw.as_str()),
        ];
        assert_eq!(
            app.call::<app::api::Decide>(&rita, &bad_pw).await.status,
            StatusCode::UNAUTHORIZED
        );

        let bad_verdict = decide(&app, &rita, "rita", id, "maybe", "").await;
        assert_eq!(bad_verdict.status, StatusCode::UNPROCESSABLE_ENTITY);

        let first = decide(&app, &rita, "rita", id, "reject", "breaks prod").await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let second = decide(&app, &rita, "rita", id, "reject", "breaks prod").await;
        assert_eq!(
            second.status,
            StatusCode::CONFLICT,
            "a second click is not a second decision"
        );
        let late = decide(&app, &otto, "otto", id, "approve", "").await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        let j = app.get(&format!("/api/v1/changes/{id}"), &bot).await.json();
        assert_eq!(j["status"], "rejected");
        assert_eq!(j["decisions"].as_array().unwrap().len(), 1);
        assert_eq!(j["decisions"][0]["comment"], "breaks prod");

        let own = submit(&app, &owned, "owned").await;
        let by_owner = decide(&app, &otto, "otto", own, "approve", "").await;
        assert_eq!(
            by_owner.status,
            StatusCode::FORBIDDEN,
            "an agent's owner never approves its changes"
        );
        let missing = decide(&app, &rita, "rita", 999_999, "approve", "").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_that_matches_their_scripts() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let first = app.get("/login", &As::Nobody).await;
        let second = app.get("/login", &As::Nobody).await;
        assert_eq!(first.status, StatusCode::OK);
        let csp = first.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("a nonce");
        let scripts = first.body.matches("<script").count();
        assert!(scripts >= 1);
        assert_eq!(
            first.body.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "every script carries it"
        );
        assert_ne!(
            second.headers[header::CONTENT_SECURITY_POLICY],
            first.headers[header::CONTENT_SECURITY_POLICY],
            "fresh per response"
        );
        assert_eq!(first.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(first.headers[header::REFERRER_POLICY], "same-origin");
    })
    .await;
}

#[tokio::test]
async fn behind_https_cookies_are_secure_host_only_and_hsts_is_sent() {
    on_each_backend(|_, url| async move {
        let app = TestApp::secure(&url).await;
        app.add_person("rita", &[Role::Reviewer]).await;
        let pw = password_of("rita");
        let r = app
            .call::<app::api::Login>(&As::Nobody, &[("username", "rita"), ("password", &pw)])
            .await;
        let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("__Host-countersign="), "{cookie}");
        for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attr), "{attr} missing from {cookie}");
        }
        assert!(!cookie.contains("Domain="), "{cookie}");
        let page = app.get("/login", &As::Nobody).await;
        assert!(
            page.headers[header::STRICT_TRANSPORT_SECURITY]
                .to_str()
                .unwrap()
                .contains("max-age=")
        );
        let plain = TestApp::new(&url).await.get("/login", &As::Nobody).await;
        assert!(
            plain
                .headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .is_none(),
            "no HSTS on plain http"
        );
    })
    .await;
}

#[tokio::test]
async fn pages_redirect_strangers_and_render_for_people() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let id = submit(&app, &bot, "Rotate the signing key").await;
        let html = |who: &As, path: &str| {
            let mut req = axum::http::Request::get(path)
                .header(header::HOST, HOST)
                .header(header::ACCEPT, "text/html");
            if let As::Person(c) = who {
                req = req.header(header::COOKIE, c);
            }
            app.send(req.body(axum::body::Body::empty()).unwrap())
        };
        for path in ["/", "/account", "/admin", &format!("/changes/{id}")] {
            let r = html(&As::Nobody, path).await;
            assert_eq!(r.status, StatusCode::FOUND, "{path}");
            assert_eq!(r.headers[header::LOCATION], "/login", "{path}");
        }
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let page = html(&rita, &format!("/changes/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Rotate the signing key") && page.body.contains("Approve"));
        let queue = html(&rita, "/").await;
        assert!(queue.body.contains("Rotate the signing key"));
        let admin_page = html(&rita, "/admin").await;
        assert_eq!(
            admin_page.status,
            StatusCode::OK,
            "the page renders, with the refusal in it"
        );
        assert!(
            admin_page
                .body
                .contains("Only admins and auditors see people.")
        );
    })
    .await;
}

/// The queue's page cursor comes from the address bar: a malformed one is refused with a
/// message on the page (nothing else breaks), an unknown change id starts from the top.
#[tokio::test]
async fn a_bad_queue_cursor_is_refused_and_an_unknown_one_starts_at_the_top() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        submit(&app, &bot, "Rotate the signing key").await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let bad = app.get("/?after=not-a-change", &rita).await;
        assert!(bad.body.contains("unknown after"), "{}", bad.body);
        assert!(!bad.body.contains("Rotate the signing key"));
        assert!(
            bad.body.contains("Review queue"),
            "the page itself still renders"
        );
        let unknown = app.get("/?after=987654", &rita).await;
        assert_eq!(unknown.status, StatusCode::OK);
        assert!(unknown.body.contains("Rotate the signing key"));
    })
    .await;
}
