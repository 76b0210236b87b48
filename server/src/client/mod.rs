//! The agent side of the CLI: `countersign submit`, `wait` and `status` talk to a
//! Countersign server over its HTTP API, so a pipeline can adopt it in a few lines.
//!
//! Exit codes are the contract with scripts: 0 approved, 1 rejected, 2 timed out or still
//! pending, 3 withdrawn or expired, 4 usage or input error, 5 server or network error,
//! 6 verification failed (`verify`, `verify-decision`).

mod args;
mod http;
mod submit;
mod verify;
mod wait;

use std::process::ExitCode;

pub use args::{ConnArgs, SubmitArgs, WaitArgs};
pub use submit::submit;
pub use verify::{ExportArgs, VerifyArgs, VerifyDecisionArgs, export, verify, verify_decision};
pub use wait::{status, wait};

/// How a client command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Approved = 0,
    Rejected = 1,
    Pending = 2,
    Closed = 3,
    Usage = 4,
    Server = 5,
    /// A signature, proof or checkpoint did not verify.
    Invalid = 6,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// A failure with its exit code and a message for standard error.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn usage(m: impl Into<String>) -> Self {
        Failure {
            exit: Exit::Usage,
            message: m.into(),
        }
    }
    pub fn server(m: impl Into<String>) -> Self {
        Failure {
            exit: Exit::Server,
            message: m.into(),
        }
    }
}

/// The exit code for a change's status.
pub fn exit_for(status: &str) -> Exit {
    match status {
        "approved" => Exit::Approved,
        "rejected" => Exit::Rejected,
        "withdrawn" | "expired" => Exit::Closed,
        _ => Exit::Pending,
    }
}
