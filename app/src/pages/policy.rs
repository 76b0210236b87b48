//! The stakes policy page (`/admin/policy`): the version in force and its history for
//! admins and auditors; for admins, a draft editor whose preview says what each pending
//! change would need before anything is saved. Saving asks for the admin's password.
//! Every form posts without JavaScript; the draft waits in the session between steps.

use leptos::prelude::*;

use crate::{
    api::{DiscardPolicyDraft, PreviewPolicy, SavePolicy, policy_page},
    dto::{PolicyPageView, PolicyPreviewRow},
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, refetch_after},
};

#[derive(Clone, Copy)]
struct Actions {
    preview: ServerAction<PreviewPolicy>,
    save: ServerAction<SavePolicy>,
    discard: ServerAction<DiscardPolicyDraft>,
}

impl Actions {
    fn error(&self) -> Option<AppError> {
        [
            self.preview.value().get().and_then(|r| r.err()),
            self.save.value().get().and_then(|r| r.err()),
            self.discard.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let actions = Actions {
        preview: ServerAction::new(),
        save: ServerAction::new(),
        discard: ServerAction::new(),
    };
    let page = Resource::new(|| (), |_| policy_page());
    refetch_after(
        move || page.refetch(),
        move || {
            (
                actions.preview.version().get(),
                actions.save.version().get(),
                actions.discard.version().get(),
            )
        },
    );
    view! { <Frame><Policy actions page/></Frame> }
}

#[component]
fn Policy(actions: Actions, page: Resource<Result<PolicyPageView, AppError>>) -> impl IntoView {
    view! {
        <h1>"Stakes policy"</h1>
        {move || actions.error().map(|e| view! { <ErrorNote error=e/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match page.await {
                    Ok(p) => view! { <PolicyBody p actions/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

#[component]
fn PolicyBody(p: PolicyPageView, actions: Actions) -> impl IntoView {
    let next = p.history.first().map_or(1, |h| h.version + 1);
    view! {
        {p.saved.map(|v| view! {
            <p class="ok" role="status">{format!("Saved as version {v}. Pending changes it asks more of now need that; none needs less.")}</p>
        })}
        <p>"Version "<strong>{p.version}</strong>" is in force: "<code class="digest">{p.hash.clone()}</code>
            ". Every field is described in "<code>"docs/policy.md"</code>"."</p>
        {if p.can_edit {
            let text = p.draft.clone().unwrap_or_else(|| p.text.clone());
            view! {
                <section class="decide">
                    <h2>{if p.draft.is_some() { "Your draft" } else { "Edit" }}</h2>
                    <ActionForm action=actions.preview>
                        <label for="policy-text">"Policy (TOML)"</label>
                        <textarea id="policy-text" name="text" class="policy" rows="24" spellcheck="false">{text}</textarea>
                        <div class="buttons"><button type="submit">"Preview"</button></div>
                    </ActionForm>
                </section>
                {p.draft.clone().zip(p.preview.clone()).map(|(draft, rows)| view! {
                    <Preview rows/>
                    <section class="decide">
                        <h2>"Save the draft"</h2>
                        <ActionForm action=actions.save>
                            <input type="hidden" name="text" value=draft/>
                            <label for="confirm-password">"Your password"</label>
                            <input id="confirm-password" name="confirm_password" type="password" autocomplete="current-password"/>
                            <div class="buttons">
                                <button type="submit">{format!("Save as version {next}")}</button>
                            </div>
                        </ActionForm>
                        <ActionForm action=actions.discard>
                            <button type="submit" class="secondary">"Discard the draft"</button>
                        </ActionForm>
                    </section>
                })}
            }.into_any()
        } else {
            view! { <pre class="policy">{p.text.clone()}</pre> }.into_any()
        }}
        <section>
            <h2>"History"</h2>
            <table class="audit">
                <thead><tr><th>"Version"</th><th>"Saved"</th><th>"By"</th><th>"SHA-256"</th></tr></thead>
                <tbody>{p.history.into_iter().map(|h| view! {
                    <tr><td>{h.version}</td><td>{h.at}</td><td>{h.by}</td><td><code class="digest">{h.hash}</code></td></tr>
                }).collect_view()}</tbody>
            </table>
        </section>
    }
}

#[component]
fn Preview(rows: Vec<PolicyPreviewRow>) -> impl IntoView {
    let changed = rows.iter().filter(|r| r.changed).count();
    view! {
        <section aria-labelledby="preview-h">
            <h2 id="preview-h">"With this draft"</h2>
            <p class="preview-summary">{format!(
                "{} pending change{}; {changed} would need more than now. None would need less: a change in flight keeps the stricter requirement.",
                rows.len(), if rows.len() == 1 { "" } else { "s" }
            )}</p>
            <table class="preview">
                <thead><tr><th>"Change"</th><th>"Needs now"</th><th>"With the draft"</th></tr></thead>
                <tbody>{rows.into_iter().map(|r| view! {
                    <tr class:changed=r.changed>
                        <td><a href=format!("/changes/{}", r.id)>{r.title}</a></td>
                        <td>{r.now}</td>
                        <td>{r.after}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        </section>
    }
}
