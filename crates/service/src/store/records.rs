//! Rows as the store hands them to services, already mapped into domain types.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use countersign_core::{
    AgentId, ChangeId, ChangeStatus, ContentDigest, DecisionId, Eval, EvalSummary, Role, Stakes,
    UserId, Verdict,
    policy::{Assessment, ChangeFacts, RecordedVote, Requirement, Standing},
};

/// A person, with the hash needed to check their password. Never serialized.
#[derive(Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
    /// Bumped by a password change; sessions signed in under an older epoch are void.
    pub session_epoch: i64,
    /// Set by an admin's create or reset: the user must choose a password first.
    pub must_change_password: bool,
    pub roles: Vec<Role>,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("roles", &self.roles)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    /// Where the request that creates the user came from, for the audit row.
    pub client_addr: Option<String>,
}

/// A person as the admin console lists them.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct AgentRecord {
    pub id: AgentId,
    pub name: String,
    pub owner: Option<UserId>,
    pub quarantined: bool,
}

/// An agent as the admin console lists it.
#[derive(Debug, Clone)]
pub struct AgentSummary {
    pub id: AgentId,
    pub name: String,
    pub owner: Option<String>,
    pub quarantined: bool,
    pub active_tokens: i64,
    pub pending_changes: i64,
    pub created_at: DateTime<Utc>,
    /// Active (not revoked) signing keys.
    pub keys: Vec<AgentKey>,
}

/// A public key an agent signs attestations with.
#[derive(Debug, Clone)]
pub struct AgentKey {
    pub id: i64,
    pub algorithm: String,
    pub fingerprint: String,
    pub public_key_pem: String,
    pub created_at: DateTime<Utc>,
}

/// One row of the review queue: only what the queue shows. Reading the whole change
/// record for a hundred rows (thirty columns, three of them JSON) was most of the queue
/// page's cost — sqlx copies every column value of every row.
#[derive(Debug, Clone)]
pub struct QueueItem {
    pub id: ChangeId,
    pub title: String,
    pub repository: String,
    pub agent_name: String,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub created_at: DateTime<Utc>,
    pub evals: EvalSummary,
    /// One line for the queue: "1 of 2 approvals", "blocked: eval `unit` failed", "vetoed".
    pub progress: Option<String>,
}

/// The change's header row: what the change page and the status API need.
#[derive(Debug, Clone)]
pub struct ChangeRecord {
    pub id: ChangeId,
    pub agent_id: AgentId,
    pub agent_name: String,
    pub agent_owner: Option<UserId>,
    /// A quarantined agent's changes cannot be approved until it is released.
    pub agent_quarantined: bool,
    pub title: String,
    pub description: Option<String>,
    pub repository: String,
    pub base: Option<String>,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub revision: i64,
    pub digest: String,
    pub labels: BTreeMap<String, String>,
    pub evals: EvalSummary,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// What the agent declared; `stakes` is the final tier the policy gave the change.
    pub declared_stakes: Stakes,
    /// The policy version that governs the change (none for changes older than policies).
    pub policy_hash: Option<String>,
    /// What the change needs (none for changes older than policies: one approval).
    pub requirement: Option<Requirement>,
    /// Why the change has its tier, one line per rule.
    pub tier_reasons: Vec<String>,
    /// One line for the queue: "1 of 2 approvals", "blocked: eval `unit` failed", "vetoed".
    pub progress: Option<String>,
    /// Attestations verified, or there were none.
    pub provenance_ok: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// An admin's written justification for approving despite failing required evals.
    pub override_reason: Option<String>,
    pub override_by: Option<UserId>,
}

/// The content of one revision of a change.
#[derive(Debug, Clone)]
pub struct RevisionRecord {
    pub revision: i64,
    pub digest: ContentDigest,
    /// The diff's exact bytes (usually UTF-8; not always).
    pub diff: Vec<u8>,
    pub evals: Vec<Eval>,
    /// Attestations exactly as submitted (bytes kept verbatim for later verification).
    pub attestations_json: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct DecisionRecord {
    pub id: DecisionId,
    pub revision: i64,
    pub digest: String,
    /// None for a decision by the system (see `reason`).
    pub reviewer_id: Option<UserId>,
    /// The reviewer's username, or `system`.
    pub reviewer: String,
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The roles the reviewer held when deciding.
    pub roles: Vec<countersign_core::Role>,
    pub policy_hash: Option<String>,
    /// Why the system decided (agent-only approval).
    pub reason: Option<String>,
    /// The signed statement (DSSE envelope JSON) and its key (none for decisions made
    /// before decisions were signed).
    pub envelope: Option<String>,
    pub key_id: Option<String>,
    /// Where the decision's entry is in the transparency log.
    pub log_index: Option<u64>,
}

impl DecisionRecord {
    pub fn as_vote(&self) -> RecordedVote {
        RecordedVote {
            person: self.reviewer_id.map(|u| u.0),
            roles: self.roles.clone(),
            verdict: self.verdict,
            digest: self.digest.clone(),
        }
    }
}

/// A change to insert, with its first revision.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub agent_id: AgentId,
    pub title: String,
    pub description: Option<String>,
    pub repository: String,
    pub base: Option<String>,
    pub stakes: Stakes,
    pub digest: ContentDigest,
    pub labels_json: String,
    pub evals: EvalSummary,
    /// The diff's exact bytes.
    pub diff: Vec<u8>,
    pub evals_json: String,
    pub attestations_json: String,
    pub idempotency_key: Option<String>,
    pub request_hash: Option<String>,
    pub now: DateTime<Utc>,
    pub policy: PolicyStanding,
}

