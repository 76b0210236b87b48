//! An in-process Countersign (the real router from `server::app`) on a fresh database,
//! with helpers to act as an agent, a signed-in person, or nobody.
#![allow(dead_code)]

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use countersign_core::Role;
use countersign_service::{
    Password, Services, SessionPolicy, accounts, store::AuditActor, testing,
};
use http_body_util::BodyExt;
use leptos::server_fn::ServerFn;
use serde_json::Value;
use server::{AppState, config::HttpConfig, router::leptos_options, sessions::AnySessionStore};
use tower::ServiceExt;

pub const ORIGIN: &str = "http://countersign.test";
pub const HOST: &str = "countersign.test";
/// Where in-process requests come from (TEST-NET-1).
pub const CLIENT_ADDR: &str = "192.0.2.10:40000";
/// Small, so the 413 test does not need megabytes.
pub const MAX_BODY: usize = 64 * 1024;

#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub services: Services,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Who makes a request.
#[derive(Clone, Debug)]
pub enum As {
    Nobody,
    Agent(String),
    /// A session cookie (`name=value`).
    Person(String),
}

impl TestApp {
    pub async fn new(url: &str) -> TestApp {
        Self::with_max_body(url, MAX_BODY).await
    }

    pub async fn with_max_body(url: &str, max_body_bytes: usize) -> TestApp {
        Self::build(url, max_body_bytes, SessionPolicy::default()).await
    }

    pub async fn with_sessions(url: &str, policy: SessionPolicy) -> TestApp {
        Self::build(url, MAX_BODY, policy).await
    }

    /// Behind https: secure cookies (`__Host-` prefix) and HSTS.
    pub async fn secure(url: &str) -> TestApp {
        Self::build_with(url, MAX_BODY, SessionPolicy::default(), true).await
    }

    async fn build(url: &str, max_body_bytes: usize, policy: SessionPolicy) -> TestApp {
        Self::build_with(url, max_body_bytes, policy, false).await
    }

    async fn build_with(
        url: &str,
        max_body_bytes: usize,
        policy: SessionPolicy,
        secure_cookies: bool,
    ) -> TestApp {
        let http = HttpConfig {
            secure_cookies,
            max_body_bytes,
            site_root: "target/site".into(),
            metrics_token: None,
        };
        Self::with_http(url, policy, http).await
    }

    /// Remote Prometheus servers may scrape with this bearer token.
    pub async fn with_metrics_token(url: &str, token: &str) -> TestApp {
        let http = HttpConfig {
            secure_cookies: false,
            max_body_bytes: MAX_BODY,
            site_root: "target/site".into(),
            metrics_token: Some(token.to_owned()),
        };
        Self::with_http(url, SessionPolicy::default(), http).await
    }

    /// Serves static files from `site_root` (a built site's layout: `pkg/…`).
    pub async fn with_site_root(url: &str, site_root: &str) -> TestApp {
        let http = HttpConfig {
            secure_cookies: false,
            max_body_bytes: MAX_BODY,
            site_root: site_root.into(),
            metrics_token: None,
        };
        Self::with_http(url, SessionPolicy::default(), http).await
    }

    async fn with_http(url: &str, policy: SessionPolicy, http: HttpConfig) -> TestApp {
        let mut services = testing::services(url).await;
        services.sessions = policy;
        let sessions = AnySessionStore::open(url).await.expect("session store");
        let state = AppState {
            leptos_options: leptos_options(&http.site_root),
            services: services.clone(),
        };
        TestApp {
            router: server::app(state, sessions, &http),
            services,
        }
    }

