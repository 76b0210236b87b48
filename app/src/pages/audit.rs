//! The audit trail: who did what to which subject, when and from where. Filters are a
//! plain GET form, so a filtered view is a link an auditor can share.

use countersign_core::{audit::ACTIONS, tlog::verify::Findings};
use leptos::{lazy, prelude::*};
use leptos_router::hooks::use_query_map;

use crate::{
    api::{AUDIT_PAGE, audit_events, log_bundle, log_status},
    dto::{AuditRow, LogBundle},
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, links::kept_filters},
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let rows = Resource::new(
        move || {
            (
                param("action"),
                param("subject"),
                param("before").and_then(|b| b.parse::<i64>().ok()),
            )
        },
        |(a, s, b)| audit_events(a, s, b),
    );
    // Made here, outside the frame's Suspense (see `Frame`): a resource created inside it
    // is made again when the frame's data arrives, and hydration then met a different
    // page than the server rendered (a flaky "hydration error" on this page).
    let status = Resource::new(|| (), |_| log_status());
    view! { <Frame><Audit rows status/></Frame> }
}

#[component]
fn Audit(
    rows: Resource<Result<Vec<AuditRow>, AppError>>,
    status: Resource<Result<crate::dto::LogStatus, AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    let action = move || query.read().get("action").unwrap_or_default();
    let subject = move || query.read().get("subject").unwrap_or_default();
    view! {
        <h1>"Audit trail"</h1>
        <LogSection status/>
        <form method="get" action="/audit" class="filters">
            <label for="action">"Action"</label>
            <select id="action" name="action">
                <option value="">"any"</option>
                {ACTIONS.iter().map(|a| view! { <option value=*a selected=move || action() == *a>{*a}</option> }).collect_view()}
            </select>
            <label for="subject">"Subject"</label>
            <input id="subject" name="subject" type="text" placeholder="change:12, user:3, login:rita" value=subject/>
            <button type="submit">"Filter"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match rows.await {
                    Ok(rows) if rows.is_empty() => view! { <p class="empty">"No matching events."</p> }.into_any(),
                    Ok(rows) => {
                        let older = (rows.len() as i64 == AUDIT_PAGE).then(|| {
                            let last = rows.last().map(|r| r.id).unwrap_or_default();
                            let mut parts = kept_filters(&query.read(), &["action", "subject"]);
                            parts.push(format!("before={last}"));
                            format!("/audit?{}", parts.join("&"))
                        });
                        view! {
                            <table class="audit">
                                <thead><tr><th>"Time"</th><th>"Actor"</th><th>"Action"</th><th>"Subject"</th><th>"Client"</th><th>"Details"</th></tr></thead>
                                <tbody>{rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.subject}</td>
                                        <td>{r.client.unwrap_or_default()}</td><td><code>{r.details}</code></td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                            {older.map(|href| view! { <p><a href=href>"Older events"</a></p> })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

/// The log's size, root and signed checkpoint, and how to verify it independently.
#[component]
fn LogSection(status: Resource<Result<crate::dto::LogStatus, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                status.await.ok().map(|s| view! {
                    <section class="requirement" aria-labelledby="log-h">
                        <h2 id="log-h">"Transparency log"</h2>
                        <p class="progress"><strong>{format!("{} entries", s.size)}</strong>
                            {if s.signed { " · checkpoint signature valid" } else { " · checkpoint signature does NOT verify" }}</p>
                        <p class="rule">"Root "<code class="digest">{s.root}</code>" · origin "<code>{s.origin}</code></p>
                        <details><summary>"Signed checkpoint"</summary><pre class="raw">{s.checkpoint}</pre></details>
                        <BrowserVerify/>
                        <p class="note">"Check it without trusting this server: "<code>"countersign verify --server URL --save-checkpoint kept.txt"</code>", later with "<code>"--trusted-checkpoint kept.txt"</code>"; or "<code>"countersign export"</code>" and "<code>"verify --bundle"</code>" offline."</p>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// With JavaScript, the log is verified here, in the browser, by the same library the CLI
/// uses (compiled to wasm): the checkpoint's signature, every leaf, the root, and every
/// decision's signature and change. Without JavaScript the button is not offered.
/// The verifier in a wasm chunk of its own, fetched when the button is first pressed
/// (`#[lazy]`, split out by `cargo leptos --split`): signature checks (Ed25519, P-256,
/// P-384), SHA-2, JCS and the policy engine with its glob matching are most of the
/// client's code, and no other page needs them.
#[lazy]
fn verify_bundle(bundle: LogBundle) -> Findings {
    countersign_core::tlog::verify::verify_wire(&bundle.checkpoint, &bundle.keys, &bundle.leaves)
}

#[component]
fn BrowserVerify() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let run = Action::new_local(|_: &()| async move {
        match log_bundle().await {
            Ok(b) => Ok(verify_bundle(b).await),
            Err(e) => Err(e),
        }
    });
    view! {
        {move || hydrated.get().then(|| view! {
            <p><button type="button" class="secondary" on:click=move |_| { run.dispatch(()); } disabled=move || run.pending().get()>"Verify in this browser"</button></p>
        })}
        {move || run.value().get().map(|r| match r {
            Ok(f) if f.problems.is_empty() => view! {
                <p class="ok verified" role="status">{format!(
                    "Verified in this browser: {} entries and {} signed decisions; the checkpoint signature, every leaf and the root hold.",
                    f.size, f.decisions
                )}</p>
            }.into_any(),
            Ok(f) => view! {
                <div class="error" role="alert">
                    <p>"The log does not verify:"</p>
                    <ul>{f.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorNote error=e/> }.into_any(),
        })}
    }
}
