//! The whole HTTP surface as one function, `app(state)`, so tests drive exactly what
//! production serves.

use axum::{Router, extract::DefaultBodyLimit, extract::FromRef, middleware};
use countersign_service::Services;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::limit::RequestBodyLimitLayer;

use tower::util::MapRequestLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};

use crate::{
    api,
    config::HttpConfig,
    security,
    sessions::AnySessionStore,
    telemetry::{self, REQUEST_ID, RandomRequestId},
};

/// Shared state of every request.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// Leptos settings for a site built by cargo-leptos into `site_root`.
pub fn leptos_options(site_root: &str) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("countersign")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .build()
}

pub fn app(state: AppState, sessions: AnySessionStore, http: &HttpConfig) -> Router {
    let routes = generate_route_list(app::App);
    let services = state.services.clone();
    let console = Router::new()
        .route(
            "/audit/export",
            axum::routing::get(crate::audit_export::export),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(services.clone());
                provide_context(app::ssr::RequestUser::default());
            },
            {
                let options = state.leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(sessions.layer(http.secure_cookies, state.services.sessions.idle));
    crate::metrics::handle();
    let token = http.metrics_token.clone();
    let scrape =
        move |state, client, headers| crate::metrics::scrape(state, client, headers, token.clone());
    Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .route("/healthz", axum::routing::get(crate::health::healthz))
        .route("/readyz", axum::routing::get(crate::health::readyz))
        .nest_service("/pkg", crate::asset_cache::pkg_files(&http.site_root))
        .merge(api::routes())
        .merge(console)
        .layer(middleware::from_fn(crate::metrics::track))
        .with_state(state)
        .layer(middleware::from_fn(security::require_same_origin))
        .layer(middleware::from_fn(security::security_headers))
        .layer(tower::util::option_layer(
            http.secure_cookies.then(security::hsts),
        ))
        .layer(crate::compression::layer())
        .layer(DefaultBodyLimit::max(http.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(http.max_body_bytes))
        // Outermost last: sanitize → assign id → trace (span has the id) → … → echo id.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(telemetry::trace_layer())
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), RandomRequestId))
        .layer(MapRequestLayer::new(telemetry::sanitize_request_id))
}
