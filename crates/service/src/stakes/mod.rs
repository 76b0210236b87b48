//! The stakes policy at work: which version governs, what a change needs, and applying
//! a new version to changes in flight. The decisions themselves are pure code in
//! `countersign_core::policy`; this module only gathers their inputs and stores results.

mod assess;
mod current;
mod edit;
mod expire;
mod standing;

pub use assess::{expiry, facts_of, gates_of, new_standing, standing_of};
pub use current::{CurrentPolicy, current};
pub use edit::{PolicyPreview, PreviewRow, history, preview, published, save};
pub use expire::{expire_at, expire_due, spawn_expiry};
pub use standing::standing;
