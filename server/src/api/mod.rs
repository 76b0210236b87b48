//! Agent API v1: JSON over HTTP with bearer tokens, errors as RFC 9457 problems.

mod auth;
mod body;
mod dto;
mod handlers;
mod log;
pub mod openapi;
mod policies;
mod problem;
mod revise;
mod webhooks;

use axum::{
    Router,
    routing::{any, get, post},
};

pub use problem::Problem;

use crate::router::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/changes",
            post(handlers::submit).get(handlers::list),
        )
        .route("/api/v1/changes/{id}", get(handlers::get_change))
        .route("/api/v1/changes/{id}/decision", get(handlers::decision))
        .route("/api/v1/changes/{id}/withdraw", post(handlers::withdraw))
        .route("/api/v1/changes/{id}/revisions", post(revise::revise))
        .route("/api/v1/log/checkpoint", get(log::checkpoint))
        .route("/api/v1/log/entries", get(log::entries))
        .route("/api/v1/log/proof/inclusion", get(log::inclusion))
        .route("/api/v1/log/proof/consistency", get(log::consistency))
        .route("/api/v1/keys", get(log::keys))
        .route("/api/v1/policies", get(policies::list))
        .route(
            "/api/v1/webhooks",
            post(webhooks::create).get(webhooks::list),
        )
        .route(
            "/api/v1/webhooks/{id}",
            axum::routing::delete(webhooks::delete),
        )
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/{*rest}", any(handlers::not_found))
}
