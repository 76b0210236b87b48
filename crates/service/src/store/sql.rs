//! The SQL both backends share, written once.
//!
//! SQLite and PostgreSQL both accept `$n` placeholders, `RETURNING` and the same DDL types
//! as mapped in each backend's migrations, so the queries are identical. What differs —
//! connecting, migrating and how a write transaction begins (SQLite needs
//! `BEGIN IMMEDIATE`) — lives in `sqlite.rs` and `postgres.rs`. The macro instantiates
//! this one implementation for each pool type, so every query is checked against both.

use countersign_core::{ContentDigest, EvalSummary};

use super::{StoreError, StoreResult};

/// True when `e` is a unique violation of `constraint`. PostgreSQL names the constraint;
/// SQLite does not, so there the caller's statement must be one that can violate only
/// `constraint` (each call site is).
pub(super) fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    match e {
        sqlx::Error::Database(d) if d.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            d.constraint().is_none_or(|c| c == constraint)
        }
        _ => false,
    }
}

/// `Conflict(constraint)` for a unique violation of `constraint`, else the error itself.
pub(super) fn unique_conflict(e: sqlx::Error, constraint: &'static str) -> StoreError {
    if is_unique_violation(&e, constraint) {
        StoreError::Conflict(constraint)
    } else {
        e.into()
    }
}

pub(super) fn parse<T: std::str::FromStr>(value: &str, what: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{what} `{value}`")))
}

pub(super) fn json<T: serde::de::DeserializeOwned>(value: &str, what: &str) -> StoreResult<T> {
    serde_json::from_str(value).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("json: {e}")))
}

/// An optional JSON column.
pub(super) fn json_opt<T: serde::de::DeserializeOwned>(
    value: Option<String>,
    what: &str,
) -> StoreResult<Option<T>> {
    value.map(|v| json(&v, what)).transpose()
}

/// A stored node hash (hex).
pub(super) fn hash_from_hex(h: &str) -> StoreResult<countersign_core::merkle::Hash> {
    hex::decode(h)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| StoreError::Corrupt(format!("log node hash `{h}`")))
}

/// A diff as stored: UTF-8 text as is, anything else as base64 (`diff_encoding`).
pub(super) fn diff_to_db(bytes: &[u8]) -> (String, &'static str) {
    use base64::Engine;
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "utf8"),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            "base64",
        ),
    }
}

pub(super) fn diff_from_db(text: String, encoding: String) -> StoreResult<Vec<u8>> {
    use base64::Engine;
    match encoding.as_str() {
        "utf8" => Ok(text.into_bytes()),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| StoreError::Corrupt(format!("diff: {e}"))),
        other => Err(StoreError::Corrupt(format!("diff encoding `{other}`"))),
    }
}

pub(super) fn summary(p: i64, f: i64, e: i64, s: i64) -> EvalSummary {
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    EvalSummary {
        passed: n(p),
        failed: n(f),
        errored: n(e),
        skipped: n(s),
    }
}

pub(super) fn digest(
    top: String,
    diff: String,
    evals: String,
    attestations: String,
) -> ContentDigest {
    ContentDigest {
        digest: top,
        diff,
        evals,
        attestations,
    }
}

pub(super) const CHANGE_SELECT: &str = "SELECT c.id, c.agent_id, a.name AS agent_name, \
    a.owner_user_id AS agent_owner, a.quarantined AS agent_quarantined, c.title, c.description, c.repository, c.base, c.stakes, \
    c.status, c.revision, c.digest, c.labels, c.eval_passed, c.eval_failed, c.eval_errored, \
    c.eval_skipped, c.created_at, c.updated_at, c.declared_stakes, c.policy_hash, c.requirement, \
    c.tier_reasons, c.progress, c.provenance_ok, c.expires_at, c.override_reason, c.override_by \
    FROM changes c JOIN agents a ON a.id = c.agent_id";

