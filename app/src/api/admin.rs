//! The admin console's server fns: thin wrappers over `countersign_service::admin`, each
//! requiring the `Admin` capability. Roles arrive as one checkbox each (`role_reviewer`…)
//! so that a plain form post needs no list encoding.

use leptos::prelude::*;

use crate::{dto::PeopleView, error::AppError};

#[cfg(feature = "ssr")]
fn roles_from(
    reviewer: &Option<String>,
    admin: &Option<String>,
    auditor: &Option<String>,
) -> Vec<countersign_core::Role> {
    use countersign_core::Role;
    [
        (reviewer, Role::Reviewer),
        (admin, Role::Admin),
        (auditor, Role::Auditor),
    ]
    .into_iter()
    .filter(|(v, _)| v.is_some())
    .map(|(_, r)| r)
    .collect()
}

#[server(prefix = "/rpc")]
pub async fn admin_people() -> Result<PeopleView, AppError> {
    use countersign_service::admin;

    use crate::{
        dto::PersonRow,
        ssr::{age, capability, fail, require_user, services},
    };

    let user = require_user().await?;
    let reader = capability(
        user.as_audit_reader(),
        &user,
        "Only admins and auditors see people.",
    )?;
    let people = admin::list_people(&services()?, reader)
        .await
        .map_err(fail)?;
    let people = people
        .into_iter()
        .map(|p| PersonRow {
            id: p.id.0,
            username: p.username,
            display_name: p.display_name,
            roles: p.roles,
            disabled: p.disabled,
            must_change_password: p.must_change_password,
            last_login: p.last_login_at.map(age),
        })
        .collect();
    Ok(PeopleView {
        people,
        can_manage: user.as_admin().is_some(),
    })
}

#[server(prefix = "/rpc")]
pub async fn admin_create_person(
    username: String,
    display_name: String,
    role_reviewer: Option<String>,
    role_admin: Option<String>,
    role_auditor: Option<String>,
    initial_password: String,
    confirm_password: Option<String>,
) -> Result<(), AppError> {
    use countersign_service::{Password, admin};

    use crate::ssr::{capability, client, fail, require_user, services};

    let initial = Password::new(initial_password);
    let confirm = crate::ssr::optional_password(confirm_password);
    let user = require_user().await?;
    let a = capability(user.as_admin(), &user, "Only admins manage people.")?;
    let roles = roles_from(&role_reviewer, &role_admin, &role_auditor);
    let name = if display_name.trim().is_empty() {
        username.clone()
    } else {
        display_name
    };
    let person = admin::NewPerson {
        username: username.trim(),
        display_name: &name,
        roles,
        initial_password: &initial,
    };
    admin::create_person(&services()?, a, person, confirm.as_ref(), &client().await)
        .await
        .map_err(fail)?;
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn admin_set_roles(
    user_id: i64,
    role_reviewer: Option<String>,
    role_admin: Option<String>,
    role_auditor: Option<String>,
    confirm_password: Option<String>,
) -> Result<(), AppError> {
    use countersign_core::UserId;
    use countersign_service::admin;

    use crate::ssr::{capability, client, fail, require_user, services};

    let confirm = crate::ssr::optional_password(confirm_password);
    let user = require_user().await?;
    let a = capability(user.as_admin(), &user, "Only admins manage people.")?;
    let roles = roles_from(&role_reviewer, &role_admin, &role_auditor);
    let svc = services()?;
    admin::set_roles(
        &svc,
        a,
        UserId(user_id),
        roles,
        confirm.as_ref(),
        &client().await,
    )
    .await
    .map_err(fail)?;
    // A change of one's own privileges continues under a new session id (other people
    // whose roles change are signed out everywhere).
    if user.id == UserId(user_id) {
        let me = countersign_service::accounts::load_user(&svc, user.id)
            .await
            .map_err(fail)?;
        let epoch = me
            .map(|m| m.session_epoch)
            .ok_or(AppError::Unauthenticated)?;
        crate::ssr::start_session(&crate::ssr::session().await?, user.id, epoch).await?;
    }
    Ok(())
}

#[server(prefix = "/rpc")]
pub async fn admin_set_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    use countersign_core::UserId;
    use countersign_service::admin;

    use crate::ssr::{capability, client, fail, require_user, services};

    let user = require_user().await?;
    let a = capability(user.as_admin(), &user, "Only admins manage people.")?;
    admin::set_disabled(&services()?, a, UserId(user_id), disabled, &client().await)
        .await
        .map_err(fail)
}

#[server(prefix = "/rpc")]
pub async fn admin_reset_password(
    user_id: i64,
    temporary_password: String,
    confirm_password: Option<String>,
) -> Result<(), AppError> {
    use countersign_core::UserId;
    use countersign_service::{Password, admin};

    use crate::ssr::{capability, client, fail, require_user, services};

    let temporary = Password::new(temporary_password);
    let confirm = crate::ssr::optional_password(confirm_password);
    let user = require_user().await?;
    let a = capability(user.as_admin(), &user, "Only admins manage people.")?;
    admin::reset_password(
        &services()?,
        a,
        UserId(user_id),
        &temporary,
        confirm.as_ref(),
        &client().await,
    )
    .await
    .map_err(fail)
}
