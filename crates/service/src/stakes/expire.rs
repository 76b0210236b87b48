//! Pending changes whose tier sets an expiry become `expired` when it passes, so an agent
//! waiting on a change nobody reviews gets an answer (exit code 3 from the CLI) instead
//! of waiting forever. A background task checks once a minute; every instance may run
//! it, since each expiry is a compare-and-set on the pending status.

use std::time::Duration;

use chrono::Utc;
use countersign_core::ChangeId;

use crate::{Services, error::ServiceResult};

pub async fn expire_due(svc: &Services) -> ServiceResult<Vec<ChangeId>> {
    expire_at(svc, Utc::now()).await
}

/// Expires what is due at `now`, each expiry signed by the system key.
pub async fn expire_at(svc: &Services, now: chrono::DateTime<Utc>) -> ServiceResult<Vec<ChangeId>> {
    let key = crate::tlog::system_key(svc).await?;
    let ids = svc.store.expire_due(now, Some(&key.key)).await?;
    for id in &ids {
        crate::webhooks::moved(svc, *id).await?;
    }
    if !ids.is_empty() {
        metrics::counter!("countersign_changes_expired_total").increment(ids.len() as u64);
    }
    Ok(ids)
}

/// Runs [`expire_due`] every `every` until the runtime shuts down.
pub fn spawn_expiry(svc: Services, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = expire_due(&svc).await {
                tracing::warn!(error = %e, "expiring pending changes failed");
            }
        }
    })
}
