//! The auditor's history (both backends, see `sql.rs`): every change — expired and
//! withdrawn ones too — with each decision on it, one row per decision (or one row for a
//! change nobody decided), newest first, filtered on indexed equalities and a time range.

macro_rules! impl_history_ops {
    ($store:ty, $db:ty, $row:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::HistoryStore for $store {
            async fn history(
                &self,
                f: &$crate::store::HistoryFilter,
            ) -> $crate::store::StoreResult<Vec<$crate::store::HistoryRecord>> {
                let mut cond: Vec<String> = Vec::new();
                let mut texts: Vec<String> = Vec::new();
                let mut text = |col: &str, v: &Option<String>, cond: &mut Vec<String>| {
                    if let Some(v) = v {
                        texts.push(v.clone());
                        cond.push(format!("{col} = ${}", texts.len()));
                    }
                };
                text("u.username", &f.reviewer, &mut cond);
                text("a.name", &f.agent, &mut cond);
                text("c.repository", &f.repository, &mut cond);
                text("d.verdict", &f.verdict.map(|v| v.as_str().to_owned()), &mut cond);
                text("c.stakes", &f.stakes.map(|s| s.as_str().to_owned()), &mut cond);
                text("c.status", &f.status.map(|s| s.as_str().to_owned()), &mut cond);
                let n = texts.len();
                if f.from.is_some() {
                    cond.push(format!("COALESCE(d.created_at, c.created_at) >= ${}", n + 1));
                }
                if f.to.is_some() {
                    cond.push(format!("COALESCE(d.created_at, c.created_at) < ${}", n + 1 + usize::from(f.from.is_some())));
                }
                let limit_at = n + 1 + usize::from(f.from.is_some()) + usize::from(f.to.is_some());
                let filter = if cond.is_empty() { String::new() } else { format!("WHERE {}", cond.join(" AND ")) };
                let q = format!(
                    "SELECT c.id, c.title, c.repository, a.name AS agent, c.stakes, c.status, c.digest AS current_digest, \
                     c.created_at, d.id AS decision_id, d.verdict, u.username AS reviewer, d.revision, d.digest, \
                     d.created_at AS decided_at, d.key_id, d.reason, d.envelope \
                     FROM changes c JOIN agents a ON a.id = c.agent_id \
                     LEFT JOIN decisions d ON d.change_id = c.id LEFT JOIN users u ON u.id = d.reviewer_id \
                     {filter} ORDER BY COALESCE(d.created_at, c.created_at) DESC, c.id DESC, d.id DESC LIMIT ${limit_at}"
                );
                let mut query = sqlx::query(&q);
                for t in &texts {
                    query = query.bind(t);
                }
                if let Some(from) = f.from {
                    query = query.bind(from);
                }
                if let Some(to) = f.to {
                    query = query.bind(to);
                }
                let rows = query.bind(f.limit).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        let decision_id: Option<i64> = r.try_get("decision_id")?;
                        Ok($crate::store::HistoryRecord {
                            change_id: countersign_core::ChangeId(r.try_get("id")?),
                            title: r.try_get("title")?,
                            repository: r.try_get("repository")?,
                            agent: r.try_get("agent")?,
                            stakes: sql::parse(&r.try_get::<String, _>("stakes")?, "stakes")?,
                            status: sql::parse(&r.try_get::<String, _>("status")?, "status")?,
                            current_digest: r.try_get("current_digest")?,
                            submitted_at: r.try_get("created_at")?,
                            decision: match decision_id {
                                None => None,
                                Some(_) => Some($crate::store::HistoryDecision {
                                    verdict: sql::parse(&r.try_get::<String, _>("verdict")?, "verdict")?,
                                    reviewer: r.try_get::<Option<String>, _>("reviewer")?.unwrap_or_else(|| "system".into()),
                                    revision: r.try_get("revision")?,
                                    digest: r.try_get("digest")?,
                                    at: r.try_get("decided_at")?,
                                    key_id: r.try_get("key_id")?,
                                    reason: r.try_get("reason")?,
                                    envelope: r.try_get("envelope")?,
                                }),
                            },
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_history_ops;
