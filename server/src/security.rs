//! Cross-site request defence and baseline security headers.
//!
//! Every state-changing request to the console (forms, server fns) must show that it
//! came from the console itself: `Sec-Fetch-Site: same-origin`, or an `Origin` whose host
//! is the request's `Host`. A request with neither is refused, so a client that strips
//! both cannot slip through. The agent API authenticates with bearer tokens, never
//! cookies, so it is exempt.

use axum::{
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Paths that carry no cookie-based authority.
const EXEMPT_PREFIX: &str = "/api/v1/";

fn same_origin(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin";
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let (Ok(origin), Ok(host)) = (origin.to_str(), host.to_str()) else {
        return false;
    };
    url::Url::parse(origin)
        .ok()
        .and_then(|u| {
            Some(match u.port() {
                Some(p) => format!("{}:{p}", u.host_str()?),
                None => u.host_str()?.to_owned(),
            })
        })
        .is_some_and(|o| o.eq_ignore_ascii_case(host))
}

pub async fn require_same_origin(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || req.uri().path().starts_with(EXEMPT_PREFIX) || same_origin(&req) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-site state-changing request");
    (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ));
    res
}

/// `Strict-Transport-Security` for deployments behind https (secure cookies on): two
/// years, subdomains included, as browsers' preload lists expect.
pub fn hsts() -> tower_http::set_header::SetResponseHeaderLayer<HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::if_not_present(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=63072000; includeSubDomains"),
    )
}