/// A change's standing under the policy, as stored with the change (at submit, at each
/// revision, and when a new policy makes a pending change stricter).
#[derive(Debug, Clone)]
pub struct PolicyStanding {
    pub declared: Stakes,
    pub policy_hash: String,
    pub assessment: Assessment,
    pub facts: ChangeFacts,
    /// `Approved` when the agent's word suffices (then `system_reason` says why).
    pub status: ChangeStatus,
    pub progress: String,
    pub system_reason: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Signs the system decision when `system_reason` is set.
    pub system_key: Option<std::sync::Arc<ed25519_dalek::SigningKey>>,
}

/// What inserting a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    Created(ChangeId),
    /// The idempotency key was used before: the earlier change and its request hash.
    Existing {
        id: ChangeId,
        request_hash: Option<String>,
    },
}

/// A decision to record with a compare-and-set on the change's status and revision.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub change_id: ChangeId,
    pub revision: i64,
    pub digest: String,
    pub reviewer_id: UserId,
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub roles: Vec<countersign_core::Role>,
    pub policy_hash: Option<String>,
    /// The signed statement (DSSE envelope JSON) and the signing key's id.
    pub envelope: String,
    pub key_id: String,
    /// When the reviewer opened the form, if known.
    pub opened_at: Option<DateTime<Utc>>,
    /// Everything but the decisions: the store judges inside its transaction, with every
    /// decision recorded so far, so concurrent decisions cannot both miss the threshold.
    pub standing: Standing,
    pub now: DateTime<Utc>,
}

/// A new revision of a pending change, from its agent.
#[derive(Debug, Clone)]
pub struct NewRevision {
    pub change_id: ChangeId,
    pub agent_id: AgentId,
    /// The revision the agent revises (compare-and-set).
    pub previous: i64,
    pub title: String,
    pub description: Option<String>,
    pub base: Option<String>,
    pub digest: ContentDigest,
    pub labels_json: String,
    pub evals: EvalSummary,
    pub diff: Vec<u8>,
    pub evals_json: String,
    pub attestations_json: String,
    pub now: DateTime<Utc>,
    /// The standing recomputed for the new content (already the stricter of the recorded
    /// requirement and the new one). Its status and progress are judged again in the
    /// transaction, by `standing`, with the decisions that still count.
    pub policy: PolicyStanding,
    pub standing: Standing,
}

