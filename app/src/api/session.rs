//! Signing in and out, and who is signed in.

use leptos::prelude::*;

use crate::{dto, error::AppError};

/// Signs in and lands on the queue. A new session id is issued on every sign-in, so a
/// session id planted before login is worthless after it.
#[server(prefix = "/rpc")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
    use countersign_service::{Password, accounts};

    use crate::ssr::{USER_KEY, fail, internal, services, session};

    let svc = services()?;
    let user = accounts::login(&svc, &username, &Password::new(password))
        .await
        .map_err(fail)?;
    let session = session().await?;
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(USER_KEY, user.id.0)
        .await
        .map_err(internal)?;
    tracing::info!(user = %user.username, "signed in");
    leptos_axum::redirect("/");
    Ok(())
}

/// Signs out: the session is deleted server-side, not just forgotten by the browser.
#[server(prefix = "/rpc")]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{internal, session};

    session().await?.flush().await.map_err(internal)?;
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
    }))
}
