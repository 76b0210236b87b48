//! The admin console's Agents page: who may submit changes, who owns them, their tokens,
//! signing keys and quarantine. A token just issued is shown once at the top.

use leptos::prelude::*;

use crate::{
    api::{
        AdminAddAgent, AdminAddAgentKey, AdminRevokeAgentKey, AdminRevokeTokens, AdminRotateToken,
        AdminSetAgentOwner, AdminSetQuarantined, admin_agents,
    },
    dto::{AgentRow, AgentsView},
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, refetch_after},
};

#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AdminAddAgent>,
    rotate: ServerAction<AdminRotateToken>,
    revoke: ServerAction<AdminRevokeTokens>,
    owner: ServerAction<AdminSetAgentOwner>,
    quarantine: ServerAction<AdminSetQuarantined>,
    add_key: ServerAction<AdminAddAgentKey>,
    revoke_key: ServerAction<AdminRevokeAgentKey>,
}

impl Actions {
    fn version(&self) -> [usize; 7] {
        [
            self.add_key.version().get(),
            self.revoke_key.version().get(),
            self.add.version().get(),
            self.rotate.version().get(),
            self.revoke.version().get(),
            self.owner.version().get(),
            self.quarantine.version().get(),
        ]
    }

    fn error(&self) -> Option<AppError> {
        [
            self.add.value().get().and_then(|r| r.err()),
            self.rotate.value().get().and_then(|r| r.err()),
            self.revoke.value().get().and_then(|r| r.err()),
            self.owner.value().get().and_then(|r| r.err()),
            self.quarantine.value().get().and_then(|r| r.err()),
            self.add_key.value().get().and_then(|r| r.err()),
            self.revoke_key.value().get().and_then(|r| r.err()),
        ]
        .into_iter()
        .flatten()
        .next()
    }
}

#[component]
pub fn AgentsPage() -> impl IntoView {
    let actions = Actions {
        add: ServerAction::new(),
        rotate: ServerAction::new(),
        revoke: ServerAction::new(),
        owner: ServerAction::new(),
        quarantine: ServerAction::new(),
        add_key: ServerAction::new(),
        revoke_key: ServerAction::new(),
    };
    let view_data = Resource::new(|| (), |_| admin_agents());
    refetch_after(move || view_data.refetch(), move || actions.version());
    view! { <Frame><Agents actions view_data/></Frame> }
}

#[component]
fn Agents(actions: Actions, view_data: Resource<Result<AgentsView, AppError>>) -> impl IntoView {
    view! {
        <h1>"Agents"</h1>
        {move || actions.error().map(|e| view! { <ErrorNote error=e/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match view_data.await {
                    Ok(AgentsView { agents, new_token, can_manage }) => view! {
                        {new_token.map(|t| view! {
                            <div class="ok" role="status">
                                <p>{format!("New API token for {} — copy it now, it is not shown again:", t.agent)}</p>
                                <code class="token">{t.token}</code>
                            </div>
                        })}
                        <table class="people">
                            <thead><tr><th>"Agent"</th><th>"Owner"</th><th>"Status"</th><th>"Tokens"</th><th>"Pending"</th><th>"Signing keys"</th>{can_manage.then(|| view! { <th>"Manage"</th> })}</tr></thead>
                            <tbody>{agents.into_iter().map(|a| view! { <Agent a actions can_manage/> }).collect_view()}</tbody>
                        </table>
                        {can_manage.then(|| view! {
        <section class="decide">
            <h2>"Add an agent"</h2>
            <ActionForm action=actions.add attr:class="stack">
                <label for="agent-name">"Agent name"</label>
                <input id="agent-name" name="name" type="text" autocomplete="off" required/>
                <label for="agent-owner">"Owner (username, optional)"</label>
                <input id="agent-owner" name="owner" type="text" autocomplete="off"/>
                <p class="note">"The owner is responsible for the agent and may never approve its changes."</p>
                <button type="submit">"Add agent"</button>
            </ActionForm>
        </section>
                        })}
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}

#[component]
fn Agent(a: AgentRow, actions: Actions, can_manage: bool) -> impl IntoView {
    let status = if a.quarantined {
        "quarantined"
    } else {
        "active"
    };
    let (q_label, q_to) = if a.quarantined {
        ("Release", "false")
    } else {
        ("Quarantine", "true")
    };
    let (ow, rc, qc) = (
        format!("a{}-ow", a.id),
        format!("a{}-rc", a.id),
        format!("a{}-qc", a.id),
    );
    let pk = format!("a{}-pk", a.id);
    let agent_id = a.id;
    let keys = a.keys.clone();
    view! {
        <tr class:disabled=a.quarantined>
            <td>{a.name.clone()}</td>
            <td>{a.owner.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{status}</td>
            <td>{a.active_tokens}</td>
            <td>{a.pending_changes}</td>
            <td>
                {keys.into_iter().map(|k| view! {
                    <div class="key">
                        <code>{format!("{} {}", k.algorithm, k.fingerprint)}</code>
                        {can_manage.then(|| view! {
                            <ActionForm action=actions.revoke_key attr:class="inline">
                                <input type="hidden" name="agent_id" value=agent_id/>
                                <input type="hidden" name="key_id" value=k.id/>
                                <button type="submit" class="small">"Revoke key"</button>
                            </ActionForm>
                        })}
                    </div>
                }).collect_view()}
            </td>
            {can_manage.then(|| view! {
            <td>
                <details>
                    <summary>{format!("Manage {}", a.name)}</summary>
                    <ActionForm action=actions.owner attr:class="stack">
                        <input type="hidden" name="agent_id" value=a.id/>
                        <label for=ow.clone()>"Owner"</label>
                        <input id=ow name="owner" type="text" value=a.owner.clone().unwrap_or_default()/>
                        <button type="submit">"Set owner"</button>
                    </ActionForm>
                    <ActionForm action=actions.add_key attr:class="stack">
                        <input type="hidden" name="agent_id" value=a.id/>
                        <label for=pk.clone()>"Public key (PEM: Ed25519 or ECDSA P-256)"</label>
                        <textarea id=pk name="public_key" rows="4" required></textarea>
                        <button type="submit">"Add key"</button>
                    </ActionForm>
                    <ActionForm action=actions.rotate attr:class="stack">
                        <input type="hidden" name="agent_id" value=a.id/>
                        <input type="hidden" name="agent_name" value=a.name.clone()/>
                        <label for=rc.clone()>"Your password (to rotate)"</label>
                        <input id=rc name="confirm_password" type="password" autocomplete="current-password" required/>
                        <button type="submit">"Rotate token"</button>
                    </ActionForm>
                    <ActionForm action=actions.revoke attr:class="stack">
                        <input type="hidden" name="agent_id" value=a.id/>
                        <button type="submit">"Revoke all tokens"</button>
                    </ActionForm>
                    <ActionForm action=actions.quarantine attr:class="stack">
                        <input type="hidden" name="agent_id" value=a.id/>
                        <input type="hidden" name="quarantined" value=q_to/>
                        <label for=qc.clone()>{format!("Your password (to {})", q_label.to_lowercase())}</label>
                        <input id=qc name="confirm_password" type="password" autocomplete="current-password" required/>
                        <button type="submit">{q_label}</button>
                    </ActionForm>
                </details>
            </td>
            })}
        </tr>
    }
}
