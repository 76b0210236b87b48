//! The diff as the change page shows it: parsed (`countersign_core::diff`), highlighted,
//! word changes marked, and large files folded so that any diff opens quickly.
//!
//! Limits follow GitHub's, which reviewers know: a file with more than 400 lines or 20 KB
//! of diff is folded, and once 20,000 lines or 1 MB have been shown, the remaining files
//! are folded too. A folded file is shown in full on request.

mod build;
mod cache;
pub mod highlight;

pub use build::{Budget, DiffPage, build};
pub use cache::{DiffCache, Prerender, Rendered};
