//! A change's final tier: the highest of the agent's declared stakes and everything the
//! policy raises it for, each raise with its reason so the change page can explain it.
//! Policy can raise the declared stakes, never lower them.

use globset::Glob;
use serde::{Deserialize, Serialize};

use super::Policy;
use crate::{
    eval::{Eval, EvalStatus},
    model::Stakes,
    provenance::report::Status,
};

/// What the tier is decided from.
pub struct Facts<'a> {
    pub declared: Stakes,
    pub agent: &'a str,
    pub repository: &'a str,
    pub paths: &'a [String],
    pub lines_changed: u64,
    pub files_changed: u64,
    pub evals: &'a [Eval],
    /// The weakest attestation status, if the change has any.
    pub provenance: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tiering {
    pub tier: Stakes,
    /// Why, one line per rule that raised (or set) the tier.
    pub reasons: Vec<String>,
}

fn matches(glob: &str, text: &str) -> bool {
    Glob::new(glob).is_ok_and(|g| g.compile_matcher().is_match(text))
}

/// Names of required evals that are missing or not passing (`*` requires every eval).
pub fn required_gaps(required: &[String], evals: &[Eval]) -> (Vec<String>, Vec<String>) {
    let (mut missing, mut failing) = (Vec::new(), Vec::new());
    for r in required {
        let hits: Vec<&Eval> = evals
            .iter()
            .filter(|e| r == "*" || matches(r, &e.name))
            .collect();
        if hits.is_empty() && r != "*" {
            missing.push(r.clone());
        }
        for e in hits.into_iter().filter(|e| e.status != EvalStatus::Pass) {
            if !failing.contains(&e.name) {
                failing.push(e.name.clone());
            }
        }
    }
    (missing, failing)
}

/// Decides the tier.
pub fn tier(policy: &Policy, f: &Facts) -> Tiering {
    let mut t = Tiering {
        tier: f.declared,
        reasons: vec![format!("the agent declared {}", f.declared)],
    };
    fn raise(t: &mut Tiering, to: Stakes, why: String) {
        if to.rank() > t.tier.rank() {
            t.tier = to;
            t.reasons.push(format!("{why}: raised to {to}"));
        }
    }
    if let Some(&min) = policy.agents.get(f.agent) {
        raise(
            &mut t,
            min,
            format!("agent {} has a minimum of {min}", f.agent),
        );
    }
    for r in &policy.rules {
        let repo_ok = r
            .repository
            .as_deref()
            .is_none_or(|g| matches(g, f.repository));
        let path = if r.paths.is_empty() {
            None
        } else {
            f.paths
                .iter()
                .find(|p| r.paths.iter().any(|g| matches(g, p)))
        };
        if repo_ok && (r.paths.is_empty() || path.is_some()) {
            let why = match path {
                Some(p) => format!("rule `{}` matches {p}", r.name),
                None => format!("rule `{}` matches repository {}", r.name, f.repository),
            };
            raise(&mut t, r.tier, why);
        }
    }
    for s in &policy.size {
        if s.lines.is_some_and(|n| f.lines_changed >= n) {
            raise(
                &mut t,
                s.tier,
                format!(
                    "{} changed lines (≥ {})",
                    f.lines_changed,
                    s.lines.unwrap_or(0)
                ),
            );
        }
        if s.files.is_some_and(|n| f.files_changed >= n) {
            raise(
                &mut t,
                s.tier,
                format!(
                    "{} changed files (≥ {})",
                    f.files_changed,
                    s.files.unwrap_or(0)
                ),
            );
        }
    }
    if let Some(to) = policy.evals.failing
        && let Some(e) = f
            .evals
            .iter()
            .find(|e| matches!(e.status, EvalStatus::Fail | EvalStatus::Error))
    {
        raise(
            &mut t,
            to,
            format!(
                "eval `{}` {}",
                e.name,
                if e.status == EvalStatus::Fail {
                    "failed"
                } else {
                    "errored"
                }
            ),
        );
    }
    match f.provenance {
        Some(Status::Invalid) => {
            if let Some(to) = policy.provenance.invalid {
                raise(&mut t, to, "an attestation failed verification".into());
            }
        }
        Some(Status::UnknownKey | Status::Unsigned) => {
            if let Some(to) = policy.provenance.unverified {
                raise(&mut t, to, "an attestation is not verified".into());
            }
        }
        _ => {}
    }
    // Required evals depend on the tier (so they come last), and may raise it: settle in
    // at most 4 steps.
    if let Some(to) = policy.evals.missing_required {
        for _ in 0..4 {
            let (missing, _) = required_gaps(&policy.rule_for(t.tier).required_evals, f.evals);
            match missing.first() {
                Some(m) => {
                    let why = format!("required eval `{m}` was not submitted");
                    raise(&mut t, to, why)
                }
                None => break,
            }
            if t.tier == to {
                break;
            }
        }
    }
    t
}
