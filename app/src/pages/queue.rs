//! The review queue: pending changes, highest stakes first, then oldest, with filters
//! that are a plain GET form (shareable URLs, no JavaScript needed).

use countersign_core::{ChangeStatus, Stakes};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::queue,
    dto::{QueuePage, QueueRow},
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, links::kept_filters},
};

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status");
    let stakes = move || query.read().get("stakes");
    let mine = move || query.read().get("mine");
    let after = move || query.read().get("after");
    let rows = Resource::new(
        move || (status(), stakes(), mine(), after()),
        |(s, k, m, a)| queue(s, k, m, a),
    );
    view! { <Frame><Queue rows/></Frame> }
}

#[component]
fn Queue(rows: Resource<Result<QueuePage, AppError>>) -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status");
    let stakes = move || query.read().get("stakes");
    let selected_status = move || status().unwrap_or_else(|| "pending".into());
    let selected_stakes = move || stakes().unwrap_or_else(|| "all".into());
    view! {
        <h1>"Review queue"</h1>
        <form method="get" action="/" class="filters">
            <label for="status">"Status"</label>
            <select id="status" name="status">
                {ChangeStatus::ALL.iter().map(|s| s.as_str()).chain(["all"]).map(|s| view! {
                    <option value=s selected=move || selected_status() == s>{s}</option>
                }).collect_view()}
            </select>
            <label for="stakes">"Stakes"</label>
            <select id="stakes" name="stakes">
                {["all"].into_iter().chain(Stakes::ALL.iter().map(|s| s.as_str())).map(|s| view! {
                    <option value=s selected=move || selected_stakes() == s>{s}</option>
                }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" name="mine" value="1" checked=move || query.read().get("mine").is_some_and(|m| !m.is_empty())/>" Needs my review"</label>
            <button type="submit">"Filter"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match rows.await {
                    Ok(page) if page.rows.is_empty() => view! { <p class="empty">"Nothing here."</p><Pager next=None/> }.into_any(),
                    Ok(page) => {
                        let next = page.more.then(|| page.rows.last().map(|r| r.id)).flatten();
                        view! { <QueueTable rows=page.rows/><Pager next/> }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

/// Links to the next page (after the last row shown) and back to the first, keeping the
/// filters: plain links, so paging works without JavaScript too.
#[component]
fn Pager(next: Option<i64>) -> impl IntoView {
    let query = use_query_map();
    let href = move |after: Option<i64>| {
        let mut parts = kept_filters(&query.read(), &["status", "stakes", "mine"]);
        if let Some(a) = after {
            parts.push(format!("after={a}"));
        }
        if parts.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", parts.join("&"))
        }
    };
    let paged = move || query.read().get("after").is_some_and(|a| !a.is_empty());
    view! {
        <nav class="pager" aria-label="Queue pages">
            {move || paged().then(|| view! { <a href=href(None)>"← First page"</a> })}
            {next.map(|id| view! { <a href=href(Some(id)) rel="next">{format!("Next {} →", QueuePage::SIZE)}</a> })}
        </nav>
    }
}

#[component]
fn QueueTable(rows: Vec<QueueRow>) -> impl IntoView {
    view! {
        <table class="queue">
            <thead>
                <tr>
                    <th>"Title"</th><th>"Repository"</th><th>"Agent"</th><th>"Stakes"</th>
                    <th>"Status"</th><th>"Progress"</th><th>"Age"</th><th>"Evals"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let href = format!("/changes/{}", r.id);
                    let green = r.evals.all_green();
                    view! {
                        <tr>
                            <td><a href=href>{r.title}</a></td>
                            <td>{r.repository}</td>
                            <td>{r.agent}</td>
                            <td><span class=format!("stakes {}", r.stakes)>{r.stakes.as_str()}</span></td>
                            <td>{r.status.as_str()}</td>
                            <td class="progress">{r.progress}</td>
                            <td>{r.age}</td>
                            <td class:bad=!green>{r.evals.to_string()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
