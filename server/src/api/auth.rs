//! The calling agent, from `Authorization: Bearer <token>`. Cookies are never consulted
//! here, so a signed-in browser has no authority on the agent API.

use axum::{extract::FromRequestParts, http::request::Parts};
use countersign_service::{AgentActor, ServiceError, accounts};

use super::problem::Problem;
use crate::router::AppState;

pub struct Agent(pub AgentActor);

impl FromRequestParts<AppState> for Agent {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ServiceError::Unauthenticated)?;
        Ok(Agent(
            accounts::authenticate_agent(&state.services, token).await?,
        ))
    }
}
