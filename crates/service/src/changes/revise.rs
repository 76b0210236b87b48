//! An agent revises its pending change (`POST /api/v1/changes/{id}/revisions`, the same
//! body as submit). The new content gets a new digest; decisions made on an earlier
//! digest no longer count, and a revision whose content is identical keeps them. The
//! requirement is reassessed for the new content and the change keeps the stricter of
//! that and what it already needed — a revision can raise the bar, never lower it.

use chrono::Utc;
use countersign_core::{ChangeId, EvalSummary, submission::Submission};

use super::{
    read::own_change,
    submit::{Content, canonical_json, content_of, standing_for},
};
use crate::{
    Services,
    actor::AgentActor,
    error::{ServiceError, ServiceResult},
    stakes,
    store::{ChangeRecord, NewRevision, StoreError},
};

pub async fn revise(
    svc: &Services,
    agent: &AgentActor,
    id: ChangeId,
    sub: Submission,
) -> ServiceResult<ChangeRecord> {
    let errors = sub.validate();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let change = own_change(svc, agent.id, id).await?;
    if change.status.is_final() {
        return Err(ServiceError::Conflict(format!(
            "This change is already {}; submit a new change instead.",
            change.status
        )));
    }
    let Content {
        evals,
        diff,
        digest,
        attestations_json,
    } = content_of(&sub);
    let to_render = svc.diffs.plan_prerender(&digest.diff, &diff);
    let now = Utc::now();
    let mut policy = standing_for(
        svc,
        agent,
        &sub,
        &digest,
        &diff,
        &evals,
        &attestations_json,
        now,
    )
    .await?;
    // The stricter of the recorded requirement and the new content's.
    let recorded = stakes::standing(svc, &change).await?;
    let combined = recorded
        .requirement
        .stricter(&policy.assessment.requirement);
    if combined != policy.assessment.requirement {
        policy
            .assessment
            .tiering
            .reasons
            .push("kept the stricter requirement recorded before this revision".into());
    }
    policy.assessment.tiering.tier = combined.tier;
    policy.assessment.requirement = combined.clone();
    policy.expires_at = stakes::expiry(change.created_at, &combined);
    policy.system_reason = policy.system_reason.map(|r| format!("revision: {r}"));
    let standing = stakes::standing_of(
        combined,
        &policy.facts,
        &digest.digest,
        change.agent_owner.map(|u| u.0),
        agent.quarantined,
        recorded.gates.overridden,
    );
    let labels_json = canonical_json(&sub.labels)?;
    let revision = NewRevision {
        change_id: id,
        agent_id: agent.id,
        previous: change.revision,
        title: sub.title.clone(),
        description: sub.description.clone(),
        base: sub.base.clone(),
        digest,
        labels_json,
        evals: EvalSummary::of(&evals),
        evals_json: canonical_json(&evals)?,
        attestations_json,
        diff,
        now,
        policy,
        standing,
    };
    match svc.store.add_revision(revision).await {
        Ok(_) => svc.diffs.prerender(to_render),
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(
                "The change was decided or revised a moment ago; read it again.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    crate::webhooks::moved(svc, id).await?;
    svc.store.change(id).await?.ok_or(ServiceError::NotFound)
}
