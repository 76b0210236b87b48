//! A reviewer decides on a change, confirming with their password.
//!
//! The decision names the revision and digest the reviewer saw; the store records it only
//! if the change is still pending at exactly that revision (compare-and-set), so a second
//! click, a stale form or a concurrent decision is refused with a clear message. The
//! change's new status comes from the stakes policy, judged inside that transaction.

use chrono::Utc;
use countersign_core::{ChangeId, Verdict, decision, policy};

use crate::{
    Services,
    accounts::confirm_password,
    actor::Reviewer,
    error::{ServiceError, ServiceResult},
    passwords::Password,
    stakes,
    store::{NewDecision, StoreError},
    userkeys,
};

/// The longest accepted comment.
pub const MAX_COMMENT: usize = 10_000;

pub struct DecideInput {
    pub change_id: ChangeId,
    /// The revision shown to the reviewer when they opened the form.
    pub revision: i64,
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub password: Password,
    /// When the form was shown (Unix seconds, rendered into it by the server): how long
    /// the reviewer looked before deciding, for the oversight dashboard's signals.
    pub opened_at: Option<i64>,
}

/// Records the decision and returns the change's new status.
pub async fn decide(
    svc: &Services,
    reviewer: Reviewer<'_>,
    input: DecideInput,
) -> ServiceResult<countersign_core::ChangeStatus> {
    let comment = input
        .comment
        .as_deref()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if input.verdict == Verdict::Reject && comment.is_none() {
        return Err(ServiceError::invalid(
            "comment",
            "A comment is required to reject.",
        ));
    }
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        return Err(ServiceError::invalid("comment", "The comment is too long."));
    }
    if input.password.expose().is_empty() {
        return Err(ServiceError::invalid(
            "password",
            "Confirm with your password.",
        ));
    }
    confirm_password(svc, reviewer.user(), &input.password).await?;

    let change = svc
        .store
        .change(input.change_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if change.status.is_final() {
        return Err(ServiceError::Conflict(format!(
            "This change is already {}.",
            change.status
        )));
    }
    if change.revision != input.revision {
        return Err(ServiceError::Conflict(
            "This change was revised after you opened it; review the new revision.".into(),
        ));
    }
    if change.agent_owner == Some(reviewer.user().id) {
        return Err(ServiceError::Forbidden(
            "You own the agent that submitted this change.",
        ));
    }
    if change.agent_quarantined && input.verdict == Verdict::Approve {
        return Err(ServiceError::Forbidden(
            "The agent that submitted this change is quarantined; it cannot be approved until released.",
        ));
    }
    let standing = stakes::standing(svc, &change).await?;
    let in_force = stakes::current(svc).await?;
    let now = Utc::now();
    let signed = sign(
        svc,
        &reviewer,
        &change,
        &input,
        comment.as_deref(),
        &in_force.hash,
        now,
    )
    .await?;
    let decision = NewDecision {
        change_id: change.id,
        revision: change.revision,
        digest: change.digest.clone(),
        reviewer_id: reviewer.user().id,
        verdict: input.verdict,
        comment,
        roles: reviewer.user().roles.clone(),
        policy_hash: Some(in_force.hash),
        envelope: signed.envelope,
        key_id: signed.key_id,
        opened_at: input
            .opened_at
            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
            .filter(|t| *t <= now),
        standing,
        now,
    };
    let decision_at = decision.now;
    let new_status = match svc.store.record_decision(decision).await {
        Ok(progress) => policy::status_of(progress.outcome),
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict(
                "Someone decided on this change a moment ago; reload to see the outcome.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    crate::webhooks::moved(svc, change.id).await?;
    record_metrics(input.verdict, new_status, change.created_at, decision_at);
    Ok(new_status)
}

struct Signed {
    envelope: String,
    key_id: String,
}

/// The decision as an in-toto statement over the revision's content digests, signed in a
/// DSSE envelope with the reviewer's own key — unsealed with the password they just typed
/// (already checked), for this moment only.
async fn sign(
    svc: &Services,
    reviewer: &Reviewer<'_>,
    change: &crate::store::ChangeRecord,
    input: &DecideInput,
    comment: Option<&str>,
    policy: &str,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<Signed> {
    use ed25519_dalek::Signer as _;
    let content = svc
        .store
        .revision(change.id, change.revision)
        .await?
        .ok_or(ServiceError::NotFound)?
        .digest;
    let key = userkeys::signing_key(svc, reviewer.user().id, &input.password).await?;
    let key_id = decision::key_id(&key.verifying_key().to_bytes());
    let p = decision::Predicate {
        verdict: input.verdict,
        change_id: change.id.0,
        revision: change.revision,
        decider: reviewer.user().username.clone(),
        key_id: key_id.clone(),
        policy: Some(policy.to_owned()),
        comment_sha256: decision::comment_digest(comment),
        time: now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        reason: None,
    };
    let payload = decision::statement(&content, &p);
    let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
    Ok(Signed {
        envelope: decision::envelope(&payload, &key_id, &sig),
        key_id,
    })
}

/// Decisions by verdict, and how long a change waited for its final decision.
fn record_metrics(
    verdict: Verdict,
    status: countersign_core::ChangeStatus,
    submitted: chrono::DateTime<Utc>,
    at: chrono::DateTime<Utc>,
) {
    metrics::counter!("countersign_decisions_total", "verdict" => verdict.as_str()).increment(1);
    if status.is_final() {
        let secs = (at - submitted).num_milliseconds().max(0) as f64 / 1000.0;
        metrics::histogram!("countersign_time_to_decision_seconds").record(secs);
    }
}
