//! Liveness and readiness for orchestrators and load balancers. `/healthz` says the
//! process answers; `/readyz` says it can do its job: the database answers and has every
//! migration this build expects (an instance started before `countersign migrate` ran, or
//! after a newer one migrated further, is not ready).

use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use serde_json::json;

use crate::router::AppState;

pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, Json(json!({ "status": "ok" })))
}

pub async fn readyz(State(s): State<AppState>) -> impl IntoResponse {
    let backend = s.services.store.backend();
    match s.services.store.readiness().await {
        Ok(r) if r.current() => (
            StatusCode::OK,
            Json(
                json!({ "status": "ready", "backend": backend, "migrations": { "applied": r.applied, "known": r.known } }),
            ),
        ),
        Ok(r) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "not ready", "backend": backend,
                "reason": "the database schema does not match this build; run `countersign migrate`",
                "migrations": { "applied": r.applied, "known": r.known },
            })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({ "status": "not ready", "backend": backend, "reason": "the database does not answer" }),
                ),
            )
        }
    }
}
