//! Writes that move a change under the stakes policy, shared by both backends (see
//! `sql.rs`): a reviewer's decision, an agent's revision, expiry. Each is one transaction
//! that first takes the change's row (compare-and-set on status and revision — on
//! PostgreSQL the UPDATE holds the row lock until commit), then judges with every decision
//! recorded so far. Two reviewers deciding at once therefore cannot both see "1 of 2".

macro_rules! impl_decision_ops {
    ($store:ty, $db:ty, $row:ty) => {
        /// Stores a change's standing under the policy (submit, seed, revision).
        async fn write_standing(
            tx: &mut sqlx::Transaction<'_, $db>,
            id: i64,
            p: &$crate::store::PolicyStanding,
        ) -> $crate::store::StoreResult<()> {
            let tier = p.assessment.tiering.tier;
            sqlx::query(
                "UPDATE changes SET stakes = $1, stakes_rank = $2, declared_stakes = $3, policy_hash = $4, \
                 requirement = $5, tier_reasons = $6, facts = $7, provenance_ok = $8, expires_at = $9 \
                 WHERE id = $10",
            )
            .bind(tier.as_str())
            .bind(i64::from(tier.rank()))
            .bind(p.declared.as_str())
            .bind(&p.policy_hash)
            .bind(sql::to_json(&p.assessment.requirement)?)
            .bind(sql::to_json(&p.assessment.tiering.reasons)?)
            .bind(sql::to_json(&p.facts)?)
            .bind(p.facts.provenance_ok())
            .bind(p.expires_at)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// A decision made by the system (agent-only approval), with its reason, signed
        /// with the system key now that the change's id is known.
        async fn insert_system_decision(
            tx: &mut sqlx::Transaction<'_, $db>,
            id: i64,
            revision: i64,
            content: &countersign_core::ContentDigest,
            standing: &$crate::store::PolicyStanding,
            reason: &str,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<()> {
            use countersign_core::decision;
            use ed25519_dalek::Signer as _;
            let signed = standing.system_key.as_ref().map(|key| {
                let key_id = decision::key_id(&key.verifying_key().to_bytes());
                let p = decision::Predicate {
                    verdict: countersign_core::Verdict::Approve,
                    change_id: id,
                    revision,
                    decider: "system".into(),
                    key_id: key_id.clone(),
                    policy: Some(standing.policy_hash.clone()),
                    comment_sha256: None,
                    time: now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    reason: Some(reason.to_owned()),
                };
                let payload = decision::statement(content, &p);
                let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
                (decision::envelope(&payload, &key_id, &sig), key_id)
            });
            let (envelope, key_id) = signed.unzip();
            sqlx::query(
                "INSERT INTO decisions (change_id, revision, digest, reviewer_id, verdict, comment, created_at, \
                 roles, policy_hash, reason, envelope, key_id) VALUES ($1, $2, $3, NULL, 'approve', NULL, $4, '[]', $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(revision)
            .bind(&content.digest)
            .bind(now)
            .bind(&standing.policy_hash)
            .bind(reason)
            .bind(&envelope)
            .bind(&key_id)
            .execute(&mut **tx)
            .await?;
            let details = serde_json::json!({
                "verdict": "approve", "revision": revision, "digest": content.digest, "status": "approved",
                "system": true, "reason": reason, "envelope": envelope,
            });
            let subject = format!("change:{id}");
            let index = audit_from(tx, $crate::store::AuditActor::System, "change.decide", &subject, details, now, None).await?;
            sqlx::query("UPDATE decisions SET log_index = $1 WHERE change_id = $2 AND revision = $3 AND reviewer_id IS NULL")
                .bind(index.map(|i| i as i64))
                .bind(id)
                .bind(revision)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        /// Judges a pending change (whose row this transaction already holds) with every
        /// decision recorded on it, and stores the resulting status and progress.
        async fn settle(
            tx: &mut sqlx::Transaction<'_, $db>,
            id: i64,
            standing: &countersign_core::policy::Standing,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
            let rows = sqlx::query(
                "SELECT reviewer_id, roles, verdict, digest FROM decisions WHERE change_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
            let recorded = rows
                .iter()
                .map(|r| {
                    Ok(countersign_core::policy::RecordedVote {
                        person: r.try_get("reviewer_id")?,
                        roles: sql::json(&r.try_get::<String, _>("roles")?, "roles")?,
                        verdict: sql::parse(&r.try_get::<String, _>("verdict")?, "verdict")?,
                        digest: r.try_get("digest")?,
                    })
                })
                .collect::<$crate::store::StoreResult<Vec<_>>>()?;
            // Quarantine is read here, not trusted from the caller: an agent quarantined a
            // moment ago must not get a change approved.
            let quarantined: bool = sqlx::query_scalar(
                "SELECT a.quarantined FROM changes c JOIN agents a ON a.id = c.agent_id WHERE c.id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            let mut standing = standing.clone();
            standing.gates.quarantined |= quarantined;
            let progress = standing.judge(&recorded);
            let status = countersign_core::policy::status_of(progress.outcome);
            sqlx::query("UPDATE changes SET status = $1, progress = $2, updated_at = $3 WHERE id = $4")
                .bind(status.as_str())
                .bind(&progress.summary)
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
            Ok(progress)
        }

        async fn record_decision_op(
            s: &$store,
            d: $crate::store::NewDecision,
        ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
            let mut tx = s.write_tx().await?;
            // Compare-and-set: only a change still pending at the revision the reviewer saw.
            let held = sqlx::query(
                "UPDATE changes SET updated_at = $1 \
                 WHERE id = $2 AND status = 'pending' AND revision = $3 AND digest = $4",
            )
            .bind(d.now)
            .bind(d.change_id.0)
            .bind(d.revision)
            .bind(&d.digest)
            .execute(&mut *tx)
            .await?;
            if held.rows_affected() != 1 {
                return Err($crate::store::StoreError::Conflict("changes_status_revision"));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO decisions (change_id, revision, digest, reviewer_id, verdict, comment, created_at, \
                 roles, policy_hash, envelope, key_id, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(d.change_id.0)
            .bind(d.revision)
            .bind(&d.digest)
            .bind(d.reviewer_id.0)
            .bind(d.verdict.as_str())
            .bind(&d.comment)
            .bind(d.now)
            .bind(sql::to_json(&d.roles)?)
            .bind(&d.policy_hash)
            .bind(&d.envelope)
            .bind(&d.key_id)
            .bind(d.opened_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| sql::unique_conflict(e, "decisions_once_per_reviewer"))?;
            let progress = settle(&mut tx, d.change_id.0, &d.standing, d.now).await?;
            let status = countersign_core::policy::status_of(progress.outcome);
            let details = serde_json::json!({
                "decision": id, "verdict": d.verdict.as_str(), "revision": d.revision,
                "digest": d.digest, "status": status.as_str(), "progress": progress.summary,
                "policy": d.policy_hash, "envelope": d.envelope, "roles": d.roles,
            });
            let by = $crate::store::AuditActor::User(d.reviewer_id);
            let subject = format!("change:{}", d.change_id);
            let index = audit_from(&mut tx, by, "change.decide", &subject, details, d.now, None).await?;
            sqlx::query("UPDATE decisions SET log_index = $1 WHERE id = $2")
                .bind(index.map(|i| i as i64))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(progress)
        }

        /// An admin overrides failing required evals with a written justification; the
        /// change is judged again (it may now be approved by the approvals it has).
        async fn override_evals_op(
            s: &$store,
            id: countersign_core::ChangeId,
            by: countersign_core::UserId,
            justification: &str,
            standing: &countersign_core::policy::Standing,
        ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
            let now = chrono::Utc::now();
            let mut tx = s.write_tx().await?;
            let held = sqlx::query(
                "UPDATE changes SET override_by = $1, override_reason = $2, updated_at = $3 \
                 WHERE id = $4 AND status = 'pending' AND digest = $5",
            )
            .bind(by.0)
            .bind(justification)
            .bind(now)
            .bind(id.0)
            .bind(&standing.digest)
            .execute(&mut *tx)
            .await?;
            if held.rows_affected() != 1 {
                return Err($crate::store::StoreError::Conflict("changes_status_revision"));
            }
            let mut standing = standing.clone();
            standing.gates.overridden = true;
            let progress = settle(&mut tx, id.0, &standing, now).await?;
            let details = serde_json::json!({
                "justification": justification, "digest": standing.digest,
                "status": countersign_core::policy::status_of(progress.outcome).as_str(),
                "progress": progress.summary,
            });
            let by = $crate::store::AuditActor::User(by);
            audit(&mut tx, by, "change.override", &format!("change:{id}"), details, now).await?;
            tx.commit().await?;
            Ok(progress)
        }

        async fn expire_due_op(
            s: &$store,
            now: chrono::DateTime<chrono::Utc>,
            key: Option<&ed25519_dalek::SigningKey>,
        ) -> $crate::store::StoreResult<Vec<countersign_core::ChangeId>> {
            use countersign_core::decision;
            use ed25519_dalek::Signer as _;
            let mut tx = s.write_tx().await?;
            let due = sqlx::query(
                "SELECT id, revision, digest, expires_at FROM changes WHERE status = 'pending' \
                 AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY id LIMIT 500",
            )
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
            let mut expired = Vec::new();
            for r in due {
                let (id, revision, digest): (i64, i64, String) = (r.try_get("id")?, r.try_get("revision")?, r.try_get("digest")?);
                let moved = sqlx::query(
                    "UPDATE changes SET status = 'expired', progress = 'expired: no decision in time', \
                     updated_at = $1 WHERE id = $2 AND status = 'pending'",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if moved.rows_affected() != 1 {
                    continue;
                }
                // Signed by the system key, like an agent-only approval, and so in the log.
                let envelope = key.map(|key| {
                    let key_id = decision::key_id(&key.verifying_key().to_bytes());
                    let p = decision::ExpiryPredicate {
                        change_id: id,
                        revision,
                        key_id: key_id.clone(),
                        time: now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                        reason: "no decision before the tier's expiry".into(),
                    };
                    let payload = decision::expiry_statement(&digest, &p);
                    let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
                    decision::envelope(&payload, &key_id, &sig)
                });
                let details = serde_json::json!({ "revision": revision, "digest": digest, "envelope": envelope });
                let subject = format!("change:{id}");
                audit(&mut tx, $crate::store::AuditActor::System, "change.expire", &subject, details, now).await?;
                expired.push(countersign_core::ChangeId(id));
            }
            tx.commit().await?;
            Ok(expired)
        }
    };
}

pub(crate) use impl_decision_ops;
