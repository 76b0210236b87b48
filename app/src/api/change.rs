//! One change with everything a reviewer needs to judge it.

use leptos::prelude::*;

use crate::{dto, error::AppError};

#[server(prefix = "/rpc")]
pub async fn change_view(id: i64, show: Option<usize>) -> Result<dto::ChangeView, AppError> {
    use countersign_core::ChangeId;
    use countersign_service::changes;

    use crate::ssr::{age, capability, diff_layout, fail, require_user, services, timestamp};

    let user = require_user().await?;
    let reader = capability(user.as_reader(), &user, "You have no role yet.")?;
    let svc = services()?;
    let d = changes::change_detail(&svc, reader, ChangeId(id))
        .await
        .map_err(fail)?;
    let c = d.change;
    let decided_now = d
        .decisions
        .iter()
        .any(|x| x.reviewer_id == Some(user.id) && x.revision == c.revision);
    let why_not = if c.status.is_final() {
        Some(format!("This change is {}.", c.status))
    } else if user.as_reviewer().is_none() {
        Some("Only reviewers and admins can decide on changes.".to_owned())
    } else if c.agent_owner == Some(user.id) {
        Some("You own the agent that submitted this change, so you cannot decide on it.".to_owned())
    } else if decided_now {
        Some(
            "You have decided on this revision; the others still needed are listed above."
                .to_owned(),
        )
    } else {
        None
    };
    let eval_gaps = d
        .progress
        .blocked
        .iter()
        .any(|b| b.starts_with("eval ") || b.starts_with("required eval "));
    let can_override = !c.status.is_final()
        && user.as_admin().is_some()
        && d.requirement.rule.allow_override
        && c.override_by.is_none()
        && eval_gaps;
    let overridden = match (c.override_by, &c.override_reason) {
        (Some(by), Some(reason)) => {
            let who = svc
                .store
                .user_by_id(by)
                .await
                .map_err(|e| fail(e.into()))?
                .map_or_else(|| format!("user {by}"), |u| u.username);
            Some(format!("Required evals overridden by {who}: {reason}"))
        }
        _ => None,
    };
    let current_digest = c.digest.clone();
    let signers = countersign_service::tlog::signers(&svc)
        .await
        .map_err(fail)?;
    let decisions = d.decisions;
    let mut logged = Vec::with_capacity(decisions.len());
    for x in &decisions {
        logged.push(match x.log_index {
            None => None,
            Some(i) => Some(match countersign_service::tlog::included(&svc, i).await.map_err(fail)? {
                inc if inc.verified => format!("In the log at index {i}: its inclusion proof verifies against the signed checkpoint of size {}", inc.size),
                inc => format!("In the log at index {i}, but its inclusion proof does NOT verify against the checkpoint of size {}", inc.size),
            }),
        });
    }
    let policy = dto::PolicyView {
        declared: c.declared_stakes,
        reasons: c.tier_reasons.clone(),
        requirement: d.requirement.describe(),
        progress: d.progress.summary.clone(),
        blocked: d.progress.blocked.clone(),
        version: c.policy_hash.clone(),
        expires: c.expires_at.filter(|_| !c.status.is_final()).map(timestamp),
    };
    let provenance = countersign_service::provenance::examine_revision(
        &svc,
        c.agent_id,
        c.base.as_deref(),
        &d.revision,
    )
    .await
    .map_err(fail)?;
    Ok(dto::ChangeView {
        id: c.id.0,
        title: c.title,
        description: c.description,
        repository: c.repository,
        base: c.base,
        agent: c.agent_name,
        stakes: c.stakes,
        status: c.status,
        revision: c.revision,
        digest: c.digest,
        submitted: format!("{} ({})", timestamp(c.created_at), age(c.created_at)),
        policy,
        diff: diff_view(&svc, &d.revision.digest.diff, &d.revision.diff, show).await?,
        layout: diff_layout(),
        evals: d.revision.evals,
        provenance,
        decisions: decisions
            .into_iter()
            .zip(logged)
            .map(|(x, log)| dto::DecisionView {
                reviewer: x.reviewer,
                verdict: x.verdict,
                comment: x.comment,
                at: timestamp(x.created_at),
                revision: x.revision,
                stale: x.digest != current_digest,
                signature: x.envelope.as_ref().map(|e| {
                    match signers.check(x.key_id.as_deref(), e, id, &x.digest) {
                        Ok(k) => format!("signature valid (key {k})"),
                        Err(why) => format!("signature does not verify: {why}"),
                    }
                }),
                signature_ok: x
                    .envelope
                    .as_ref()
                    .is_some_and(|e| signers.check(x.key_id.as_deref(), e, id, &x.digest).is_ok()),
                envelope: x.envelope,
                log,
                digest: x.digest,
                system_reason: x.reason,
            })
            .collect(),
        opened_at: chrono::Utc::now().timestamp(),
        can_decide: why_not.is_none(),
        can_override,
        overridden,
        agent_quarantined: c.agent_quarantined,
        why_not,
    })
}

/// The stored diff as the page shows it (rendered once per content and cached).
#[cfg(feature = "ssr")]
async fn diff_view(
    svc: &countersign_service::Services,
    digest: &str,
    diff: &[u8],
    show: Option<usize>,
) -> Result<dto::DiffView, AppError> {
    let r = svc
        .diffs
        .render(digest, diff.to_vec(), show)
        .await
        .map_err(crate::ssr::fail)?;
    Ok(match &r.page {
        Ok(page) => dto::DiffView {
            files: page.files.clone(),
            trailing: page.trailing.clone(),
            added: r.added,
            removed: r.removed,
            error: None,
            raw: Vec::new(),
        },
        Err(e) => dto::DiffView {
            files: Vec::new(),
            trailing: Vec::new(),
            added: 0,
            removed: 0,
            error: Some(e.to_string()),
            raw: String::from_utf8_lossy(diff)
                .lines()
                .take(2_000)
                .map(str::to_owned)
                .collect(),
        },
    })
}
