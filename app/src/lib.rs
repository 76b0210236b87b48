//! The Countersign console: server-rendered pages that work without JavaScript and
//! hydrate into a faster app when the wasm loads.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod dto;
pub mod error;
mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    ssr::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/countersign.css"/>
        <Title text="Countersign"/>
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>"Page not found"</h1></main> }>
                <Route path=StaticSegment("login") view=pages::login::LoginPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("") view=pages::queue::QueuePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("account") view=pages::account::AccountPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("admin") view=pages::people::PeoplePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("audit") view=pages::audit::AuditPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("dashboard") view=pages::dashboard::DashboardPage ssr=SsrMode::Async/>
                <Route
                    path=(StaticSegment("audit"), StaticSegment("history"))
                    view=pages::history::HistoryPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("webhooks"))
                    view=pages::webhooks::WebhooksPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("policy"))
                    view=pages::policy::PolicyPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("agents"))
                    view=pages::agents::AgentsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("changes"), ParamSegment("id"))
                    view=pages::change::ChangePage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
