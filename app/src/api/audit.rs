//! The audit trail for auditors and admins.

use leptos::prelude::*;

use crate::{dto::AuditRow, error::AppError};

/// Rows shown per page.
pub const AUDIT_PAGE: i64 = 50;

#[server(prefix = "/rpc")]
pub async fn audit_events(
    action: Option<String>,
    subject: Option<String>,
    before: Option<i64>,
) -> Result<Vec<AuditRow>, AppError> {
    use countersign_service::{audit, store::AuditFilter};

    use crate::ssr::{capability, fail, require_user, services, timestamp};

    let user = require_user().await?;
    let reader = capability(
        user.as_audit_reader(),
        &user,
        "Only auditors and admins read the audit trail.",
    )?;
    let filter = AuditFilter {
        action: action.filter(|a| !a.is_empty()),
        subject: subject
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        before,
        limit: AUDIT_PAGE,
    };
    let rows = audit::events(&services()?, reader, filter)
        .await
        .map_err(fail)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: timestamp(r.created_at),
            actor: match (r.actor_kind.as_str(), r.actor) {
                ("system", _) => "system".into(),
                (kind, Some(name)) => format!("{kind} {name}"),
                (kind, None) => kind.to_owned(),
            },
            action: r.action,
            subject: r.subject,
            client: r.client_addr,
            details: r.details,
        })
        .collect())
}
