//! From recorded decisions to the votes the policy counts, and from its outcome to a
//! change's status — the glue the store's decision transaction, the change page and an
//! auditor's verifier all use, so they cannot disagree.

use serde::{Deserialize, Serialize};

use super::{Gates, Outcome, Progress, Requirement, Vote, evaluate};
use crate::model::{ChangeStatus, Role, Verdict};

/// A decision as stored: who (none for the system), with which roles, on which digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedVote {
    pub person: Option<i64>,
    pub roles: Vec<Role>,
    pub verdict: Verdict,
    pub digest: String,
}

/// The people's votes on a change whose current digest is `digest` and whose agent is
/// owned by `owner`. System decisions are outcomes, not votes, and are left out.
pub fn votes(recorded: &[RecordedVote], digest: &str, owner: Option<i64>) -> Vec<Vote> {
    recorded
        .iter()
        .filter_map(|r| {
            r.person.map(|person| Vote {
                person,
                roles: r.roles.clone(),
                verdict: r.verdict,
                current: r.digest == digest,
                owner: owner == Some(person),
            })
        })
        .collect()
}

/// The status a pending change has after `progress`.
pub fn status_of(outcome: Outcome) -> ChangeStatus {
    match outcome {
        Outcome::Pending => ChangeStatus::Pending,
        Outcome::Approved | Outcome::ApprovedBySystem => ChangeStatus::Approved,
        Outcome::Rejected => ChangeStatus::Rejected,
    }
}

/// Everything the policy needs about one pending change, besides its decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub requirement: Requirement,
    pub gates: Gates,
    pub digest: String,
    pub owner: Option<i64>,
}

impl Standing {
    /// Progress given every decision recorded so far (oldest first).
    pub fn judge(&self, recorded: &[RecordedVote]) -> Progress {
        evaluate(
            &self.requirement,
            &self.gates,
            &votes(recorded, &self.digest, self.owner),
        )
    }
}
