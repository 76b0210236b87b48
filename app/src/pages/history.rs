//! The auditor's history (`/audit/history`): every change — decided, expired, withdrawn —
//! with each decision, its signature checked, filtered by a plain GET form (shareable, no
//! JavaScript needed), and the same rows exported as JSONL or CSV, or the whole log as a
//! bundle for `countersign verify --bundle`.

use countersign_core::{ChangeStatus, Stakes};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{HISTORY_PAGE, audit_history},
    dto::HistoryRow,
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, links::kept_filters},
};

const FIELDS: [&str; 8] = [
    "from",
    "to",
    "reviewer",
    "agent",
    "repository",
    "verdict",
    "stakes",
    "status",
];

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let rows = Resource::new(
        move || FIELDS.map(|f| query.read().get(f).filter(|v| !v.is_empty())),
        |[a, b, c, d, e, f, g, h]| audit_history(a, b, c, d, e, f, g, h),
    );
    view! { <Frame><History rows/></Frame> }
}

fn select(name: &'static str, label: &'static str, options: Vec<&'static str>) -> impl IntoView {
    let query = use_query_map();
    let chosen = move || query.read().get(name).unwrap_or_default();
    view! {
        <label for=name>{label}</label>
        <select id=name name=name>
            <option value="">"any"</option>
            {options.into_iter().map(|o| view! { <option value=o selected=move || chosen() == o>{o}</option> }).collect_view()}
        </select>
    }
}

fn text(name: &'static str, label: &'static str, kind: &'static str) -> impl IntoView {
    let query = use_query_map();
    view! {
        <label for=name>{label}</label>
        <input id=name name=name type=kind value=move || query.read().get(name).unwrap_or_default()/>
    }
}

#[component]
fn History(rows: Resource<Result<Vec<HistoryRow>, AppError>>) -> impl IntoView {
    let query = use_query_map();
    let qs = move || kept_filters(&query.read(), &FIELDS).join("&");
    view! {
        <h1>"History"</h1>
        <form method="get" action="/audit/history" class="filters">
            {text("from", "From", "date")}
            {text("to", "To", "date")}
            {text("reviewer", "Reviewer", "text")}
            {text("agent", "Agent", "text")}
            {text("repository", "Repository", "text")}
            {select("verdict", "Verdict", vec!["approve", "reject"])}
            {select("stakes", "Stakes", Stakes::ALL.iter().map(|s| s.as_str()).collect())}
            {select("status", "Status", ChangeStatus::ALL.iter().map(|s| s.as_str()).collect())}
            <button type="submit">"Filter"</button>
        </form>
        <p class="exports">"Export these rows: "
            <a href=move || format!("/audit/export?format=jsonl&{}", qs()) download>"JSONL"</a>" · "
            <a href=move || format!("/audit/export?format=csv&{}", qs()) download>"CSV"</a>
            " · the whole log: "<a href="/audit/export?format=bundle" download>"proof bundle"</a>
            " (check it offline with "<code>"countersign verify --bundle"</code>")"</p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match rows.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="empty">"Nothing matches."</p> }.into_any(),
                    Ok(rows) => view! { <HistoryTable rows/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

#[component]
fn HistoryTable(rows: Vec<HistoryRow>) -> impl IntoView {
    let full = rows.len() as i64 == HISTORY_PAGE;
    view! {
        {full.then(|| view! { <p class="note">{format!("The newest {HISTORY_PAGE} rows; narrow the filters or export (up to 10,000).")}</p> })}
        <table class="audit history">
            <thead><tr>
                <th>"When"</th><th>"Change"</th><th>"Agent"</th><th>"Stakes"</th><th>"Status"</th>
                <th>"Decision"</th><th>"Signature"</th>
            </tr></thead>
            <tbody>{rows.into_iter().map(|r| {
                let decision = match (&r.verdict, &r.reviewer) {
                    (Some(v), Some(who)) => format!("{v} by {who}, revision {}{}", r.revision.unwrap_or(1), if r.stale { " (stale)" } else { "" }),
                    _ => "—".to_owned(),
                };
                let sig_bad = r.signature.as_deref().is_some_and(|s| s != "valid");
                view! {
                    <tr>
                        <td>{r.decided_at.clone().unwrap_or(r.submitted_at.clone())}</td>
                        <td><a href=format!("/changes/{}", r.change_id)>{r.title}</a>" "<span class="tag">{r.repository}</span></td>
                        <td>{r.agent}</td>
                        <td><span class=format!("stakes {}", r.stakes)>{r.stakes.clone()}</span></td>
                        <td>{r.status}</td>
                        <td>{decision}{r.reason.map(|x| view! { <p class="note">{x}</p> })}</td>
                        <td class:bad=sig_bad>{r.signature.unwrap_or_default()}</td>
                    </tr>
                }
            }).collect_view()}</tbody>
        </table>
    }
}
