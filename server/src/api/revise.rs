//! `POST /api/v1/changes/{id}/revisions`: the agent sends new content for its pending
//! change (the same body as submit). Approvals given to an earlier digest stop counting;
//! identical content keeps them; the requirement never drops.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use countersign_core::submission::Submission;
use countersign_service::changes;

use super::{auth::Agent, body::JsonBody, dto, handlers::change_id, problem::Problem};
use crate::router::AppState;

/// Revise a pending change.
#[utoipa::path(post, path = "/api/v1/changes/{id}/revisions", tag = "changes",
    params(("id" = i64, Path, description = "The change id")),
    request_body = Submission,
    responses(
        (status = 201, description = "The new revision is the change's current one", body = dto::Submitted),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The agent is quarantined", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such change of this agent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change is no longer pending", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revise(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    JsonBody(sub): JsonBody<Submission>,
) -> Result<impl IntoResponse, Problem> {
    let id = change_id(&id)?;
    let c = changes::revise(&s.services, &agent, id, sub).await?;
    let body = dto::Submitted::of(&s.services, &c);
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/changes/{}", c.id.0),
        )],
        Json(body),
    ))
}
