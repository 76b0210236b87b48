//! `GET /api/v1/policies`: every stakes policy version with its SHA-256 and text — public,
//! like the log, so that the requirement a change was held to can be checked by anyone
//! holding its log entries (and so that exports can carry them).

use axum::{Json, extract::State};
use serde::Serialize;

use super::problem::Problem;
use crate::router::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PolicyVersion {
    pub version: i64,
    /// `sha256:` of the exact text.
    pub hash: String,
    pub text: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PolicyVersions {
    /// Newest first.
    pub policies: Vec<PolicyVersion>,
}

/// Every policy version.
#[utoipa::path(get, path = "/api/v1/policies", tag = "log",
    responses((status = 200, description = "The versions, newest first", body = PolicyVersions)),
    security(()))]
pub async fn list(State(s): State<AppState>) -> Result<Json<PolicyVersions>, Problem> {
    countersign_service::stakes::current(&s.services).await?;
    let all = countersign_service::stakes::published(&s.services).await?;
    Ok(Json(PolicyVersions {
        policies: all
            .into_iter()
            .map(|p| PolicyVersion {
                version: p.version,
                hash: p.hash,
                text: p.text,
                created_at: p.created_at,
            })
            .collect(),
    }))
}
