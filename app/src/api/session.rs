//! Signing in and out, who is signed in, and changing one's own password.

use leptos::prelude::*;

use crate::{dto, error::AppError};

/// Signs in and lands on the queue. A new session id is issued on every sign-in, so a
/// session id planted before login is worthless after it.
#[server(prefix = "/rpc")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    use countersign_service::{Password, signin};

    use crate::ssr::{client, fail, services, session, start_session};

    let svc = services()?;
    let password = Password::new(password);
    let user = signin::login(&svc, &username, &password, &client().await)
        .await
        .map_err(fail)?;
    start_session(&session().await?, user.id, user.session_epoch).await?;
    tracing::info!(user = %user.username, "signed in");
    leptos_axum::redirect("/");
    Ok(())
}

/// Signs out: the session is deleted server-side, not just forgotten by the browser.
#[server(prefix = "/rpc")]
pub async fn logout() -> Result<(), AppError> {
    use countersign_service::signin;

    use crate::ssr::{client, current_user, fail, internal, services, session};

    if let Some(user) = current_user().await? {
        signin::logout(&services()?, &user, &client().await)
            .await
            .map_err(fail)?;
    }
    session().await?.flush().await.map_err(internal)?;
    crate::ssr::forget_request_user();
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, or `None`.
#[server(prefix = "/rpc")]
pub async fn me() -> Result<Option<dto::Me>, AppError> {
    let user = crate::ssr::current_user().await?;
    Ok(user.map(|u| dto::Me {
        username: u.username,
        roles: u.roles,
        must_change_password: u.must_change_password,
    }))
}

/// Changes the signed-in user's password. Their other sessions end; this one continues
/// under a new session id.
#[server(prefix = "/rpc")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use countersign_service::{Password, ServiceError, signin};

    use crate::ssr::{client, fail, require_user, services, session, start_session};

    let (current, new, confirm) = (
        Password::new(current),
        Password::new(new),
        Password::new(confirm),
    );
    let user = require_user().await?;
    if new.expose() != confirm.expose() {
        return Err(fail(ServiceError::invalid(
            "confirm",
            "The two new passwords differ.",
        )));
    }
    let svc = services()?;
    let epoch = signin::change_password(&svc, &user, &current, &new, &client().await)
        .await
        .map_err(fail)?;
    start_session(&session().await?, user.id, epoch).await?;
    tracing::info!(user = %user.username, "password changed");
    // Without JavaScript this lands on the page with the confirmation; with it, the
    // router follows the same redirect.
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}
