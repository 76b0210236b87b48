//! The oversight dashboard (`/dashboard`, admins and auditors): is human review keeping
//! up? Charts are SVG drawn on the server — readable without JavaScript — each with a
//! text equivalent; signals list the changes behind them.

use leptos::prelude::*;

use crate::{
    api::oversight,
    dto::DashboardView,
    pages::{ErrorNote, Frame, Hydrated},
};

const STAKES: [(&str, &str); 4] = [
    ("low", "#8fb3e8"),
    ("medium", "#2853c8"),
    ("high", "#9a6700"),
    ("critical", "#c62828"),
];

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| oversight());
    view! {
        <Frame>
            <h1>"Oversight"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let body = match data.await {
                        Ok(d) => view! { <Dashboard d/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    };
                    view! { {body} <Hydrated/> }
                })}
            </Suspense>
        </Frame>
    }
}

/// Horizontal bars: one row per (label, value), scaled to the largest.
#[component]
fn Bars(id: &'static str, title: &'static str, rows: Vec<(String, u64)>) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let h = 22 * rows.len().max(1) + 4;
    view! {
        <figure class="chart">
            <figcaption id=id>{title}</figcaption>
            <svg role="img" aria-labelledby=id width="560" height=h viewBox=format!("0 0 560 {h}")>
                {rows.into_iter().enumerate().map(|(i, (label, v))| {
                    let y = 22 * i + 2;
                    let w = (380 * v / max).max(u64::from(v > 0));
                    view! {
                        <g>
                            <title>{format!("{label}: {v}")}</title>
                            <text x="0" y=y + 15 font-size="12">{label.clone()}</text>
                            <rect x="130" y=y width=w height="16" fill="#2853c8"></rect>
                            <text x=136 + w y=y + 13 font-size="12">{v}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[component]
fn PendingOverTime(days: Vec<(String, [u64; 4])>) -> impl IntoView {
    let max = days
        .iter()
        .map(|d| d.1.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1);
    view! {
        <figure class="chart">
            <figcaption id="pending-h">"Pending changes at the end of each day, by stakes"</figcaption>
            <svg role="img" aria-labelledby="pending-h" width="560" height="190" viewBox="0 0 560 190">
                {days.into_iter().enumerate().map(|(i, (day, n))| {
                    let x = 10 + 38 * i as u64;
                    let mut top = 160u64;
                    let total: u64 = n.iter().sum();
                    view! {
                        <g>
                            <title>{format!("{day}: {total} pending ({} low, {} medium, {} high, {} critical)", n[0], n[1], n[2], n[3])}</title>
                            {STAKES.iter().zip(n).map(|((_, color), v)| {
                                let h = 150 * v / max;
                                top -= h;
                                view! { <rect x=x y=top width="28" height=h fill=*color></rect> }
                            }).collect_view()}
                            <text x=x y="178" font-size="10">{day}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <p class="legend">{STAKES.iter().map(|(s, c)| view! { <span><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill=*c></rect></svg>" "{*s}</span> }).collect_view()}</p>
        </figure>
    }
}

#[component]
fn Dashboard(d: DashboardView) -> impl IntoView {
    let pending: u64 = d.pending_now.iter().sum();
    view! {
        <section class="requirement">
            <p class="progress"><strong>{format!("{pending} pending now")}</strong>
                {format!(" ({} low, {} medium, {} high, {} critical)", d.pending_now[0], d.pending_now[1], d.pending_now[2], d.pending_now[3])}</p>
            {d.oldest.map(|(id, title, age)| view! {
                <p>"Oldest pending: "<a href=format!("/changes/{id}")>{title}</a>", waiting "<strong>{age}</strong></p>
            })}
        </section>
        <section aria-labelledby="signals-h">
            <h2 id="signals-h">"Signals"</h2>
            {if d.signals.is_empty() {
                view! { <p class="empty">"Nothing unusual in the last 37 days."</p> }.into_any()
            } else {
                view! { <ul class="signals">{d.signals.into_iter().map(|s| view! {
                    <li class=format!("signal {}", s.kind)>{s.text}": "
                        {s.changes.into_iter().map(|c| view! { <a href=format!("/changes/{c}")>{format!("#{c}")}</a>" " }).collect_view()}
                    </li>
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <PendingOverTime days=d.pending_by_day/>
        <Bars id="ttd-h" title="Time from submission to decision (changes decided in the last 37 days)" rows=d.time_to_decision/>
        <Bars id="who-h" title="Approvals per reviewer" rows=d.reviewers.iter().map(|(w, a, _)| (w.clone(), *a)).collect()/>
        <Bars id="rej-h" title="Rejections per reviewer" rows=d.reviewers.iter().map(|(w, _, r)| (w.clone(), *r)).collect()/>
        <Bars id="kind-h" title="Approvals: on the agent's word vs by people" rows=vec![("agent-only".to_owned(), d.agent_only_approvals), ("people".to_owned(), d.human_approvals)]/>
    }
}
