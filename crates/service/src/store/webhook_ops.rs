//! Webhooks and their delivery outbox (both backends, see `sql.rs`). Deliveries are
//! claimed with a compare-and-set lease, so several instances can run the sender and each
//! attempt happens once.

macro_rules! impl_webhook_ops {
    ($store:ty, $db:ty, $row:ty) => {
        const DELIVERY_SELECT: &str = "SELECT d.id, d.message_id, d.change_id, d.event, d.payload, d.state, d.attempts, \
             d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at, w.url, w.secret, \
             a.name AS agent FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             JOIN agents a ON a.id = w.agent_id";

        fn delivery_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::DeliveryRecord> {
            Ok($crate::store::DeliveryRecord {
                id: r.try_get("id")?,
                message_id: r.try_get("message_id")?,
                change_id: countersign_core::ChangeId(r.try_get("change_id")?),
                event: r.try_get("event")?,
                payload: r.try_get("payload")?,
                state: r.try_get("state")?,
                attempts: r.try_get("attempts")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                last_status: r.try_get("last_status")?,
                last_error: r.try_get("last_error")?,
                created_at: r.try_get("created_at")?,
                delivered_at: r.try_get("delivered_at")?,
                url: r.try_get("url")?,
                secret: r.try_get("secret")?,
                agent: r.try_get("agent")?,
            })
        }

        #[async_trait::async_trait]
        impl $crate::store::WebhookStore for $store {
            async fn create_webhook(&self, agent: countersign_core::AgentId, url: &str, secret: &str) -> $crate::store::StoreResult<i64> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO webhooks (agent_id, url, secret, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(agent.0)
                .bind(url)
                .bind(secret)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let details = serde_json::json!({ "webhook": id, "url": url });
                audit(&mut tx, $crate::store::AuditActor::Agent(agent), "webhook.create", &format!("agent:{}", agent.0), details, now).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn webhooks(&self, agent: countersign_core::AgentId) -> $crate::store::StoreResult<Vec<$crate::store::WebhookRecord>> {
                let rows = sqlx::query("SELECT id, url, created_at FROM webhooks WHERE agent_id = $1 AND deleted_at IS NULL ORDER BY id")
                    .bind(agent.0)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok($crate::store::WebhookRecord { id: r.try_get("id")?, url: r.try_get("url")?, created_at: r.try_get("created_at")? }))
                    .collect()
            }

            async fn delete_webhook(&self, agent: countersign_core::AgentId, id: i64) -> $crate::store::StoreResult<()> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let gone = sqlx::query("UPDATE webhooks SET deleted_at = $1 WHERE id = $2 AND agent_id = $3 AND deleted_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .bind(agent.0)
                    .execute(&mut *tx)
                    .await?;
                if gone.rows_affected() != 1 {
                    return Err($crate::store::StoreError::NotFound);
                }
                let details = serde_json::json!({ "webhook": id });
                audit(&mut tx, $crate::store::AuditActor::Agent(agent), "webhook.delete", &format!("agent:{}", agent.0), details, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn enqueue_deliveries(
                &self,
                change: countersign_core::ChangeId,
                event: &str,
                payload: &str,
                message_ids: &mut (dyn FnMut() -> String + Send),
            ) -> $crate::store::StoreResult<usize> {
                let now = chrono::Utc::now();
                let hooks: Vec<i64> = sqlx::query_scalar(
                    "SELECT w.id FROM webhooks w JOIN changes c ON c.agent_id = w.agent_id \
                     WHERE c.id = $1 AND w.deleted_at IS NULL",
                )
                .bind(change.0)
                .fetch_all(&self.pool)
                .await?;
                let mut n = 0;
                for hook in hooks {
                    let done = sqlx::query(
                        "INSERT INTO webhook_deliveries (webhook_id, message_id, change_id, event, payload, state, \
                         next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6) \
                         ON CONFLICT (webhook_id, change_id, event) DO NOTHING",
                    )
                    .bind(hook)
                    .bind(message_ids())
                    .bind(change.0)
                    .bind(event)
                    .bind(payload)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                    n += done.rows_affected() as usize;
                }
                Ok(n)
            }

            async fn due_deliveries(&self, now: chrono::DateTime<chrono::Utc>, limit: i64) -> $crate::store::StoreResult<Vec<$crate::store::DeliveryRecord>> {
                let q = format!("{DELIVERY_SELECT} WHERE d.state = 'pending' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at, d.id LIMIT $2");
                let rows = sqlx::query(&q).bind(now).bind(limit).fetch_all(&self.pool).await?;
                rows.iter().map(delivery_from_row).collect()
            }

            async fn claim_delivery(&self, id: i64, attempts: i64, lease_until: chrono::DateTime<chrono::Utc>) -> $crate::store::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = $2 AND state = 'pending' AND attempts = $3 AND next_attempt_at < $1",
                )
                .bind(lease_until)
                .bind(id)
                .bind(attempts)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn finish_delivery(&self, id: i64, outcome: $crate::store::Attempt) -> $crate::store::StoreResult<()> {
                let now = chrono::Utc::now();
                let (state, status, error, next) = match outcome {
                    $crate::store::Attempt::Delivered { status } => ("delivered", Some(status), None, now),
                    $crate::store::Attempt::Retry { status, error, at } => ("pending", status, Some(error), at),
                    $crate::store::Attempt::GaveUp { status, error } => ("failed", status, Some(error), now),
                };
                sqlx::query(
                    "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3, \
                     next_attempt_at = $4, delivered_at = CASE WHEN $1 = 'delivered' THEN $5 ELSE delivered_at END WHERE id = $6",
                )
                .bind(state)
                .bind(status.map(i64::from))
                .bind(error)
                .bind(next)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn deliveries(&self, limit: i64) -> $crate::store::StoreResult<Vec<$crate::store::DeliveryRecord>> {
                let q = format!("{DELIVERY_SELECT} ORDER BY d.id DESC LIMIT $1");
                let rows = sqlx::query(&q).bind(limit).fetch_all(&self.pool).await?;
                rows.iter().map(delivery_from_row).collect()
            }

            async fn replay_delivery(&self, id: i64, by: countersign_core::UserId) -> $crate::store::StoreResult<()> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let done = sqlx::query(
                    "UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1 WHERE id = $2",
                )
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err($crate::store::StoreError::NotFound);
                }
                let details = serde_json::json!({ "delivery": id });
                audit(&mut tx, $crate::store::AuditActor::User(by), "webhook.replay", &format!("delivery:{id}"), details, now).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_webhook_ops;
