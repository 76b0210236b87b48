//! What agents and reviewers do with changes: one file per verb.

mod decide;
mod override_evals;
mod read;
mod revise;
mod submit;
mod wait;
mod withdraw;

pub use decide::{DecideInput, MAX_COMMENT, decide};
pub use override_evals::{MIN_JUSTIFICATION, override_evals};
pub use read::{ChangeDetail, agent_change, agent_changes, change_detail, queue, queue_cursor};
pub use revise::revise;
pub use submit::{Submitted, submit};
pub use wait::{MAX_WAIT_SECONDS, wait_for_decision};
pub use withdraw::withdraw;
