//! The oversight dashboard's numbers, for admins and auditors.

use leptos::prelude::*;

use crate::{dto::DashboardView, error::AppError};

#[server(prefix = "/rpc")]
pub async fn oversight() -> Result<DashboardView, AppError> {
    use countersign_service::dashboard::{self, BUCKETS};

    use crate::{
        dto::SignalView,
        ssr::{capability, fail, require_user, services},
    };

    let user = require_user().await?;
    let reader = capability(
        user.as_audit_reader(),
        &user,
        "Only admins and auditors see the dashboard.",
    )?;
    let d = dashboard::dashboard(&services()?, reader)
        .await
        .map_err(fail)?;
    Ok(DashboardView {
        pending_by_day: d.pending_by_day,
        pending_now: d.pending_now,
        oldest: d
            .oldest_pending
            .map(|(id, title, secs)| (id.0, title, age(secs))),
        time_to_decision: BUCKETS
            .iter()
            .zip(d.time_to_decision)
            .map(|((_, label), n)| ((*label).to_owned(), n))
            .collect(),
        reviewers: d
            .by_reviewer
            .into_iter()
            .map(|(who, (a, r))| (who, a, r))
            .collect(),
        agent_only_approvals: d.agent_only_approvals,
        human_approvals: d.human_approvals,
        signals: d
            .signals
            .into_iter()
            .map(|s| SignalView {
                kind: s.kind.to_owned(),
                text: s.text,
                changes: s.changes.into_iter().map(|c| c.0).collect(),
            })
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn age(secs: i64) -> String {
    match secs {
        s if s < 3_600 => format!("{} min", s / 60),
        s if s < 2 * 86_400 => format!("{} h", s / 3_600),
        s => format!("{} days", s / 86_400),
    }
}
