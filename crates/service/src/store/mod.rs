//! One store interface, one implementation per database.
//!
//! Each method is one transaction that also writes its audit row, so a service never
//! leaves half of an operation behind. The backend is chosen from the URL at startup
//! (`connect`); queries are runtime `sqlx` queries, so no database is needed to build.

mod account_ops;
mod admin_ops;
mod agent_ops;
mod audit_ops;
mod change_ops;
mod dashboard_ops;
mod decision_ops;
mod history_ops;
mod key_ops;
mod log_ops;
mod policy_ops;
mod postgres;
mod records;
mod revision_ops;
mod seed_ops;
mod sql;
mod sqlite;
mod webhook_ops;

use std::sync::Arc;

pub use postgres::pool_options as postgres_pool_options;
pub use sqlite::pool_options as sqlite_pool_options;

use async_trait::async_trait;
use countersign_core::{AgentId, ChangeId, ChangeStatus, UserId};

pub use postgres::PostgresStore;
pub use records::*;
pub use sqlite::SqliteStore;

/// Store failures, typed so callers can react without reading messages.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A compare-and-set or unique constraint refused the write; names what was violated.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A stored value no longer parses as its domain type.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The whole store, one implementation per backend. Split by concern so that each part
/// (and its SQL) stays small; callers bring the part they use into scope
/// (`use crate::store::{ChangeStore, …}`).
#[async_trait]
pub trait Store:
    UserStore
    + AgentStore
    + ChangeStore
    + PolicyStore
    + LogStore
    + HistoryStore
    + WebhookStore
    + DashboardStore
    + UserKeyStore
    + AuditStore
    + SeedStore
    + Send
    + Sync
    + 'static
{
    /// The backend's name, for logs and readiness checks.
    fn backend(&self) -> &'static str;
    async fn migrate(&self) -> StoreResult<()>;
    /// Whether the database answers, and how many of this build's migrations it has.
    async fn readiness(&self) -> StoreResult<Readiness>;
}

/// What `/readyz` reports about the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// Migrations this build knows.
    pub known: usize,
    /// Of those, how many the database has applied successfully.
    pub applied: usize,
}

impl Readiness {
    pub fn current(&self) -> bool {
        self.applied == self.known
    }
}

