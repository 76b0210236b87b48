//! What the server fns send to the page. Plain data, built for both SSR and wasm; times
//! are preformatted on the server so SSR and hydration render the same text.

use countersign_core::{
    ChangeStatus, Eval, EvalSummary, Role, Stakes, Verdict, diff::view::FileView,
    provenance::report::Report,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
}

/// The People page: everyone, and whether the viewer may change anything (admins) or
/// only read (auditors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleView {
    pub people: Vec<PersonRow>,
    pub can_manage: bool,
}

/// A person as the admin console lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub must_change_password: bool,
    pub last_login: Option<String>,
}

/// One page of the queue, and whether another follows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub more: bool,
}

impl QueuePage {
    /// Rows per page.
    pub const SIZE: usize = 50;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub title: String,
    pub repository: String,
    pub agent: String,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub age: String,
    pub evals: EvalSummary,
    /// "1 of 2 approvals", "blocked: eval `unit` failed", "vetoed".
    pub progress: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionView {
    pub reviewer: String,
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub at: String,
    pub revision: i64,
    pub digest: String,
    /// Made on an earlier digest: it no longer counts.
    pub stale: bool,
    /// A decision by the system (agent-only approval), and why.
    pub system_reason: Option<String>,
    /// The signature check: "valid (key ed25519:…)", or what failed; none if unsigned.
    pub signature: Option<String>,
    pub signature_ok: bool,
    /// The DSSE envelope as stored.
    pub envelope: Option<String>,
    /// "In the log at index N: its inclusion proof verifies against the checkpoint of size M".
    pub log: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeView {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub repository: String,
    pub base: Option<String>,
    pub agent: String,
    pub stakes: Stakes,
    pub status: ChangeStatus,
    pub revision: i64,
    pub digest: String,
    pub submitted: String,
    /// The policy's verdict on what this change needs, and how far it has got.
    pub policy: PolicyView,
    pub diff: DiffView,
    /// How the viewer last chose to see diffs.
    pub layout: DiffLayout,
    pub evals: Vec<Eval>,
    /// Each attestation examined and verified, in submission order.
    pub provenance: Vec<Report>,
    pub decisions: Vec<DecisionView>,
    /// Whether the viewer may decide now; when not, `why_not` says why (shown instead of
    /// the form).
    /// When this page was rendered (Unix seconds), sent back with a decision.
    pub opened_at: i64,
    pub can_decide: bool,
    pub why_not: Option<String>,
    /// The viewer is an admin who may override the failing required evals.
    pub can_override: bool,
    /// Who overrode the failing required evals, and why.
    pub overridden: Option<String>,
    /// The submitting agent is quarantined: the change may be rejected, not approved.
    pub agent_quarantined: bool,
}

/// What the stakes policy asks of one change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyView {
    pub declared: Stakes,
    /// Why the change has its tier, one line per rule.
    pub reasons: Vec<String>,
    /// The requirement in one line.
    pub requirement: String,
    /// "1 of 2 approvals", "vetoed", "blocked: …".
    pub progress: String,
    pub blocked: Vec<String>,
    /// The governing policy version's SHA-256.
    pub version: Option<String>,
    pub expires: Option<String>,
}

/// The policy page: the version in force, its history, and (after a preview) what a
/// draft would make each pending change need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyPageView {
    pub version: i64,
    pub hash: String,
    pub text: String,
    /// The admin's unsaved draft and what it would make each pending change need.
    pub draft: Option<String>,
    pub preview: Option<Vec<PolicyPreviewRow>>,
    /// The version just saved, shown once.
    pub saved: Option<i64>,
    pub history: Vec<PolicyVersionRow>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyVersionRow {
    pub version: i64,
    pub hash: String,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyPreviewRow {
    pub id: i64,
    pub title: String,
    pub now: String,
    pub after: String,
    pub changed: bool,
}

/// An agent as the admin console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRow {
    pub id: i64,
    pub name: String,
    pub owner: Option<String>,
    pub quarantined: bool,
    pub active_tokens: i64,
    pub pending_changes: i64,
    pub keys: Vec<AgentKeyRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentKeyRow {
    pub id: i64,
    pub algorithm: String,
    pub fingerprint: String,
}

/// A token just issued, shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewToken {
    pub agent: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentsView {
    pub agents: Vec<AgentRow>,
    /// Present once, right after a token was issued in this session.
    pub new_token: Option<NewToken>,
    /// Admins manage; auditors only read.
    pub can_manage: bool,
}

/// One audit row as the audit page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub client: Option<String>,
    pub details: String,
}

/// A change's diff as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffView {
    pub files: Vec<FileView>,
    pub trailing: Vec<String>,
    pub added: u64,
    pub removed: u64,
    /// The stored diff could not be read (it predates validation): why, and its first
    /// lines as plain text.
    pub error: Option<String>,
    pub raw: Vec<String>,
}

/// Unified or side-by-side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLayout {
    #[default]
    Unified,
    Split,
}

impl DiffLayout {
    pub const COOKIE: &'static str = "cs_diff_layout";

    pub fn as_str(self) -> &'static str {
        match self {
            DiffLayout::Unified => "unified",
            DiffLayout::Split => "split",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unified" => Some(DiffLayout::Unified),
            "split" => Some(DiffLayout::Split),
            _ => None,
        }
    }
}

/// The transparency log as the audit page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogStatus {
    pub origin: String,
    pub size: u64,
    /// The root hash, hex.
    pub root: String,
    /// The checkpoint's signature verifies with the published log key.
    pub signed: bool,
    /// The signed note, as `/api/v1/log/checkpoint` serves it.
    pub checkpoint: String,
}

/// The log as a verifier needs it (see `countersign_core::tlog::verify::verify_wire`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogBundle {
    pub checkpoint: String,
    /// `/api/v1/keys` JSON text.
    pub keys: String,
    /// Every leaf, base64.
    pub leaves: Vec<String>,
}

/// One row of the auditor's history: a change and one decision on it (none if undecided).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub change_id: i64,
    pub title: String,
    pub repository: String,
    pub agent: String,
    pub stakes: String,
    pub status: String,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    pub verdict: Option<String>,
    pub reviewer: Option<String>,
    pub revision: Option<i64>,
    pub stale: bool,
    /// `valid`, `unsigned`, or why it does not verify.
    pub signature: Option<String>,
    pub reason: Option<String>,
}

/// One webhook delivery in the admins' log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub agent: String,
    pub url: String,
    pub event: String,
    pub change_id: i64,
    /// `pending`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created: String,
    pub next: String,
}

/// The oversight dashboard, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardView {
    /// (day, pending at its end per stakes low/medium/high/critical), oldest first.
    pub pending_by_day: Vec<(String, [u64; 4])>,
    pub pending_now: [u64; 4],
    /// (change id, title, age).
    pub oldest: Option<(i64, String, String)>,
    /// (bucket label, decided changes).
    pub time_to_decision: Vec<(String, u64)>,
    /// (reviewer, approvals, rejections).
    pub reviewers: Vec<(String, u64, u64)>,
    pub agent_only_approvals: u64,
    pub human_approvals: u64,
    pub signals: Vec<SignalView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalView {
    pub kind: String,
    pub text: String,
    pub changes: Vec<i64>,
}
