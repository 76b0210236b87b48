//! Reading the audit trail: auditors and admins, never anyone else.

use countersign_core::audit;

use crate::{
    Services,
    actor::AuditReader,
    error::{ServiceError, ServiceResult},
    store::{AuditFilter, AuditRecord},
};

/// The largest page of audit rows.
pub const MAX_PAGE: i64 = 200;

pub async fn events(
    svc: &Services,
    _reader: AuditReader<'_>,
    mut filter: AuditFilter,
) -> ServiceResult<Vec<AuditRecord>> {
    if filter
        .action
        .as_deref()
        .is_some_and(|a| !audit::is_action(a))
    {
        return Err(ServiceError::invalid("action", "Unknown action."));
    }
    filter.limit = filter.limit.clamp(1, MAX_PAGE);
    Ok(svc.store.audit_events(&filter).await?)
}
