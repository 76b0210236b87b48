//! An agent revises a pending change (shared by both backends, see `sql.rs`).
//!
//! The new content is a new revision row; the change header points at it. Decisions stay
//! where they were: they name the digest they were made on, so approvals given to an
//! earlier digest stop counting (and show as stale), while a revision with identical
//! content keeps them. The change is judged again in the same transaction.

macro_rules! impl_revision_ops {
    ($store:ty, $db:ty, $row:ty) => {
        async fn add_revision_op(
            s: &$store,
            r: $crate::store::NewRevision,
        ) -> $crate::store::StoreResult<countersign_core::policy::Progress> {
            let mut tx = s.write_tx().await?;
            let next = r.previous + 1;
            let moved = sqlx::query(
                "UPDATE changes SET revision = $1, digest = $2, title = $3, description = $4, base = $5, \
                 labels = $6, eval_passed = $7, eval_failed = $8, eval_errored = $9, eval_skipped = $10, \
                 updated_at = $11 WHERE id = $12 AND agent_id = $13 AND status = 'pending' AND revision = $14",
            )
            .bind(next)
            .bind(&r.digest.digest)
            .bind(&r.title)
            .bind(&r.description)
            .bind(&r.base)
            .bind(&r.labels_json)
            .bind(i64::from(r.evals.passed))
            .bind(i64::from(r.evals.failed))
            .bind(i64::from(r.evals.errored))
            .bind(i64::from(r.evals.skipped))
            .bind(r.now)
            .bind(r.change_id.0)
            .bind(r.agent_id.0)
            .bind(r.previous)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() != 1 {
                return Err($crate::store::StoreError::Conflict("changes_status_revision"));
            }
            let (diff_text, diff_encoding) = sql::diff_to_db(&r.diff);
            sqlx::query(
                "INSERT INTO change_revisions (change_id, revision, digest, diff_digest, evals_digest, \
                 attestations_digest, diff, evals, attestations, created_at, diff_encoding) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(r.change_id.0)
            .bind(next)
            .bind(&r.digest.digest)
            .bind(&r.digest.diff)
            .bind(&r.digest.evals)
            .bind(&r.digest.attestations)
            .bind(&diff_text)
            .bind(&r.evals_json)
            .bind(&r.attestations_json)
            .bind(r.now)
            .bind(diff_encoding)
            .execute(&mut *tx)
            .await?;
            write_standing(&mut tx, r.change_id.0, &r.policy).await?;
            // Logged before the outcome it leads to (an agent-only approval of the new
            // content), with the requirement and facts an auditor recomputes it from.
            let details = serde_json::json!({
                "revision": next, "digest": r.digest.digest,
                "tier": r.policy.assessment.tiering.tier.as_str(),
                "requirement": r.policy.assessment.requirement, "facts": r.policy.facts,
            });
            let by = $crate::store::AuditActor::Agent(r.agent_id);
            let subject = format!("change:{}", r.change_id);
            audit(&mut tx, by, "change.revise", &subject, details, r.now).await?;
            let progress = settle(&mut tx, r.change_id.0, &r.standing, r.now).await?;
            if progress.outcome == countersign_core::policy::Outcome::ApprovedBySystem {
                let reason = r.policy.system_reason.as_deref().unwrap_or(progress.summary.as_str());
                insert_system_decision(&mut tx, r.change_id.0, next, &r.digest, &r.policy, reason, r.now).await?;
            }
            tx.commit().await?;
            Ok(progress)
        }
    };
}

pub(crate) use impl_revision_ops;
