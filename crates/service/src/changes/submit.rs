//! An agent submits a change: validate, digest, store with its first revision.

use chrono::Utc;
use countersign_core::{ContentDigest, EvalSummary, digest::ContentParts, submission::Submission};
use sha2::{Digest, Sha256};

use crate::{
    Services,
    actor::AgentActor,
    error::{ServiceError, ServiceResult},
    store::{ChangeRecord, Inserted, NewChange},
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
    let new = NewChange {
        agent_id: agent.id,
        description: sub.description.clone(),
        base: sub.base.clone(),
        stakes: sub.stakes(),
        digest,
        labels_json: canonical_json(&sub.labels)?,
        evals: EvalSummary::of(&evals),
        evals_json: canonical_json(&evals)?,
        attestations_json: sub.attestations_verbatim(),
        idempotency_key,
        request_hash: Some(request_hash.clone()),
        now: Utc::now(),
        title: sub.title,
        repository: sub.repository,
        diff,
    };
    let (id, created) = match svc.store.insert_change(new).await? {
        Inserted::Created(id) => {
            metrics::counter!("countersign_changes_submitted_total").increment(1);
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
    Ok(Submitted { change, created })
}

/// Canonical JSON (RFC 8785), so equal values always store and hash as equal bytes.
fn canonical_json<T: serde::Serialize>(value: &T) -> ServiceResult<String> {
    serde_jcs::to_string(value).map_err(|e| ServiceError::Internal(e.into()))
}
