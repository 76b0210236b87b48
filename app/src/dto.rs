//! What the server fns send to the page. Plain data, built for both SSR and wasm; times
//! are preformatted on the server so SSR and hydration render the same text.

use countersign_core::{ChangeStatus, Eval, EvalSummary, Role, Stakes, Verdict, diff::FileDiff};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub roles: Vec<Role>,
    pub must_change_password: bool,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionView {
    pub reviewer: String,
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub at: String,
    pub revision: i64,
    pub digest: String,
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
    pub files: Vec<FileDiff>,
    pub evals: Vec<Eval>,
    pub attestations: usize,
    pub decisions: Vec<DecisionView>,
    /// Whether the viewer may decide now; when not, `why_not` says why (shown instead of
    /// the form).
    pub can_decide: bool,
    pub why_not: Option<String>,
}
