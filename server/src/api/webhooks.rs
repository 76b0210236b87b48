//! `POST/GET /api/v1/webhooks` and `DELETE /api/v1/webhooks/{id}`: an agent's callback
//! URLs. The secret is in the creation response only; the receiver checks each delivery's
//! `webhook-signature` with it (Standard Webhooks).

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use countersign_service::{ServiceError, webhooks};
use serde::{Deserialize, Serialize};

use super::{auth::Agent, body::JsonBody, problem::Problem};
use crate::router::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewWebhook {
    /// Where to POST events (http or https).
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedWebhook {
    pub id: i64,
    pub url: String,
    /// `whsec_…`: shown this once. Verify each delivery's `webhook-signature` with it.
    pub secret: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookList {
    pub webhooks: Vec<Webhook>,
}

/// Register a callback URL for the calling agent's change events.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", request_body = NewWebhook,
    responses(
        (status = 201, description = "Registered; the secret is shown this once", body = CreatedWebhook),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an http(s) URL", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(s): State<AppState>,
    Agent(agent): Agent,
    JsonBody(body): JsonBody<NewWebhook>,
) -> Result<impl IntoResponse, Problem> {
    let (id, secret) = webhooks::register(&s.services, &agent, &body.url).await?;
    let url = s
        .services
        .store
        .webhooks(agent.id)
        .await
        .map_err(ServiceError::from)?
        .into_iter()
        .find(|w| w.id == id)
        .map(|w| w.url)
        .unwrap_or(body.url);
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook { id, url, secret }),
    ))
}

/// The calling agent's webhooks (without their secrets).
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks",
    responses(
        (status = 200, description = "The webhooks", body = WebhookList),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(s): State<AppState>,
    Agent(agent): Agent,
) -> Result<Json<WebhookList>, Problem> {
    let hooks = webhooks::list(&s.services, &agent).await?;
    Ok(Json(WebhookList {
        webhooks: hooks
            .into_iter()
            .map(|w| Webhook {
                id: w.id,
                url: w.url,
                created_at: w.created_at,
            })
            .collect(),
    }))
}

/// Stop sending to a webhook.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    params(("id" = i64, Path, description = "The webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid agent token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook of this agent", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(s): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let id: i64 = id.parse().map_err(|_| ServiceError::NotFound)?;
    webhooks::delete(&s.services, agent.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
