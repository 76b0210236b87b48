//! Replaying the stakes policy from the log alone: for every change, the requirement and
//! facts its submission (or latest revision, or a stricter policy version) recorded, any
//! admin override, and every decision with the decider's roles — then, at each decision,
//! the outcome `policy::Standing::judge` gives must be the status the entry records. A
//! change approved on fewer approvals than its requirement, or with a failing required
//! eval, or a vote counted twice, shows up here even if every signature is valid.

use std::collections::BTreeMap;

use super::entry::Entry;
use crate::{
    model::{Role, Verdict},
    policy::{ChangeFacts, Gates, RecordedVote, Requirement, Standing, status_of},
};

#[derive(Default)]
struct Change {
    requirement: Option<Requirement>,
    facts: Option<ChangeFacts>,
    digest: String,
    overridden: bool,
    votes: Vec<RecordedVote>,
}

fn change_id(subject: &str) -> Option<i64> {
    subject.strip_prefix("change:")?.parse().ok()
}

/// Problems found replaying `entries` (index, entry) in log order.
pub fn check_outcomes(entries: &[(usize, Entry)]) -> Vec<String> {
    let mut changes: BTreeMap<i64, Change> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, e) in entries {
        let d = &e.details;
        match e.action.as_str() {
            "change.submit" | "change.revise" => {
                let Some(id) = change_id(&e.subject) else {
                    continue;
                };
                let c = changes.entry(id).or_default();
                c.requirement = serde_json::from_value(d["requirement"].clone()).ok();
                c.facts = serde_json::from_value(d["facts"].clone()).ok();
                c.digest = d["digest"].as_str().unwrap_or_default().to_owned();
            }
            "policy.set" => {
                for (id, r) in d["requirements"].as_object().into_iter().flatten() {
                    if let (Ok(id), Ok(r)) = (id.parse::<i64>(), serde_json::from_value(r.clone()))
                    {
                        changes.entry(id).or_default().requirement = Some(r);
                    }
                }
            }
            "change.override" => {
                if let Some(id) = change_id(&e.subject) {
                    changes.entry(id).or_default().overridden = true;
                }
            }
            "change.decide" => {
                let Some(id) = change_id(&e.subject) else {
                    continue;
                };
                let c = changes.entry(id).or_default();
                let person = e
                    .actor
                    .strip_prefix("user:")
                    .and_then(|u| u.parse::<i64>().ok());
                if let Some(person) = person {
                    let verdict: Option<Verdict> =
                        serde_json::from_value(d["verdict"].clone()).ok();
                    let roles: Vec<Role> =
                        serde_json::from_value(d["roles"].clone()).unwrap_or_default();
                    if let Some(verdict) = verdict {
                        c.votes.push(RecordedVote {
                            person: Some(person),
                            roles,
                            verdict,
                            digest: d["digest"].as_str().unwrap_or_default().to_owned(),
                        });
                    }
                }
                let (Some(req), Some(facts)) = (&c.requirement, &c.facts) else {
                    continue;
                };
                let standing = Standing {
                    requirement: req.clone(),
                    gates: Gates {
                        evals: facts.evals(),
                        quarantined: false,
                        overridden: c.overridden,
                        provenance_ok: facts.provenance_ok(),
                    },
                    digest: c.digest.clone(),
                    owner: None,
                };
                let progress = standing.judge(&c.votes);
                let expected = status_of(progress.outcome);
                let recorded = d["status"].as_str().unwrap_or_default();
                if recorded != expected.as_str() {
                    out.push(format!(
                        "entry {i}: change {id} is recorded as {recorded}, but its policy gives {expected} ({})",
                        progress.summary
                    ));
                }
            }
            _ => {}
        }
    }
    out
}
