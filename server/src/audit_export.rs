//! `GET /audit/export?format=jsonl|csv|bundle&…filters`: the auditor's history as a file
//! (the same rows and filters as the history page), or the log bundle that `countersign
//! verify --bundle` checks offline. A console route: it needs a signed-in auditor or admin
//! (session cookie), and only reads.

use axum::{
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use countersign_service::{
    ServiceError,
    history::{self, HistoryQuery, MAX_ROWS},
    tlog,
};
use serde::Deserialize;
use tower_sessions::Session;

use crate::{api::Problem, router::AppState};

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    format: Option<String>,
    #[serde(flatten)]
    filters: HistoryQuery,
}

fn file(content_type: &'static str, name: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

pub async fn export(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<ExportQuery>,
) -> Result<Response, Problem> {
    let user = app::ssr::current_user_from(&session, &s.services)
        .await
        .map_err(|_| Problem::from(ServiceError::Internal("reading the session failed".into())))?
        .ok_or(ServiceError::Unauthenticated)?;
    let reader = user.as_audit_reader().ok_or(ServiceError::Forbidden(
        "Only auditors and admins export the history.",
    ))?;
    match q.format.as_deref().unwrap_or("jsonl") {
        "bundle" => {
            let b = tlog::bundle(&s.services).await?;
            let body = countersign_core::tlog::verify::bundle_json(
                &b.checkpoint,
                &b.keys,
                &b.leaves,
                &b.policies,
            );
            Ok(file(
                "application/json",
                "attachment; filename=\"countersign-log-bundle.json\"",
                body.to_string(),
            ))
        }
        format @ ("jsonl" | "csv") => {
            let rows = history::history(&s.services, reader, q.filters.filter(MAX_ROWS)?).await?;
            Ok(if format == "csv" {
                file(
                    "text/csv; charset=utf-8",
                    "attachment; filename=\"countersign-history.csv\"",
                    history::to_csv(&rows)?,
                )
            } else {
                file(
                    "application/x-ndjson",
                    "attachment; filename=\"countersign-history.jsonl\"",
                    history::to_jsonl(&rows),
                )
            })
        }
        _ => Err(Problem::field(
            StatusCode::BAD_REQUEST,
            "format",
            "use jsonl, csv or bundle",
        )),
    }
}
