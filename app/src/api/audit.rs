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

/// The transparency log's state for the audit page: size, root and the signed
/// checkpoint, with its signature checked against the published log key.
#[server(prefix = "/rpc")]
pub async fn log_status() -> Result<crate::dto::LogStatus, AppError> {
    use countersign_core::{note, tlog::checkpoint::vkey};
    use countersign_service::tlog;

    use crate::ssr::{capability, fail, require_user, services};

    let user = require_user().await?;
    capability(
        user.as_audit_reader(),
        &user,
        "Only auditors and admins read the log status.",
    )?;
    let svc = services()?;
    let text = tlog::checkpoint(&svc).await.map_err(fail)?;
    let key = tlog::log_key(&svc).await.map_err(fail)?;
    let verifier = note::NoteVerifier::from_vkey(&vkey(&key.name, &key.public()));
    let parsed = note::parse(&text).map_err(|e| {
        fail(countersign_service::ServiceError::Internal(
            e.to_string().into(),
        ))
    })?;
    Ok(crate::dto::LogStatus {
        origin: parsed.origin.clone(),
        size: parsed.size,
        root: parsed.root.iter().map(|b| format!("{b:02x}")).collect(),
        signed: verifier.is_some_and(|v| parsed.signed_by(&v)),
        checkpoint: text,
    })
}

/// Everything needed to verify the log in the browser: the checkpoint, the published keys
/// (as `/api/v1/keys` serves them) and every leaf (base64). Auditors and admins.
#[server(prefix = "/rpc")]
pub async fn log_bundle() -> Result<crate::dto::LogBundle, AppError> {
    use countersign_service::tlog;

    use crate::ssr::{capability, fail, require_user, services};

    let user = require_user().await?;
    capability(
        user.as_audit_reader(),
        &user,
        "Only auditors and admins read the log.",
    )?;
    let svc = services()?;
    let bundle = tlog::bundle(&svc).await.map_err(fail)?;
    Ok(crate::dto::LogBundle {
        checkpoint: bundle.checkpoint,
        keys: bundle.keys.to_string(),
        leaves: bundle.leaves,
    })
}
