//! The admin console's agent server fns. A token issued here is put in the session as a
//! one-time flash and taken out by the next `admin_agents` call, which shows it: that
//! works the same with and without JavaScript, and the token is never stored in the clear
//! beyond that one hand-over.

use leptos::prelude::*;

use crate::{dto::AgentsView, error::AppError};

#[cfg(feature = "ssr")]
const FLASH_KEY: &str = "new_token";

#[cfg(feature = "ssr")]
async fn admin() -> Result<countersign_service::UserActor, AppError> {
    let user = crate::ssr::require_user().await?;
    crate::ssr::capability(user.as_admin(), &user, "Only admins manage agents.")?;
    Ok(user)
}

#[cfg(feature = "ssr")]
async fn flash(agent: &str, token: String) -> Result<(), AppError> {
    use crate::{dto::NewToken, ssr::internal};
    let new = NewToken {
        agent: agent.to_owned(),
        token,
    };
    crate::ssr::session()
        .await?
        .insert(FLASH_KEY, new)
        .await
        .map_err(internal)
}

#[server(prefix = "/rpc")]
pub async fn admin_agents() -> Result<AgentsView, AppError> {
    use countersign_service::admin_agents;

    use crate::{
        dto::{AgentRow, NewToken},
        ssr::{fail, internal, services, session},
    };

    let user = crate::ssr::require_user().await?;
    let reader = crate::ssr::capability(
        user.as_audit_reader(),
        &user,
        "Only admins and auditors see agents.",
    )?;
    let agents = admin_agents::list_agents(&services()?, reader)
        .await
        .map_err(fail)?;
    let new_token: Option<NewToken> = session().await?.remove(FLASH_KEY).await.map_err(internal)?;
    Ok(AgentsView {
        agents: agents
            .into_iter()
            .map(|x| AgentRow {
                id: x.id.0,
                name: x.name,
                owner: x.owner,
                quarantined: x.quarantined,
                active_tokens: x.active_tokens,
                pending_changes: x.pending_changes,
                keys: x
                    .keys
                    .into_iter()
                    .map(|k| crate::dto::AgentKeyRow {
                        id: k.id,
                        algorithm: k.algorithm,
                        fingerprint: k.fingerprint,
                    })
                    .collect(),
            })
            .collect(),
        new_token,
        can_manage: user.as_admin().is_some(),
    })
}

#[server(prefix = "/rpc")]
pub async fn admin_add_agent(name: String, owner: String) -> Result<(), AppError> {
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    let token = admin_agents::add_agent(
        &services()?,
        a,
        name.trim(),
        Some(owner.trim()),
        &client().await,
    )
    .await
    .map_err(fail)?;
    flash(name.trim(), token).await
}

#[server(prefix = "/rpc")]
pub async fn admin_rotate_token(
    agent_id: i64,
    agent_name: String,
    confirm_password: Option<String>,
) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let confirm = crate::ssr::optional_password(confirm_password);
    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    let token = admin_agents::rotate_token(
        &services()?,
        a,
        AgentId(agent_id),
        confirm.as_ref(),
        &client().await,
    )
    .await
    .map_err(fail)?;
    flash(&agent_name, token).await
}

#[server(prefix = "/rpc")]
pub async fn admin_revoke_tokens(agent_id: i64) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    admin_agents::revoke_tokens(&services()?, a, AgentId(agent_id), &client().await)
        .await
        .map_err(fail)
}

#[server(prefix = "/rpc")]
pub async fn admin_set_agent_owner(agent_id: i64, owner: String) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    admin_agents::set_owner(
        &services()?,
        a,
        AgentId(agent_id),
        Some(owner.trim()),
        &client().await,
    )
    .await
    .map_err(fail)
}

#[server(prefix = "/rpc")]
pub async fn admin_set_quarantined(
    agent_id: i64,
    quarantined: bool,
    confirm_password: Option<String>,
) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let confirm = crate::ssr::optional_password(confirm_password);
    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    admin_agents::set_quarantined(
        &services()?,
        a,
        AgentId(agent_id),
        quarantined,
        confirm.as_ref(),
        &client().await,
    )
    .await
    .map_err(fail)
}

#[server(prefix = "/rpc")]
pub async fn admin_add_agent_key(agent_id: i64, public_key: String) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    admin_agents::add_key(
        &services()?,
        a,
        AgentId(agent_id),
        &public_key,
        &client().await,
    )
    .await
    .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn admin_revoke_agent_key(agent_id: i64, key_id: i64) -> Result<(), AppError> {
    use countersign_core::AgentId;
    use countersign_service::admin_agents;

    use crate::ssr::{client, fail, services};

    let user = admin().await?;
    let a = user.as_admin().ok_or(AppError::Internal)?;
    admin_agents::revoke_key(&services()?, a, AgentId(agent_id), key_id, &client().await)
        .await
        .map_err(fail)
}
