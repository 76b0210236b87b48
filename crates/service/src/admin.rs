//! What an admin may do to people. Every function takes the `Admin` capability, so the
//! role check cannot be forgotten; each writes its audit rows in its own transaction.
//!
//! Guards: no change may leave the system without an active admin, an admin cannot demote
//! or disable themselves (they would lock themselves out), and actions that hand out power
//! — granting admin, setting someone's password — need the admin's own password again.

use countersign_core::{Role, UserId};

use crate::{
    Services,
    accounts::{confirm_password, insert_user},
    actor::{Admin, AuditReader, Client},
    error::{ServiceError, ServiceResult},
    password_rules,
    passwords::Password,
    store::{AuditActor, StoreError, UserSummary},
};

fn guard(e: StoreError) -> ServiceError {
    match e {
        StoreError::Conflict("last_admin") => {
            ServiceError::Conflict("At least one active admin must remain.".into())
        }
        other => other.into(),
    }
}

/// The admin's own password, required for actions that hand out power.
pub(crate) async fn reconfirm(
    svc: &Services,
    admin: Admin<'_>,
    password: Option<&Password>,
) -> ServiceResult<()> {
    match password.filter(|p| !p.expose().is_empty()) {
        None => Err(ServiceError::invalid(
            "confirm_password",
            "Confirm with your own password.",
        )),
        Some(p) => confirm_password(svc, admin.user(), p).await,
    }
}

/// Auditors read the list too (they read everything and change nothing).
pub async fn list_people(
    svc: &Services,
    _reader: AuditReader<'_>,
) -> ServiceResult<Vec<UserSummary>> {
    Ok(svc.store.list_users().await?)
}

/// A person to create, with the password they must change at first sign-in.
pub struct NewPerson<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub roles: Vec<Role>,
    pub initial_password: &'a Password,
}

/// Creates a person with an initial password they must change at first sign-in.
pub async fn create_person(
    svc: &Services,
    admin: Admin<'_>,
    p: NewPerson<'_>,
    confirm: Option<&Password>,
    client: &Client,
) -> ServiceResult<UserId> {
    if p.roles.contains(&Role::Admin) {
        reconfirm(svc, admin, confirm).await?;
    }
    let by = (AuditActor::User(admin.user().id), client);
    insert_user(
        svc,
        p.username,
        p.display_name,
        p.roles,
        p.initial_password,
        true,
        by,
    )
    .await
}

pub async fn set_roles(
    svc: &Services,
    admin: Admin<'_>,
    target: UserId,
    roles: Vec<Role>,
    confirm: Option<&Password>,
    client: &Client,
) -> ServiceResult<()> {
    let me = admin.user();
    if target == me.id && !roles.contains(&Role::Admin) {
        return Err(ServiceError::Forbidden(
            "You cannot remove your own admin role.",
        ));
    }
    let current = svc
        .store
        .user_by_id(target)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if roles.contains(&Role::Admin) && !current.roles.contains(&Role::Admin) {
        reconfirm(svc, admin, confirm).await?;
    }
    let by = AuditActor::User(me.id);
    svc.store
        .set_roles(target, &roles, by, client.addr().as_deref())
        .await
        .map_err(guard)
}

pub async fn set_disabled(
    svc: &Services,
    admin: Admin<'_>,
    target: UserId,
    disabled: bool,
    client: &Client,
) -> ServiceResult<()> {
    if target == admin.user().id && disabled {
        return Err(ServiceError::Forbidden(
            "You cannot disable your own account.",
        ));
    }
    let by = AuditActor::User(admin.user().id);
    svc.store
        .set_disabled(target, disabled, by, client.addr().as_deref())
        .await
        .map_err(guard)
}

/// Sets a temporary password; the person must change it at next sign-in, and every
/// session of theirs ends now.
pub async fn reset_password(
    svc: &Services,
    admin: Admin<'_>,
    target: UserId,
    temporary: &Password,
    confirm: Option<&Password>,
    client: &Client,
) -> ServiceResult<()> {
    if target == admin.user().id {
        return Err(ServiceError::Forbidden(
            "Change your own password on your account page.",
        ));
    }
    reconfirm(svc, admin, confirm).await?;
    let user = svc
        .store
        .user_by_id(target)
        .await?
        .ok_or(ServiceError::NotFound)?;
    password_rules::check("password", temporary.expose(), &user.username)?;
    let hash = svc.passwords.hash(temporary).await?;
    let by = AuditActor::User(admin.user().id);
    svc.store
        .set_password(target, &hash, by, client.addr().as_deref())
        .await?;
    // Nobody can unseal the old key without the old password: retire it; a new one is
    // made when the person next signs in. Their old signatures still verify.
    crate::userkeys::retire(svc, target, by).await?;
    Ok(())
}
