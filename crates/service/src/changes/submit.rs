//! An agent submits a change: validate, digest, store with its first revision.

use chrono::Utc;
use countersign_core::{ContentDigest, EvalSummary, digest::ContentParts, submission::Submission};
use sha2::{Digest, Sha256};

use crate::{
    Services,
    actor::AgentActor,
    error::{ServiceError, ServiceResult},
    provenance::examine_revision,
    stakes,
    store::{ChangeRecord, Inserted, NewChange, PolicyStanding, RevisionRecord},
};

/// The stored change, and whether this request created it (false: an idempotent replay).
#[derive(Debug)]
pub struct Submitted {
    pub change: ChangeRecord,
    pub created: bool,
}

/// The longest accepted `Idempotency-Key`.
const MAX_IDEMPOTENCY_KEY: usize = 255;

pub async fn submit(
    svc: &Services,
    agent: &AgentActor,
    sub: Submission,
    idempotency_key: Option<String>,
) -> ServiceResult<Submitted> {
    let errors = sub.validate();
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    if idempotency_key
        .as_ref()
        .is_some_and(|k| k.is_empty() || k.len() > MAX_IDEMPOTENCY_KEY)
    {
        return Err(ServiceError::invalid(
            "Idempotency-Key",
            "must be 1 to 255 characters",
        ));
    }
    // The request's fingerprint for idempotency: canonical JSON, so a retry that only
    // reorders keys or whitespace is still "the same body".
    let as_value = serde_json::to_value(&sub).map_err(|e| ServiceError::Internal(e.into()))?;
    let request_hash = hex::encode(Sha256::digest(canonical_json(&as_value)?.as_bytes()));
    let Content {
        evals,
        diff,
        digest,
        attestations_json,
    } = content_of(&sub);
    let to_render = svc.diffs.plan_prerender(&digest.diff, &diff);
    let now = Utc::now();
    let policy = standing_for(
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
    let new = NewChange {
        policy,
        agent_id: agent.id,
        description: sub.description.clone(),
        base: sub.base.clone(),
        stakes: sub.stakes(),
        digest,
        labels_json: canonical_json(&sub.labels)?,
        evals: EvalSummary::of(&evals),
        evals_json: canonical_json(&evals)?,
        attestations_json,
        idempotency_key,
        request_hash: Some(request_hash.clone()),
        now,
        title: sub.title,
        repository: sub.repository,
        diff,
    };
    let (id, created) = match svc.store.insert_change(new).await? {
        Inserted::Created(id) => {
            metrics::counter!("countersign_changes_submitted_total").increment(1);
            svc.diffs.prerender(to_render);
            (id, true)
        }
        Inserted::Existing {
            id,
            request_hash: earlier,
        } => {
            if earlier.as_deref() != Some(request_hash.as_str()) {
                return Err(ServiceError::Conflict(
                    "this Idempotency-Key was used for a different request body".into(),
                ));
            }
            (id, false)
        }
    };
    let change = svc.store.change(id).await?.ok_or(ServiceError::NotFound)?;
    if created && change.status.is_final() {
        // Approved on the agent's word at once: its webhooks hear so too.
        crate::webhooks::moved(svc, id).await?;
    }
    Ok(Submitted { change, created })
}

/// The new change's standing under the current policy. Provenance is examined here, before
/// the change is stored, because its status can raise the tier.
#[allow(clippy::too_many_arguments)]
pub(super) async fn standing_for(
    svc: &Services,
    agent: &AgentActor,
    sub: &Submission,
    digest: &ContentDigest,
    diff: &[u8],
    evals: &[countersign_core::Eval],
    attestations_json: &str,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<PolicyStanding> {
    let cur = stakes::current(svc).await?;
    let content = RevisionRecord {
        revision: 1,
        digest: digest.clone(),
        diff: diff.to_vec(),
        evals: evals.to_vec(),
        attestations_json: attestations_json.to_owned(),
        created_at: now,
    };
    let reports = examine_revision(svc, agent.id, sub.base.as_deref(), &content).await?;
    let facts = stakes::facts_of(
        sub.stakes(),
        &agent.name,
        &sub.repository,
        diff,
        evals,
        &reports,
    );
    let assessment = facts.assess(&cur.policy);
    let mut standing = stakes::new_standing(
        &cur,
        facts,
        assessment,
        &digest.digest,
        agent.quarantined,
        now,
    );
    if standing.system_reason.is_some() {
        let key = crate::tlog::system_key(svc).await?;
        standing.system_key = Some(std::sync::Arc::new(key.key.clone()));
    }
    Ok(standing)
}

/// A submission's content as it is digested and stored; submit and revise read it alike.
pub(super) struct Content {
    pub evals: Vec<countersign_core::Eval>,
    pub diff: Vec<u8>,
    pub digest: ContentDigest,
    pub attestations_json: String,
}

pub(super) fn content_of(sub: &Submission) -> Content {
    let attestations = sub.attestation_values();
    let evals = sub.all_evals();
    let diff = sub.diff_bytes();
    let digest = ContentDigest::compute(&ContentParts {
        title: &sub.title,
        repository: &sub.repository,
        base: sub.base.as_deref(),
        diff: &diff,
        evals: &evals,
        attestations: &attestations,
    });
    Content {
        evals,
        diff,
        digest,
        attestations_json: sub.attestations_verbatim(),
    }
}

/// Canonical JSON (RFC 8785), so equal values always store and hash as equal bytes.
pub(super) fn canonical_json<T: serde::Serialize>(value: &T) -> ServiceResult<String> {
    serde_jcs::to_string(value).map_err(|e| ServiceError::Internal(e.into()))
}
