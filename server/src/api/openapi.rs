//! The agent API as an OpenAPI 3.1 document, generated from the handlers' annotations and
//! the request and response types, served at `/api/v1/openapi.json`. A test checks it
//! against the real routes and validates real responses with its schemas.

use axum::Json;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{Http, HttpAuthScheme, SecurityScheme},
};

use super::{dto, handlers, log, policies, problem::Problem, revise, webhooks};

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "agent_token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Countersign agent API", version = "1", description = "Submit changes for human review and read the signed decision back. Every error is an RFC 9457 problem."),
    paths(handlers::submit, handlers::list, handlers::get_change, handlers::decision, handlers::withdraw, revise::revise,
        log::checkpoint, log::entries, log::inclusion, log::consistency, log::keys,
        webhooks::create, webhooks::list, webhooks::delete, policies::list),
    components(schemas(
        countersign_core::submission::Submission,
        countersign_core::submission::FieldError,
        countersign_core::Eval,
        countersign_core::EvalStatus,
        countersign_core::EvalSummary,
        countersign_core::Stakes,
        countersign_core::ChangeStatus,
        countersign_core::Verdict,
        dto::Submitted,
        dto::Change,
        dto::ChangeSummary,
        dto::ChangeList,
        dto::Decision,
        dto::Requirement,
        dto::Progress,
        log::LogEntry,
        log::LogEntries,
        log::Proof,
        log::PublicKey,
        log::Keys,
        log::ReviewerKey,
        webhooks::NewWebhook,
        webhooks::CreatedWebhook,
        webhooks::Webhook,
        webhooks::WebhookList,
        policies::PolicyVersion,
        policies::PolicyVersions,
        Problem,
    )),
    modifiers(&BearerToken),
    security(("agent_token" = [])),
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json` (public: it describes, it reveals nothing).
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
