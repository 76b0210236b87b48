//! The reviewer's choice of unified or side-by-side diffs, remembered in a cookie so the
//! server renders the same view next time (with or without JavaScript). It is a display
//! preference, not account state, so it lives in the browser; it is still set by POST.

use leptos::prelude::*;

use crate::{dto::DiffLayout, error::AppError};

#[server(prefix = "/rpc")]
pub async fn set_diff_layout(layout: String) -> Result<DiffLayout, AppError> {
    use countersign_service::ServiceError;

    use crate::ssr::{fail, require_user};

    require_user().await?;
    let layout = DiffLayout::parse(&layout)
        .ok_or_else(|| fail(ServiceError::invalid("layout", "Choose unified or split.")))?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            DiffLayout::COOKIE,
            layout.as_str()
        );
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            res.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(layout)
}
