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
    let why_not = if c.status.is_final() {
        Some(format!("This change is {}.", c.status))
    } else if user.as_reviewer().is_none() {
        Some("Only reviewers can decide on changes.".to_owned())
    } else if c.agent_owner == Some(user.id) {
        Some("You own the agent that submitted this change, so you cannot decide on it.".to_owned())
    } else {
        None
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
        diff: diff_view(&svc, &d.revision.digest.diff, &d.revision.diff, show).await?,
        layout: diff_layout(),
        evals: d.revision.evals,
        provenance,
        decisions: d
            .decisions
            .into_iter()
            .map(|x| dto::DecisionView {
                reviewer: x.reviewer,
                verdict: x.verdict,
                comment: x.comment,
                at: timestamp(x.created_at),
                revision: x.revision,
                digest: x.digest,
            })
            .collect(),
        can_decide: why_not.is_none(),
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
