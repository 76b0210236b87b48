//! Countersign's pure domain logic.
//!
//! Everything here is free of I/O so that the server, the browser (wasm) and the CLI
//! reach the same answer from the same inputs: the content digest a decision names, the
//! stakes policy that turns decisions into a change's status (`policy`), signed decisions
//! (`decision`), the transparency log's proofs and verifier (`merkle`, `note`, `tlog`),
//! and the validation of a submission.
#![forbid(unsafe_code)]

pub mod audit;
pub mod decision;
pub mod diff;
pub mod digest;
pub mod eval;
pub mod evalfmt;
pub mod ids;
pub mod keys;
pub mod merkle;
pub mod model;
pub mod note;
pub mod policy;
pub mod provenance;
pub mod submission;
pub mod throttle;
pub mod tlog;
pub mod webhook;

pub use digest::ContentDigest;
pub use eval::{Eval, EvalStatus, EvalSummary};
pub use ids::{AgentId, ChangeId, DecisionId, UserId};
pub use model::{ChangeStatus, Role, Stakes, Verdict};
