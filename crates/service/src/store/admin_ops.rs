//! People management for the admin console, shared by both backends (see `sql.rs`).
//!
//! Every change that could remove the last active admin re-counts admins inside its own
//! transaction and rolls back if none would remain. Writers are serialized for that check
//! (`lock_admin_changes`: SQLite's `BEGIN IMMEDIATE` already does it, PostgreSQL takes a
//! transaction-scoped advisory lock), so two admins demoting each other cannot both win.

macro_rules! impl_admin_ops {
    ($store:ty, $db:ty) => {
        async fn ensure_an_admin_remains(
            tx: &mut sqlx::Transaction<'_, $db>,
        ) -> $crate::store::StoreResult<()> {
            let admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.role = 'admin' AND NOT u.disabled",
            )
            .fetch_one(&mut **tx)
            .await?;
            if admins == 0 {
                return Err($crate::store::StoreError::Conflict("last_admin"));
            }
            Ok(())
        }

        async fn list_users_op(
            s: &$store,
        ) -> $crate::store::StoreResult<Vec<$crate::store::UserSummary>> {
            let rows = sqlx::query(
                "SELECT id, username, display_name, disabled, must_change_password, last_login_at \
                 FROM users ORDER BY username",
            )
            .fetch_all(&s.pool)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let id: i64 = r.try_get("id")?;
                out.push($crate::store::UserSummary {
                    id: countersign_core::UserId(id),
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    roles: roles_of(&s.pool, id).await?,
                    disabled: r.try_get("disabled")?,
                    must_change_password: r.try_get("must_change_password")?,
                    last_login_at: r.try_get("last_login_at")?,
                });
            }
            Ok(out)
        }

        async fn set_roles_op(
            s: &$store,
            id: countersign_core::UserId,
            roles: &[countersign_core::Role],
            by: $crate::store::AuditActor,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            s.lock_admin_changes(&mut tx).await?;
            let before = roles_of(&s.pool, id.0).await?;
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(id.0).execute(&mut *tx).await?;
            for role in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id.0)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            // A change of roles is a change of privilege: end the user's sessions.
            let bumped = sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            if bumped.rows_affected() != 1 {
                return Err($crate::store::StoreError::NotFound);
            }
            ensure_an_admin_remains(&mut tx).await?;
            let subject = format!("user:{id}");
            for role in countersign_core::Role::ALL {
                let action = match (before.contains(role), roles.contains(role)) {
                    (false, true) => "user.role_grant",
                    (true, false) => "user.role_revoke",
                    _ => continue,
                };
                let details = serde_json::json!({ "role": role.as_str() });
                audit_from(&mut tx, by, action, &subject, details, now, client).await?;
            }
            tx.commit().await?;
            Ok(())
        }

        async fn set_disabled_op(
            s: &$store,
            id: countersign_core::UserId,
            disabled: bool,
            by: $crate::store::AuditActor,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            s.lock_admin_changes(&mut tx).await?;
            let changed = sqlx::query(
                "UPDATE users SET disabled = $1, session_epoch = session_epoch + 1 WHERE id = $2",
            )
            .bind(disabled)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() != 1 {
                return Err($crate::store::StoreError::NotFound);
            }
            ensure_an_admin_remains(&mut tx).await?;
            let action = if disabled { "user.disable" } else { "user.enable" };
            let subject = format!("user:{id}");
            audit_from(&mut tx, by, action, &subject, serde_json::json!({}), now, client).await?;
            tx.commit().await?;
            Ok(())
        }
    };
}
pub(crate) use impl_admin_ops;
