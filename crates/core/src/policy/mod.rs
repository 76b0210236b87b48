//! The stakes policy: a versioned TOML document that decides what each change needs.
//!
//! Everything here is pure so that the console, the API and an auditor's verifier reach
//! the same answer from the same inputs: `tier` decides a change's final stakes (with the
//! reasons), `Requirement` is what that tier demands, and `evaluate` turns decisions into
//! progress and an outcome. Field meanings are documented in `docs/policy.md`.

mod ballot;
mod evaluate;
mod facts;
mod tier;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use ballot::{RecordedVote, Standing, status_of, votes};
pub use evaluate::{Gates, Outcome, Progress, Vote, evaluate};
pub use facts::{Assessment, ChangeFacts, EvalFact};
pub use tier::{Facts, Tiering, required_gaps, tier};

use crate::model::{Role, Stakes};

/// The policy Countersign ships with.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub tiers: Tiers,
    #[serde(default)]
    pub rules: Vec<PathRule>,
    #[serde(default)]
    pub size: Vec<SizeRule>,
    #[serde(default)]
    pub evals: EvalRules,
    #[serde(default)]
    pub provenance: ProvenanceRules,
    /// Per-agent minimum tier, by agent name.
    #[serde(default)]
    pub agents: BTreeMap<String, Stakes>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub low: TierRule,
    pub medium: TierRule,
    pub high: TierRule,
    pub critical: TierRule,
}

fn reviewers() -> Vec<Role> {
    vec![Role::Reviewer, Role::Admin]
}

fn yes() -> bool {
    true
}

/// What one tier demands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// Distinct eligible people who must approve.
    pub approvals: u32,
    /// How many of those must hold the admin role.
    #[serde(default)]
    pub admin_approvals: u32,
    /// Roles whose approvals count.
    #[serde(default = "reviewers")]
    pub eligible_roles: Vec<Role>,
    /// One eligible rejection rejects (otherwise it takes as many as `approvals`).
    #[serde(default)]
    pub veto: bool,
    /// Evals (names, `*` for all) that must pass before approval counts.
    #[serde(default)]
    pub required_evals: Vec<String>,
    /// Whether an admin may override failing required evals with a written justification.
    #[serde(default = "yes")]
    pub allow_override: bool,
    /// With every gate green, the change is approved on the agent's word (by the system).
    #[serde(default)]
    pub agent_only: bool,
    /// A pending change expires this long after submission.
    #[serde(default)]
    pub expires_after_hours: Option<u32>,
}

/// Raises the tier of changes to matching repositories and paths (globs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathRule {
    pub name: String,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    pub tier: Stakes,
}

/// Raises the tier of changes at least this large.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRule {
    #[serde(default)]
    pub lines: Option<u64>,
    #[serde(default)]
    pub files: Option<u64>,
    pub tier: Stakes,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalRules {
    #[serde(default)]
    pub failing: Option<Stakes>,
    #[serde(default)]
    pub missing_required: Option<Stakes>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceRules {
    #[serde(default)]
    pub invalid: Option<Stakes>,
    #[serde(default)]
    pub unverified: Option<Stakes>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}")]
    Toml(String),
    #[error("{0}")]
    Invalid(String),
}

