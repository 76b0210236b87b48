//! Sign-in bookkeeping and password changes, shared by both backends (see `sql.rs` for why
//! this is a macro). Sign-in events double as the login throttle's memory: they live in the
//! audit trail, so every app instance sees the same counts and a restart forgets nothing.

/// The audit subject of sign-in events for an account name (known or not).
pub(crate) fn login_subject(username: &str) -> String {
    format!("login:{}", username.trim().to_lowercase())
}

macro_rules! impl_account_ops {
    ($store:ty, $db:ty) => {
        async fn record_login_op(
            s: &$store,
            id: countersign_core::UserId,
            username: &str,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            let subject = $crate::store::account_ops::login_subject(username);
            let by = $crate::store::AuditActor::User(id);
            let details = serde_json::json!({ "user": id.0 });
            audit_from(&mut tx, by, "user.login", &subject, details, now, client).await?;
            tx.commit().await?;
            Ok(())
        }

        async fn record_login_failure_op(
            s: &$store,
            username: &str,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let subject = $crate::store::account_ops::login_subject(username);
            let by = $crate::store::AuditActor::System;
            let details = serde_json::json!({});
            audit_from(&mut tx, by, "user.login_failed", &subject, details, now, client).await?;
            tx.commit().await?;
            Ok(())
        }

        async fn login_failures_op(
            s: &$store,
            username: &str,
            window_start: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<$crate::store::LoginFailures> {
            let subject = $crate::store::account_ops::login_subject(username);
            let last_success: Option<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                "SELECT created_at FROM audit_events WHERE action = 'user.login' AND subject = $1 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(&subject)
            .fetch_optional(&s.pool)
            .await?;
            let since = last_success.map_or(window_start, |t| t.max(window_start));
            let rows: Vec<chrono::DateTime<chrono::Utc>> = sqlx::query_scalar(
                "SELECT created_at FROM audit_events WHERE action = 'user.login_failed' \
                 AND subject = $1 AND created_at > $2 ORDER BY id DESC LIMIT 1000",
            )
            .bind(&subject)
            .bind(since)
            .fetch_all(&s.pool)
            .await?;
            Ok($crate::store::LoginFailures { count: rows.len() as i64, last: rows.first().copied() })
        }

        async fn record_logout_op(
            s: &$store,
            id: countersign_core::UserId,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let by = $crate::store::AuditActor::User(id);
            let subject = format!("user:{id}");
            audit_from(&mut tx, by, "user.logout", &subject, serde_json::json!({}), now, client).await?;
            tx.commit().await?;
            Ok(())
        }

        async fn set_password_op(
            s: &$store,
            id: countersign_core::UserId,
            password_hash: &str,
            by: $crate::store::AuditActor,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<i64> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let epoch: Option<i64> = sqlx::query_scalar(
                "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1, \
                 must_change_password = $3 WHERE id = $2 RETURNING session_epoch",
            )
            .bind(password_hash)
            .bind(id.0)
            // A reset by someone else means the user must pick their own password next.
            .bind(by != $crate::store::AuditActor::User(id))
            .fetch_optional(&mut *tx)
            .await?;
            let epoch = epoch.ok_or($crate::store::StoreError::NotFound)?;
            let action = if by == $crate::store::AuditActor::User(id) { "user.password_change" } else { "user.password_reset" };
            let subject = format!("user:{id}");
            audit_from(&mut tx, by, action, &subject, serde_json::json!({}), now, client).await?;
            tx.commit().await?;
            Ok(epoch)
        }
    };
}
pub(crate) use impl_account_ops;
