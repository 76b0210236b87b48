//! One module per page, plus the frame they share.

pub mod account;
pub mod agents;
pub mod audit;
pub mod change;
mod diff;
mod diff_table;
mod evals;
mod frame;
pub mod login;
pub mod people;
mod provenance;
pub mod queue;

pub use frame::{ErrorNote, Frame};

use leptos::prelude::*;

/// Calls `refetch` whenever `versions` changes — in the browser only. On the server a
/// page renders once, and tracking action versions there would re-run the fetch after the
/// render's context is gone.
pub fn refetch_after<V>(refetch: impl Fn() + 'static, versions: impl Fn() -> V + 'static)
where
    V: PartialEq + Clone + 'static,
{
    Effect::new(move |previous: Option<V>| {
        let now = versions();
        if previous.is_some_and(|p| p != now) {
            refetch();
        }
        now
    });
}
