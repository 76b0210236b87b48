//! The stakes policy page's server fns. Admins and auditors read the policy and its
//! history; admins preview a draft and save it. The draft and its preview live in the
//! session until saved, so preview → review → save works the same with and without
//! JavaScript (each form posts, and the page reads the result back).

use leptos::prelude::*;

use crate::{dto::PolicyPageView, error::AppError};

#[cfg(feature = "ssr")]
const DRAFT_KEY: &str = "policy_draft";
#[cfg(feature = "ssr")]
const SAVED_KEY: &str = "policy_saved";

#[server(prefix = "/rpc")]
pub async fn policy_page() -> Result<PolicyPageView, AppError> {
    use countersign_service::stakes;

    use crate::{
        dto::{PolicyPreviewRow, PolicyVersionRow},
        ssr::{capability, fail, internal, require_user, services, session, timestamp},
    };

    let user = require_user().await?;
    let reader = capability(
        user.as_audit_reader(),
        &user,
        "Only admins and auditors see the policy.",
    )?;
    let svc = services()?;
    let cur = stakes::current(&svc).await.map_err(fail)?;
    let history = stakes::history(&svc, reader).await.map_err(fail)?;
    let session = session().await?;
    let saved: Option<i64> = session.remove(SAVED_KEY).await.map_err(internal)?;
    let draft: Option<String> = match user.as_admin() {
        Some(_) => session.get(DRAFT_KEY).await.map_err(internal)?,
        None => None,
    };
    let preview = match (&draft, user.as_admin()) {
        (Some(text), Some(admin)) => Some(
            stakes::preview(&svc, admin, text)
                .await
                .map_err(fail)?
                .rows
                .into_iter()
                .map(|r| PolicyPreviewRow {
                    id: r.id.0,
                    title: r.title,
                    now: r.now,
                    after: r.after,
                    changed: r.changed,
                })
                .collect(),
        ),
        _ => None,
    };
    Ok(PolicyPageView {
        version: cur.version,
        hash: cur.hash,
        text: cur.text,
        draft,
        preview,
        saved,
        history: history
            .into_iter()
            .map(|p| PolicyVersionRow {
                version: p.version,
                hash: p.hash,
                by: p.created_by.unwrap_or_else(|| "system".into()),
                at: timestamp(p.created_at),
            })
            .collect(),
        can_edit: user.as_admin().is_some(),
    })
}

/// Validates a draft and keeps it (with its preview) for the admin to review.
#[server(prefix = "/rpc")]
pub async fn preview_policy(text: String) -> Result<(), AppError> {
    use countersign_service::stakes;

    use crate::ssr::{capability, fail, internal, require_user, services, session};

    let user = require_user().await?;
    let admin = capability(user.as_admin(), &user, "Only admins edit the policy.")?;
    stakes::preview(&services()?, admin, &text)
        .await
        .map_err(fail)?;
    session()
        .await?
        .insert(DRAFT_KEY, text)
        .await
        .map_err(internal)
}

/// Saves the draft as the next version, confirmed with the admin's password.
#[server(prefix = "/rpc")]
pub async fn save_policy(text: String, confirm_password: Option<String>) -> Result<i64, AppError> {
    use countersign_service::stakes;

    use crate::ssr::{
        capability, fail, internal, optional_password, require_user, services, session,
    };

    let confirm = optional_password(confirm_password);
    let user = require_user().await?;
    let admin = capability(user.as_admin(), &user, "Only admins edit the policy.")?;
    let version = stakes::save(&services()?, admin, &text, confirm.as_ref())
        .await
        .map_err(fail)?;
    let session = session().await?;
    session
        .remove::<String>(DRAFT_KEY)
        .await
        .map_err(internal)?;
    session.insert(SAVED_KEY, version).await.map_err(internal)?;
    Ok(version)
}

/// Drops the draft without saving it.
#[server(prefix = "/rpc")]
pub async fn discard_policy_draft() -> Result<(), AppError> {
    use crate::ssr::{capability, internal, require_user, session};

    let user = require_user().await?;
    capability(user.as_admin(), &user, "Only admins edit the policy.")?;
    session()
        .await?
        .remove::<String>(DRAFT_KEY)
        .await
        .map_err(internal)
        .map(|_| ())
}
