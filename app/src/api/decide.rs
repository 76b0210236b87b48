//! A reviewer's decision, confirmed with their password. Without JavaScript this is a
//! plain form post that redirects back to the change page (leptos sends the error along
//! in the URL when there is one).

use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/rpc")]
pub async fn decide(
    change_id: i64,
    revision: i64,
    verdict: String,
    comment: String,
    password: String,
    opened_at: Option<i64>,
) -> Result<String, AppError> {
    use countersign_core::{ChangeId, Verdict};
    use countersign_service::{Password, ServiceError, changes};

    use crate::ssr::{capability, fail, require_user, services};

    let password = Password::new(password);
    let user = require_user().await?;
    let reviewer = capability(
        user.as_reviewer(),
        &user,
        "Only reviewers can decide on changes.",
    )?;
    let verdict = verdict.parse::<Verdict>().map_err(|_| {
        fail(ServiceError::invalid(
            "verdict",
            "Choose Approve or Reject.",
        ))
    })?;
    let input = changes::DecideInput {
        change_id: ChangeId(change_id),
        revision,
        verdict,
        comment: Some(comment),
        password,
        opened_at,
    };
    let status = changes::decide(&services()?, reviewer, input)
        .await
        .map_err(fail)?;
    tracing::info!(change = change_id, reviewer = %user.username, %verdict, "decision recorded");
    Ok(status.to_string())
}
