//! An admin overrides failing (or missing) required evals on a pending change, with a
//! written justification, confirmed with their password. Only where the change's tier
//! allows it (the default critical tier does not). The override is recorded on the
//! change and in the audit trail, and the change still needs its approvals: an override
//! removes a gate, it approves nothing by itself.

use countersign_core::{ChangeId, policy::required_gaps};

use crate::{
    Admin, Password, Services,
    admin::reconfirm,
    error::{ServiceError, ServiceResult},
    stakes,
    store::StoreError,
};

/// The shortest accepted justification: a reason, not a shrug.
pub const MIN_JUSTIFICATION: usize = 20;

pub async fn override_evals(
    svc: &Services,
    admin: Admin<'_>,
    id: ChangeId,
    justification: &str,
    confirm: Option<&Password>,
) -> ServiceResult<countersign_core::ChangeStatus> {
    let justification = justification.trim();
    if justification.chars().count() < MIN_JUSTIFICATION {
        return Err(ServiceError::invalid(
            "justification",
            "Say why the failing evals may be ignored (at least 20 characters).",
        ));
    }
    if justification.chars().count() > super::MAX_COMMENT {
        return Err(ServiceError::invalid(
            "justification",
            "The justification is too long.",
        ));
    }
    reconfirm(svc, admin, confirm).await?;
    let change = svc.store.change(id).await?.ok_or(ServiceError::NotFound)?;
    if change.status.is_final() {
        return Err(ServiceError::Conflict(format!(
            "This change is already {}.",
            change.status
        )));
    }
    let standing = stakes::standing(svc, &change).await?;
    if !standing.requirement.rule.allow_override {
        return Err(ServiceError::Forbidden(
            "This change's tier allows no override: its required evals must pass.",
        ));
    }
    if standing.gates.overridden {
        return Err(ServiceError::Conflict(
            "The failing evals on this change were already overridden.".into(),
        ));
    }
    let (missing, failing) = required_gaps(
        &standing.requirement.rule.required_evals,
        &standing.gates.evals,
    );
    if missing.is_empty() && failing.is_empty() {
        return Err(ServiceError::Conflict(
            "No required eval is failing or missing; there is nothing to override.".into(),
        ));
    }
    let progress = match svc
        .store
        .override_evals(id, admin.user().id, justification, &standing)
        .await
    {
        Ok(p) => p,
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(
                "The change was decided or revised a moment ago; read it again.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    crate::webhooks::moved(svc, id).await?;
    Ok(countersign_core::policy::status_of(progress.outcome))
}
