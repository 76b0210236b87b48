//! Every page is a lazy route: its view code is its own wasm chunk (`cargo leptos build
//! --split`), so the module a browser loads first holds only the router, the reactive
//! runtime and what all pages share, and each page brings its own code when it is first
//! shown. The first page a browser opens loads its chunk before hydrating
//! (`hydrate_lazy` in `lib.rs`); the server renders every page in full either way, so
//! pages still work before (or without) any wasm.
//!
//! The pages create their resources themselves, as before, so a client-side navigation
//! loads the page's chunk and then its data; both are small, and a chunk is fetched once.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::pages;

/// A route type whose lazily loaded view is the page component `$page`.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                $page().into_any()
            }
        }
    };
}

lazy_page!(
    /// `/login`
    LoginRoute => pages::login::LoginPage
);
lazy_page!(
    /// `/`: the review queue.
    QueueRoute => pages::queue::QueuePage
);
lazy_page!(
    /// `/account`
    AccountRoute => pages::account::AccountPage
);
lazy_page!(
    /// `/admin`: people.
    PeopleRoute => pages::people::PeoplePage
);
lazy_page!(
    /// `/audit`: the log and its verification.
    AuditRoute => pages::audit::AuditPage
);
lazy_page!(
    /// `/dashboard`: oversight.
    DashboardRoute => pages::dashboard::DashboardPage
);
lazy_page!(
    /// `/audit/history`
    HistoryRoute => pages::history::HistoryPage
);
lazy_page!(
    /// `/admin/webhooks`
    WebhooksRoute => pages::webhooks::WebhooksPage
);
lazy_page!(
    /// `/admin/policy`
    PolicyRoute => pages::policy::PolicyPage
);
lazy_page!(
    /// `/admin/agents`
    AgentsRoute => pages::agents::AgentsPage
);
lazy_page!(
    /// `/changes/:id`: one change, its diff, evals and provenance.
    ChangeRoute => pages::change::ChangePage
);
