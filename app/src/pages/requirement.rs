//! What the stakes policy asks of a change, on its page: the tier and the rules that set
//! it, the requirement, how far the decisions have got, and what still blocks it.

use leptos::prelude::*;

use crate::{api::OverrideEvals, dto::PolicyView, pages::ErrorNote};

#[component]
pub fn RequirementSection(
    p: PolicyView,
    stakes: countersign_core::Stakes,
    overridden: Option<String>,
) -> impl IntoView {
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
            {overridden.map(|o| view! { <p class="banner" role="status">{o}</p> })}
            {p.expires.map(|e| view! { <p class="note">"Expires "{e}" unless decided."</p> })}
        </section>
    }
}

/// An admin's override of failing required evals: a written justification and their
/// password. The change still needs its approvals afterwards.
#[component]
pub fn OverrideForm(change_id: i64, action: ServerAction<OverrideEvals>) -> impl IntoView {
    let error = move || action.value().get().and_then(|r| r.err());
    view! {
        <section class="decide">
            <h2>"Override the failing evals"</h2>
            <p class="note">"As an admin you may let this change through its failing required evals. Your justification is recorded with the change and in the audit trail; the approvals are still needed."</p>
            <ActionForm action>
                {move || error().map(|e| view! { <ErrorNote error=e/> })}
                <input type="hidden" name="change_id" value=change_id/>
                <label for="justification">"Justification"</label>
                <textarea id="justification" name="justification" rows="2" minlength="20" required></textarea>
                <label for="override-password">"Your password"</label>
                <input id="override-password" name="confirm_password" type="password" autocomplete="current-password"/>
                <div class="buttons"><button type="submit" class="reject">"Override"</button></div>
            </ActionForm>
        </section>
    }
}
