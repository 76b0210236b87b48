//! People and agents: loading the caller, creating accounts, the first admin.

use countersign_core::Role;

use crate::{
    Services,
    actor::{AgentActor, Client, UserActor},
    error::{ServiceError, ServiceResult},
    password_rules,
    passwords::Password,
    store::{AuditActor, NewUser, UserRecord},
    tokens,
};

pub(crate) fn actor_of(u: UserRecord) -> UserActor {
    UserActor {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        roles: u.roles,
        session_epoch: u.session_epoch,
        must_change_password: u.must_change_password,
    }
}

/// Confirms that `password` is the current password of `user` (for decisions).
pub async fn confirm_password(
    svc: &Services,
    user: &UserActor,
    password: &Password,
) -> ServiceResult<()> {
    let record = svc
        .store
        .user_by_id(user.id)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if svc
        .passwords
        .verify(password, Some(&record.password_hash))
        .await?
        && !record.disabled
    {
        Ok(())
    } else {
        Err(ServiceError::BadCredentials)
    }
}

/// The signed-in user for a session's user id; `None` when gone or disabled.
pub async fn load_user(
    svc: &Services,
    id: countersign_core::UserId,
) -> ServiceResult<Option<UserActor>> {
    Ok(svc
        .store
        .user_by_id(id)
        .await?
        .filter(|u| !u.disabled)
        .map(actor_of))
}

/// The agent holding `token`: `Unauthenticated` for an unknown or revoked token, and
/// `Forbidden` (saying so) while the agent is quarantined.
pub async fn authenticate_agent(svc: &Services, token: &str) -> ServiceResult<AgentActor> {
    let agent = svc
        .store
        .agent_by_token_hash(&tokens::hash_token(token))
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if agent.quarantined {
        return Err(ServiceError::Forbidden(
            "This agent is quarantined; an admin must release it before it can use the API.",
        ));
    }
    Ok(AgentActor {
        id: agent.id,
        name: agent.name,
        quarantined: agent.quarantined,
    })
}

fn check_name(field: &str, name: &str) -> ServiceResult<()> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            field,
            "use 1 to 64 letters, digits, '.', '_' or '-'",
        ))
    }
}

/// Creates a person who chose their own password (the CLI, the first admin).
pub async fn create_user(
    svc: &Services,
    username: &str,
    roles: Vec<Role>,
    password: &Password,
    by: AuditActor,
) -> ServiceResult<countersign_core::UserId> {
    insert_user(
        svc,
        username,
        username,
        roles,
        password,
        false,
        (by, &Client::default()),
    )
    .await
}

/// Validates and stores a new person; `must_change_password` when someone else chose it.
/// `(by, client)` is who creates them and from where, for the audit row.
pub(crate) async fn insert_user(
    svc: &Services,
    username: &str,
    display_name: &str,
    roles: Vec<Role>,
    password: &Password,
    must_change_password: bool,
    (by, client): (AuditActor, &Client),
) -> ServiceResult<countersign_core::UserId> {
    check_name("username", username)?;
    let display_name = display_name.trim();
    if display_name.is_empty() || display_name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "display_name",
            "Use 1 to 100 characters.",
        ));
    }
    password_rules::check("password", password.expose(), username)?;
    let password_hash = svc.passwords.hash(password).await?;
    let new = NewUser {
        username: username.into(),
        display_name: display_name.into(),
        password_hash,
        roles,
        must_change_password,
        client_addr: client.addr(),
    };
    svc.store
        .create_user(new, by)
        .await
        .map_err(|e| ServiceError::conflict_or(e, || format!("user `{username}` already exists")))
}

/// Creates an agent and returns its token in the clear, the only time it is seen.
pub async fn create_agent(
    svc: &Services,
    name: &str,
    owner: Option<&str>,
    by: AuditActor,
    client: &Client,
) -> ServiceResult<(countersign_core::AgentId, String)> {
    check_name("name", name)?;
    let owner = match owner {
        Some(o) => Some(
            svc.store
                .user_by_username(o)
                .await?
                .ok_or_else(|| ServiceError::invalid("owner", "no such user"))?
                .id,
        ),
        None => None,
    };
    let token = tokens::new_token();
    let id = svc
        .store
        .create_agent(
            name,
            owner,
            &tokens::hash_token(&token),
            by,
            client.addr().as_deref(),
        )
        .await
        .map_err(|e| ServiceError::conflict_or(e, || format!("agent `{name}` already exists")))?;
    Ok((id, token))
}

/// On a database with no admin, creates `admin` (roles admin and reviewer, so a first run
/// can review at once). Returns the password when it was generated, to print once.
pub async fn ensure_first_admin(
    svc: &Services,
    given: Option<Password>,
) -> ServiceResult<Option<String>> {
    if svc.store.count_users_with_role(Role::Admin).await? > 0
        || svc.store.user_by_username("admin").await?.is_some()
    {
        return Ok(None);
    }
    let (password, generated) = match given {
        Some(p) => (p, false),
        None => (
            Password::new(tokens::new_token().replace(tokens::TOKEN_PREFIX, "")),
            true,
        ),
    };
    create_user(
        svc,
        "admin",
        vec![Role::Admin, Role::Reviewer],
        &password,
        AuditActor::System,
    )
    .await?;
    Ok(generated.then(|| password.expose().to_owned()))
}
