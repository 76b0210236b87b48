//! The webhook delivery log: admins and auditors read it; admins replay a delivery.

use leptos::prelude::*;

use crate::{dto::DeliveryRow, error::AppError};

#[server(prefix = "/rpc")]
pub async fn webhook_deliveries() -> Result<(Vec<DeliveryRow>, bool), AppError> {
    use crate::ssr::{capability, fail, require_user, services, timestamp};

    let user = require_user().await?;
    capability(
        user.as_audit_reader(),
        &user,
        "Only admins and auditors see webhook deliveries.",
    )?;
    let svc = services()?;
    let rows = svc
        .store
        .deliveries(200)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok((
        rows.into_iter()
            .map(|d| DeliveryRow {
                id: d.id,
                agent: d.agent,
                url: d.url,
                event: d.event,
                change_id: d.change_id.0,
                state: d.state,
                attempts: d.attempts,
                last_status: d.last_status,
                last_error: d.last_error,
                created: timestamp(d.created_at),
                next: timestamp(d.next_attempt_at),
            })
            .collect(),
        user.as_admin().is_some(),
    ))
}

#[server(prefix = "/rpc")]
pub async fn replay_delivery(delivery_id: i64) -> Result<(), AppError> {
    use countersign_service::webhooks;

    use crate::ssr::{capability, fail, require_user, services};

    let user = require_user().await?;
    let admin = capability(user.as_admin(), &user, "Only admins replay deliveries.")?;
    webhooks::replay(&services()?, admin, delivery_id)
        .await
        .map_err(fail)
}
