//! The agent API's response bodies (the request body is `countersign_core::Submission`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use countersign_core::{ChangeStatus, EvalSummary, Stakes, Verdict};
use countersign_service::{Services, changes::ChangeDetail, store::ChangeRecord};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub id: i64,
    pub revision: i64,
    pub status: ChangeStatus,
    /// The final tier under the stakes policy (never below what the agent declared).
    pub stakes: Stakes,
    pub declared_stakes: Stakes,
    pub digest: String,
    /// One line: "0 of 2 approvals", "approved on the agent's word: …".
    pub progress: Option<String>,
    pub url: String,
}

impl Submitted {
    pub fn of(svc: &Services, c: &ChangeRecord) -> Self {
        Submitted {
            url: svc.change_url(c.id),
            id: c.id.0,
            revision: c.revision,
            status: c.status,
            stakes: c.stakes,
            declared_stakes: c.declared_stakes,
            digest: c.digest.clone(),
            progress: c.progress.clone(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub verdict: Verdict,
    /// The reviewer's username, or `system` for an agent-only approval.
    pub reviewer: String,
    pub revision: i64,
    pub digest: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
    /// Made on an earlier digest: it no longer counts.
    pub stale: bool,
    /// Why the system decided (agent-only approval).
    pub reason: Option<String>,
    /// The policy version (SHA-256 of its text) in force when it was made.
    pub policy: Option<String>,
    /// The signed decision: a DSSE envelope (JSON text) over an in-toto statement whose
    /// subjects are the change's content digests. Verify it with the key `key_id` from
    /// `/api/v1/keys` before acting (`countersign verify-decision`).
    pub envelope: Option<String>,
    pub key_id: Option<String>,
}

/// What the change needs under the stakes policy.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Requirement {
    /// The final tier; never below `declared`.
    pub tier: Stakes,
    pub declared: Stakes,
    /// Why the change has its tier, one line per rule.
    pub reasons: Vec<String>,
    /// The policy version that governs the change.
    pub policy: Option<String>,
    /// Distinct eligible people who must approve, and how many of them admins.
    pub approvals: u32,
    pub admin_approvals: u32,
    pub eligible_roles: Vec<String>,
    /// One eligible rejection rejects.
    pub veto: bool,
    pub required_evals: Vec<String>,
    /// Approved on the agent's word when every gate is green.
    pub agent_only: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// The same, in one line.
    pub description: String,
}

/// How far the change's decisions have got.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// `pending`, `approved`, `approved-by-system` or `rejected`.
    pub outcome: String,
    pub approvals: u32,
    pub admin_approvals: u32,
    pub rejections: u32,
    /// What keeps the change from approval besides missing approvals.
    pub blocked: Vec<String>,
    /// "1 of 2 approvals", "blocked: eval `unit` failed", "vetoed".
    pub summary: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeSummary {
    pub id: i64,
    pub title: String,
    pub repository: String,
    pub base: Option<String>,
    pub status: ChangeStatus,
    pub stakes: Stakes,
    pub revision: i64,
    pub digest: String,
    pub evals: EvalSummary,
    pub labels: BTreeMap<String, String>,
    /// One line: "1 of 2 approvals", "blocked: …", "vetoed".
    pub progress: Option<String>,
    pub url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Change {
    #[serde(flatten)]
    pub summary: ChangeSummary,
    pub decisions: Vec<Decision>,
    pub requirement: Requirement,
    #[serde(rename = "progress_detail")]
    pub progress: Progress,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeList {
    pub changes: Vec<ChangeSummary>,
    /// Pass as `cursor` to get the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl ChangeSummary {
    pub fn of(svc: &Services, c: ChangeRecord) -> Self {
        ChangeSummary {
            url: svc.change_url(c.id),
            id: c.id.0,
            title: c.title,
            repository: c.repository,
            base: c.base,
            status: c.status,
            stakes: c.stakes,
            revision: c.revision,
            digest: c.digest,
            evals: c.evals,
            labels: c.labels,
            progress: c.progress,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

impl Change {
    pub fn of(svc: &Services, d: ChangeDetail) -> Self {
        let current = d.change.digest.clone();
        let decisions = d
            .decisions
            .into_iter()
            .map(|x| Decision {
                verdict: x.verdict,
                reviewer: x.reviewer,
                revision: x.revision,
                stale: x.digest != current,
                digest: x.digest,
                comment: x.comment,
                at: x.created_at,
                reason: x.reason,
                policy: x.policy_hash,
                envelope: x.envelope,
                key_id: x.key_id,
            })
            .collect();
        let (r, c) = (&d.requirement, &d.change);
        let requirement = Requirement {
            tier: c.stakes,
            declared: c.declared_stakes,
            reasons: c.tier_reasons.clone(),
            policy: c.policy_hash.clone(),
            approvals: r.rule.approvals,
            admin_approvals: r.rule.admin_approvals,
            eligible_roles: r
                .rule
                .eligible_roles
                .iter()
                .map(|x| x.as_str().to_owned())
                .collect(),
            veto: r.rule.veto,
            required_evals: r.rule.required_evals.clone(),
            agent_only: r.rule.agent_only,
            expires_at: c.expires_at,
            description: r.describe(),
        };
        let p = d.progress;
        let outcome = serde_json::to_value(p.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Change {
            summary: ChangeSummary::of(svc, d.change),
            decisions,
            requirement,
            progress: Progress {
                outcome,
                approvals: p.approvals,
                admin_approvals: p.admin_approvals,
                rejections: p.rejections,
                blocked: p.blocked,
                summary: p.summary,
            },
        }
    }
}
