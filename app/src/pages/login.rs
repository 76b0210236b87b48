//! The sign-in page. A plain form post without JavaScript; with it, the same server fn is
//! called in place and the router follows the redirect.

use leptos::prelude::*;

use crate::{
    api::Login,
    pages::{ErrorNote, Hydrated},
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let error = move || login.value().get().and_then(|r| r.err());
    view! {
        <main class="login">
            <h1>"Countersign"</h1>
            <p class="tagline">"Human sign-off for high-stakes changes made by AI agents."</p>
            <ActionForm action=login>
                {move || error().map(|e| view! { <ErrorNote error=e/> })}
                <label for="username">"Username"</label>
                <input id="username" name="username" type="text" autocomplete="username" required/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" disabled=move || login.pending().get()>"Sign in"</button>
            </ActionForm>
            <Hydrated/>
        </main>
    }
}