    /// Serves the app on a loopback port for the rest of the test; returns its base URL.
    pub async fn listen(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = self.router.clone();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
        });
        format!("http://{addr}")
    }

    /// Sends `req` as if from `CLIENT_ADDR` (the real server adds connection info too).
    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        let addr: std::net::SocketAddr = CLIENT_ADDR.parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn builder(method: &str, path: &str, who: &As) -> axum::http::request::Builder {
        let b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        match who {
            As::Nobody => b,
            As::Agent(token) => b.header(header::AUTHORIZATION, format!("Bearer {token}")),
            As::Person(cookie) => b.header(header::COOKIE, cookie),
        }
    }

    pub async fn get(&self, path: &str, who: &As) -> Reply {
        self.send(Self::builder("GET", path, who).body(Body::empty()).unwrap())
            .await
    }

    pub async fn delete(&self, path: &str, who: &As) -> Reply {
        self.send(
            Self::builder("DELETE", path, who)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, who: &As, body: &Value) -> Reply {
        self.post_raw(path, who, "application/json", body.to_string())
            .await
    }

    pub async fn post_raw(&self, path: &str, who: &As, content_type: &str, body: String) -> Reply {
        let req = Self::builder("POST", path, who)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Calls a server fn the way the hydrated page does (fetch, form-encoded, same origin).
    pub async fn call<S: ServerFn>(&self, who: &As, form: &[(&str, &str)]) -> Reply {
        self.call_from(who, form, S::PATH, Some(ORIGIN), "application/json")
            .await
    }

    pub async fn call_from(
        &self,
        who: &As,
        form: &[(&str, &str)],
        path: &str,
        origin: Option<&str>,
        accept: &str,
    ) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut b = Self::builder("POST", path, who)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, accept);
        if let Some(o) = origin {
            b = b
                .header(header::ORIGIN, o)
                .header(header::REFERER, format!("{o}/login"));
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn agent(&self, name: &str, owner: Option<&str>) -> As {
        let (_, token) = accounts::create_agent(
            &self.services,
            name,
            owner,
            AuditActor::System,
            &Default::default(),
        )
        .await
        .unwrap();
        As::Agent(token)
    }

    pub async fn add_person(&self, name: &str, roles: &[Role]) {
        let pw = Password::new(password_of(name));
        accounts::create_user(
            &self.services,
            name,
            roles.to_vec(),
            &pw,
            AuditActor::System,
        )
        .await
        .unwrap();
    }

    /// Creates a person and signs them in through the login server fn.
    pub async fn person(&self, name: &str, roles: &[Role]) -> As {
        self.add_person(name, roles).await;
        self.sign_in(name).await
    }

    pub async fn sign_in(&self, name: &str) -> As {
        let pw = password_of(name);
        let r = self
            .call::<app::api::Login>(&As::Nobody, &[("username", name), ("password", &pw)])
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "login failed: {} {}",
            r.status,
            r.body
        );
        As::Person(session_cookie(&r).expect("login sets a session cookie"))
    }
}

/// A server fn's path and the form it is called with.
pub type Call<'a> = (&'a str, Vec<(&'a str, &'a str)>);

/// Calls every server fn in `calls` as each actor in `cast` (same origin, as the page's
/// script would) and checks the status each gets. The role matrix of a test module.
pub async fn role_matrix(app: &TestApp, calls: &[Call<'_>], cast: &[(As, StatusCode)]) {
    for (path, form) in calls {
        for (who, expected) in cast {
            let r = app
                .call_from(who, form, path, Some(ORIGIN), "application/json")
                .await;
            assert_eq!(r.status, *expected, "{path} as {who:?}: {}", r.body);
        }
    }
}

pub fn password_of(name: &str) -> String {
    format!("{name}-plum-orbit-cellar-42")
}

pub fn session_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("countersign=") || c.starts_with("__Host-countersign="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}

pub fn change_body(title: &str) -> Value {
    serde_json::json!({
        "title": title,
        "repository": "acme/payments",
        "base": "main",
        "stakes": "medium",
        "diff": "diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-old\n+new\n",
        "evals": [{"name": "unit", "status": "pass", "score": 0.98, "threshold": 0.9}],
        "attestations": [{"_type": "https://in-toto.io/Statement/v1", "subject": [], "predicateType": "x", "predicate": {}}],
        "labels": {"ticket": "PAY-1"}
    })
}

/// Submits a change as `agent` and returns its id.
pub async fn submit(app: &TestApp, agent: &As, title: &str) -> i64 {
    let r = app
        .post_json("/api/v1/changes", agent, &change_body(title))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

/// Decides as a signed-in person via the decide server fn.
pub async fn decide(
    app: &TestApp,
    who: &As,
    name: &str,
    id: i64,
    verdict: &str,
    comment: &str,
) -> Reply {
    let id = id.to_string();
    let pw = password_of(name);
    let form = [
        ("change_id", id.as_str()),
        ("revision", "1"),
        ("verdict", verdict),
        ("comment", comment),
        ("password", pw.as_str()),
    ];
    app.call::<app::api::Decide>(who, &form).await
}
