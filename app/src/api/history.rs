//! The auditor's history page: changes and decisions, filtered; read by auditors and admins.
// One argument per filter is what the GET form sends; the macro's generated fns inherit it.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::{dto::HistoryRow, error::AppError};

/// The newest rows shown on the page (exports hold up to 10,000).
pub const HISTORY_PAGE: i64 = 200;

#[server(prefix = "/rpc")]
pub async fn audit_history(
    from: Option<String>,
    to: Option<String>,
    reviewer: Option<String>,
    agent: Option<String>,
    repository: Option<String>,
    verdict: Option<String>,
    stakes: Option<String>,
    status: Option<String>,
) -> Result<Vec<HistoryRow>, AppError> {
    use countersign_service::history::{self, HistoryQuery};

    use crate::ssr::{capability, fail, require_user, services};

    let user = require_user().await?;
    let reader = capability(
        user.as_audit_reader(),
        &user,
        "Only auditors and admins read the history.",
    )?;
    let q = HistoryQuery {
        from,
        to,
        reviewer,
        agent,
        repository,
        verdict,
        stakes,
        status,
    };
    let rows = history::history(&services()?, reader, q.filter(HISTORY_PAGE).map_err(fail)?)
        .await
        .map_err(fail)?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryRow {
            change_id: r.change_id,
            title: r.title,
            repository: r.repository,
            agent: r.agent,
            stakes: r.stakes,
            status: r.status,
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            verdict: r.verdict,
            reviewer: r.reviewer,
            revision: r.revision,
            stale: r.stale,
            signature: r.signature,
            reason: r.reason,
        })
        .collect())
}
