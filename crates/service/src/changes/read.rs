//! Reading changes: an agent reads only its own; people with any role read all.

use countersign_core::{
    AgentId, ChangeId, ChangeStatus,
    policy::{Progress, Requirement},
};

use crate::{
    Services,
    actor::{AgentActor, Reader},
    error::{ServiceError, ServiceResult},
    stakes,
    store::{ChangeRecord, DecisionRecord, QueueCursor, QueueFilter, QueueItem, RevisionRecord},
};

/// A change with its current revision's content and every decision so far.
#[derive(Debug)]
pub struct ChangeDetail {
    pub change: ChangeRecord,
    pub revision: RevisionRecord,
    pub decisions: Vec<DecisionRecord>,
    /// What the change needs, and how far its decisions have got (judged now, by the
    /// same code the decision transaction uses).
    pub requirement: Requirement,
    pub progress: Progress,
}

async fn detail(svc: &Services, change: ChangeRecord) -> ServiceResult<ChangeDetail> {
    let revision = svc
        .store
        .revision(change.id, change.revision)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let decisions = svc.store.decisions(change.id).await?;
    let standing = stakes::standing(svc, &change).await?;
    let votes: Vec<_> = decisions.iter().map(DecisionRecord::as_vote).collect();
    let mut progress = standing.judge(&votes);
    if change.status.is_final() {
        // A decided change's one line is the one stored when it was decided.
        progress.summary = change.progress.clone().unwrap_or(progress.summary);
    }
    Ok(ChangeDetail {
        change,
        revision,
        decisions,
        requirement: standing.requirement,
        progress,
    })
}

/// The change if it belongs to `agent`; another agent's change is `NotFound`, so an
/// agent cannot even learn that it exists.
pub(crate) async fn own_change(
    svc: &Services,
    agent: AgentId,
    id: ChangeId,
) -> ServiceResult<ChangeRecord> {
    match svc.store.change(id).await? {
        Some(c) if c.agent_id == agent => Ok(c),
        _ => Err(ServiceError::NotFound),
    }
}

pub async fn agent_change(
    svc: &Services,
    agent: &AgentActor,
    id: ChangeId,
) -> ServiceResult<ChangeDetail> {
    let change = own_change(svc, agent.id, id).await?;
    detail(svc, change).await
}

/// One page of the agent's own changes, newest first; pass the last id as `before`.
pub async fn agent_changes(
    svc: &Services,
    agent: &AgentActor,
    status: Option<ChangeStatus>,
    before: Option<ChangeId>,
    limit: i64,
) -> ServiceResult<Vec<ChangeRecord>> {
    Ok(svc
        .store
        .agent_changes(agent.id, status, before, limit.clamp(1, 500))
        .await?)
}

pub async fn change_detail(
    svc: &Services,
    _reader: Reader<'_>,
    id: ChangeId,
) -> ServiceResult<ChangeDetail> {
    let change = svc.store.change(id).await?.ok_or(ServiceError::NotFound)?;
    detail(svc, change).await
}

/// Where the queue's next page starts: after change `id`, in queue order. `None` for a
/// change that does not exist (the page then starts at the top).
pub async fn queue_cursor(
    svc: &Services,
    _reader: Reader<'_>,
    id: ChangeId,
) -> ServiceResult<Option<QueueCursor>> {
    Ok(svc.store.change(id).await?.map(|c| QueueCursor {
        stakes: c.stakes,
        created_at: c.created_at,
        id: c.id,
    }))
}

/// The queue; `filter.needs_review_by` set means "needs my review": it is replaced by
/// the reader's own id, and is empty for someone who cannot decide at all.
pub async fn queue(
    svc: &Services,
    reader: Reader<'_>,
    mut filter: QueueFilter,
) -> ServiceResult<Vec<QueueItem>> {
    filter.limit = filter.limit.clamp(1, 500);
    if filter.needs_review_by.is_some() {
        if reader.user().as_reviewer().is_none() {
            return Ok(Vec::new());
        }
        filter.needs_review_by = Some(reader.user().id);
    }
    Ok(svc.store.queue(&filter).await?)
}
