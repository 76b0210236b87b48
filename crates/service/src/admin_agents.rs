//! What an admin may do to agents: list, create, rotate or revoke tokens, set the owner,
//! quarantine and release. Tokens are shown once, in the return value, and stored only as
//! hashes. Rotating a token and quarantining need the admin's password again.

use countersign_core::{AgentId, UserId};

use crate::{
    Services,
    accounts::create_agent,
    actor::{Admin, AuditReader, Client},
    admin::reconfirm,
    error::{ServiceError, ServiceResult},
    passwords::Password,
    store::{AgentSummary, AuditActor},
    tokens,
};

fn by(admin: Admin<'_>) -> AuditActor {
    AuditActor::User(admin.user().id)
}

/// Auditors read the list too (they read everything and change nothing).
pub async fn list_agents(
    svc: &Services,
    _reader: AuditReader<'_>,
) -> ServiceResult<Vec<AgentSummary>> {
    Ok(svc.store.list_agents().await?)
}

/// Creates an agent; returns its token, the only time it is seen.
pub async fn add_agent(
    svc: &Services,
    admin: Admin<'_>,
    name: &str,
    owner: Option<&str>,
    client: &Client,
) -> ServiceResult<String> {
    let owner = owner.filter(|o| !o.is_empty());
    let (_, token) = create_agent(svc, name, owner, by(admin), client).await?;
    Ok(token)
}

/// Revokes the agent's tokens and issues a new one at once; returns the new token.
pub async fn rotate_token(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    confirm: Option<&Password>,
    client: &Client,
) -> ServiceResult<String> {
    reconfirm(svc, admin, confirm).await?;
    let token = tokens::new_token();
    let hash = tokens::hash_token(&token);
    svc.store
        .replace_agent_tokens(agent, Some(&hash), by(admin), client.addr().as_deref())
        .await?;
    Ok(token)
}

/// Revokes every token of the agent; it can no longer call the API until rotated.
pub async fn revoke_tokens(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    client: &Client,
) -> ServiceResult<()> {
    Ok(svc
        .store
        .replace_agent_tokens(agent, None, by(admin), client.addr().as_deref())
        .await?)
}

pub async fn set_owner(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    owner: Option<&str>,
    client: &Client,
) -> ServiceResult<()> {
    let owner: Option<UserId> = match owner.filter(|o| !o.is_empty()) {
        None => None,
        Some(name) => Some(
            svc.store
                .user_by_username(name)
                .await?
                .ok_or_else(|| ServiceError::invalid("owner", "No such person."))?
                .id,
        ),
    };
    Ok(svc
        .store
        .set_agent_owner(agent, owner, by(admin), client.addr().as_deref())
        .await?)
}

/// Quarantines (or releases) an agent: while quarantined its API calls are refused and
/// its pending changes cannot be approved.
pub async fn set_quarantined(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    quarantined: bool,
    confirm: Option<&Password>,
    client: &Client,
) -> ServiceResult<()> {
    reconfirm(svc, admin, confirm).await?;
    svc.store
        .set_agent_quarantined(agent, quarantined, by(admin), client.addr().as_deref())
        .await?;
    Ok(())
}

/// Registers a public key (PEM) the agent signs its attestations with.
pub async fn add_key(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    pem: &str,
    client: &Client,
) -> ServiceResult<i64> {
    let key = countersign_core::keys::parse_public_key(pem)
        .map_err(|e| ServiceError::invalid("public_key", &format!("{e}.")))?;
    svc.store
        .add_agent_key(agent, &key, by(admin), client.addr().as_deref())
        .await
        .map_err(|e| ServiceError::conflict_or(e, || "This agent already has that key.".into()))
}

/// Revokes one of the agent's keys; it stays on record.
pub async fn revoke_key(
    svc: &Services,
    admin: Admin<'_>,
    agent: AgentId,
    key: i64,
    client: &Client,
) -> ServiceResult<()> {
    Ok(svc
        .store
        .revoke_agent_key(agent, key, by(admin), client.addr().as_deref())
        .await?)
}
