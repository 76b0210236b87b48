//! The frame around every signed-in page: header, who is signed in, sign out; and the
//! redirect to the sign-in page for anyone who is not.

use countersign_core::Role;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

use crate::{
    api::{Logout, me},
    dto::Me,
    error::AppError,
};

/// Renders `children` for a signed-in user, else redirects to `/login`. The children are
/// rebuilt when the user's data arrives, so pages create their resources and actions
/// outside and pass them in.
#[component]
pub fn Frame(children: ChildrenFn) -> impl IntoView {
    let who = Resource::new(|| (), |_| me());
    let logout = ServerAction::<Logout>::new();
    let children = StoredValue::new(children);
    let location = use_location();
    let on_account = move || location.pathname.get_untracked() == "/account";
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match who.await {
                    Ok(Some(Me { must_change_password: true, .. })) if !on_account() => {
                        view! { <Redirect path="/account"/> }.into_any()
                    }
                    Ok(Some(Me { username, roles, must_change_password })) => {
                        let reads_audit = roles.contains(&Role::Admin) || roles.contains(&Role::Auditor);
                        let roles = roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
                        view! {
                            <header class="top">
                                <a class="brand" href="/">"Countersign"</a>
                                <nav>
                                    <a href="/">"Queue"</a>
                                    {reads_audit.then(|| view! { <a href="/admin">"People"</a><a href="/admin/agents">"Agents"</a><a href="/admin/policy">"Policy"</a><a href="/admin/webhooks">"Webhooks"</a> })}
                                    {reads_audit.then(|| view! { <a href="/dashboard">"Oversight"</a><a href="/audit">"Audit"</a><a href="/audit/history">"History"</a> })}
                                    <a href="/account">"Account"</a>
                                </nav>
                                <span class="who">{username}" · "{roles}</span>
                                <ActionForm action=logout attr:class="inline">
                                    <button type="submit" class="link">"Sign out"</button>
                                </ActionForm>
                            </header>
                            {must_change_password.then(|| view! {
                                <p class="banner" role="status">"Choose your own password before you continue."</p>
                            })}
                            <main class="page">{children.read_value()()}</main>
                        }
                            .into_any()
                    }
                    Ok(None) | Err(AppError::Unauthenticated) => view! { <Redirect path="/login"/> }.into_any(),
                    Err(e) => view! { <main class="page"><ErrorNote error=e/></main> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// An error as a person should read it.
#[component]
pub fn ErrorNote(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert">{error.to_string()}</p> }
}
