//! Provenance a reviewer can trust: read in-toto statements, SLSA provenance and
//! verification summaries in DSSE envelopes and Sigstore bundles, and verify them offline
//! against the agent's registered keys and Sigstore's trusted root.

pub mod cert;
pub mod dsse;
pub mod report;
pub mod sigstore;
pub mod statement;
pub mod trust;

use serde::{Deserialize, Serialize};

/// The result of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// The document lacks what the check needs.
    Missing,
}

/// One thing verified about an attestation, said plainly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub outcome: Outcome,
    pub detail: String,
}

impl Check {
    fn new(name: &str, outcome: Outcome, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            outcome,
            detail: detail.into(),
        }
    }
    pub fn pass(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, Outcome::Pass, detail)
    }
    pub fn fail(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, Outcome::Fail, detail)
    }
    pub fn missing(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, Outcome::Missing, detail)
    }
}
