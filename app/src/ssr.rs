//! Server-side helpers for the `#[server]` fns: the services, the signed-in user, and the
//! mapping of service errors to `AppError` with the right HTTP status (logged once here).

use std::sync::{Arc, Mutex};

use countersign_core::UserId;
use countersign_service::{Client, ServiceError, Services, UserActor, accounts};
use futures_util::future::{BoxFuture, FutureExt, Shared};
use leptos::{nonce::use_nonce, prelude::*};
use tower_sessions::Session;

use crate::error::AppError;

/// Session keys: the signed-in user's id, the session epoch they signed in under, when
/// they signed in, and when the session was last refreshed (all Unix seconds).
pub const USER_KEY: &str = "user_id";
pub const EPOCH_KEY: &str = "epoch";
pub const LOGIN_AT_KEY: &str = "login_at";
const SEEN_AT_KEY: &str = "seen_at";
/// A read-only request refreshes the idle timer at most this often (each refresh is a
/// write), and at least twice per idle period so an active session never lapses.
const REFRESH_AT_MOST_EVERY_SECS: i64 = 60;

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the server fn context");
        AppError::Internal
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// Where the request came from (absent when the server runs without connection info).
pub async fn client() -> Client {
    let addr = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>().await;
    Client {
        ip: addr.ok().map(|c| c.0.ip()),
    }
}

/// Marks `session` as signed in by `user` under `epoch`, with a fresh session id.
pub async fn start_session(session: &Session, user: UserId, epoch: i64) -> Result<(), AppError> {
    forget_request_user();
    let now = chrono::Utc::now().timestamp();
    session.cycle_id().await.map_err(internal)?;
    session.insert(USER_KEY, user.0).await.map_err(internal)?;
    session.insert(EPOCH_KEY, epoch).await.map_err(internal)?;
    session.insert(LOGIN_AT_KEY, now).await.map_err(internal)?;
    session.insert(SEEN_AT_KEY, now).await.map_err(internal)?;
    Ok(())
}

/// The signed-in user, if any. The session is ended when the user is gone or disabled,
/// changed their password elsewhere (epoch), or signed in longer ago than the absolute
/// lifetime. An active session is refreshed so the idle timeout counts from the last request.
pub async fn current_user() -> Result<Option<UserActor>, AppError> {
    let (session, svc) = (session().await?, services()?);
    let Some(cache) = use_context::<RequestUser>() else {
        return current_user_from(&session, &svc).await;
    };
    cache.lookup(session, svc).await
}

type Lookup = Shared<BoxFuture<'static, Result<Option<UserActor>, AppError>>>;

/// The signed-in user as found once per request. A page's server render asks for it at
/// least twice, at the same moment (the frame's `me()` and the page's own data); without
/// this each asked the session store and the accounts table again — a third of a queue
/// page's queries. Provided per request by the router; forgotten when the session changes
/// hands.
///
/// The askers share one lookup future rather than queueing on a lock held by the first:
/// leptos polls a resource's future once with a no-op waker before its task takes it over,
/// and whichever asker is polled drives a shared future, so no asker ever waits on another
/// asker's task being scheduled.
#[derive(Clone, Default)]
pub struct RequestUser {
    current: Arc<Mutex<Option<Lookup>>>,
}

impl RequestUser {
    fn lookup(&self, session: Session, svc: Services) -> Lookup {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        // Weak: the cache holds this future until it completes, and a request cancelled
        // mid-lookup must not leave the two holding each other.
        let cache = Arc::downgrade(&self.current);
        current
            .get_or_insert_with(|| {
                async move {
                    let found = current_user_from(&session, &svc).await;
                    if let (Err(_), Some(cache)) = (&found, cache.upgrade()) {
                        // Not kept: a later asker in this request tries again.
                        *cache.lock().unwrap_or_else(|p| p.into_inner()) = None;
                    }
                    found
                }
                .boxed()
                .shared()
            })
            .clone()
    }

