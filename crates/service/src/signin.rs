//! Signing in and out, and changing one's own password.
//!
//! Attempts are throttled per client address (in this process, `governor`) and per
//! account name (from the audit trail, so all instances agree; see
//! `countersign_core::throttle`). A throttled attempt never checks the password, so the
//! throttle cannot be used as a password oracle, and it applies to unknown names too.

use countersign_core::throttle;

use crate::{
    Services,
    accounts::actor_of,
    actor::{Client, UserActor},
    error::{ServiceError, ServiceResult},
    password_rules,
    passwords::Password,
    store::AuditActor,
};

/// Refuses the attempt while the client address or the account name must wait.
async fn check_throttle(svc: &Services, username: &str, client: &Client) -> ServiceResult<()> {
    if let Some(ip) = client.ip
        && let Err(not_until) = svc.login_limiter.check_key(&ip)
    {
        let now = governor::clock::Clock::now(&governor::clock::DefaultClock::default());
        let wait = not_until.wait_time_from(now).as_secs().max(1);
        return Err(ServiceError::RateLimited {
            retry_after_secs: wait,
        });
    }
    let now = chrono::Utc::now();
    let window_start = now - chrono::Duration::seconds(throttle::WINDOW_SECS as i64);
    let failures = svc.store.login_failures(username, window_start).await?;
    let since_last = failures
        .last
        .map_or(u64::MAX, |t| (now - t).num_seconds().max(0) as u64);
    match throttle::wait_seconds(failures.count as u64, since_last) {
        0 => Ok(()),
        wait => Err(ServiceError::RateLimited {
            retry_after_secs: wait,
        }),
    }
}

/// Checks a username and password: the same error (and time) for a wrong password, an
/// unknown user and a disabled one. Every outcome is audited with the client's address.
pub async fn login(
    svc: &Services,
    username: &str,
    password: &Password,
    client: &Client,
) -> ServiceResult<UserActor> {
    let username = username.trim();
    check_throttle(svc, username, client).await?;
    let user = svc.store.user_by_username(username).await?;
    let hash = user.as_ref().map(|u| u.password_hash.as_str());
    let ok = svc.passwords.verify(password, hash).await?;
    let addr = client.addr();
    match user {
        Some(u) if ok && !u.disabled => {
            svc.store
                .record_login(u.id, username, addr.as_deref())
                .await?;
            // Someone without a signing key gets one now, sealed with this password.
            crate::userkeys::ensure(svc, u.id, password).await?;
            Ok(actor_of(u))
        }
        _ => {
            svc.store
                .record_login_failure(username, addr.as_deref())
                .await?;
            Err(ServiceError::BadCredentials)
        }
    }
}

/// Records that `user` signed out.
pub async fn logout(svc: &Services, user: &UserActor, client: &Client) -> ServiceResult<()> {
    Ok(svc
        .store
        .record_logout(user.id, client.addr().as_deref())
        .await?)
}

/// Changes the caller's own password (the current one is required) and ends their other
/// sessions; returns the new session epoch for the session that made the change.
pub async fn change_password(
    svc: &Services,
    user: &UserActor,
    current: &Password,
    new: &Password,
    client: &Client,
) -> ServiceResult<i64> {
    let record = svc
        .store
        .user_by_id(user.id)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    if !svc
        .passwords
        .verify(current, Some(&record.password_hash))
        .await?
    {
        return Err(ServiceError::invalid(
            "current",
            "That is not your current password.",
        ));
    }
    if current.expose() == new.expose() {
        return Err(ServiceError::invalid(
            "new",
            "Choose a password different from the current one.",
        ));
    }
    password_rules::check("new", new.expose(), &user.username)?;
    let hash = svc.passwords.hash(new).await?;
    let by = AuditActor::User(user.id);
    let epoch = svc
        .store
        .set_password(user.id, &hash, by, client.addr().as_deref())
        .await?;
    // The same signing key, sealed under the new password.
    crate::userkeys::reseal(svc, user.id, current, new).await?;
    Ok(epoch)
}
