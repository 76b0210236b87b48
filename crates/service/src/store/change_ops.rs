//! The writes and reads of a change's content and decisions, shared by both backends
//! (see `sql.rs` for why this is a macro). Each write is one transaction with its audit row.

macro_rules! impl_change_ops {
    ($store:ty, $db:ty, $row:ty) => {
        async fn insert_change_op(
            s: &$store,
            c: $crate::store::NewChange,
        ) -> $crate::store::StoreResult<$crate::store::Inserted> {
            let existing = |r: &$row| -> $crate::store::StoreResult<$crate::store::Inserted> {
                Ok($crate::store::Inserted::Existing {
                    id: countersign_core::ChangeId(r.try_get("id")?),
                    request_hash: r.try_get("request_hash")?,
                })
            };
            const FIND: &str =
                "SELECT id, request_hash FROM changes WHERE agent_id = $1 AND idempotency_key = $2";
            let mut tx = s.write_tx().await?;
            if let Some(key) = &c.idempotency_key {
                let found = sqlx::query(FIND)
                    .bind(c.agent_id.0)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(r) = found {
                    return existing(&r);
                }
            }
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO changes (agent_id, title, description, repository, base, stakes, \
                 stakes_rank, status, revision, digest, labels, eval_passed, eval_failed, \
                 eval_errored, eval_skipped, idempotency_key, request_hash, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 1, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
                 RETURNING id",
            )
            .bind(c.agent_id.0)
            .bind(&c.title)
            .bind(&c.description)
            .bind(&c.repository)
            .bind(&c.base)
            .bind(c.stakes.as_str())
            .bind(i64::from(c.stakes.rank()))
            .bind(&c.digest.digest)
            .bind(&c.labels_json)
            .bind(i64::from(c.evals.passed))
            .bind(i64::from(c.evals.failed))
            .bind(i64::from(c.evals.errored))
            .bind(i64::from(c.evals.skipped))
            .bind(&c.idempotency_key)
            .bind(&c.request_hash)
            .bind(c.now)
            .fetch_one(&mut *tx)
            .await;
            let id = match inserted {
                Ok(id) => id,
                // A concurrent request with the same key won the race (PostgreSQL; SQLite's
                // BEGIN IMMEDIATE serializes writers): answer with its change.
                Err(e) if sql::is_unique_violation(&e, "changes_idempotency_key") => {
                    drop(tx);
                    let r = sqlx::query(FIND)
                        .bind(c.agent_id.0)
                        .bind(&c.idempotency_key)
                        .fetch_one(&s.pool)
                        .await?;
                    return existing(&r);
                }
                Err(e) => return Err(e.into()),
            };
            insert_first_revision(&mut tx, id, &c).await?;
            write_standing(&mut tx, id, &c.policy).await?;
            let p = &c.policy;
            sqlx::query("UPDATE changes SET status = $1, progress = $2 WHERE id = $3")
                .bind(p.status.as_str())
                .bind(&p.progress)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // The requirement and the facts it was judged from go into the log, so that an
            // auditor can recompute every outcome from the log alone.
            let details = serde_json::json!({
                "digest": c.digest.digest, "declared": p.declared.as_str(),
                "tier": p.assessment.tiering.tier.as_str(), "policy": p.policy_hash,
                "requirement": p.assessment.requirement, "facts": p.facts,
            });
            let by = $crate::store::AuditActor::Agent(c.agent_id);
            audit(&mut tx, by, "change.submit", &format!("change:{id}"), details, c.now).await?;
            if let Some(reason) = &p.system_reason {
                insert_system_decision(&mut tx, id, 1, &c.digest, p, reason, c.now).await?;
            }
            tx.commit().await?;
            Ok($crate::store::Inserted::Created(countersign_core::ChangeId(id)))
        }

        /// The change's first revision, its content exactly as submitted (submit and seed).
        async fn insert_first_revision(
            tx: &mut sqlx::Transaction<'_, $db>,
            id: i64,
            c: &$crate::store::NewChange,
        ) -> $crate::store::StoreResult<()> {
            let (diff_text, diff_encoding) = sql::diff_to_db(&c.diff);
            sqlx::query(
                "INSERT INTO change_revisions (change_id, revision, digest, diff_digest, evals_digest, \
                 attestations_digest, diff, evals, attestations, created_at, diff_encoding) \
                 VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(&c.digest.digest)
            .bind(&c.digest.diff)
            .bind(&c.digest.evals)
            .bind(&c.digest.attestations)
            .bind(&diff_text)
            .bind(&c.evals_json)
            .bind(&c.attestations_json)
            .bind(c.now)
            .bind(diff_encoding)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        async fn revision_op(
            s: &$store,
            id: countersign_core::ChangeId,
            revision: i64,
        ) -> $crate::store::StoreResult<Option<$crate::store::RevisionRecord>> {
            let row = sqlx::query(
                "SELECT revision, digest, diff_digest, evals_digest, attestations_digest, diff, diff_encoding, \
                 evals, attestations, created_at FROM change_revisions WHERE change_id = $1 AND revision = $2",
            )
            .bind(id.0)
            .bind(revision)
            .fetch_optional(&s.pool)
            .await?;
            let Some(r) = row else { return Ok(None) };
            Ok(Some($crate::store::RevisionRecord {
                revision: r.try_get("revision")?,
                digest: sql::digest(
                    r.try_get("digest")?,
                    r.try_get("diff_digest")?,
                    r.try_get("evals_digest")?,
                    r.try_get("attestations_digest")?,
                ),
                diff: sql::diff_from_db(r.try_get("diff")?, r.try_get("diff_encoding")?)?,
                evals: sql::json(&r.try_get::<String, _>("evals")?, "evals")?,
                attestations_json: r.try_get("attestations")?,
                created_at: r.try_get("created_at")?,
            }))
        }

        async fn decisions_op(
            s: &$store,
            id: countersign_core::ChangeId,
        ) -> $crate::store::StoreResult<Vec<$crate::store::DecisionRecord>> {
            let rows = sqlx::query(
                "SELECT d.id, d.revision, d.digest, d.reviewer_id, u.username, d.verdict, d.comment, \
                 d.created_at, d.roles, d.policy_hash, d.reason, d.envelope, d.key_id, d.log_index FROM decisions d \
                 LEFT JOIN users u ON u.id = d.reviewer_id WHERE d.change_id = $1 ORDER BY d.id",
            )
            .bind(id.0)
            .fetch_all(&s.pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok($crate::store::DecisionRecord {
                        id: countersign_core::DecisionId(r.try_get("id")?),
                        revision: r.try_get("revision")?,
                        digest: r.try_get("digest")?,
                        reviewer_id: r.try_get::<Option<i64>, _>("reviewer_id")?.map(countersign_core::UserId),
                        reviewer: r.try_get::<Option<String>, _>("username")?.unwrap_or_else(|| "system".into()),
                        verdict: sql::parse(&r.try_get::<String, _>("verdict")?, "verdict")?,
                        comment: r.try_get("comment")?,
                        created_at: r.try_get("created_at")?,
                        roles: sql::json(&r.try_get::<String, _>("roles")?, "roles")?,
                        policy_hash: r.try_get("policy_hash")?,
                        reason: r.try_get("reason")?,
                        envelope: r.try_get("envelope")?,
                        key_id: r.try_get("key_id")?,
                        log_index: r.try_get::<Option<i64>, _>("log_index")?.map(|i| i as u64),
                    })
                })
                .collect()
        }

        async fn withdraw_op(
            s: &$store,
            id: countersign_core::ChangeId,
            agent: countersign_core::AgentId,
        ) -> $crate::store::StoreResult<()> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let moved = sqlx::query(
                "UPDATE changes SET status = 'withdrawn', updated_at = $1 \
                 WHERE id = $2 AND agent_id = $3 AND status = 'pending'",
            )
            .bind(now)
            .bind(id.0)
            .bind(agent.0)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() != 1 {
                return Err($crate::store::StoreError::Conflict("changes_status_revision"));
            }
            let by = $crate::store::AuditActor::Agent(agent);
            let subject = format!("change:{id}");
            audit(&mut tx, by, "change.withdraw", &subject, serde_json::json!({}), now).await?;
            tx.commit().await?;
            Ok(())
        }

        #[async_trait::async_trait]
        impl $crate::store::ChangeStore for $store {
            async fn insert_change(
                &self,
                c: $crate::store::NewChange,
            ) -> $crate::store::StoreResult<$crate::store::Inserted> {
                insert_change_op(self, c).await
            }

            async fn change(
                &self,
                id: countersign_core::ChangeId,
            ) -> $crate::store::StoreResult<Option<$crate::store::ChangeRecord>> {
                let q = format!("{CHANGE_SELECT} WHERE c.id = $1");
                let row = sqlx::query(&q).bind(id.0).fetch_optional(&self.pool).await?;
                row.as_ref().map(change_from_row).transpose()
            }

            async fn revision(
                &self,
                id: countersign_core::ChangeId,
                revision: i64,
            ) -> $crate::store::StoreResult<Option<$crate::store::RevisionRecord>> {
                revision_op(self, id, revision).await
            }

            async fn decisions(
                &self,
                id: countersign_core::ChangeId,
            ) -> $crate::store::StoreResult<Vec<$crate::store::DecisionRecord>> {
                decisions_op(self, id).await
            }

            async fn agent_changes(
                &self,
                agent: countersign_core::AgentId,
                status: Option<countersign_core::ChangeStatus>,
                before: Option<countersign_core::ChangeId>,
                limit: i64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::ChangeRecord>> {
                let q = format!(
                    "{CHANGE_SELECT} WHERE c.agent_id = $1 AND ($2 IS NULL OR c.status = $2) \
                     AND ($3 IS NULL OR c.id < $3) ORDER BY c.id DESC LIMIT $4"
                );
                let rows = sqlx::query(&q)
                    .bind(agent.0)
                    .bind(status.map(|s| s.as_str()))
                    .bind(before.map(|b| b.0))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(change_from_row).collect()
            }

            async fn pending_by_stakes(
                &self,
            ) -> $crate::store::StoreResult<Vec<(countersign_core::Stakes, i64)>> {
                let rows = sqlx::query("SELECT stakes, COUNT(*) AS n FROM changes WHERE status = 'pending' GROUP BY stakes")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok((sql::parse(&r.try_get::<String, _>("stakes")?, "stakes")?, r.try_get("n")?)))
                    .collect()
            }

            async fn queue(
                &self,
                f: &$crate::store::QueueFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::QueueItem>> {
                // Only the filters given, as plain equalities on indexed columns: an
                // `$1 IS NULL OR …` condition makes SQLite scan and sort the whole table.
                //
                // Status, stakes and the page size are written into the statement, not
                // bound: they come from closed enums and an integer, never from text a
                // person typed. Bound, they made PostgreSQL plan the first page afresh on
                // every execution (a "custom plan": planning took longer than running it);
                // a statement without parameters is planned once per connection.
                let mut cond = Vec::new();
                let mut params = 0;
                let mut next = || {
                    params += 1;
                    params
                };
                if let Some(st) = f.status {
                    cond.push(format!("c.status = '{}'", st.as_str()));
                }
                if let Some(k) = f.stakes {
                    cond.push(format!("c.stakes_rank = {}", k.rank()));
                }
                if f.needs_review_by.is_some() {
                    let n = next();
                    cond.push(format!(
                        "c.status = 'pending' AND (a.owner_user_id IS NULL OR a.owner_user_id <> ${n}) \
                         AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.change_id = c.id \
                         AND d.reviewer_id = ${n} AND d.digest = c.digest)"
                    ));
                }
                if f.after.is_some() {
                    let (r, t, i) = (next(), next(), next());
                    cond.push(format!(
                        "(c.stakes_rank < ${r} OR (c.stakes_rank = ${r} AND (c.created_at > ${t} \
                         OR (c.created_at = ${t} AND c.id > ${i}))))"
                    ));
                }
                let filter = if cond.is_empty() { String::new() } else { format!("WHERE {}", cond.join(" AND ")) };
                let q = format!(
                    "{QUEUE_SELECT} {filter} ORDER BY c.stakes_rank DESC, c.created_at, c.id LIMIT {}",
                    f.limit
                );
                let mut query = sqlx::query(&q);
                if let Some(u) = f.needs_review_by {
                    query = query.bind(u.0);
                }
                if let Some(c) = &f.after {
                    query = query.bind(i64::from(c.stakes.rank())).bind(c.created_at).bind(c.id.0);
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.iter().map(queue_item_from_row).collect()
            }

            async fn record_decision(
                &self,
                d: $crate::store::NewDecision,
            ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
                record_decision_op(self, d).await
            }

            async fn add_revision(
                &self,
                r: $crate::store::NewRevision,
            ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
                add_revision_op(self, r).await
            }

            async fn override_evals(
                &self,
                id: countersign_core::ChangeId,
                by: countersign_core::UserId,
                justification: &str,
                standing: &countersign_core::policy::Standing,
            ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
                override_evals_op(self, id, by, justification, standing).await
            }

            async fn expire_due(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                key: Option<&ed25519_dalek::SigningKey>,
            ) -> $crate::store::StoreResult<Vec<countersign_core::ChangeId>> {
                expire_due_op(self, now, key).await
            }

            async fn withdraw(
                &self,
                id: countersign_core::ChangeId,
                agent: countersign_core::AgentId,
            ) -> $crate::store::StoreResult<()> {
                withdraw_op(self, id, agent).await
            }
        }
    };
}
pub(crate) use impl_change_ops;
