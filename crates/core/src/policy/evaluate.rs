//! Decisions → progress and outcome, under a change's recorded requirement.
//!
//! What counts: approvals and rejections on the current content digest (earlier ones are
//! stale), by people holding an eligible role, never by the owner of the submitting
//! agent, each person once. A quarantined agent's change, or one whose required evals
//! are failing (without an allowed override), cannot be approved; it can be rejected.

use serde::{Deserialize, Serialize};

use super::{Requirement, tier::required_gaps};
use crate::{
    eval::{Eval, EvalStatus},
    model::{Role, Verdict},
};

/// One recorded decision, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub person: i64,
    pub roles: Vec<Role>,
    pub verdict: Verdict,
    /// Made on the change's current content digest.
    pub current: bool,
    /// The person owns the agent that submitted the change.
    pub owner: bool,
}

/// What else stands between a change and approval.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gates {
    pub evals: Vec<Eval>,
    pub quarantined: bool,
    /// An admin overrode failing required evals (with a recorded justification).
    pub overridden: bool,
    /// The provenance verified or was absent (not invalid) — needed for agent-only.
    pub provenance_ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pending,
    Approved,
    /// Approved on the agent's word: every gate green at a tier that allows it.
    ApprovedBySystem,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub outcome: Outcome,
    /// Distinct people whose approval counts, and how many of them are admins.
    pub approvals: u32,
    pub admin_approvals: u32,
    pub rejections: u32,
    /// What keeps a change from approval besides missing approvals.
    pub blocked: Vec<String>,
    /// People whose decisions no longer count (made on an earlier digest).
    pub stale: Vec<i64>,
    /// One line for the queue: "1 of 2 approvals", "blocked: eval `unit` failed", "vetoed".
    pub summary: String,
}

fn first_per_person<'a>(votes: impl Iterator<Item = &'a Vote>) -> Vec<&'a Vote> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for v in votes {
        if !seen.contains(&v.person) {
            seen.push(v.person);
            out.push(v);
        }
    }
    out
}

/// Evaluates `votes` (oldest first) under `req`.
pub fn evaluate(req: &Requirement, gates: &Gates, votes: &[Vote]) -> Progress {
    let rule = &req.rule;
    let stale: Vec<i64> = votes
        .iter()
        .filter(|v| !v.current)
        .map(|v| v.person)
        .collect();
    let eligible = |v: &&Vote| {
        v.current && !v.owner && v.roles.iter().any(|r| rule.eligible_roles.contains(r))
    };
    let counted: Vec<&Vote> = first_per_person(votes.iter().filter(eligible));
    let approvers: Vec<&Vote> = counted
        .iter()
        .copied()
        .filter(|v| v.verdict == Verdict::Approve)
        .collect();
    let approvals = approvers.len() as u32;
    let admin_approvals = approvers
        .iter()
        .filter(|v| v.roles.contains(&Role::Admin))
        .count() as u32;
    let rejections = counted
        .iter()
        .filter(|v| v.verdict == Verdict::Reject)
        .count() as u32;

    let (missing, failing) = required_gaps(&rule.required_evals, &gates.evals);
    let mut blocked = Vec::new();
    if gates.quarantined {
        blocked.push("the agent is quarantined".to_owned());
    }
    if !(gates.overridden && rule.allow_override) {
        blocked.extend(
            missing
                .iter()
                .map(|m| format!("required eval `{m}` missing")),
        );
        blocked.extend(failing.iter().map(|f| format!("eval `{f}` failed")));
    }
    let all_green = gates.evals.iter().all(|e| e.status == EvalStatus::Pass)
        && missing.is_empty()
        && gates.provenance_ok;

    let vetoed = rejections > 0 && (rule.veto || rejections >= rule.approvals.max(1));
    let enough = approvals >= rule.approvals && admin_approvals >= rule.admin_approvals;
    let (outcome, summary) = if vetoed {
        (
            Outcome::Rejected,
            if rule.veto {
                "vetoed".to_owned()
            } else {
                "rejected".to_owned()
            },
        )
    } else if !blocked.is_empty() {
        (Outcome::Pending, format!("blocked: {}", blocked.join("; ")))
    } else if enough && rule.approvals > 0 {
        (
            Outcome::Approved,
            format!("{approvals} of {} approvals", rule.approvals),
        )
    } else if rule.agent_only && all_green {
        (
            Outcome::ApprovedBySystem,
            "approved on the agent's word: every gate is green".to_owned(),
        )
    } else {
        let mut s = format!("{approvals} of {} approvals", rule.approvals);
        if rule.admin_approvals > admin_approvals {
            s.push_str(&format!(
                ", {} of {} from an admin",
                admin_approvals, rule.admin_approvals
            ));
        }
        (Outcome::Pending, s)
    };
    Progress {
        outcome,
        approvals,
        admin_approvals,
        rejections,
        blocked,
        stale,
        summary,
    }
}
