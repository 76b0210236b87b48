//! Gathering what the policy decides from: the facts of a change's content (paths and
//! sizes from its diff, eval results, the weakest attestation status), the gates, and
//! the standing a change has right after it is submitted or revised.

use chrono::{DateTime, Duration, Utc};
use countersign_core::{
    ChangeStatus, Eval, Stakes, diff,
    policy::{Assessment, ChangeFacts, EvalFact, Gates, Outcome, Requirement, Standing},
    provenance::report::Report,
};

use super::CurrentPolicy;
use crate::store::PolicyStanding;

/// The facts of one revision's content.
pub fn facts_of(
    declared: Stakes,
    agent: &str,
    repository: &str,
    diff_bytes: &[u8],
    evals: &[Eval],
    reports: &[Report],
) -> ChangeFacts {
    let (paths, lines, files) = match diff::parse(diff_bytes) {
        Ok(p) => (
            p.files.iter().map(|f| f.path().to_owned()).collect(),
            p.added() + p.removed(),
            p.files.len() as u64,
        ),
        // A diff the reader refuses (a combined diff) still has a size: count its lines,
        // so a size rule cannot be dodged by sending something unreadable.
        Err(_) => (
            Vec::new(),
            diff_bytes.split(|b| *b == b'\n').count() as u64,
            0,
        ),
    };
    ChangeFacts {
        declared,
        agent: agent.to_owned(),
        repository: repository.to_owned(),
        paths,
        lines_changed: lines,
        files_changed: files,
        evals: evals.iter().map(EvalFact::from).collect(),
        provenance: reports.iter().map(|r| r.status).min(),
    }
}

pub fn gates_of(facts: &ChangeFacts, quarantined: bool, overridden: bool) -> Gates {
    Gates {
        evals: facts.evals(),
        quarantined,
        overridden,
        provenance_ok: facts.provenance_ok(),
    }
}

/// Everything but the decisions, for judging a change.
pub fn standing_of(
    requirement: Requirement,
    facts: &ChangeFacts,
    digest: &str,
    owner: Option<i64>,
    quarantined: bool,
    overridden: bool,
) -> Standing {
    Standing {
        requirement,
        gates: gates_of(facts, quarantined, overridden),
        digest: digest.to_owned(),
        owner,
    }
}

/// When a pending change with `requirement`, submitted at `created`, expires.
pub fn expiry(created: DateTime<Utc>, requirement: &Requirement) -> Option<DateTime<Utc>> {
    requirement
        .rule
        .expires_after_hours
        .map(|h| created + Duration::hours(i64::from(h)))
}

/// A newly submitted change's standing: its tier and requirement under the current
/// policy, and — with no decisions yet — whether the agent's word already suffices.
pub fn new_standing(
    cur: &CurrentPolicy,
    facts: ChangeFacts,
    assessment: Assessment,
    digest: &str,
    quarantined: bool,
    created: DateTime<Utc>,
) -> PolicyStanding {
    let standing = standing_of(
        assessment.requirement.clone(),
        &facts,
        digest,
        None,
        quarantined,
        false,
    );
    let progress = standing.judge(&[]);
    let system = progress.outcome == Outcome::ApprovedBySystem;
    PolicyStanding {
        declared: facts.declared,
        policy_hash: cur.hash.clone(),
        expires_at: expiry(created, &assessment.requirement),
        status: if system {
            ChangeStatus::Approved
        } else {
            ChangeStatus::Pending
        },
        system_reason: system.then(|| {
            format!(
                "{} tier allows agent-only approval and every gate is green (policy version {})",
                assessment.tiering.tier, cur.version
            )
        }),
        progress: progress.summary,
        assessment,
        facts,
        system_key: None,
    }
}
