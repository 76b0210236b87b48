//! What the stakes policy asks of a change, on its page: the tier and the rules that set
//! it, the requirement, how far the decisions have got, and what still blocks it.

use leptos::prelude::*;

use crate::dto::PolicyView;

#[component]
pub fn RequirementSection(p: PolicyView, stakes: countersign_core::Stakes) -> impl IntoView {
    let raised = p.declared != stakes;
    view! {
        <section class="requirement" aria-labelledby="requirement-h">
            <h2 id="requirement-h">"What this change needs"</h2>
            <p class="progress"><strong>{p.progress.clone()}</strong></p>
            <p class="rule">{p.requirement}</p>
            {(!p.blocked.is_empty()).then(|| view! {
                <ul class="blocked">{p.blocked.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}</ul>
            })}
            <details open=raised>
                <summary>{if raised {
                    format!("Tier {stakes}: raised from the declared {}", p.declared)
                } else {
                    format!("Tier {stakes}, as declared")
                }}</summary>
                <ul class="reasons">{p.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                {p.version.map(|v| view! { <p class="note">"Policy version "<code class="digest">{v}</code></p> })}
            </details>
            {p.expires.map(|e| view! { <p class="note">"Expires "{e}" unless decided."</p> })}
        </section>
    }
}
