//! Readers that turn eval and test results in other formats into our `Eval` list:
//! JUnit / xUnit XML, Inspect AI eval logs and in-toto `test-result` statements.
//!
//! They run on submit, so a malformed document is refused (`422`) with the part that
//! failed and why, and the table, the queue's summary and the policy only ever see one
//! shape. Pure code: the CLI can run the same readers before it sends anything.

pub mod inspect;
pub mod intoto;
pub mod junit;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormatError(pub String);

impl FormatError {
    pub(crate) fn new(m: impl Into<String>) -> Self {
        FormatError(m.into())
    }
}

/// Joins the non-empty parts with a blank line; `None` when all are empty.
pub(crate) fn join(parts: &[&str]) -> Option<String> {
    let kept: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    (!kept.is_empty()).then(|| kept.join("\n\n"))
}
