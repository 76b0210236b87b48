//! The agent API's handlers: extract the agent and input, call one service, map the result.

use std::time::Duration;

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
};
use countersign_core::{ChangeId, ChangeStatus, submission::Submission};
use countersign_service::{ServiceError, changes};
use serde::Deserialize;

use super::{auth::Agent, body::JsonBody, dto, problem::Problem};
use crate::router::AppState;

type ApiResult<T> = Result<T, Problem>;

/// A path id that does not parse cannot name a change: 404, like any unknown id.
pub(super) fn change_id(raw: &str) -> ApiResult<ChangeId> {
    raw.parse::<ChangeId>()
        .map_err(|_| ServiceError::NotFound.into())
}

/// Submit a change for review.
#[utoipa::path(post, path = "/api/v1/changes", tag = "changes",
    request_body = Submission,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key and body return the same change (200)")),
    responses(
        (status = 201, description = "Created", body = dto::Submitted),
        (status = 200, description = "An idempotent replay of an earlier submission", body = dto::Submitted),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The agent is quarantined", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The idempotency key was used with another body", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named by a JSON pointer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submit(
    State(s): State<AppState>,
    Agent(agent): Agent,
    headers: HeaderMap,
    JsonBody(sub): JsonBody<Submission>,
) -> ApiResult<impl IntoResponse> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| {
                    Problem::field(
                        StatusCode::BAD_REQUEST,
                        "Idempotency-Key",
                        "must be visible ASCII",
                    )
                })?
                .to_owned(),
        ),
    };
    let done = changes::submit(&s.services, &agent, sub, key).await?;
    let c = done.change;
    let body = dto::Submitted::of(&s.services, &c);
    let status = if done.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/changes/{}", body.id),
        )],
        Json(body),
    ))
}

/// A change with the decisions so far.
#[utoipa::path(get, path = "/api/v1/changes/{id}", tag = "changes",
    params(("id" = i64, Path, description = "The change id")),
    responses(
        (status = 200, description = "The change", body = dto::Change),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such change of this agent's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_change(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> ApiResult<Json<dto::Change>> {
    let detail = changes::agent_change(&s.services, &agent, change_id(&id)?).await?;
    Ok(Json(dto::Change::of(&s.services, detail)))
}

#[derive(Deserialize)]
pub struct WaitQuery {
    wait: Option<String>,
}

/// Long-poll for the decision: answers as soon as the change leaves `pending`, or after
/// `wait` seconds with it still pending.
#[utoipa::path(get, path = "/api/v1/changes/{id}/decision", tag = "changes",
    params(
        ("id" = i64, Path, description = "The change id"),
        ("wait" = Option<u64>, Query, description = "Seconds to wait, 0 to 60"),
    ),
    responses(
        (status = 200, description = "The change, decided or still pending", body = dto::Change),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such change of this agent's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`wait` out of range", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decision(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    Query(q): Query<WaitQuery>,
) -> ApiResult<Json<dto::Change>> {
    let id = change_id(&id)?;
    let max = changes::MAX_WAIT_SECONDS;
    let wait = match q.wait.as_deref() {
        None | Some("") => 0,
        Some(w) => w.parse::<u64>().ok().filter(|w| *w <= max).ok_or_else(|| {
            Problem::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "wait",
                format!("must be a whole number of seconds from 0 to {max}"),
            )
        })?,
    };
    let detail =
        changes::wait_for_decision(&s.services, &agent, id, Duration::from_secs(wait)).await?;
    Ok(Json(dto::Change::of(&s.services, detail)))
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

/// The calling agent's changes, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/changes", tag = "changes",
    params(
        ("status" = Option<ChangeStatus>, Query, description = "Only changes with this status"),
        ("limit" = Option<i64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` from the previous page"),
    ),
    responses(
        (status = 200, description = "A page of changes", body = dto::ChangeList),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A query parameter is invalid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<dto::ChangeList>> {
    let bad = |field: &str, msg: &str| Problem::field(StatusCode::UNPROCESSABLE_ENTITY, field, msg);
    let status = match q.status.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(
            v.parse::<ChangeStatus>()
                .map_err(|e| bad("status", &e.to_string()))?,
        ),
    };
    let limit = match q.limit.as_deref() {
        None => 50,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|l| (1..=200).contains(l))
            .ok_or_else(|| bad("limit", "must be from 1 to 200"))?,
    };
    let before = match q.cursor.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(
            v.parse::<ChangeId>()
                .map_err(|_| bad("cursor", "not a cursor from this API"))?,
        ),
    };
    let rows = changes::agent_changes(&s.services, &agent, status, before, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    let rows: Vec<_> = rows.into_iter().take(limit as usize).collect();
    let next_cursor = more
        .then(|| rows.last().map(|c| c.id.to_string()))
        .flatten();
    let changes = rows
        .into_iter()
        .map(|c| dto::ChangeSummary::of(&s.services, c))
        .collect();
    Ok(Json(dto::ChangeList {
        changes,
        next_cursor,
    }))
}

/// Withdraw a pending change.
#[utoipa::path(post, path = "/api/v1/changes/{id}/withdraw", tag = "changes",
    params(("id" = i64, Path, description = "The change id")),
    responses(
        (status = 200, description = "Withdrawn", body = dto::ChangeSummary),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such change of this agent's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change is no longer pending", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn withdraw(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> ApiResult<Json<dto::ChangeSummary>> {
    let c = changes::withdraw(&s.services, &agent, change_id(&id)?).await?;
    Ok(Json(dto::ChangeSummary::of(&s.services, c)))
}

pub async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "about:blank",
        "Not Found",
        "no such API route",
    )
}
