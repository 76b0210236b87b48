//! The webhook delivery log (`/admin/webhooks`): every delivery with its state, attempts
//! and last answer; admins replay one (a form post, so it works without JavaScript).

use leptos::prelude::*;

use crate::{
    api::{ReplayDelivery, webhook_deliveries},
    dto::DeliveryRow,
    error::AppError,
    pages::{ErrorNote, Frame, Hydrated, refetch_after},
};

type Deliveries = Resource<Result<(Vec<DeliveryRow>, bool), AppError>>;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let replay = ServerAction::<ReplayDelivery>::new();
    let rows: Deliveries = Resource::new(|| (), |_| webhook_deliveries());
    refetch_after(move || rows.refetch(), move || replay.version().get());
    view! { <Frame><Webhooks rows replay/></Frame> }
}

#[component]
fn Webhooks(rows: Deliveries, replay: ServerAction<ReplayDelivery>) -> impl IntoView {
    view! {
        <h1>"Webhook deliveries"</h1>
        {move || replay.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let body = match rows.await {
                    Ok((rows, _)) if rows.is_empty() => view! { <p class="empty">"No deliveries yet."</p> }.into_any(),
                    Ok((rows, can_replay)) => view! {
                        <table class="audit">
                            <thead><tr><th>"Queued"</th><th>"Agent"</th><th>"Event"</th><th>"URL"</th><th>"State"</th><th>"Attempts"</th><th>"Last answer"</th><th></th></tr></thead>
                            <tbody>{rows.into_iter().map(|d| view! {
                                <tr>
                                    <td>{d.created}</td>
                                    <td>{d.agent}</td>
                                    <td><a href=format!("/changes/{}", d.change_id)>{d.event}</a></td>
                                    <td><code>{d.url}</code></td>
                                    <td class:bad=d.state == "failed">{d.state.clone()}{(d.state == "pending").then(|| format!(" (next {})", d.next))}</td>
                                    <td>{d.attempts}</td>
                                    <td>{d.last_status.map(|s| s.to_string()).or(d.last_error).unwrap_or_default()}</td>
                                    <td>{can_replay.then(|| view! {
                                        <ActionForm action=replay>
                                            <input type="hidden" name="delivery_id" value=d.id/>
                                            <button type="submit" class="secondary">"Replay"</button>
                                        </ActionForm>
                                    })}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                };
                view! { {body} <Hydrated/> }
            })}
        </Suspense>
    }
}