/// A stored policy version.
#[derive(Debug, Clone)]
pub struct PolicyRecord {
    pub version: i64,
    pub hash: String,
    pub text: String,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A pending change's stored standing, for previewing and applying a new policy.
#[derive(Debug, Clone)]
pub struct PendingStanding {
    pub id: ChangeId,
    pub title: String,
    pub requirement: Option<Requirement>,
    pub facts: Option<ChangeFacts>,
    pub digest: String,
    /// The user who owns the submitting agent.
    pub owner: Option<i64>,
    pub overridden: bool,
    pub created_at: DateTime<Utc>,
}

/// A stricter standing for one pending change when a new policy is saved; the store
/// judges the change again with it.
#[derive(Debug, Clone)]
pub struct Restanding {
    pub id: ChangeId,
    pub standing: Standing,
    pub tier_reasons: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Queue filters; `None` means any.
#[derive(Debug, Clone)]
pub struct QueueFilter {
    pub status: Option<ChangeStatus>,
    pub stakes: Option<Stakes>,
    /// Only pending changes this person may still decide on: not their own agent's, not
    /// already decided by them on the current content.
    pub needs_review_by: Option<UserId>,
    /// Rows after this one in queue order (keyset pagination: the next page costs the
    /// same as the first, and rows do not shift when changes arrive meanwhile).
    pub after: Option<QueueCursor>,
    pub limit: i64,
}

/// A position in queue order: stakes (highest first), then oldest, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub stakes: Stakes,
    pub created_at: DateTime<Utc>,
    pub id: ChangeId,
}

impl QueueFilter {
    /// How many rows a page of the queue shows when the caller does not say.
    pub const DEFAULT_LIMIT: i64 = 50;
}

impl Default for QueueFilter {
    fn default() -> Self {
        QueueFilter {
            status: None,
            stakes: None,
            needs_review_by: None,
            after: None,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

/// Who did something, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditActor {
    User(UserId),
    Agent(AgentId),
    System,
}

impl AuditActor {
    pub fn kind_and_id(self) -> (&'static str, Option<i64>) {
        match self {
            AuditActor::User(u) => ("user", Some(u.0)),
            AuditActor::Agent(a) => ("agent", Some(a.0)),
            AuditActor::System => ("system", None),
        }
    }
}

impl RevisionRecord {
    /// The attestations as JSON values (the stored text is always a JSON list).
    pub fn attestations(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.attestations_json).unwrap_or_default()
    }
}

/// Recent failed sign-ins for one account name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

/// One row of the audit trail.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub id: i64,
    /// `user`, `agent` or `system`.
    pub actor_kind: String,
    /// The user's or agent's name, when the actor was one.
    pub actor: Option<String>,
    pub action: String,
    pub subject: String,
    /// JSON text.
    pub details: String,
    pub client_addr: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Which audit rows to read; `None` means any.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub subject: Option<String>,
    /// Only rows with a smaller id (the previous page's last id).
    pub before: Option<i64>,
    pub limit: i64,
}

/// One log entry as stored: its index and exact leaf bytes.
#[derive(Debug, Clone)]
pub struct LogEntryRecord {
    pub index: u64,
    pub leaf: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// One of the server's own keys (`log` signs checkpoints, `system` signs decisions the
/// system makes). The private key is PKCS#8 DER, base64.
#[derive(Clone)]
pub struct ServerKeyRecord {
    pub purpose: String,
    pub name: String,
    pub private_key: String,
    pub public_key: String,
    pub created_at: DateTime<Utc>,
}

/// A person's signing key. `sealed` is the private key under XChaCha20-Poly1305 with a
/// key derived from their password (argon2id, `salt`); all binary fields are base64.
#[derive(Clone)]
pub struct UserKeyRecord {
    pub id: i64,
    pub user_id: UserId,
    pub username: String,
    pub key_id: String,
    pub public_key: String,
    pub salt: String,
    pub nonce: String,
    pub sealed: String,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Clone)]
pub struct NewUserKey {
    pub user_id: UserId,
    pub key_id: String,
    pub public_key: String,
    pub salt: String,
    pub nonce: String,
    pub sealed: String,
}

/// Filters for the auditor's history; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    pub reviewer: Option<String>,
    pub agent: Option<String>,
    pub repository: Option<String>,
    pub verdict: Option<Verdict>,
    pub stakes: Option<Stakes>,
    pub status: Option<ChangeStatus>,
    pub limit: i64,
}

/// A change, with one of its decisions (none for a change nobody decided).
#[derive(Debug, Clone)]
pub struct HistoryRecord {
    pub change_id: ChangeId,
    pub title: String,
    pub repository: String,
    pub agent: String,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub current_digest: String,
    pub submitted_at: DateTime<Utc>,
    pub decision: Option<HistoryDecision>,
}

#[derive(Debug, Clone)]
pub struct HistoryDecision {
    pub verdict: Verdict,
    pub reviewer: String,
    pub revision: i64,
    pub digest: String,
    pub at: DateTime<Utc>,
    pub key_id: Option<String>,
    pub reason: Option<String>,
    pub envelope: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WebhookRecord {
    pub id: i64,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

/// One queued or sent webhook delivery.
#[derive(Clone)]
pub struct DeliveryRecord {
    pub id: i64,
    pub message_id: String,
    pub change_id: ChangeId,
    pub event: String,
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub url: String,
    pub secret: String,
    pub agent: String,
}

/// How one delivery attempt ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    Delivered {
        status: u16,
    },
    Retry {
        status: Option<u16>,
        error: String,
        at: DateTime<Utc>,
    },
    GaveUp {
        status: Option<u16>,
        error: String,
    },
}

/// One decision as the oversight dashboard sees it.
#[derive(Debug, Clone)]
pub struct DecisionFact {
    pub change_id: ChangeId,
    pub title: String,
    /// None for the system (agent-only approval).
    pub reviewer: Option<String>,
    pub verdict: Verdict,
    pub at: DateTime<Utc>,
    /// When the reviewer opened the form, if known.
    pub opened_at: Option<DateTime<Utc>>,
    pub submitted_at: DateTime<Utc>,
    pub agent: String,
    /// Failing required evals were overridden by an admin.
    pub overridden: bool,
    pub lines_changed: u64,
}

/// One change as the oversight dashboard sees it.
#[derive(Debug, Clone)]
pub struct ChangeFact {
    pub id: ChangeId,
    pub title: String,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub created_at: DateTime<Utc>,
    /// For a closed change, when it was closed.
    pub updated_at: DateTime<Utc>,
}
