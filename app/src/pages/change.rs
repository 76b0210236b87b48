//! The change page: what was submitted, its evals, the decisions so far, and for a
//! reviewer on a pending change the decision form (password-confirmed).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{Decide, OverrideEvals, SetDiffLayout, change_view},
    dto::{ChangeView, DecisionView, DiffLayout},
    pages::{
        ErrorNote, Frame, Hydrated,
        diff::DiffSection,
        evals::EvalTable,
        provenance::{ProvenanceBadge, ProvenanceSection},
        refetch_after,
        requirement::{OverrideForm, RequirementSection},
    },
};

#[component]
pub fn ChangePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let show = move || {
        query
            .read()
            .get("show")
            .and_then(|s| s.parse::<usize>().ok())
    };
    let decide = ServerAction::<Decide>::new();
    let override_evals = ServerAction::<OverrideEvals>::new();
    let set_layout = ServerAction::<SetDiffLayout>::new();
    let change = Resource::new(
        move || (id(), show()),
        |(id, show)| async move {
            match id {
                Some(id) => change_view(id, show).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    refetch_after(
        move || change.refetch(),
        move || (decide.version().get(), override_evals.version().get()),
    );
    view! { <Frame><Change change decide override_evals set_layout/></Frame> }
}

/// The layout to show: the one being chosen right now, else the one just saved, else the
/// one the server read from the viewer's cookie.
fn layout_signal(set_layout: ServerAction<SetDiffLayout>, saved: DiffLayout) -> Signal<DiffLayout> {
    Signal::derive(move || {
        set_layout
            .input()
            .get()
            .and_then(|i| DiffLayout::parse(&i.layout))
            .or_else(|| set_layout.value().get().and_then(Result::ok))
            .unwrap_or(saved)
    })
}

#[component]
fn Change(
    change: Resource<Result<ChangeView, crate::error::AppError>>,
    decide: ServerAction<Decide>,
    override_evals: ServerAction<OverrideEvals>,
    set_layout: ServerAction<SetDiffLayout>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match change.await {
                    Ok(c) => view! { <ChangeBody c decide override_evals set_layout/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

#[component]
fn ChangeBody(
    c: ChangeView,
    decide: ServerAction<Decide>,
    override_evals: ServerAction<OverrideEvals>,
    set_layout: ServerAction<SetDiffLayout>,
) -> impl IntoView {
    let layout = layout_signal(set_layout, c.layout);
    let diff = c.diff.clone();
    let evals = c.evals.clone();
    let decisions = c.decisions.clone();
    view! {
        <h1>{c.title.clone()}</h1>
        <dl class="facts">
            <dt>"Status"</dt><dd class=format!("status {}", c.status)>{c.status.as_str()}</dd>
            <dt>"Stakes"</dt><dd><span class=format!("stakes {}", c.stakes)>{c.stakes.as_str()}</span></dd>
            <dt>"Repository"</dt><dd>{c.repository.clone()}{c.base.clone().map(|b| format!(" @ {b}"))}</dd>
            <dt>"Agent"</dt><dd>{c.agent.clone()}</dd>
            <dt>"Submitted"</dt><dd>{c.submitted.clone()}</dd>
            <dt>"Revision"</dt><dd>{c.revision}</dd>
            <dt>"Digest"</dt><dd><code class="digest">{c.digest.clone()}</code></dd>
            <dt>"Provenance"</dt><dd><ProvenanceBadge reports=c.provenance.clone()/></dd>
        </dl>
        {c.description.clone().map(|d| view! { <section><h2>"Description"</h2><p class="description">{d}</p></section> })}
        <RequirementSection p=c.policy.clone() stakes=c.stakes overridden=c.overridden.clone()/>
        {c.can_override.then(|| view! { <OverrideForm change_id=c.id action=override_evals/> })}
        <EvalTable evals/>
        <ProvenanceSection reports=c.provenance.clone()/>
        <DiffSection diff layout set_layout/>
        <section>
            <h2>"Decisions"</h2>
            {if decisions.is_empty() {
                view! { <p class="empty">"No decisions yet."</p> }.into_any()
            } else {
                view! { <ul class="decisions">{decisions.into_iter().map(|d| view! { <Decision d/> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <DecisionSection c=c.clone() decide/>
    }
}

#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    view! {
        <li class=format!("decision {}", d.verdict.as_str()) class:stale=d.stale>
            <strong>{d.reviewer}</strong>" "
            <span class="verdict">{match d.verdict { countersign_core::Verdict::Approve => "approved", countersign_core::Verdict::Reject => "rejected" }}</span>
            " revision "{d.revision}" at "{d.at}
            {d.stale.then(|| view! { " " <span class="tag stale" title="Made on an earlier revision's content; it no longer counts">"stale"</span> })}
            {d.system_reason.map(|r| view! { <p class="note">"By the system: "{r}</p> })}
            {d.signature.map(|sig| view! {
                <details class="signature">
                    <summary class:bad=!d.signature_ok>{sig}</summary>
                    {d.log.map(|l| view! { <p class="note log-inclusion">{l}</p> })}
                    <pre class="raw">{d.envelope.unwrap_or_default()}</pre>
                </details>
            })}
            {d.comment.map(|c| view! { <blockquote>{c}</blockquote> })}
            <code class="digest">{d.digest}</code>
        </li>
    }
}

#[component]
fn DecisionSection(c: ChangeView, decide: ServerAction<Decide>) -> impl IntoView {
    let error = move || decide.value().get().and_then(|r| r.err());
    let field_error = move |name: &'static str| move || error().and_then(|e| e.for_field(name));
    let general_error = move || {
        error().filter(|e| e.for_field("comment").is_none() && e.for_field("password").is_none())
    };
    if !c.can_decide {
        return view! {
            <section class="decide">
                {move || general_error().map(|e| view! { <ErrorNote error=e/> })}
                <p class="note">{c.why_not.clone()}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="decide">
            <h2>"Your decision"</h2>
            {c.agent_quarantined.then(|| view! {
                <p class="banner" role="status">"The agent that submitted this change is quarantined: it can be rejected, not approved."</p>
            })}
            <ActionForm action=decide>
                {move || general_error().map(|e| view! { <ErrorNote error=e/> })}
                <input type="hidden" name="change_id" value=c.id/>
                <input type="hidden" name="revision" value=c.revision/>
                <input type="hidden" name="opened_at" value=c.opened_at/>
                <label for="comment">"Comment"</label>
                <textarea id="comment" name="comment" rows="3" placeholder="Required to reject"></textarea>
                {move || field_error("comment")().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password"/>
                {move || field_error("password")().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                <div class="buttons">
                    {(!c.agent_quarantined).then(|| view! {
                        <button type="submit" name="verdict" value="approve" class="approve" disabled=move || decide.pending().get()>"Approve"</button>
                    })}
                    <button type="submit" name="verdict" value="reject" class="reject" disabled=move || decide.pending().get()>"Reject"</button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
