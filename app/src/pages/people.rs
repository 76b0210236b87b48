//! The admin console's People page: who can sign in, with which roles, and the actions
//! on each person. All forms post without JavaScript; errors show once, at the top.

use countersign_core::Role;
use leptos::prelude::*;

use crate::{
    api::{AdminCreatePerson, AdminResetPassword, AdminSetDisabled, AdminSetRoles, admin_people},
    dto::{PeopleView, PersonRow},
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, refetch_after},
};

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<AdminCreatePerson>,
    roles: ServerAction<AdminSetRoles>,
    disable: ServerAction<AdminSetDisabled>,
    reset: ServerAction<AdminResetPassword>,
}

impl Actions {
    fn version(&self) -> (usize, usize, usize, usize) {
        (
            self.create.version().get(),
            self.roles.version().get(),
            self.disable.version().get(),
            self.reset.version().get(),
        )
    }

    fn error(&self) -> Option<AppError> {
        [
            self.create.value().get().and_then(|r| r.err()),
            self.roles.value().get().and_then(|r| r.err()),
            self.disable.value().get().and_then(|r| r.err()),
            self.reset.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

/// Actions and data are created here, once, outside the frame's Suspense: anything made
/// inside it is made again when the frame's own data arrives.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let actions = Actions {
        create: ServerAction::new(),
        roles: ServerAction::new(),
        disable: ServerAction::new(),
        reset: ServerAction::new(),
    };
    let people = Resource::new(|| (), |_| admin_people());
    refetch_after(move || people.refetch(), move || actions.version());
    view! { <Frame><People actions people/></Frame> }
}

#[component]
fn People(actions: Actions, people: Resource<Result<PeopleView, AppError>>) -> impl IntoView {
    view! {
        <h1>"People"</h1>
        {move || actions.error().map(|e| view! { <ErrorNote error=e/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match people.await {
                    Ok(PeopleView { people, can_manage }) => view! {
                        <table class="people">
                            <thead><tr>
                                <th>"Username"</th><th>"Name"</th><th>"Roles"</th><th>"Status"</th><th>"Last sign-in"</th>
                                {can_manage.then(|| view! { <th>"Manage"</th> })}
                            </tr></thead>
                            <tbody>{people.into_iter().map(|p| view! { <Person p actions can_manage/> }).collect_view()}</tbody>
                        </table>
                        {can_manage.then(|| view! { <CreatePerson action=actions.create/> })}
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

fn role_boxes(prefix: String, have: Vec<Role>) -> impl IntoView {
    Role::ALL
        .iter()
        .map(|r| {
            let id = format!("{prefix}-{}", r.as_str());
            let name = format!("role_{}", r.as_str());
            let label = match r {
                Role::Reviewer => "Reviewer",
                Role::Admin => "Admin",
                Role::Auditor => "Auditor",
            };
            view! {
                <span class="check">
                    <input type="checkbox" id=id.clone() name=name value="on" checked=have.contains(r)/>
                    <label for=id>{label}</label>
                </span>
            }
        })
        .collect_view()
}

#[component]
fn Person(p: PersonRow, actions: Actions, can_manage: bool) -> impl IntoView {
    let status = if p.disabled {
        "disabled"
    } else if p.must_change_password {
        "must choose a password"
    } else {
        "active"
    };
    let roles = p
        .roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let prefix = format!("p{}", p.id);
    let (rc, tp, pc) = (
        format!("{prefix}-rc"),
        format!("{prefix}-tp"),
        format!("{prefix}-pc"),
    );
    let boxes = role_boxes(prefix, p.roles.clone());
    let (toggle_label, toggle_to) = if p.disabled {
        ("Enable", "false")
    } else {
        ("Disable", "true")
    };
    view! {
        <tr class:disabled=p.disabled>
            <td>{p.username.clone()}</td>
            <td>{p.display_name.clone()}</td>
            <td>{roles}</td>
            <td>{status}</td>
            <td>{p.last_login.clone().unwrap_or_else(|| "never".into())}</td>
            {can_manage.then(|| view! {
            <td>
                <details>
                    <summary>{format!("Manage {}", p.username)}</summary>
                    <ActionForm action=actions.roles attr:class="stack" attr:aria-label=format!("Roles of {}", p.username)>
                        <input type="hidden" name="user_id" value=p.id/>
                        <div>{boxes}</div>
                        <label for=rc.clone()>"Your password (to grant admin)"</label>
                        <input id=rc name="confirm_password" type="password" autocomplete="current-password"/>
                        <button type="submit">"Save roles"</button>
                    </ActionForm>
                    <ActionForm action=actions.disable attr:class="stack">
                        <input type="hidden" name="user_id" value=p.id/>
                        <input type="hidden" name="disabled" value=toggle_to/>
                        <button type="submit">{toggle_label}</button>
                    </ActionForm>
                    <ActionForm action=actions.reset attr:class="stack" attr:aria-label=format!("Reset password of {}", p.username)>
                        <input type="hidden" name="user_id" value=p.id/>
                        <label for=tp.clone()>"Temporary password"</label>
                        <input id=tp name="temporary_password" type="password" autocomplete="new-password" required/>
                        <label for=pc.clone()>"Your password"</label>
                        <input id=pc name="confirm_password" type="password" autocomplete="current-password" required/>
                        <button type="submit">"Reset password"</button>
                    </ActionForm>
                </details>
            </td>
            })}
        </tr>
    }
}

#[component]
fn CreatePerson(action: ServerAction<AdminCreatePerson>) -> impl IntoView {
    view! {
        <section class="decide">
            <h2>"Add a person"</h2>
            <ActionForm action=action attr:class="stack">
                <label for="new-username">"Username"</label>
                <input id="new-username" name="username" type="text" autocomplete="off" required/>
                <label for="new-display-name">"Display name"</label>
                <input id="new-display-name" name="display_name" type="text" autocomplete="off"/>
                <div>{role_boxes("new".into(), vec![Role::Reviewer])}</div>
                <label for="new-initial-password">"Initial password"</label>
                <input id="new-initial-password" name="initial_password" type="password" autocomplete="new-password" required/>
                <p class="note">"They must choose their own password when they first sign in."</p>
                <label for="new-confirm">"Your password (to grant admin)"</label>
                <input id="new-confirm" name="confirm_password" type="password" autocomplete="current-password"/>
                <button type="submit">"Add person"</button>
            </ActionForm>
        </section>
    }
}