impl Policy {
    /// Parses and validates a policy document.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let p: Policy = toml::from_str(text).map_err(|e| PolicyError::Toml(e.to_string()))?;
        for (name, t) in p.tier_rules() {
            if t.approvals == 0 && !t.agent_only {
                return Err(PolicyError::Invalid(format!(
                    "tiers.{name}: approvals must be at least 1 unless agent_only is set"
                )));
            }
            if t.admin_approvals > t.approvals {
                return Err(PolicyError::Invalid(format!(
                    "tiers.{name}: admin_approvals cannot exceed approvals"
                )));
            }
            if t.eligible_roles.is_empty() || t.eligible_roles.contains(&Role::Auditor) {
                return Err(PolicyError::Invalid(format!(
                    "tiers.{name}: eligible_roles must name reviewer and/or admin"
                )));
            }
            if t.expires_after_hours == Some(0) {
                return Err(PolicyError::Invalid(format!(
                    "tiers.{name}: expires_after_hours must be positive"
                )));
            }
        }
        for r in &p.rules {
            for g in r.repository.iter().chain(&r.paths) {
                globset::Glob::new(g)
                    .map_err(|e| PolicyError::Invalid(format!("rule `{}`: {e}", r.name)))?;
            }
        }
        if p.size
            .iter()
            .any(|s| s.lines.is_none() && s.files.is_none())
        {
            return Err(PolicyError::Invalid(
                "every [[size]] rule needs lines or files".into(),
            ));
        }
        Ok(p)
    }

    pub fn default_policy() -> Policy {
        Policy::parse(DEFAULT_TOML).expect("the shipped policy is valid")
    }

    /// The policy version's identity: SHA-256 of the document's exact text.
    pub fn hash(text: &str) -> String {
        format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
    }

    fn tier_rules(&self) -> [(&'static str, &TierRule); 4] {
        [
            ("low", &self.tiers.low),
            ("medium", &self.tiers.medium),
            ("high", &self.tiers.high),
            ("critical", &self.tiers.critical),
        ]
    }

    pub fn rule_for(&self, tier: Stakes) -> &TierRule {
        match tier {
            Stakes::Low => &self.tiers.low,
            Stakes::Medium => &self.tiers.medium,
            Stakes::High => &self.tiers.high,
            Stakes::Critical => &self.tiers.critical,
        }
    }
}

/// What a change needs, as recorded when it was submitted (and only ever made stricter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub tier: Stakes,
    pub rule: TierRule,
}

impl Requirement {
    pub fn new(policy: &Policy, tier: Stakes) -> Self {
        Requirement {
            tier,
            rule: policy.rule_for(tier).clone(),
        }
    }

    /// One line a person can read: "high: 2 approvals (reviewer or admin), one rejection
    /// vetoes, evals `unit` must pass, expires after 72 h".
    pub fn describe(&self) -> String {
        let r = &self.rule;
        let roles: Vec<&str> = r.eligible_roles.iter().map(|x| x.as_str()).collect();
        let mut parts = vec![if r.approvals == 0 {
            "agent-only".to_owned()
        } else {
            format!(
                "{} approval{} ({})",
                r.approvals,
                if r.approvals == 1 { "" } else { "s" },
                roles.join(" or ")
            )
        }];
        if r.admin_approvals > 0 {
            parts.push(format!("{} from an admin", r.admin_approvals));
        }
        if r.agent_only && r.approvals > 0 {
            parts.push("or the agent's word when every gate is green".into());
        }
        if r.veto {
            parts.push("one rejection vetoes".into());
        }
        if !r.required_evals.is_empty() {
            let evals: Vec<String> = r
                .required_evals
                .iter()
                .map(|e| {
                    if e == "*" {
                        "every eval".to_owned()
                    } else {
                        format!("`{e}`")
                    }
                })
                .collect();
            parts.push(format!(
                "{} must pass{}",
                evals.join(", "),
                if r.allow_override {
                    " (or an admin override)"
                } else {
                    ", no override"
                }
            ));
        }
        if let Some(h) = r.expires_after_hours {
            parts.push(format!("expires after {h} h"));
        }
        format!("{}: {}", self.tier, parts.join(", "))
    }

    /// The stricter of two requirements, dimension by dimension: a change in flight keeps
    /// whatever demands more.
    pub fn stricter(&self, other: &Requirement) -> Requirement {
        let (a, b) = (&self.rule, &other.rule);
        let mut eligible: Vec<Role> = a
            .eligible_roles
            .iter()
            .copied()
            .filter(|r| b.eligible_roles.contains(r))
            .collect();
        if eligible.is_empty() {
            eligible = vec![Role::Admin];
        }
        let mut required = a.required_evals.clone();
        required.extend(
            b.required_evals
                .iter()
                .filter(|e| !a.required_evals.contains(e))
                .cloned(),
        );
        Requirement {
            tier: if self.tier.rank() >= other.tier.rank() {
                self.tier
            } else {
                other.tier
            },
            rule: TierRule {
                approvals: a.approvals.max(b.approvals),
                admin_approvals: a.admin_approvals.max(b.admin_approvals),
                eligible_roles: eligible,
                veto: a.veto || b.veto,
                required_evals: required,
                allow_override: a.allow_override && b.allow_override,
                agent_only: a.agent_only && b.agent_only,
                expires_after_hours: match (a.expires_after_hours, b.expires_after_hours) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                },
            },
        }
    }
}
