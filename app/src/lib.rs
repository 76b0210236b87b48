//! The Countersign console: server-rendered pages that work without JavaScript and
//! hydrate into a faster app when the wasm loads.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod api;
pub mod dto;
pub mod error;
mod pages;
mod routes;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
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
                <Route path=StaticSegment("login") view={Lazy::<routes::LoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=StaticSegment("") view={Lazy::<routes::QueueRoute>::new()} ssr=SsrMode::Async/>
                <Route path=StaticSegment("account") view={Lazy::<routes::AccountRoute>::new()} ssr=SsrMode::Async/>
                <Route path=StaticSegment("admin") view={Lazy::<routes::PeopleRoute>::new()} ssr=SsrMode::Async/>
                <Route path=StaticSegment("audit") view={Lazy::<routes::AuditRoute>::new()} ssr=SsrMode::Async/>
                <Route path=StaticSegment("dashboard") view={Lazy::<routes::DashboardRoute>::new()} ssr=SsrMode::Async/>
                <Route
                    path=(StaticSegment("audit"), StaticSegment("history"))
                    view={Lazy::<routes::HistoryRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("webhooks"))
                    view={Lazy::<routes::WebhooksRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("policy"))
                    view={Lazy::<routes::PolicyRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("admin"), StaticSegment("agents"))
                    view={Lazy::<routes::AgentsRoute>::new()}
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("changes"), ParamSegment("id"))
                    view={Lazy::<routes::ChangeRoute>::new()}
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
    leptos::mount::hydrate_lazy(App);
}