/// The queue's columns only (see `QueueItem`).
pub(super) const QUEUE_SELECT: &str = "SELECT c.id, c.title, c.repository, a.name AS agent_name, \
    c.stakes, c.status, c.created_at, c.eval_passed, c.eval_failed, c.eval_errored, \
    c.eval_skipped, c.progress FROM changes c JOIN agents a ON a.id = c.agent_id";

/// Implements `Store` for a backend type with fields `pool` and an inherent
/// `write_tx(&self)` that begins a write transaction the way that backend needs.
macro_rules! impl_sql_store {
    ($store:ty, $db:ty, $row:ty, $name:literal) => {
        use sqlx::Row as _;
        use $crate::store::sql::{self, CHANGE_SELECT, QUEUE_SELECT};

        fn queue_item_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::QueueItem> {
            Ok($crate::store::QueueItem {
                id: countersign_core::ChangeId(r.try_get(0)?),
                title: r.try_get(1)?,
                repository: r.try_get(2)?,
                agent_name: r.try_get(3)?,
                stakes: sql::parse(&r.try_get::<String, _>(4)?, "stakes")?,
                status: sql::parse(&r.try_get::<String, _>(5)?, "status")?,
                created_at: r.try_get(6)?,
                evals: sql::summary(r.try_get(7)?, r.try_get(8)?, r.try_get(9)?, r.try_get(10)?),
                progress: r.try_get(11)?,
            })
        }

        fn change_from_row(r: &$row) -> $crate::store::StoreResult<$crate::store::ChangeRecord> {
            Ok($crate::store::ChangeRecord {
                id: countersign_core::ChangeId(r.try_get("id")?),
                agent_id: countersign_core::AgentId(r.try_get("agent_id")?),
                agent_name: r.try_get("agent_name")?,
                agent_owner: r.try_get::<Option<i64>, _>("agent_owner")?.map(countersign_core::UserId),
                agent_quarantined: r.try_get("agent_quarantined")?,
                title: r.try_get("title")?,
                description: r.try_get("description")?,
                repository: r.try_get("repository")?,
                base: r.try_get("base")?,
                stakes: sql::parse(&r.try_get::<String, _>("stakes")?, "stakes")?,
                status: sql::parse(&r.try_get::<String, _>("status")?, "status")?,
                revision: r.try_get("revision")?,
                digest: r.try_get("digest")?,
                labels: sql::json(&r.try_get::<String, _>("labels")?, "labels")?,
                evals: sql::summary(
                    r.try_get("eval_passed")?,
                    r.try_get("eval_failed")?,
                    r.try_get("eval_errored")?,
                    r.try_get("eval_skipped")?,
                ),
                created_at: r.try_get("created_at")?,
                updated_at: r.try_get("updated_at")?,
                declared_stakes: match r.try_get::<Option<String>, _>("declared_stakes")? {
                    Some(d) => sql::parse(&d, "declared_stakes")?,
                    None => sql::parse(&r.try_get::<String, _>("stakes")?, "stakes")?,
                },
                policy_hash: r.try_get("policy_hash")?,
                requirement: sql::json_opt(r.try_get("requirement")?, "requirement")?,
                tier_reasons: sql::json_opt(r.try_get("tier_reasons")?, "tier_reasons")?.unwrap_or_default(),
                progress: r.try_get("progress")?,
                provenance_ok: r.try_get("provenance_ok")?,
                expires_at: r.try_get("expires_at")?,
                override_reason: r.try_get("override_reason")?,
                override_by: r.try_get::<Option<i64>, _>("override_by")?.map(countersign_core::UserId),
            })
        }

        async fn roles_of(
            pool: &sqlx::Pool<$db>,
            id: i64,
        ) -> $crate::store::StoreResult<Vec<countersign_core::Role>> {
            let rows = sqlx::query("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                .bind(id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| sql::parse(&r.try_get::<String, _>("role")?, "role"))
                .collect()
        }

        /// One user and their roles in one query (a row per role; a user without roles
        /// still gets one row): this runs on every signed-in page view, where a second
        /// query for the roles was a quarter of the page's round trips to the database.
        async fn user_where(
            pool: &sqlx::Pool<$db>,
            clause: &str,
            bind: impl for<'q> sqlx::Encode<'q, $db> + sqlx::Type<$db> + Send,
        ) -> $crate::store::StoreResult<Option<$crate::store::UserRecord>> {
            let q = format!(
                "SELECT u.id, u.username, u.display_name, u.password_hash, u.disabled, \
                 u.session_epoch, u.must_change_password, r.role FROM users u \
                 LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.{clause} ORDER BY r.role"
            );
            let rows = sqlx::query(&q).bind(bind).fetch_all(pool).await?;
            let Some(r) = rows.first() else {
                return Ok(None);
            };
            let roles = rows
                .iter()
                .filter_map(|r| r.try_get::<Option<String>, _>("role").transpose())
                .map(|role| sql::parse(&role?, "role"))
                .collect::<$crate::store::StoreResult<Vec<_>>>()?;
            Ok(Some($crate::store::UserRecord {
                id: countersign_core::UserId(r.try_get("id")?),
                username: r.try_get("username")?,
                display_name: r.try_get("display_name")?,
                password_hash: r.try_get("password_hash")?,
                disabled: r.try_get("disabled")?,
                session_epoch: r.try_get("session_epoch")?,
                must_change_password: r.try_get("must_change_password")?,
                roles,
            }))
        }

        async fn audit(
            tx: &mut sqlx::Transaction<'_, $db>,
            actor: $crate::store::AuditActor,
            action: &str,
            subject: &str,
            details: serde_json::Value,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::store::StoreResult<()> {
            audit_from(tx, actor, action, subject, details, now, None).await.map(|_| ())
        }

        /// Writes the audit row (and its log entry, for lifecycle events); returns the
        /// log index when there is one.
        async fn audit_from(
            tx: &mut sqlx::Transaction<'_, $db>,
            actor: $crate::store::AuditActor,
            action: &str,
            subject: &str,
            details: serde_json::Value,
            now: chrono::DateTime<chrono::Utc>,
            client: Option<&str>,
        ) -> $crate::store::StoreResult<Option<u64>> {
            let (kind, id) = actor.kind_and_id();
            let mut index = None;
            if countersign_core::tlog::entry::is_logged(action) {
                let entry = countersign_core::tlog::entry::Entry {
                    v: countersign_core::tlog::entry::ENTRY_VERSION,
                    action: action.to_owned(),
                    subject: subject.to_owned(),
                    actor: match id {
                        Some(id) => format!("{kind}:{id}"),
                        None => kind.to_owned(),
                    },
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    details: details.clone(),
                };
                index = Some(log_append(tx, &entry, now).await?);
            }
            sqlx::query(
                "INSERT INTO audit_events (actor_kind, actor_id, action, subject, details, created_at, client_addr) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(kind)
            .bind(id)
            .bind(action)
            .bind(subject)
            .bind(details.to_string())
            .bind(now)
            .bind(client)
            .execute(&mut **tx)
            .await?;
            Ok(index)
        }

        $crate::store::change_ops::impl_change_ops!($store, $db, $row);
        $crate::store::decision_ops::impl_decision_ops!($store, $db, $row);
        $crate::store::revision_ops::impl_revision_ops!($store, $db, $row);
        $crate::store::policy_ops::impl_policy_ops!($store, $db, $row);
        $crate::store::log_ops::impl_log_ops!($store, $db, $row);
        $crate::store::key_ops::impl_key_ops!($store, $db, $row);
        $crate::store::history_ops::impl_history_ops!($store, $db, $row);
        $crate::store::webhook_ops::impl_webhook_ops!($store, $db, $row);
        $crate::store::dashboard_ops::impl_dashboard_ops!($store, $db, $row);
        $crate::store::account_ops::impl_account_ops!($store, $db);
        $crate::store::admin_ops::impl_admin_ops!($store, $db);
        $crate::store::agent_ops::impl_agent_ops!($store, $db, $row);
        $crate::store::audit_ops::impl_audit_ops!($store, $db, $row);
        $crate::store::seed_ops::impl_seed_ops!($store, $db, $row);

        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn backend(&self) -> &'static str {
                $name
            }

            async fn migrate(&self) -> $crate::store::StoreResult<()> {
                self.run_migrations().await
            }

            async fn readiness(&self) -> $crate::store::StoreResult<$crate::store::Readiness> {
                let migrator = Self::migrator();
                let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
                // Before the first migration the bookkeeping table does not exist yet.
                let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                    .fetch_all(&self.pool)
                    .await
                    .or_else(|e| match &e {
                        // Only a missing table means "not migrated yet"; any other error
                        // is a database that does not answer properly.
                        sqlx::Error::Database(d)
                            if d.code().as_deref() == Some("42P01") || d.message().contains("no such table") =>
                        {
                            Ok(Vec::new())
                        }
                        _ => Err(e),
                    })?;
                let applied = known.iter().filter(|v| applied.contains(v)).count();
                Ok($crate::store::Readiness { known: known.len(), applied })
            }
        }

        #[async_trait::async_trait]
        impl $crate::store::UserStore for $store {
            async fn create_user(
                &self,
                user: $crate::store::NewUser,
                by: $crate::store::AuditActor,
            ) -> $crate::store::StoreResult<countersign_core::UserId> {
                let now = chrono::Utc::now();
                let mut tx = self.write_tx().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO users (username, display_name, password_hash, created_at, must_change_password) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(&user.username)
                .bind(&user.display_name)
                .bind(&user.password_hash)
                .bind(now)
                .bind(user.must_change_password)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| sql::unique_conflict(e, "users_username_key"))?;
                for role in &user.roles {
                    sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                        .bind(id)
                        .bind(role.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
                let details = serde_json::json!({ "username": user.username, "roles": roles });
                audit_from(&mut tx, by, "user.create", &format!("user:{id}"), details, now, user.client_addr.as_deref()).await?;
                tx.commit().await?;
                Ok(countersign_core::UserId(id))
            }

            async fn user_by_username(
                &self,
                username: &str,
            ) -> $crate::store::StoreResult<Option<$crate::store::UserRecord>> {
                user_where(&self.pool, "username = $1", username.to_owned()).await
            }

            async fn user_by_id(
                &self,
                id: countersign_core::UserId,
            ) -> $crate::store::StoreResult<Option<$crate::store::UserRecord>> {
                user_where(&self.pool, "id = $1", id.0).await
            }

            async fn count_users_with_role(
                &self,
                role: countersign_core::Role,
            ) -> $crate::store::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id \
                     WHERE r.role = $1 AND NOT u.disabled",
                )
                .bind(role.as_str())
                .fetch_one(&self.pool)
                .await?)
            }

            async fn record_login(
                &self,
                id: countersign_core::UserId,
                username: &str,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                record_login_op(self, id, username, client).await
            }

            async fn record_login_failure(
                &self,
                username: &str,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                record_login_failure_op(self, username, client).await
            }

            async fn login_failures(
                &self,
                username: &str,
                window_start: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::StoreResult<$crate::store::LoginFailures> {
                login_failures_op(self, username, window_start).await
            }

            async fn record_logout(
                &self,
                id: countersign_core::UserId,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                record_logout_op(self, id, client).await
            }

            async fn set_password(
                &self,
                id: countersign_core::UserId,
                password_hash: &str,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<i64> {
                set_password_op(self, id, password_hash, by, client).await
            }

            async fn list_users(&self) -> $crate::store::StoreResult<Vec<$crate::store::UserSummary>> {
                list_users_op(self).await
            }

            async fn set_roles(
                &self,
                id: countersign_core::UserId,
                roles: &[countersign_core::Role],
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                set_roles_op(self, id, roles, by, client).await
            }

            async fn set_disabled(
                &self,
                id: countersign_core::UserId,
                disabled: bool,
                by: $crate::store::AuditActor,
                client: Option<&str>,
            ) -> $crate::store::StoreResult<()> {
                set_disabled_op(self, id, disabled, by, client).await
            }

        }
    };
}
pub(super) use impl_sql_store;
