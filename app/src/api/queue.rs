//! The review queue: any signed-in person with a role may read it.

use leptos::prelude::*;

use crate::{dto::QueuePage, error::AppError};

/// A page of changes filtered by `status` (default `pending`; `all` for every status) and
/// `stakes`; `mine` keeps only the pending changes that still need the viewer's decision;
/// `after` (a change id) starts the page after that change, in queue order.
#[server(prefix = "/rpc")]
pub async fn queue(
    status: Option<String>,
    stakes: Option<String>,
    mine: Option<String>,
    after: Option<String>,
) -> Result<QueuePage, AppError> {
    use countersign_core::{ChangeId, ChangeStatus, Stakes};
    use countersign_service::{changes, store::QueueFilter};

    use crate::{
        dto::QueueRow,
        ssr::{age, capability, fail, require_user, services},
    };

    let user = require_user().await?;
    let reader = capability(user.as_reader(), &user, "You have no role yet.")?;
    let bad = |field: &str| AppError::Invalid {
        field: field.into(),
        message: format!("unknown {field}"),
    };
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => Some(ChangeStatus::Pending),
        Some("all") => None,
        Some(s) => Some(s.parse::<ChangeStatus>().map_err(|_| bad("status"))?),
    };
    let stakes = match stakes.as_deref().filter(|s| !s.is_empty() && *s != "all") {
        None => None,
        Some(s) => Some(s.parse::<Stakes>().map_err(|_| bad("stakes"))?),
    };
    let mine = mine.as_deref().is_some_and(|m| !m.is_empty());
    let svc = services()?;
    let after = match after.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(a) => {
            let id = a.parse::<i64>().map_err(|_| bad("after"))?;
            changes::queue_cursor(&svc, reader, ChangeId(id))
                .await
                .map_err(fail)?
        }
    };
    let filter = QueueFilter {
        status: if mine {
            Some(ChangeStatus::Pending)
        } else {
            status
        },
        stakes,
        needs_review_by: mine.then_some(user.id),
        after,
        // One more than a page: whether it came back says if there is a next page.
        limit: QueuePage::SIZE as i64 + 1,
    };
    let mut rows = changes::queue(&svc, reader, filter).await.map_err(fail)?;
    let more = rows.len() > QueuePage::SIZE;
    rows.truncate(QueuePage::SIZE);
    let rows = rows
        .into_iter()
        .map(|c| QueueRow {
            id: c.id.0,
            title: c.title,
            repository: c.repository,
            agent: c.agent_name,
            stakes: c.stakes,
            status: c.status,
            age: age(c.created_at),
            evals: c.evals,
            progress: c.progress,
        })
        .collect();
    Ok(QueuePage { rows, more })
}
