//! A stored change's standing, ready to judge: its recorded requirement and facts, the
//! agent's owner and quarantine, and any admin override. Changes submitted before the
//! policy existed have no record; they are judged under the current policy's rule for
//! their stakes, with no eval gates (their old rule was "one approval approves").

use countersign_core::policy::{ChangeFacts, Requirement, Standing};

use super::{current, standing_of};
use crate::{
    Services,
    error::{ServiceError, ServiceResult},
    store::ChangeRecord,
};

pub async fn standing(svc: &Services, change: &ChangeRecord) -> ServiceResult<Standing> {
    let stored = svc
        .store
        .change_standing(change.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let requirement = match stored.requirement {
        Some(r) => r,
        None => Requirement::new(&current(svc).await?.policy, change.stakes),
    };
    let facts = stored.facts.unwrap_or_else(|| {
        ChangeFacts::unrecorded(
            change.declared_stakes,
            &change.agent_name,
            &change.repository,
        )
    });
    Ok(standing_of(
        requirement,
        &facts,
        &change.digest,
        change.agent_owner.map(|u| u.0),
        change.agent_quarantined,
        stored.overridden,
    ))
}
