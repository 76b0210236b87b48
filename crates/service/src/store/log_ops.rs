//! The transparency log's storage, shared by both backends (see `sql.rs`).
//!
//! Appends happen inside the transaction of the write they record (see `audit_from`), so
//! a lifecycle event and its log entry commit together or not at all. On PostgreSQL an
//! advisory lock held to commit keeps indexes sequential and gap-free across instances.

macro_rules! impl_log_ops {
    ($store:ty, $db:ty, $row:ty) => {
        /// Appends `entry` as the next leaf, with every subtree it completes.
        async fn log_append(
            tx: &mut sqlx::Transaction<'_, $db>,
            entry: &countersign_core::tlog::entry::Entry,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<u64> {
            use countersign_core::tlog::tree;
            if let Some(lock) = <$store>::LOG_LOCK {
                sqlx::query(lock).execute(&mut **tx).await?;
            }
            let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries")
                .fetch_one(&mut **tx)
                .await?;
            let index = next as u64;
            let mut siblings = std::collections::BTreeMap::new();
            for (level, i) in tree::append_needs(index) {
                let h: String = sqlx::query_scalar("SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2")
                    .bind(i64::from(level))
                    .bind(i as i64)
                    .fetch_one(&mut **tx)
                    .await?;
                siblings.insert((level, i), sql::hash_from_hex(&h)?);
            }
            let leaf = entry.leaf();
            let nodes = tree::appended(&siblings, index, countersign_core::merkle::leaf_hash(&leaf))
                .map_err(|e| $crate::store::StoreError::Corrupt(format!("log: {e}")))?;
            for ((level, i), h) in nodes {
                sqlx::query("INSERT INTO log_nodes (level, idx, hash) VALUES ($1, $2, $3)")
                    .bind(i64::from(level))
                    .bind(i as i64)
                    .bind(hex::encode(h))
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query("INSERT INTO log_entries (idx, leaf, created_at) VALUES ($1, $2, $3)")
                .bind(next)
                .bind(String::from_utf8_lossy(&leaf).into_owned())
                .bind(now)
                .execute(&mut **tx)
                .await?;
            Ok(index)
        }

        #[async_trait::async_trait]
        impl $crate::store::LogStore for $store {
            async fn log_size(&self) -> $crate::store::StoreResult<u64> {
                let n: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n as u64)
            }

            async fn log_nodes(
                &self,
                ids: &[countersign_core::tlog::tree::NodeId],
            ) -> $crate::store::StoreResult<std::collections::BTreeMap<countersign_core::tlog::tree::NodeId, countersign_core::merkle::Hash>> {
                let mut out = std::collections::BTreeMap::new();
                let mut conn = self.pool.acquire().await?;
                for &(level, i) in ids {
                    let h: Option<String> = sqlx::query_scalar("SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2")
                        .bind(i64::from(level))
                        .bind(i as i64)
                        .fetch_optional(&mut *conn)
                        .await?;
                    if let Some(h) = h {
                        out.insert((level, i), sql::hash_from_hex(&h)?);
                    }
                }
                Ok(out)
            }

            async fn log_entries(
                &self,
                start: u64,
                end: u64,
            ) -> $crate::store::StoreResult<Vec<$crate::store::LogEntryRecord>> {
                let rows = sqlx::query("SELECT idx, leaf, created_at FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx")
                    .bind(start as i64)
                    .bind(end as i64)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::store::LogEntryRecord {
                            index: r.try_get::<i64, _>("idx")? as u64,
                            leaf: r.try_get::<String, _>("leaf")?.into_bytes(),
                            created_at: r.try_get("created_at")?,
                        })
                    })
                    .collect()
            }

            async fn checkpoint_at(&self, size: u64) -> $crate::store::StoreResult<Option<String>> {
                Ok(sqlx::query_scalar("SELECT note FROM log_checkpoints WHERE size = $1")
                    .bind(size as i64)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn save_checkpoint(&self, size: u64, root: &countersign_core::merkle::Hash, note: &str) -> $crate::store::StoreResult<String> {
                let inserted = sqlx::query(
                    "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (size) DO NOTHING",
                )
                .bind(size as i64)
                .bind(hex::encode(root))
                .bind(note)
                .bind(chrono::Utc::now())
                .execute(&self.pool)
                .await?;
                if inserted.rows_affected() == 1 {
                    return Ok(note.to_owned());
                }
                // Another instance signed this size first: hand out the stored one.
                Ok(sqlx::query_scalar("SELECT note FROM log_checkpoints WHERE size = $1")
                    .bind(size as i64)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn server_key(&self, purpose: &str) -> $crate::store::StoreResult<Option<$crate::store::ServerKeyRecord>> {
                let row = sqlx::query("SELECT purpose, name, private_key, public_key, created_at FROM server_keys WHERE purpose = $1")
                    .bind(purpose)
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|r| {
                    Ok($crate::store::ServerKeyRecord {
                        purpose: r.try_get("purpose")?,
                        name: r.try_get("name")?,
                        private_key: r.try_get("private_key")?,
                        public_key: r.try_get("public_key")?,
                        created_at: r.try_get("created_at")?,
                    })
                })
                .transpose()
            }

            async fn insert_server_key(&self, key: $crate::store::ServerKeyRecord) -> $crate::store::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO server_keys (purpose, name, private_key, public_key, created_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (purpose) DO NOTHING",
                )
                .bind(&key.purpose)
                .bind(&key.name)
                .bind(&key.private_key)
                .bind(&key.public_key)
                .bind(key.created_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_log_ops;
