//! Provenance cards: for each attestation, what it is, what it says (builder, source,
//! parameters, dependencies, subjects), who signed it, and which checks held — with the
//! status a reviewer reads first. The change's header shows the weakest status.

use countersign_core::provenance::{
    Outcome,
    report::{Report, Status},
};
use leptos::prelude::*;

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Verified => "verified",
        Status::UnknownKey => "unknown-key",
        Status::Invalid => "invalid",
        Status::Unsigned => "unsigned",
    }
}

/// The header's one-line summary: how many, and the weakest status.
#[component]
pub fn ProvenanceBadge(reports: Vec<Report>) -> impl IntoView {
    let weakest = reports.iter().map(|r| r.status).min();
    match weakest {
        None => view! { <span class="muted">"none"</span> }.into_any(),
        Some(w) => view! {
            <a href="#provenance">{reports.len()}" — "</a>
            <span class=format!("prov-status {}", status_class(w))>{w.label()}</span>
        }
        .into_any(),
    }
}

fn fact(label: &'static str, value: Option<String>) -> impl IntoView {
    value.map(|v| view! { <dt>{label}</dt><dd><code>{v}</code></dd> })
}

#[component]
pub fn ProvenanceSection(reports: Vec<Report>) -> impl IntoView {
    if reports.is_empty() {
        return view! { <section id="provenance"><h2>"Provenance"</h2><p class="empty">"No attestations were submitted."</p></section> }.into_any();
    }
    let cards = reports
        .into_iter()
        .enumerate()
        .map(|(i, r)| view! { <Card index=i r/> })
        .collect_view();
    view! { <section id="provenance"><h2>"Provenance"</h2><div class="prov-cards">{cards}</div></section> }.into_any()
}

#[component]
fn Card(index: usize, r: Report) -> impl IntoView {
    let s = r.summary.clone().unwrap_or_default();
    let kind = if s.kind.is_empty() {
        r.format.clone()
    } else {
        format!("{} in a {}", s.kind, r.format)
    };
    let source = s.source.clone().map(|src| match &s.commit {
        Some(c) => format!("{src} @ {c}"),
        None => src,
    });
    let subjects = s
        .subjects
        .iter()
        .map(|sub| {
            let d = sub.digests.iter().map(|(a, v)| format!("{a}:{v}")).collect::<Vec<_>>().join(" ");
            view! { <li><span class="name">{if sub.name.is_empty() { "(unnamed)".to_owned() } else { sub.name.clone() }}</span>" "<code class="digest">{d}</code></li> }
        })
        .collect_view();
    let checks = r
        .checks
        .iter()
        .map(|c| {
            let (mark, class) = match c.outcome {
                Outcome::Pass => ("✓", "pass"),
                Outcome::Fail => ("✗", "fail"),
                Outcome::Missing => ("–", "missing"),
            };
            view! { <li class=class><span class="mark" aria-hidden="true">{mark}</span>" "<strong>{c.name.clone()}</strong>": "{c.detail.clone()}</li> }
        })
        .collect_view();
    view! {
        <article class=format!("prov-card {}", status_class(r.status)) id=format!("attestation-{index}")>
            <header>
                <span class=format!("prov-status {}", status_class(r.status))>{r.status.label()}</span>
                <span class="prov-kind">{kind}</span>
            </header>
            {(r.status != Status::Verified).then(|| view! { <p class="reason">{r.reason.clone()}</p> })}
            <dl class="facts">
                {fact("Builder", s.builder_id.clone())}
                {fact("Build type", s.build_type.clone())}
                {fact("Source", source)}
                {fact("Result", s.result.clone())}
                {fact("Signed by", r.signer.clone())}
            </dl>
            {(!s.subjects.is_empty()).then(|| view! { <h3>"Subjects"</h3><ul class="subjects">{subjects}</ul> })}
            {(!s.dependencies.is_empty()).then(|| view! {
                <details><summary>{format!("{} resolved dependencies", s.dependencies.len())}</summary>
                    <ul class="deps">{s.dependencies.iter().map(|d| view! { <li><code>{d.clone()}</code></li> }).collect_view()}</ul>
                </details>
            })}
            {s.parameters.clone().map(|p| view! { <details><summary>"Parameters"</summary><pre>{p}</pre></details> })}
            <ul class="checks">{checks}</ul>
        </article>
    }
}
