//! The oversight dashboard: is human review keeping up with agent output? Computed from a
//! window of decisions and changes by plain functions (`summarize`), so the numbers are
//! testable against a known history. Charts are drawn by the console (SVG, no script).
//!
//! Signals (each with the changes behind it):
//! - a decision within [`FAST_SECS`] of opening a diff of at least [`LARGE_LINES`] lines;
//! - an approval of a change whose failing required evals an admin overrode;
//! - a reviewer approving more than twice the peers' median (at least [`MIN_FOR_PEERS`]);
//! - an agent whose rejection rate in the last 7 days is 30 points above the 30 before.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use countersign_core::{ChangeId, ChangeStatus, Stakes, Verdict};
use serde::Serialize;

use crate::{
    AuditReader, Services,
    error::ServiceResult,
    store::{ChangeFact, DecisionFact},
};

pub const FAST_SECS: i64 = 30;
pub const LARGE_LINES: u64 = 500;
pub const MIN_FOR_PEERS: usize = 5;
/// The days the pending chart covers.
pub const DAYS: i64 = 14;

/// Upper bounds of the time-to-decision buckets, with their labels.
pub const BUCKETS: [(i64, &str); 7] = [
    (60, "< 1 min"),
    (600, "< 10 min"),
    (3_600, "< 1 h"),
    (4 * 3_600, "< 4 h"),
    (86_400, "< 1 day"),
    (3 * 86_400, "< 3 days"),
    (i64::MAX, "≥ 3 days"),
];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Signal {
    pub kind: &'static str,
    pub text: String,
    pub changes: Vec<ChangeId>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Dashboard {
    /// Per day (oldest first): the date and how many changes were pending at its end,
    /// per stakes (low, medium, high, critical).
    pub pending_by_day: Vec<(String, [u64; 4])>,
    pub pending_now: [u64; 4],
    /// The oldest pending change and its age in seconds.
    pub oldest_pending: Option<(ChangeId, String, i64)>,
    /// Decided changes per time-to-decision bucket (see [`BUCKETS`]).
    pub time_to_decision: [u64; 7],
    /// Per reviewer: approvals and rejections (people only).
    pub by_reviewer: BTreeMap<String, (u64, u64)>,
    pub agent_only_approvals: u64,
    pub human_approvals: u64,
    pub signals: Vec<Signal>,
}

fn rank(s: Stakes) -> usize {
    s.rank() as usize
}

pub fn summarize(
    decisions: &[DecisionFact],
    changes: &[ChangeFact],
    now: DateTime<Utc>,
) -> Dashboard {
    let mut d = Dashboard {
        pending_by_day: Vec::new(),
        pending_now: [0; 4],
        oldest_pending: None,
        time_to_decision: [0; 7],
        by_reviewer: BTreeMap::new(),
        agent_only_approvals: 0,
        human_approvals: 0,
        signals: Vec::new(),
    };
    for c in changes.iter().filter(|c| c.status == ChangeStatus::Pending) {
        d.pending_now[rank(c.stakes)] += 1;
        let age = (now - c.created_at).num_seconds();
        if d.oldest_pending.as_ref().is_none_or(|o| age > o.2) {
            d.oldest_pending = Some((c.id, c.title.clone(), age));
        }
    }
    let today = now.date_naive();
    for back in (0..DAYS).rev() {
        let day = today - Duration::days(back);
        let end = (day + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc()
            .min(now);
        let mut n = [0u64; 4];
        for c in changes {
            let open_then = c.status == ChangeStatus::Pending || c.updated_at > end;
            if c.created_at <= end && open_then {
                n[rank(c.stakes)] += 1;
            }
        }
        d.pending_by_day.push((day.format("%m-%d").to_string(), n));
    }
    // Time to decision: per change, its last decision in the window.
    let mut last: BTreeMap<ChangeId, &DecisionFact> = BTreeMap::new();
    for x in decisions {
        last.insert(x.change_id, x);
        match (&x.reviewer, x.verdict) {
            (None, Verdict::Approve) => d.agent_only_approvals += 1,
            (Some(r), v) => {
                let e = d.by_reviewer.entry(r.clone()).or_default();
                if v == Verdict::Approve {
                    d.human_approvals += 1;
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
            _ => {}
        }
    }
    for x in last.values() {
        let secs = (x.at - x.submitted_at).num_seconds().max(0);
        let b = BUCKETS.iter().position(|(max, _)| secs < *max).unwrap_or(6);
        d.time_to_decision[b] += 1;
    }
    d.signals = signals(decisions, &d.by_reviewer, now);
    d
}

fn signals(
    decisions: &[DecisionFact],
    by_reviewer: &BTreeMap<String, (u64, u64)>,
    now: DateTime<Utc>,
) -> Vec<Signal> {
    let mut out = Vec::new();
    let fast: Vec<&DecisionFact> = decisions
        .iter()
        .filter(|x| x.reviewer.is_some() && x.lines_changed >= LARGE_LINES)
        .filter(|x| {
            x.opened_at
                .is_some_and(|o| (x.at - o).num_seconds() < FAST_SECS)
        })
        .collect();
    if !fast.is_empty() {
        out.push(Signal {
            kind: "fast",
            text: format!(
                "{} decision(s) on diffs of {LARGE_LINES}+ lines made within {FAST_SECS} s of opening them",
                fast.len()
            ),
            changes: fast.iter().map(|x| x.change_id).collect(),
        });
    }
    let overridden: Vec<ChangeId> = decisions
        .iter()
        .filter(|x| x.overridden && x.verdict == Verdict::Approve)
        .map(|x| x.change_id)
        .collect();
    if !overridden.is_empty() {
        out.push(Signal {
            kind: "override",
            text: format!(
                "{} approval(s) of changes whose failing required evals were overridden",
                overridden.len()
            ),
            changes: overridden,
        });
    }
    let mut counts: Vec<u64> = by_reviewer.values().map(|v| v.0).collect();
    counts.sort_unstable();
    if counts.len() >= 3 {
        let median = counts[counts.len() / 2].max(1);
        for (who, (approved, _)) in by_reviewer {
            if *approved as usize >= MIN_FOR_PEERS && *approved > 2 * median {
                out.push(Signal {
                    kind: "reviewer",
                    text: format!(
                        "{who} approved {approved}, more than twice the peers' median of {median}"
                    ),
                    changes: decisions
                        .iter()
                        .filter(|x| {
                            x.reviewer.as_deref() == Some(who.as_str())
                                && x.verdict == Verdict::Approve
                        })
                        .map(|x| x.change_id)
                        .collect(),
                });
            }
        }
    }
    let recent = now - Duration::days(7);
    let mut by_agent: BTreeMap<&str, [(u64, u64); 2]> = BTreeMap::new();
    for x in decisions.iter().filter(|x| x.reviewer.is_some()) {
        let e = by_agent.entry(&x.agent).or_default();
        let slot = usize::from(x.at >= recent);
        e[slot].0 += 1;
        e[slot].1 += u64::from(x.verdict == Verdict::Reject);
    }
    for (agent, [before, lately]) in by_agent {
        let rate = |(n, r): (u64, u64)| if n == 0 { 0.0 } else { r as f64 / n as f64 };
        if lately.0 >= MIN_FOR_PEERS as u64
            && before.0 >= MIN_FOR_PEERS as u64
            && rate(lately) - rate(before) >= 0.3
        {
            out.push(Signal {
                kind: "agent",
                text: format!(
                    "agent {agent}'s rejection rate rose from {:.0}% to {:.0}% in the last 7 days",
                    rate(before) * 100.0,
                    rate(lately) * 100.0
                ),
                changes: decisions
                    .iter()
                    .filter(|x| x.agent == agent && x.at >= recent && x.verdict == Verdict::Reject)
                    .map(|x| x.change_id)
                    .collect(),
            });
        }
    }
    out
}

/// The dashboard over the last 37 days (7 recent + 30 before, for the agent signal).
pub async fn dashboard(svc: &Services, _reader: AuditReader<'_>) -> ServiceResult<Dashboard> {
    let now = Utc::now();
    let (decisions, changes) = svc.store.dashboard_rows(now - Duration::days(37)).await?;
    Ok(summarize(&decisions, &changes, now))
}
