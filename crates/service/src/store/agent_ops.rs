//! Agent management for the admin console, shared by both backends (see `sql.rs`).
//! Token rotation revokes every active token and issues one new one in the same
//! transaction, so there is no moment with two valid tokens or none.

macro_rules! impl_agent_ops {
    ($store:ty, $db:ty, $row:ty) => {
        const KEY_COLUMNS: &str = "SELECT id, agent_id, algorithm, fingerprint, public_key_pem, created_at FROM agent_keys";

        fn key_row(k: &$row) -> Result<$crate::store::AgentKey, sqlx::Error> {
            Ok($crate::store::AgentKey {
                id: k.try_get("id")?,
                algorithm: k.try_get("algorithm")?,
                fingerprint: k.try_get("fingerprint")?,
                public_key_pem: k.try_get("public_key_pem")?,
                created_at: k.try_get("created_at")?,
            })
        }

        async fn list_agents_op(
            s: &$store,
        ) -> $crate::store::StoreResult<Vec<$crate::store::AgentSummary>> {
            let rows = sqlx::query(
                "SELECT a.id, a.name, u.username AS owner, a.quarantined, a.created_at, \
                 (SELECT COUNT(*) FROM agent_tokens t WHERE t.agent_id = a.id AND t.revoked_at IS NULL) AS active_tokens, \
                 (SELECT COUNT(*) FROM changes c WHERE c.agent_id = a.id AND c.status = 'pending') AS pending_changes \
                 FROM agents a LEFT JOIN users u ON u.id = a.owner_user_id ORDER BY a.name",
            )
            .fetch_all(&s.pool)
            .await?;
            let keys = sqlx::query(&format!("{KEY_COLUMNS} WHERE revoked_at IS NULL ORDER BY id"))
                .fetch_all(&s.pool)
                .await?;
            let mut by_agent: std::collections::HashMap<i64, Vec<$crate::store::AgentKey>> = Default::default();
            for k in &keys {
                by_agent.entry(k.try_get("agent_id")?).or_default().push(key_row(k)?);
            }
            rows.iter()
                .map(|r| {
                    let id: i64 = r.try_get("id")?;
                    Ok($crate::store::AgentSummary {
                        keys: by_agent.remove(&id).unwrap_or_default(),
                        id: countersign_core::AgentId(id),
                        name: r.try_get("name")?,
                        owner: r.try_get("owner")?,
                        quarantined: r.try_get("quarantined")?,
                        active_tokens: r.try_get("active_tokens")?,
                        pending_changes: r.try_get("pending_changes")?,
                        created_at: r.try_get("created_at")?,
                    })
                })
                .collect()
        }

        /// Revokes the agent's active tokens and, with `new_hash`, issues a new one.
        async fn replace_tokens_op(
            s: &$store,
            agent: countersign_core::AgentId,
            new_hash: Option<&str>,
            by: $crate::store::AuditActor,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM agents WHERE id = $1")
                .bind(agent.0)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err($crate::store::StoreError::NotFound);
            }
            sqlx::query("UPDATE agent_tokens SET revoked_at = $1 WHERE agent_id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(agent.0)
                .execute(&mut *tx)
                .await?;
            if let Some(hash) = new_hash {
                sqlx::query("INSERT INTO agent_tokens (agent_id, token_hash, created_at) VALUES ($1, $2, $3)")
                    .bind(agent.0)
                    .bind(hash)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if new_hash.is_some() { "agent.token_rotate" } else { "agent.token_revoke" };
            let subject = format!("agent:{agent}");
            audit_from(&mut tx, by, action, &subject, serde_json::json!({}), now, client).await?;
            tx.commit().await?;
            Ok(())
        }

        /// Updates one column of an agent and audits it as `event` (action, details).
        async fn update_agent_op<V>(
            s: &$store,
            agent: countersign_core::AgentId,
            set: &str,
            value: V,
            (action, details): (&str, serde_json::Value),
            by: $crate::store::AuditActor,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<()>
        where
            V: for<'q> sqlx::Encode<'q, $db> + sqlx::Type<$db> + Send,
        {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let q = format!("UPDATE agents SET {set} = $1 WHERE id = $2");
            let changed = sqlx::query(&q).bind(value).bind(agent.0).execute(&mut *tx).await?;
            if changed.rows_affected() != 1 {
                return Err($crate::store::StoreError::NotFound);
            }
            let subject = format!("agent:{agent}");
            audit_from(&mut tx, by, action, &subject, details, now, client).await?;
            tx.commit().await?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl $crate::store::AgentStore for $store {
            async fn add_agent_key(
                &self,
                agent: countersign_core::AgentId,
                key: &countersign_core::keys::PublicKeyInfo,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<i64> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO agent_keys (agent_id, algorithm, public_key_pem, fingerprint, created_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(agent.0)
                .bind(key.algorithm.as_str())
                .bind(&key.pem)
                .bind(&key.fingerprint)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| sql::unique_conflict(e, "agent_keys_agent_fingerprint_key"))?;
                let details = serde_json::json!({ "key": id, "algorithm": key.algorithm.as_str(), "fingerprint": key.fingerprint });
                audit_from(&mut tx, by, "agent.key_add", &format!("agent:{agent}"), details, now, client).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn revoke_agent_key(
                &self,
                agent: countersign_core::AgentId,
                key_id: i64,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "UPDATE agent_keys SET revoked_at = $1 WHERE id = $2 AND agent_id = $3 AND revoked_at IS NULL",
                )
                .bind(now)
                .bind(key_id)
                .bind(agent.0)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err($crate::store::StoreError::NotFound);
                }
                let details = serde_json::json!({ "key": key_id });
                audit_from(&mut tx, by, "agent.key_revoke", &format!("agent:{agent}"), details, now, client).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_agent(
                &self,
                name: &str,
                owner: Option<countersign_core::UserId>,
                token_hash: &str,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<countersign_core::AgentId> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO agents (name, owner_user_id, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(name)
                .bind(owner.map(|o| o.0))
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| sql::unique_conflict(e, "agents_name_key"))?;
                sqlx::query("INSERT INTO agent_tokens (agent_id, token_hash, created_at) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(token_hash)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let details = serde_json::json!({ "name": name, "owner": owner.map(|o| o.0) });
                audit_from(&mut tx, by, "agent.create", &format!("agent:{id}"), details, now, client).await?;
                tx.commit().await?;
                Ok(countersign_core::AgentId(id))
            }

            async fn agent_by_token_hash(
                &self,
                token_hash: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::AgentRecord>> {
                let row = sqlx::query(
                    "SELECT a.id, a.name, a.owner_user_id, a.quarantined FROM agent_tokens t \
                     JOIN agents a ON a.id = t.agent_id \
                     WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| {
                    Ok($crate::store::AgentRecord {
                        id: countersign_core::AgentId(r.try_get("id")?),
                        name: r.try_get("name")?,
                        owner: r.try_get::<Option<i64>, _>("owner_user_id")?.map(countersign_core::UserId),
                        quarantined: r.try_get("quarantined")?,
                    })
                })
                .transpose()
            }

            async fn list_agents(&self) -> $crate::store::StoreResult<Vec<$crate::store::AgentSummary>> {
                list_agents_op(self).await
            }

            async fn agent_keys(
                &self,
                agent: countersign_core::AgentId,
            ) -> $crate::store::StoreResult<Vec<$crate::store::AgentKey>> {
                let rows = sqlx::query(&format!("{KEY_COLUMNS} WHERE agent_id = $1 AND revoked_at IS NULL ORDER BY id"))
                    .bind(agent.0)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(key_row).collect::<Result<_, _>>()?)
            }

            async fn replace_agent_tokens(
                &self,
                agent: countersign_core::AgentId,
                new_hash: Option<&str>,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                replace_tokens_op(self, agent, new_hash, by, client).await
            }

            async fn set_agent_owner(
                &self,
                agent: countersign_core::AgentId,
                owner: Option<countersign_core::UserId>,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                let details = serde_json::json!({ "owner": owner.map(|o| o.0) });
                update_agent_op(self, agent, "owner_user_id", owner.map(|o| o.0), ("agent.owner_set", details), by, client).await
            }

            async fn set_agent_quarantined(
                &self,
                agent: countersign_core::AgentId,
                quarantined: bool,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                let action = if quarantined { "agent.quarantine" } else { "agent.release" };
                update_agent_op(self, agent, "quarantined", quarantined, (action, serde_json::json!({})), by, client).await
            }
        }
    };
}
pub(crate) use impl_agent_ops;
