//! Prometheus metrics at `/metrics`: request latency by route, queue depth by stakes,
//! submissions, decisions by verdict and time from submission to decision.
//!
//! Counters and histograms are this process's (as Prometheus expects); the queue depth is
//! read from the database at each scrape, so every instance reports the same number. The
//! endpoint answers loopback clients, or anyone presenting `COUNTERSIGN_METRICS_TOKEN`.

use std::{
    net::SocketAddr,
    sync::OnceLock,
    time::{Duration, Instant},
};

use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::router::AppState;

/// The process-wide recorder (installed once; later calls share it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0,
                ],
            )
            .and_then(|b| {
                b.set_buckets_for_metric(
                    Matcher::Full("countersign_time_to_decision_seconds".into()),
                    &[
                        60.0,
                        300.0,
                        900.0,
                        3600.0,
                        4.0 * 3600.0,
                        86400.0,
                        3.0 * 86400.0,
                        7.0 * 86400.0,
                    ],
                )
            })
            .expect("valid buckets");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed (tests): then this handle still renders
        // what was recorded through it, and nothing is lost in production.
        let _ = metrics::set_global_recorder(recorder);
        let upkeep = handle.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

/// Records each request's latency under its route pattern (never the raw path, whose ids
/// would explode the label set).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::histogram!("http_request_duration_seconds", "route" => route, "method" => method, "status" => status)
        .record(start.elapsed().as_secs_f64());
    res
}

/// `GET /metrics` in the Prometheus text format.
pub async fn scrape(
    State(s): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    token: Option<String>,
) -> Response {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let allowed = match &token {
        Some(t) => presented
            .is_some_and(|p| bool::from(subtle::ConstantTimeEq::ct_eq(p.as_bytes(), t.as_bytes()))),
        None => client.ip().is_loopback(),
    };
    if !allowed {
        return StatusCode::NOT_FOUND.into_response();
    }
    let h = handle();
    match s.services.store.pending_by_stakes().await {
        Ok(counts) => {
            for stakes in countersign_core::Stakes::ALL {
                let n = counts.iter().find(|c| c.0 == *stakes).map_or(0, |c| c.1);
                metrics::gauge!("countersign_queue_depth", "stakes" => stakes.as_str())
                    .set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "queue depth for metrics"),
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        h.render(),
    )
        .into_response()
}
