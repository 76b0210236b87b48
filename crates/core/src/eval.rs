//! Eval and test results as an agent reports them, and the one-line summary the queue shows.
//!
//! Richer formats (JUnit XML, Inspect AI logs, in-toto test results) are converted into this
//! shape by their own readers; the table and the policy only ever see `Eval`.

use serde::{Deserialize, Serialize};

/// The outcome of one eval or test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EvalStatus {
    Pass,
    Fail,
    Error,
    Skip,
}

impl EvalStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EvalStatus::Pass => "pass",
            EvalStatus::Fail => "fail",
            EvalStatus::Error => "error",
            EvalStatus::Skip => "skip",
        }
    }
}

/// One eval result. `details` is free text (a failure message, output) shown on request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Eval {
    pub name: String,
    pub status: EvalStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The suite or class the test belongs to (JUnit `classname`, an Inspect model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suite: Option<String>,
    /// Captured output (JUnit `system-out` / `system-err`, a traceback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Where the result was read from when it was not our own list: `junit`, `inspect`,
    /// `in-toto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Eval {
    /// A result read from another format; the optional fields start empty.
    pub fn new(name: impl Into<String>, status: EvalStatus, source: &str) -> Self {
        Eval {
            name: name.into(),
            status,
            score: None,
            threshold: None,
            details: None,
            suite: None,
            output: None,
            source: Some(source.to_owned()),
        }
    }
}

/// Counts by status, as shown in the queue ("3 passed, 1 failed").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvalSummary {
    pub passed: u32,
    pub failed: u32,
    pub errored: u32,
    pub skipped: u32,
}

impl EvalSummary {
    pub fn of(evals: &[Eval]) -> Self {
        let mut s = EvalSummary::default();
        for e in evals {
            match e.status {
                EvalStatus::Pass => s.passed += 1,
                EvalStatus::Fail => s.failed += 1,
                EvalStatus::Error => s.errored += 1,
                EvalStatus::Skip => s.skipped += 1,
            }
        }
        s
    }

    pub fn total(&self) -> u32 {
        self.passed + self.failed + self.errored + self.skipped
    }

    /// True when nothing failed or errored (an empty list is green, but see `total`).
    pub fn all_green(&self) -> bool {
        self.failed == 0 && self.errored == 0
    }
}

impl std::fmt::Display for EvalSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.total() == 0 {
            return f.write_str("no evals");
        }
        let mut parts = Vec::new();
        for (n, word) in [
            (self.passed, "passed"),
            (self.failed, "failed"),
            (self.errored, "errored"),
            (self.skipped, "skipped"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {word}"));
            }
        }
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(status: EvalStatus) -> Eval {
        Eval::new("t", status, "test")
    }

    #[test]
    fn summary_counts_and_reads_like_a_person_would_say_it() {
        let evals = [
            eval(EvalStatus::Pass),
            eval(EvalStatus::Pass),
            eval(EvalStatus::Fail),
            eval(EvalStatus::Skip),
        ];
        let s = EvalSummary::of(&evals);
        assert_eq!(s.to_string(), "2 passed, 1 failed, 1 skipped");
        assert!(!s.all_green());
        assert_eq!(EvalSummary::of(&[]).to_string(), "no evals");
    }
}
