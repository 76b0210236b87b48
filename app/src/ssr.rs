//! Server-side helpers for the `#[server]` fns: the services, the signed-in user, and the
//! mapping of service errors to `AppError` with the right HTTP status (logged once here).

use countersign_core::UserId;
use countersign_service::{ServiceError, Services, UserActor, accounts};
use leptos::prelude::*;
use tower_sessions::Session;

use crate::error::AppError;

/// The session key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";

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

/// The signed-in user, if any (a disabled or deleted user is signed out).
pub async fn current_user() -> Result<Option<UserActor>, AppError> {
    let session = session().await?;
    let id: Option<i64> = session.get(USER_KEY).await.map_err(internal)?;
    let Some(id) = id else { return Ok(None) };
    let user = accounts::load_user(&services()?, UserId(id))
        .await
        .map_err(fail)?;
    if user.is_none() {
        session.flush().await.map_err(internal)?;
    }
    Ok(user)
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

/// Maps a service error to the UI's error and sets the response status — except for a
/// plain (no-JavaScript) form post, which must stay a redirect back to the form, where
/// leptos shows the error from the URL.
pub fn fail(e: ServiceError) -> AppError {
    use http::StatusCode as S;
    let (status, err) = match e {
        ServiceError::Unauthenticated => (S::UNAUTHORIZED, AppError::Unauthenticated),
        ServiceError::BadCredentials => (S::UNAUTHORIZED, AppError::BadCredentials),
        ServiceError::Forbidden(m) => (S::FORBIDDEN, AppError::Forbidden(m.into())),
        ServiceError::NotFound => (S::NOT_FOUND, AppError::NotFound),
        ServiceError::Conflict(m) => (S::CONFLICT, AppError::Conflict(m)),
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
    let form_post = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)?
                .to_str()
                .ok()
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false);
    if !form_post && let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
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
