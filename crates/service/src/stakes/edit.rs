//! Admins edit the policy: preview what a new version would make each pending change
//! need, then save it. Saving never lowers the bar on a change in flight: each pending
//! change keeps the stricter of its recorded requirement and the new one.

use countersign_core::policy::{Policy, Requirement};

use super::{current, expiry, standing_of};
use crate::{
    Admin, AuditReader, Password, Services,
    admin::reconfirm,
    error::{ServiceError, ServiceResult},
    store::{PendingStanding, PolicyRecord, Restanding},
};

/// The longest accepted policy document.
pub const MAX_POLICY: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub id: countersign_core::ChangeId,
    pub title: String,
    /// What the change needs now, and what it would need with the new version.
    pub now: String,
    pub after: String,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPreview {
    pub hash: String,
    pub rows: Vec<PreviewRow>,
}

fn parse(text: &str) -> ServiceResult<Policy> {
    if text.len() > MAX_POLICY {
        return Err(ServiceError::invalid(
            "policy",
            "The policy is too long (64 KiB at most).",
        ));
    }
    Policy::parse(text).map_err(|e| ServiceError::invalid("policy", &e.to_string()))
}

/// A pending change's recorded requirement and the one it would hold under `new`.
async fn next(
    svc: &Services,
    p: &PendingStanding,
    new: &Policy,
) -> ServiceResult<(Requirement, Requirement, Vec<String>)> {
    let recorded = match &p.requirement {
        Some(r) => r.clone(),
        None => Requirement::new(
            &current(svc).await?.policy,
            countersign_core::Stakes::Medium,
        ),
    };
    let (proposed, reasons) = match &p.facts {
        Some(f) => {
            let a = f.assess(new);
            (a.requirement, a.tiering.reasons)
        }
        None => (Requirement::new(new, recorded.tier), Vec::new()),
    };
    Ok((recorded.clone(), recorded.stricter(&proposed), reasons))
}

pub async fn preview(
    svc: &Services,
    _admin: Admin<'_>,
    text: &str,
) -> ServiceResult<PolicyPreview> {
    let new = parse(text)?;
    let mut rows = Vec::new();
    for p in svc.store.pending_standings().await? {
        let (recorded, after, _) = next(svc, &p, &new).await?;
        rows.push(PreviewRow {
            id: p.id,
            title: p.title,
            now: recorded.describe(),
            after: after.describe(),
            changed: after != recorded,
        });
    }
    Ok(PolicyPreview {
        hash: Policy::hash(text),
        rows,
    })
}

/// Saves `text` as the next version (the admin confirms with their password); returns it.
pub async fn save(
    svc: &Services,
    admin: Admin<'_>,
    text: &str,
    confirm: Option<&Password>,
) -> ServiceResult<i64> {
    let new = parse(text)?;
    reconfirm(svc, admin, confirm).await?;
    let mut restand = Vec::new();
    let pending = svc.store.pending_standings().await?;
    for p in &pending {
        let (recorded, after, mut reasons) = next(svc, p, &new).await?;
        if after == recorded {
            continue;
        }
        reasons.push("a new policy version made the requirement stricter".into());
        let facts = p.facts.clone().unwrap_or_else(|| {
            countersign_core::policy::ChangeFacts::unrecorded(recorded.tier, "", "")
        });
        restand.push(Restanding {
            id: p.id,
            expires_at: expiry(p.created_at, &after),
            standing: standing_of(after, &facts, &p.digest, p.owner, false, p.overridden),
            tier_reasons: reasons,
        });
    }
    let changed: Vec<_> = restand.iter().map(|r| r.id).collect();
    let version = svc
        .store
        .save_policy(text, &Policy::hash(text), Some(admin.user().id), restand)
        .await?;
    for id in changed {
        crate::webhooks::moved(svc, id).await?;
    }
    Ok(version)
}

/// Every stored version, newest first (admins and auditors).
pub async fn history(svc: &Services, _reader: AuditReader<'_>) -> ServiceResult<Vec<PolicyRecord>> {
    Ok(svc.store.policies().await?)
}

/// Every stored version, newest first, for anyone (the log names them; see
/// `GET /api/v1/policies`).
pub async fn published(svc: &Services) -> ServiceResult<Vec<PolicyRecord>> {
    Ok(svc.store.policies().await?)
}
