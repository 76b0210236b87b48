//! The rule that turns decisions into a change's status — kept in one place.
//!
//! Until the stakes policy lands this is the simplest rule that is still honest: one
//! approval approves, one rejection rejects. The policy engine replaces `status_after`
//! with an evaluation of the change's recorded requirement; callers do not change.

use crate::model::{ChangeStatus, Verdict};

/// The status a pending change moves to once `verdict` is recorded on its current
/// revision. Returns `Pending` when more decisions are needed.
pub fn status_after(verdict: Verdict) -> ChangeStatus {
    match verdict {
        Verdict::Approve => ChangeStatus::Approved,
        Verdict::Reject => ChangeStatus::Rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_approval_approves_and_one_rejection_rejects() {
        assert_eq!(status_after(Verdict::Approve), ChangeStatus::Approved);
        assert_eq!(status_after(Verdict::Reject), ChangeStatus::Rejected);
    }
}
