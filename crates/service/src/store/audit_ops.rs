//! Reading the audit trail, shared by both backends (see `sql.rs`). Newest first, keyset
//! paged by id, filtered by exact action and subject so the query uses the indexes.

macro_rules! impl_audit_ops {
    ($store:ty, $db:ty, $row:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AuditStore for $store {
            async fn audit_events(
                &self,
                f: &$crate::store::AuditFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::AuditRecord>> {
                let rows = sqlx::query(
                    "SELECT e.id, e.actor_kind, COALESCE(u.username, a.name) AS actor_name, e.action, \
                     e.subject, e.details, e.client_addr, e.created_at FROM audit_events e \
                     LEFT JOIN users u ON e.actor_kind = 'user' AND u.id = e.actor_id \
                     LEFT JOIN agents a ON e.actor_kind = 'agent' AND a.id = e.actor_id \
                     WHERE ($1 IS NULL OR e.action = $1) AND ($2 IS NULL OR e.subject = $2) \
                     AND ($3 IS NULL OR e.id < $3) ORDER BY e.id DESC LIMIT $4",
                )
                .bind(f.action.as_deref())
                .bind(f.subject.as_deref())
                .bind(f.before)
                .bind(f.limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|r: &$row| {
                        Ok($crate::store::AuditRecord {
                            id: r.try_get("id")?,
                            actor_kind: r.try_get("actor_kind")?,
                            actor: r.try_get("actor_name")?,
                            action: r.try_get("action")?,
                            subject: r.try_get("subject")?,
                            details: r.try_get("details")?,
                            client_addr: r.try_get("client_addr")?,
                            created_at: r.try_get("created_at")?,
                        })
                    })
                    .collect()
            }
        }
    };
}
pub(crate) use impl_audit_ops;
