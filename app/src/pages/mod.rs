//! One module per page, plus the frame they share.

pub mod account;
pub mod agents;
pub mod audit;
pub mod change;
pub mod dashboard;
mod diff;
mod diff_table;
mod evals;
mod frame;
pub mod history;
mod links;
pub mod login;
pub mod people;
pub mod policy;
mod provenance;
pub mod queue;
mod requirement;
pub mod webhooks;

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

/// Marks the page interactive (`<body data-hydrated="true">`) once this point of the view
/// has hydrated. Pages put it after their last loaded content — inside the innermost
/// `Suspense` — because hydration of suspended content can finish several ticks after the
/// shell's, and browser tests must not click a form whose handler is not attached yet.
#[component]
pub fn Hydrated() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
