//! An agent withdraws its own pending change.

use countersign_core::ChangeId;

use crate::{
    Services,
    actor::AgentActor,
    changes::read::own_change,
    error::{ServiceError, ServiceResult},
    store::{ChangeRecord, StoreError},
};

pub async fn withdraw(
    svc: &Services,
    agent: &AgentActor,
    id: ChangeId,
) -> ServiceResult<ChangeRecord> {
    let change = own_change(svc, agent.id, id).await?;
    if change.status.is_final() {
        return Err(ServiceError::Conflict(format!(
            "the change is already {}",
            change.status
        )));
    }
    match svc.store.withdraw(id, agent.id).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(
                "the change was decided a moment ago".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    crate::webhooks::moved(svc, id).await?;
    own_change(svc, agent.id, id).await
}
