//! The signed-in person's own account: change the password (which signs out every other
//! session of theirs). Works as a plain form post without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    api::ChangePassword,
    pages::{ErrorNote, Frame, Hydrated},
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! { <Frame><Account change/></Frame> }
}

#[component]
fn Account(change: ServerAction<ChangePassword>) -> impl IntoView {
    let query = use_query_map();
    let error = move || change.value().get().and_then(|r| r.err());
    let done = move || {
        matches!(change.value().get(), Some(Ok(()))) || query.read().get("changed").is_some()
    };
    let field = move |name: &'static str| {
        move || {
            error()
                .and_then(|e| e.for_field(name))
                .map(|m| view! { <p class="error" role="alert">{m}</p> })
        }
    };
    let general = move || {
        error()
            .filter(|e| {
                ["current", "new", "confirm"]
                    .iter()
                    .all(|f| e.for_field(f).is_none())
            })
            .map(|e| view! { <ErrorNote error=e/> })
    };
    view! {
        <h1>"Your account"</h1>
        <section class="decide">
            <h2>"Change your password"</h2>
            {move || done().then(|| view! {
                <p class="ok" role="status">"Your password was changed. Your other sessions were signed out."</p>
            })}
            <ActionForm action=change>
                {general}
                <label for="current">"Current password"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                {field("current")}
                <label for="new">"New password"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" minlength="12" required/>
                {field("new")}
                <label for="confirm">"Confirm new password"</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required/>
                {field("confirm")}
                <p class="note">"At least 12 characters; a few unrelated words work well."</p>
                <div class="buttons">
                    <button type="submit" disabled=move || change.pending().get()>"Change password"</button>
                </div>
            </ActionForm>
        </section>
        <Hydrated/>
    }
}
