//! The rows the oversight dashboard is computed from (both backends, see `sql.rs`): the
//! decisions of a time window with their change, and the changes pending now or closed
//! within it. The aggregation itself is plain Rust (`crate::dashboard`).

macro_rules! impl_dashboard_ops {
    ($store:ty, $db:ty, $row:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::DashboardStore for $store {
            async fn dashboard_rows(
                &self,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<(Vec<$crate::store::DecisionFact>, Vec<$crate::store::ChangeFact>)> {
                let rows = sqlx::query(
                    "SELECT d.change_id, u.username, d.verdict, d.created_at, d.opened_at, c.created_at AS submitted_at, \
                     a.name AS agent, c.override_by, c.facts, c.title FROM decisions d \
                     JOIN changes c ON c.id = d.change_id JOIN agents a ON a.id = c.agent_id \
                     LEFT JOIN users u ON u.id = d.reviewer_id WHERE d.created_at >= $1 ORDER BY d.id",
                )
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                let decisions = rows
                    .iter()
                    .map(|r| {
                        let facts: Option<countersign_core::policy::ChangeFacts> =
                            sql::json_opt(r.try_get("facts")?, "facts")?;
                        Ok($crate::store::DecisionFact {
                            change_id: countersign_core::ChangeId(r.try_get("change_id")?),
                            title: r.try_get("title")?,
                            reviewer: r.try_get("username")?,
                            verdict: sql::parse(&r.try_get::<String, _>("verdict")?, "verdict")?,
                            at: r.try_get("created_at")?,
                            opened_at: r.try_get("opened_at")?,
                            submitted_at: r.try_get("submitted_at")?,
                            agent: r.try_get("agent")?,
                            overridden: r.try_get::<Option<i64>, _>("override_by")?.is_some(),
                            lines_changed: facts.map_or(0, |f| f.lines_changed),
                        })
                    })
                    .collect::<$crate::store::StoreResult<Vec<_>>>()?;
                let rows = sqlx::query(
                    "SELECT id, title, stakes, status, created_at, updated_at FROM changes \
                     WHERE status = 'pending' OR updated_at >= $1",
                )
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                let changes = rows
                    .iter()
                    .map(|r| {
                        Ok($crate::store::ChangeFact {
                            id: countersign_core::ChangeId(r.try_get("id")?),
                            title: r.try_get("title")?,
                            stakes: sql::parse(&r.try_get::<String, _>("stakes")?, "stakes")?,
                            status: sql::parse(&r.try_get::<String, _>("status")?, "status")?,
                            created_at: r.try_get("created_at")?,
                            updated_at: r.try_get("updated_at")?,
                        })
                    })
                    .collect::<$crate::store::StoreResult<Vec<_>>>()?;
                Ok((decisions, changes))
            }
        }
    };
}

pub(crate) use impl_dashboard_ops;
