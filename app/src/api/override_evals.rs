//! An admin's override of failing required evals on a pending change, with a written
//! justification and their password. Shown on the change page only where the change's
//! tier allows it and a required eval is failing or missing.

use leptos::prelude::*;

use crate::error::AppError;

#[server(prefix = "/rpc")]
pub async fn override_evals(
    change_id: i64,
    justification: String,
    confirm_password: Option<String>,
) -> Result<String, AppError> {
    use countersign_core::ChangeId;
    use countersign_service::changes;

    use crate::ssr::{capability, fail, optional_password, require_user, services};

    let confirm = optional_password(confirm_password);
    let user = require_user().await?;
    let admin = capability(
        user.as_admin(),
        &user,
        "Only admins can override failing evals.",
    )?;
    let status = changes::override_evals(
        &services()?,
        admin,
        ChangeId(change_id),
        &justification,
        confirm.as_ref(),
    )
    .await
    .map_err(fail)?;
    tracing::info!(change = change_id, admin = %user.username, "required evals overridden");
    Ok(status.to_string())
}