    fn forget(&self) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// Forgets the request's cached user (after signing in, out, or a new session id).
pub fn forget_request_user() {
    if let Some(cache) = use_context::<RequestUser>() {
        cache.forget();
    }
}

/// [`current_user`] for a plain axum handler that has the session and the services (the
/// audit exports): the same checks, the same refresh.
pub async fn current_user_from(
    session: &Session,
    svc: &Services,
) -> Result<Option<UserActor>, AppError> {
    let id: Option<i64> = session.get(USER_KEY).await.map_err(internal)?;
    let Some(id) = id else { return Ok(None) };
    let user = accounts::load_user(svc, UserId(id)).await.map_err(fail)?;
    let epoch: Option<i64> = session.get(EPOCH_KEY).await.map_err(internal)?;
    let login_at: i64 = session
        .get(LOGIN_AT_KEY)
        .await
        .map_err(internal)?
        .unwrap_or(0);
    let now = chrono::Utc::now().timestamp();
    let absolute = svc.sessions.absolute.as_secs() as i64;
    let valid = user.filter(|u| epoch == Some(u.session_epoch) && now - login_at < absolute);
    match valid {
        None => {
            forget_request_user();
            session.flush().await.map_err(internal)?;
            Ok(None)
        }
        Some(u) => {
            let seen_at: i64 = session
                .get(SEEN_AT_KEY)
                .await
                .map_err(internal)?
                .unwrap_or(0);
            let every =
                (svc.sessions.idle.as_secs() as i64 / 2).clamp(1, REFRESH_AT_MOST_EVERY_SECS);
            if now - seen_at >= every {
                session.insert(SEEN_AT_KEY, now).await.map_err(internal)?;
            }
            Ok(Some(u))
        }
    }
}

/// The signed-in user, or `Unauthenticated` (401).
pub async fn require_user() -> Result<UserActor, AppError> {
    current_user()
        .await?
        .ok_or_else(|| fail(ServiceError::Unauthenticated))
}

pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "server fn failed");
    AppError::Internal
}

/// True when this server fn runs as its own HTTP endpoint called by script (`/rpc/…`,
/// not accepting HTML). Not for a plain form post, which must stay a redirect back to the
/// form (leptos shows the error from the URL), nor during page rendering, where the page
/// decides its own status.
fn called_by_fetch() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        let html = p
            .headers
            .get(http::header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        p.uri.path().starts_with("/rpc/") && !html
    })
}

/// Maps a service error to the UI's error and, for a script's call, sets the HTTP status.
pub fn fail(e: ServiceError) -> AppError {
    use http::StatusCode as S;
    let (status, err) = match e {
        ServiceError::Unauthenticated => (S::UNAUTHORIZED, AppError::Unauthenticated),
        ServiceError::BadCredentials => (S::UNAUTHORIZED, AppError::BadCredentials),
        ServiceError::Forbidden(m) => (S::FORBIDDEN, AppError::Forbidden(m.into())),
        ServiceError::NotFound => (S::NOT_FOUND, AppError::NotFound),
        ServiceError::Conflict(m) => (S::CONFLICT, AppError::Conflict(m)),
        ServiceError::RateLimited { retry_after_secs } => {
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(http::header::RETRY_AFTER, retry_after_secs.into());
            }
            (
                S::TOO_MANY_REQUESTS,
                AppError::RateLimited(retry_after_secs),
            )
        }
        ServiceError::Invalid(mut fields) => {
            let f = fields.remove(0);
            let field = f.field.trim_start_matches('/').to_owned();
            (
                S::UNPROCESSABLE_ENTITY,
                AppError::Invalid {
                    field,
                    message: f.message,
                },
            )
        }
        ServiceError::Internal(source) => {
            tracing::error!(error = %source, "server fn failed");
            (S::INTERNAL_SERVER_ERROR, AppError::Internal)
        }
    };
    if called_by_fetch()
        && let Some(res) = use_context::<leptos_axum::ResponseOptions>()
    {
        res.set_status(status);
    }
    err
}

/// "5 min ago"-style age, computed on the server so SSR and hydration agree.
pub fn age(at: chrono::DateTime<chrono::Utc>) -> String {
    let secs = (chrono::Utc::now() - at).num_seconds().max(0);
    match secs {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", secs / 60),
        3600..86400 => format!("{} h ago", secs / 3600),
        _ => format!("{} d ago", secs / 86400),
    }
}

pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Sends a Content-Security-Policy that allows only this response's nonce'd scripts (and
/// what they load: the wasm app), no inline script or style otherwise, no framing.
pub fn set_content_security_policy() {
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// A password field that may be left empty (the admin's re-confirmation): empty is none.
pub fn optional_password(p: Option<String>) -> Option<countersign_service::Password> {
    p.filter(|p| !p.is_empty())
        .map(countersign_service::Password::new)
}

/// The capability `cap` of `user`, or a 403 that says what is missing. A person who must
/// choose a new password holds no capability until they do.
pub fn capability<T>(
    cap: Option<T>,
    user: &UserActor,
    missing: &'static str,
) -> Result<T, AppError> {
    cap.ok_or_else(|| {
        let why = if user.must_change_password {
            "Choose a new password on your account page first."
        } else {
            missing
        };
        fail(ServiceError::Forbidden(why))
    })
}

/// The diff layout the viewer chose last (a cookie set by `set_diff_layout`).
pub fn diff_layout() -> crate::dto::DiffLayout {
    use crate::dto::DiffLayout;
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .find(|(k, _)| *k == DiffLayout::COOKIE)
                .and_then(|(_, v)| DiffLayout::parse(v))
        })
        .unwrap_or_default()
}
