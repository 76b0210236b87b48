//! Reviewer signing keys (both backends, see `sql.rs`): at most one active key per person
//! (a partial unique index), each creation and retirement audited — and so in the log.

macro_rules! impl_key_ops {
    ($store:ty, $db:ty, $row:ty) => {
        fn user_key_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::UserKeyRecord> {
            Ok($crate::store::UserKeyRecord {
                id: r.try_get("id")?,
                user_id: countersign_core::UserId(r.try_get("user_id")?),
                username: r.try_get("username")?,
                key_id: r.try_get("key_id")?,
                public_key: r.try_get("public_key")?,
                salt: r.try_get("salt")?,
                nonce: r.try_get("nonce")?,
                sealed: r.try_get("sealed")?,
                created_at: r.try_get("created_at")?,
                retired_at: r.try_get("retired_at")?,
            })
        }

        const USER_KEY_SELECT: &str = "SELECT k.id, k.user_id, u.username, k.key_id, k.public_key, k.salt, \
             k.nonce, k.sealed, k.created_at, k.retired_at FROM user_keys k JOIN users u ON u.id = k.user_id";

        async fn retire_keys_in(
            tx: &mut sqlx::Transaction<'_, $db>,
            user: countersign_core::UserId,
            by: $crate::store::AuditActor,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<()> {
            let retired: Vec<String> = sqlx::query_scalar(
                "UPDATE user_keys SET retired_at = $1 WHERE user_id = $2 AND retired_at IS NULL RETURNING key_id",
            )
            .bind(now)
            .bind(user.0)
            .fetch_all(&mut **tx)
            .await?;
            for key_id in retired {
                let details = serde_json::json!({ "key_id": key_id });
                audit(tx, by, "key.retire", &format!("user:{}", user.0), details, now).await?;
            }
            Ok(())
        }

        #[async_trait::async_trait]
        impl $crate::store::UserKeyStore for $store {
            async fn active_user_key(
                &self,
                user: countersign_core::UserId,
            ) -> $crate::store::StoreResult<Option<$crate::store::UserKeyRecord>> {
                let q = format!("{USER_KEY_SELECT} WHERE k.user_id = $1 AND k.retired_at IS NULL");
                let row = sqlx::query(&q).bind(user.0).fetch_optional(&self.pool).await?;
                row.as_ref().map(user_key_from_row).transpose()
            }

            async fn user_keys(&self) -> $crate::store::StoreResult<Vec<$crate::store::UserKeyRecord>> {
                let q = format!("{USER_KEY_SELECT} ORDER BY k.id");
                let rows = sqlx::query(&q).fetch_all(&self.pool).await?;
                rows.iter().map(user_key_from_row).collect()
            }

            async fn insert_user_key(
                &self,
                k: $crate::store::NewUserKey,
                by: $crate::store::AuditActor,
                replace: bool,
            ) -> $crate::store::StoreResult<bool> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                if !replace {
                    // "Make one if there is none": a concurrent sign-in may have made it.
                    let active: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM user_keys WHERE user_id = $1 AND retired_at IS NULL",
                    )
                    .bind(k.user_id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if active.is_some() {
                        return Ok(false);
                    }
                }
                retire_keys_in(&mut tx, k.user_id, by, now).await?;
                let inserted = sqlx::query(
                    "INSERT INTO user_keys (user_id, key_id, public_key, salt, nonce, sealed, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(k.user_id.0)
                .bind(&k.key_id)
                .bind(&k.public_key)
                .bind(&k.salt)
                .bind(&k.nonce)
                .bind(&k.sealed)
                .bind(now)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Ok(_) => {}
                    Err(e) if !replace && sql::is_unique_violation(&e, "user_keys_one_active") => return Ok(false),
                    Err(e) => return Err(e.into()),
                }
                let details = serde_json::json!({ "key_id": k.key_id, "public_key": k.public_key });
                audit(&mut tx, by, "key.create", &format!("user:{}", k.user_id.0), details, now).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn reseal_user_key(
                &self,
                id: i64,
                salt: &str,
                nonce: &str,
                sealed: &str,
            ) -> $crate::store::StoreResult<()> {
                sqlx::query("UPDATE user_keys SET salt = $1, nonce = $2, sealed = $3 WHERE id = $4 AND retired_at IS NULL")
                    .bind(salt)
                    .bind(nonce)
                    .bind(sealed)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn retire_user_keys(
                &self,
                user: countersign_core::UserId,
                by: $crate::store::AuditActor,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.write_tx().await?;
                retire_keys_in(&mut tx, user, by, chrono::Utc::now()).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_key_ops;
