//! Long-poll: answer as soon as a change leaves `pending`, or when the wait runs out.
//!
//! A waiter sleeps on the in-process change events (no CPU while it waits) and rechecks
//! the database every 5 s (one row by primary key), which covers decisions made by another
//! app instance.

use std::time::Duration;

use countersign_core::ChangeId;
use tokio::{
    sync::broadcast::error::RecvError,
    time::{Instant, sleep_until, timeout},
};

use crate::{
    Services,
    actor::AgentActor,
    changes::read::{ChangeDetail, agent_change, own_change},
    error::ServiceResult,
};

/// The longest a single long-poll may wait.
pub const MAX_WAIT_SECONDS: u64 = 60;
const RECHECK: Duration = Duration::from_secs(5);

pub async fn wait_for_decision(
    svc: &Services,
    agent: &AgentActor,
    id: ChangeId,
    wait: Duration,
) -> ServiceResult<ChangeDetail> {
    let deadline = Instant::now() + wait.min(Duration::from_secs(MAX_WAIT_SECONDS));
    // Subscribe before the first read, so a decision between the two is not missed.
    let mut events = svc.events.subscribe();
    loop {
        // The recheck reads the change's row alone; the whole detail (revision, decisions,
        // the policy's judgement) only once there is something to answer with.
        let row = own_change(svc, agent.id, id).await?;
        if row.status.is_final() || Instant::now() >= deadline {
            return agent_change(svc, agent, id).await;
        }
        let next_check = (Instant::now() + RECHECK).min(deadline);
        loop {
            match timeout(
                next_check.saturating_duration_since(Instant::now()),
                events.recv(),
            )
            .await
            {
                Ok(Ok(moved)) if moved != id => continue,
                // No sender any more (shutting down): fall back to the timer alone.
                Ok(Err(RecvError::Closed)) => {
                    sleep_until(next_check).await;
                    break;
                }
                // Our change moved, we lagged behind, or the timer fired: read again.
                Ok(_) | Err(_) => break,
            }
        }
    }
}
