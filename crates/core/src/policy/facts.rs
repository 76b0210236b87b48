//! What a change's tier is decided from, in a form that is stored with the change.
//!
//! The facts are recorded at submit (and at each revision) so that a new policy can be
//! previewed against, and applied to, every pending change without re-reading and
//! re-parsing their content — and so that an auditor can recompute the tier from the
//! record alone.

use serde::{Deserialize, Serialize};

use super::{Policy, Requirement, Tiering, tier};
use crate::{
    eval::{Eval, EvalStatus},
    model::Stakes,
    provenance::report::Status,
};

/// The owned form of [`super::Facts`]. Evals keep only their name and status: that is
/// all the policy reads, and outputs can be large.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeFacts {
    pub declared: Stakes,
    pub agent: String,
    pub repository: String,
    pub paths: Vec<String>,
    pub lines_changed: u64,
    pub files_changed: u64,
    pub evals: Vec<EvalFact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalFact {
    pub name: String,
    pub status: EvalStatus,
}

/// A change's standing under one policy: its tier (with the reasons) and what that
/// tier demands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub tiering: Tiering,
    pub requirement: Requirement,
}

impl ChangeFacts {
    /// For a change stored before facts were recorded: only what its row says.
    pub fn unrecorded(declared: Stakes, agent: &str, repository: &str) -> Self {
        ChangeFacts {
            declared,
            agent: agent.to_owned(),
            repository: repository.to_owned(),
            paths: Vec::new(),
            lines_changed: 0,
            files_changed: 0,
            evals: Vec::new(),
            provenance: None,
        }
    }

    pub fn evals(&self) -> Vec<Eval> {
        self.evals
            .iter()
            .map(|e| Eval::new(e.name.clone(), e.status, "policy"))
            .collect()
    }

    /// The tier and requirement this policy gives the change.
    pub fn assess(&self, policy: &Policy) -> Assessment {
        let evals = self.evals();
        let tiering = tier(
            policy,
            &super::Facts {
                declared: self.declared,
                agent: &self.agent,
                repository: &self.repository,
                paths: &self.paths,
                lines_changed: self.lines_changed,
                files_changed: self.files_changed,
                evals: &evals,
                provenance: self.provenance,
            },
        );
        let requirement = Requirement::new(policy, tiering.tier);
        Assessment {
            tiering,
            requirement,
        }
    }

    /// Whether provenance lets the change through on the agent's word: verified, or no
    /// attestation at all (an invalid or unverifiable one does not).
    pub fn provenance_ok(&self) -> bool {
        matches!(self.provenance, None | Some(Status::Verified))
    }
}

impl From<&Eval> for EvalFact {
    fn from(e: &Eval) -> Self {
        EvalFact {
            name: e.name.clone(),
            status: e.status,
        }
    }
}
