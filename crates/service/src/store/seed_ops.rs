//! Bulk inserts of a made-up history for development and load tests (`countersign dev
//! seed`), shared by both backends (see `sql.rs`). One transaction per batch, no per-row
//! audit (one audit row per batch says what was seeded).

macro_rules! impl_seed_ops {
    ($store:ty, $db:ty, $row:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::SeedStore for $store {
            async fn seed_changes(
                &self,
                batch: Vec<$crate::store::SeedChange>,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.write_tx().await?;
                let n = batch.len();
                for s in batch {
                    let c = &s.change;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO changes (agent_id, title, description, repository, base, stakes, \
                         stakes_rank, status, revision, digest, labels, eval_passed, eval_failed, \
                         eval_errored, eval_skipped, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                    )
                    .bind(c.agent_id.0)
                    .bind(&c.title)
                    .bind(&c.description)
                    .bind(&c.repository)
                    .bind(&c.base)
                    .bind(c.stakes.as_str())
                    .bind(i64::from(c.stakes.rank()))
                    .bind(s.status.as_str())
                    .bind(&c.digest.digest)
                    .bind(&c.labels_json)
                    .bind(i64::from(c.evals.passed))
                    .bind(i64::from(c.evals.failed))
                    .bind(i64::from(c.evals.errored))
                    .bind(i64::from(c.evals.skipped))
                    .bind(c.now)
                    .bind(s.decision.as_ref().map_or(c.now, |d| d.2))
                    .fetch_one(&mut *tx)
                    .await?;
                    insert_first_revision(&mut tx, id, c).await?;
                    write_standing(&mut tx, id, &c.policy).await?;
                    if let Some((reviewer, verdict, at)) = &s.decision {
                        sqlx::query(
                            "INSERT INTO decisions (change_id, revision, digest, reviewer_id, verdict, comment, created_at, roles) \
                             VALUES ($1, 1, $2, $3, $4, NULL, $5, '[\"reviewer\"]')",
                        )
                        .bind(id)
                        .bind(&c.digest.digest)
                        .bind(reviewer.0)
                        .bind(verdict.as_str())
                        .bind(*at)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                let details = serde_json::json!({ "changes": n });
                audit(&mut tx, $crate::store::AuditActor::System, "dev.seed", "changes", details, chrono::Utc::now()).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_seed_ops;
