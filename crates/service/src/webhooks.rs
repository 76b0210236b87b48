//! Webhooks: an agent registers a callback URL (the secret is shown once); every final
//! status of its changes — approved, rejected, withdrawn, expired — is queued as one
//! delivery per webhook and POSTed as JSON signed per Standard Webhooks (`webhook-id`,
//! `webhook-timestamp`, `webhook-signature`). A failed attempt (no answer, or not 2xx)
//! is retried after each wait in `Services::webhook_backoff`, then given up; admins see
//! every delivery and can replay one.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::Utc;
use countersign_core::{AgentId, ChangeId, ChangeStatus};
use rand::RngCore;

use crate::{
    Admin, Services,
    actor::AgentActor,
    error::{ServiceError, ServiceResult},
    store::{Attempt, DeliveryRecord, WebhookRecord},
};

/// How long a claimed attempt may take before another sender may retry it.
const LEASE: Duration = Duration::from_secs(60);
/// How long one attempt waits for the receiver.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The waits between attempts: six tries over about 1 h 47 min.
pub fn default_backoff() -> Vec<Duration> {
    [5, 30, 120, 600, 1800, 3600]
        .map(Duration::from_secs)
        .to_vec()
}

fn random(prefix: &str, bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    format!(
        "{prefix}{}",
        STANDARD.encode(b).replace(['+', '/', '='], "")
    )
}

/// Registers `url` for the agent; returns the webhook id and its secret (shown once).
pub async fn register(
    svc: &Services,
    agent: &AgentActor,
    url: &str,
) -> ServiceResult<(i64, String)> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|_| ServiceError::invalid("url", "Not a URL."))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(ServiceError::invalid(
            "url",
            "Use an http:// or https:// URL.",
        ));
    }
    let mut key = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let secret = format!("whsec_{}", STANDARD.encode(key));
    let id = svc
        .store
        .create_webhook(agent.id, parsed.as_str(), &secret)
        .await?;
    Ok((id, secret))
}

pub async fn list(svc: &Services, agent: &AgentActor) -> ServiceResult<Vec<WebhookRecord>> {
    Ok(svc.store.webhooks(agent.id).await?)
}

pub async fn delete(svc: &Services, agent: AgentId, id: i64) -> ServiceResult<()> {
    Ok(svc.store.delete_webhook(agent, id).await?)
}

/// Tells waiters a change moved and, when its status is final, queues its webhooks.
pub async fn moved(svc: &Services, id: ChangeId) -> ServiceResult<()> {
    svc.events.moved(id);
    let Some(c) = svc.store.change(id).await? else {
        return Ok(());
    };
    if c.status == ChangeStatus::Pending {
        return Ok(());
    }
    let event = format!("change.{}", c.status);
    let payload = serde_json::json!({
        "type": event,
        "timestamp": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "id": c.id.0, "status": c.status, "stakes": c.stakes, "revision": c.revision,
            "digest": c.digest, "progress": c.progress, "url": svc.change_url(c.id),
        },
    })
    .to_string();
    let queued = svc
        .store
        .enqueue_deliveries(id, &event, &payload, &mut || random("msg_", 18))
        .await?;
    if queued > 0 {
        svc.webhook_wake.notify_one();
    }
    Ok(())
}

/// POSTs one delivery (blocking; run off the async runtime).
fn send(d: &DeliveryRecord) -> Result<u16, (Option<u16>, String)> {
    let ts = Utc::now().timestamp();
    let sig = countersign_core::webhook::sign(&d.secret, &d.message_id, ts, d.payload.as_bytes())
        .ok_or((None, "the webhook secret is unreadable".to_owned()))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(TIMEOUT))
        .build()
        .into();
    let r = agent
        .post(&d.url)
        .header("content-type", "application/json")
        .header("webhook-id", &d.message_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sig)
        .send(d.payload.as_bytes())
        .map_err(|e| (None, e.to_string()))?;
    let status = r.status().as_u16();
    if (200..300).contains(&status) {
        Ok(status)
    } else {
        Err((Some(status), format!("the receiver answered {status}")))
    }
}

/// Attempts every due delivery once; returns how many were attempted.
pub async fn deliver_due(svc: &Services) -> ServiceResult<usize> {
    let now = Utc::now();
    let mut n = 0;
    for d in svc.store.due_deliveries(now, 50).await? {
        let lease = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
        if !svc.store.claim_delivery(d.id, d.attempts, lease).await? {
            continue;
        }
        n += 1;
        let id = d.id;
        let tried = d.attempts as usize;
        let result = tokio::task::spawn_blocking(move || send(&d))
            .await
            .map_err(|e| ServiceError::Internal(e.into()))?;
        let outcome = match result {
            Ok(status) => Attempt::Delivered { status },
            Err((status, error)) => match svc.webhook_backoff.get(tried) {
                Some(wait) => Attempt::Retry {
                    status,
                    error,
                    at: Utc::now() + chrono::Duration::from_std(*wait).unwrap_or_default(),
                },
                None => Attempt::GaveUp { status, error },
            },
        };
        let label = match &outcome {
            Attempt::Delivered { .. } => "delivered",
            Attempt::Retry { .. } => "retry",
            Attempt::GaveUp { .. } => "failed",
        };
        metrics::counter!("countersign_webhook_deliveries_total", "outcome" => label).increment(1);
        svc.store.finish_delivery(id, outcome).await?;
    }
    Ok(n)
}

/// Runs the sender: whenever something is queued, and every second for retries.
pub fn spawn_sender(svc: Services) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&svc).await {
                tracing::warn!(error = %e, "webhook delivery failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), svc.webhook_wake.notified()).await;
        }
    })
}

/// The newest deliveries, for admins.
pub async fn deliveries(svc: &Services, _admin: Admin<'_>) -> ServiceResult<Vec<DeliveryRecord>> {
    Ok(svc.store.deliveries(200).await?)
}

/// Queues a delivery again (an admin, e.g. after the receiver was fixed).
pub async fn replay(svc: &Services, admin: Admin<'_>, id: i64) -> ServiceResult<()> {
    svc.store.replay_delivery(id, admin.user().id).await?;
    svc.webhook_wake.notify_one();
    Ok(())
}
