//! Policy versions and applying a new one to changes in flight (both backends, see
//! `sql.rs`). A version is never edited: saving appends the next one, and in the same
//! transaction every pending change takes the stricter of its recorded requirement and
//! the new one (computed by the caller), then is judged again.

macro_rules! impl_policy_ops {
    ($store:ty, $db:ty, $row:ty) => {
        fn policy_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::PolicyRecord> {
            Ok($crate::store::PolicyRecord {
                version: r.try_get("version")?,
                hash: r.try_get("hash")?,
                text: r.try_get("text")?,
                created_by: r.try_get("username")?,
                created_at: r.try_get("created_at")?,
            })
        }

        const STANDING_SELECT: &str = "SELECT c.id, c.title, c.requirement, c.facts, c.digest, c.created_at, \
             c.override_by, a.owner_user_id FROM changes c JOIN agents a ON a.id = c.agent_id";

        fn standing_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::PendingStanding> {
            Ok($crate::store::PendingStanding {
                id: countersign_core::ChangeId(r.try_get("id")?),
                title: r.try_get("title")?,
                requirement: sql::json_opt(r.try_get("requirement")?, "requirement")?,
                facts: sql::json_opt(r.try_get("facts")?, "facts")?,
                digest: r.try_get("digest")?,
                owner: r.try_get("owner_user_id")?,
                overridden: r.try_get::<Option<i64>, _>("override_by")?.is_some(),
                created_at: r.try_get("created_at")?,
            })
        }

        const POLICY_SELECT: &str = "SELECT p.version, p.hash, p.text, u.username, p.created_at \
             FROM policies p LEFT JOIN users u ON u.id = p.created_by";

        #[async_trait::async_trait]
        impl $crate::store::PolicyStore for $store {
            async fn current_policy(&self) -> $crate::store::StoreResult<Option<$crate::store::PolicyRecord>> {
                let q = format!("{POLICY_SELECT} ORDER BY p.version DESC LIMIT 1");
                let row = sqlx::query(&q).fetch_optional(&self.pool).await?;
                row.as_ref().map(policy_from_row).transpose()
            }

            async fn policies(&self) -> $crate::store::StoreResult<Vec<$crate::store::PolicyRecord>> {
                let q = format!("{POLICY_SELECT} ORDER BY p.version DESC LIMIT 100");
                let rows = sqlx::query(&q).fetch_all(&self.pool).await?;
                rows.iter().map(policy_from_row).collect()
            }

            async fn pending_standings(&self) -> $crate::store::StoreResult<Vec<$crate::store::PendingStanding>> {
                let q = format!("{STANDING_SELECT} WHERE c.status = 'pending' ORDER BY c.stakes_rank DESC, c.created_at, c.id");
                let rows = sqlx::query(&q).fetch_all(&self.pool).await?;
                rows.iter().map(standing_from_row).collect()
            }

            async fn change_standing(
                &self,
                id: countersign_core::ChangeId,
            ) -> $crate::store::StoreResult<Option<$crate::store::PendingStanding>> {
                let q = format!("{STANDING_SELECT} WHERE c.id = $1");
                let row = sqlx::query(&q).bind(id.0).fetch_optional(&self.pool).await?;
                row.as_ref().map(standing_from_row).transpose()
            }

            async fn save_policy(
                &self,
                text: &str,
                hash: &str,
                by: Option<countersign_core::UserId>,
                restand: Vec<$crate::store::Restanding>,
            ) -> $crate::store::StoreResult<i64> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let version: i64 = sqlx::query_scalar(
                    "INSERT INTO policies (version, hash, text, created_by, created_at) \
                     VALUES ((SELECT COALESCE(MAX(version), 0) + 1 FROM policies), $1, $2, $3, $4) RETURNING version",
                )
                .bind(hash)
                .bind(text)
                .bind(by.map(|u| u.0))
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| sql::unique_conflict(e, "policies_pkey"))?;
                let mut stricter = Vec::new();
                let mut requirements = serde_json::Map::new();
                for r in restand {
                    let tier = r.standing.requirement.tier;
                    let held = sqlx::query(
                        "UPDATE changes SET stakes = $1, stakes_rank = $2, requirement = $3, tier_reasons = $4, \
                         expires_at = $5 WHERE id = $6 AND status = 'pending'",
                    )
                    .bind(tier.as_str())
                    .bind(i64::from(tier.rank()))
                    .bind(sql::to_json(&r.standing.requirement)?)
                    .bind(sql::to_json(&r.tier_reasons)?)
                    .bind(r.expires_at)
                    .bind(r.id.0)
                    .execute(&mut *tx)
                    .await?;
                    if held.rows_affected() == 1 {
                        settle(&mut tx, r.id.0, &r.standing, now).await?;
                        stricter.push(r.id.0);
                        requirements.insert(r.id.0.to_string(), serde_json::json!(r.standing.requirement));
                    }
                }
                let actor = match by {
                    Some(u) => $crate::store::AuditActor::User(u),
                    None => $crate::store::AuditActor::System,
                };
                let details = serde_json::json!({
                    "version": version, "hash": hash, "stricter": stricter, "requirements": requirements,
                });
                audit(&mut tx, actor, "policy.set", &format!("policy:{version}"), details, now).await?;
                tx.commit().await?;
                Ok(version)
            }
        }
    };
}

pub(crate) use impl_policy_ops;
