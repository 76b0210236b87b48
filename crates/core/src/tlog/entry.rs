//! What one log leaf says, and its exact bytes.
//!
//! A leaf is the RFC 8785 canonical JSON of an [`Entry`]: the same value always gives the
//! same bytes, so anyone holding an entry can recompute its leaf hash. Every audited
//! lifecycle event is an entry (people, roles, keys, agents, policy, changes); a decision's
//! entry also carries its signed DSSE envelope.

use serde::{Deserialize, Serialize};

use crate::merkle::{Hash, leaf_hash};

/// The leaf format's version.
pub const ENTRY_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub v: u32,
    /// The audit action (`change.decide`, `policy.set`, `user.role_grant`, …).
    pub action: String,
    /// What it is about: `change:12`, `user:3`, `policy:2`.
    pub subject: String,
    /// Who: `user:3`, `agent:1`, `system`.
    pub actor: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// The audit details, as recorded.
    pub details: serde_json::Value,
}

impl Entry {
    /// The leaf's exact bytes.
    pub fn leaf(&self) -> Vec<u8> {
        serde_jcs::to_vec(self).unwrap_or_default()
    }

    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.leaf())
    }

    /// Reads a leaf back; `None` when the bytes are not exactly the canonical form of an
    /// entry (an edited leaf that no longer canonicalizes to itself is tampering).
    pub fn from_leaf(bytes: &[u8]) -> Option<Entry> {
        let e: Entry = serde_json::from_slice(bytes).ok()?;
        (e.leaf() == bytes).then_some(e)
    }
}

/// Audit actions that are not lifecycle events and stay out of the log: sign-ins are
/// frequent, and carry nothing an auditor needs to prove.
pub fn is_logged(action: &str) -> bool {
    !matches!(action, "user.login" | "user.login_failed" | "user.logout")
}