/// People, their roles, and sign-in bookkeeping.
#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, user: NewUser, by: AuditActor) -> StoreResult<UserId>;
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;
    async fn user_by_id(&self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn count_users_with_role(&self, role: countersign_core::Role) -> StoreResult<i64>;
    /// Records a successful sign-in (which also resets the failure count for `username`).
    async fn record_login(
        &self,
        id: UserId,
        username: &str,
        client: Option<&str>,
    ) -> StoreResult<()>;
    /// Records a failed sign-in for `username`, whether or not such a user exists.
    async fn record_login_failure(&self, username: &str, client: Option<&str>) -> StoreResult<()>;
    /// Failures for `username` since `window_start` and since its last successful sign-in.
    async fn login_failures(
        &self,
        username: &str,
        window_start: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<LoginFailures>;
    async fn record_logout(&self, id: UserId, client: Option<&str>) -> StoreResult<()>;
    /// Sets a new password hash and bumps the session epoch (ending other sessions);
    /// returns the new epoch.
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<i64>;

    async fn list_users(&self) -> StoreResult<Vec<UserSummary>>;
    /// Replaces a user's roles (ending their sessions); `Conflict("last_admin")` if no
    /// active admin would remain.
    async fn set_roles(
        &self,
        id: UserId,
        roles: &[countersign_core::Role],
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
    /// Disables or re-enables a user (ending their sessions); `Conflict("last_admin")` if no
    /// active admin would remain.
    async fn set_disabled(
        &self,
        id: UserId,
        disabled: bool,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
}

/// Agents and their tokens.
#[async_trait]
pub trait AgentStore: Send + Sync {
    async fn create_agent(
        &self,
        name: &str,
        owner: Option<UserId>,
        token_hash: &str,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<AgentId>;
    async fn list_agents(&self) -> StoreResult<Vec<AgentSummary>>;
    /// The agent's active (not revoked) signing keys.
    async fn agent_keys(&self, agent: AgentId) -> StoreResult<Vec<AgentKey>>;
    /// Revokes every active token of `agent`; with `new_hash`, issues that one instead.
    async fn replace_agent_tokens(
        &self,
        agent: AgentId,
        new_hash: Option<&str>,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
    async fn set_agent_owner(
        &self,
        agent: AgentId,
        owner: Option<UserId>,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
    async fn set_agent_quarantined(
        &self,
        agent: AgentId,
        quarantined: bool,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
    /// Registers a signing key; `Conflict` if the agent already has it.
    async fn add_agent_key(
        &self,
        agent: AgentId,
        key: &countersign_core::keys::PublicKeyInfo,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<i64>;
    /// Revokes one of the agent's keys (kept for the record).
    async fn revoke_agent_key(
        &self,
        agent: AgentId,
        key_id: i64,
        by: AuditActor,
        client: Option<&str>,
    ) -> StoreResult<()>;
    async fn agent_by_token_hash(&self, token_hash: &str) -> StoreResult<Option<AgentRecord>>;
}

/// Changes, their revisions and decisions.
#[async_trait]
pub trait ChangeStore: Send + Sync {
    async fn insert_change(&self, change: NewChange) -> StoreResult<Inserted>;
    async fn change(&self, id: ChangeId) -> StoreResult<Option<ChangeRecord>>;
    async fn revision(&self, id: ChangeId, revision: i64) -> StoreResult<Option<RevisionRecord>>;
    async fn decisions(&self, id: ChangeId) -> StoreResult<Vec<DecisionRecord>>;
    /// An agent's own changes, newest first, strictly older than `before` when given.
    async fn agent_changes(
        &self,
        agent: AgentId,
        status: Option<ChangeStatus>,
        before: Option<ChangeId>,
        limit: i64,
    ) -> StoreResult<Vec<ChangeRecord>>;
    /// The review queue: highest stakes first, then oldest.
    async fn queue(&self, filter: &QueueFilter) -> StoreResult<Vec<QueueItem>>;
    /// How many changes are pending, per stakes (for the queue-depth metric).
    async fn pending_by_stakes(&self) -> StoreResult<Vec<(countersign_core::Stakes, i64)>>;

    /// Records a decision if the change is still pending at `decision.revision`, and
    /// judges the change with it in the same transaction.
    async fn record_decision(
        &self,
        decision: NewDecision,
    ) -> StoreResult<countersign_core::policy::Progress>;
    /// Adds a revision to a pending change of its agent, and judges the change again.
    async fn add_revision(
        &self,
        revision: NewRevision,
    ) -> StoreResult<countersign_core::policy::Progress>;
    /// Records an admin's override of failing required evals on the change's current
    /// digest, and judges the change again.
    async fn override_evals(
        &self,
        id: ChangeId,
        by: UserId,
        justification: &str,
        standing: &countersign_core::policy::Standing,
    ) -> StoreResult<countersign_core::policy::Progress>;
    /// Moves pending changes whose time ran out to `expired` (at most 500 per call).
    /// Each expiry is signed with `key` (the system key) when given.
    async fn expire_due(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        key: Option<&ed25519_dalek::SigningKey>,
    ) -> StoreResult<Vec<ChangeId>>;
    /// Moves a pending change of `agent` to withdrawn.
    async fn withdraw(&self, id: ChangeId, agent: AgentId) -> StoreResult<()>;
}

/// Stakes policy versions.
#[async_trait]
pub trait PolicyStore: Send + Sync {
    /// The newest version, if any was ever saved.
    async fn current_policy(&self) -> StoreResult<Option<PolicyRecord>>;
    /// Versions, newest first.
    async fn policies(&self) -> StoreResult<Vec<PolicyRecord>>;
    /// Every pending change's recorded standing, queue order.
    async fn pending_standings(&self) -> StoreResult<Vec<PendingStanding>>;
    /// One change's recorded standing (any status).
    async fn change_standing(&self, id: ChangeId) -> StoreResult<Option<PendingStanding>>;
    /// Appends a version and applies `restand` to pending changes; returns the version.
    async fn save_policy(
        &self,
        text: &str,
        hash: &str,
        by: Option<UserId>,
        restand: Vec<Restanding>,
    ) -> StoreResult<i64>;
}

/// The transparency log: entries are appended by the writes they record (with their
/// audit rows); this reads them, serves the nodes proofs are built from, and keeps
/// checkpoints and the server's keys.
#[async_trait]
pub trait LogStore: Send + Sync {
    async fn log_size(&self) -> StoreResult<u64>;
    /// The stored nodes among `ids` (missing ones are left out).
    async fn log_nodes(
        &self,
        ids: &[countersign_core::tlog::tree::NodeId],
    ) -> StoreResult<
        std::collections::BTreeMap<
            countersign_core::tlog::tree::NodeId,
            countersign_core::merkle::Hash,
        >,
    >;
    /// Entries `start..end`.
    async fn log_entries(&self, start: u64, end: u64) -> StoreResult<Vec<LogEntryRecord>>;
    async fn checkpoint_at(&self, size: u64) -> StoreResult<Option<String>>;
    /// Stores the checkpoint for `size` unless one exists; returns the stored one.
    async fn save_checkpoint(
        &self,
        size: u64,
        root: &countersign_core::merkle::Hash,
        note: &str,
    ) -> StoreResult<String>;
    async fn server_key(&self, purpose: &str) -> StoreResult<Option<ServerKeyRecord>>;
    /// Stores a key unless one with that purpose exists.
    async fn insert_server_key(&self, key: ServerKeyRecord) -> StoreResult<()>;
}

/// People's signing keys (sealed private keys, public keys, retirement).
#[async_trait]
pub trait UserKeyStore: Send + Sync {
    async fn active_user_key(&self, user: UserId) -> StoreResult<Option<UserKeyRecord>>;
    /// Every key ever made, active and retired (for `/api/v1/keys`).
    async fn user_keys(&self) -> StoreResult<Vec<UserKeyRecord>>;
    /// Stores a new key: with `replace`, retiring the person's active one; without, only
    /// if they have none (false: one exists, nothing stored).
    async fn insert_user_key(
        &self,
        key: NewUserKey,
        by: AuditActor,
        replace: bool,
    ) -> StoreResult<bool>;
    /// The same key sealed under a new password.
    async fn reseal_user_key(
        &self,
        id: i64,
        salt: &str,
        nonce: &str,
        sealed: &str,
    ) -> StoreResult<()>;
    async fn retire_user_keys(&self, user: UserId, by: AuditActor) -> StoreResult<()>;
}

/// The auditor's history of changes and decisions.
#[async_trait]
pub trait HistoryStore: Send + Sync {
    async fn history(&self, filter: &HistoryFilter) -> StoreResult<Vec<HistoryRecord>>;
}

/// Agents' webhooks and the delivery outbox.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn create_webhook(&self, agent: AgentId, url: &str, secret: &str) -> StoreResult<i64>;
    async fn webhooks(&self, agent: AgentId) -> StoreResult<Vec<WebhookRecord>>;
    async fn delete_webhook(&self, agent: AgentId, id: i64) -> StoreResult<()>;
    /// Queues `event` for every live webhook of the change's agent (once per webhook).
    async fn enqueue_deliveries(
        &self,
        change: ChangeId,
        event: &str,
        payload: &str,
        message_ids: &mut (dyn FnMut() -> String + Send),
    ) -> StoreResult<usize>;
    async fn due_deliveries(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        limit: i64,
    ) -> StoreResult<Vec<DeliveryRecord>>;
    /// Takes a due delivery for one attempt (false: another sender has it).
    async fn claim_delivery(
        &self,
        id: i64,
        attempts: i64,
        lease_until: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool>;
    async fn finish_delivery(&self, id: i64, outcome: Attempt) -> StoreResult<()>;
    /// The newest deliveries, for the admins' log.
    async fn deliveries(&self, limit: i64) -> StoreResult<Vec<DeliveryRecord>>;
    async fn replay_delivery(&self, id: i64, by: UserId) -> StoreResult<()>;
}

/// What the oversight dashboard is computed from.
#[async_trait]
pub trait DashboardStore: Send + Sync {
    /// Decisions made since `since`, and changes pending now or closed since then.
    async fn dashboard_rows(
        &self,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(Vec<DecisionFact>, Vec<ChangeFact>)>;
}

/// The audit trail, read-only: rows are written by the operations they record.
#[async_trait]
pub trait SeedStore: Send + Sync {
    /// Inserts made-up changes (with their first revision and decision) in one transaction.
    async fn seed_changes(&self, batch: Vec<SeedChange>) -> StoreResult<()>;
}

/// One made-up change for `countersign dev seed`: its final status and the decision that
/// made it so.
#[derive(Debug, Clone)]
pub struct SeedChange {
    pub change: NewChange,
    pub status: ChangeStatus,
    pub decision: Option<(
        UserId,
        countersign_core::Verdict,
        chrono::DateTime<chrono::Utc>,
    )>,
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Newest first; `filter.before` pages to older rows.
    async fn audit_events(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditRecord>>;
}

/// Opens the store named by `url` (`sqlite://…` or `postgres://…`).
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else {
        Err(StoreError::Corrupt(format!(
            "unsupported database URL scheme in `{}`: use sqlite:// or postgres://",
            redact_url(url)
        )))
    }
}

/// A database URL with any password replaced, safe to print.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("redacted"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparseable url>".to_owned(),
    }
}
