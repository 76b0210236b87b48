//! The agent API's response bodies (the request body is `countersign_core::Submission`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use countersign_core::{ChangeStatus, EvalSummary, Stakes, Verdict};
use countersign_service::{Services, changes::ChangeDetail, store::ChangeRecord};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub id: i64,
    pub status: ChangeStatus,
    pub stakes: Stakes,
    pub digest: String,
    pub url: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Decision {
    pub verdict: Verdict,
    pub reviewer: String,
    pub revision: i64,
    pub digest: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeSummary {
    pub id: i64,
    pub title: String,
    pub repository: String,
    pub base: Option<String>,
    pub status: ChangeStatus,
    pub stakes: Stakes,
    pub revision: i64,
    pub digest: String,
    pub evals: EvalSummary,
    pub labels: BTreeMap<String, String>,
    pub url: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Change {
    #[serde(flatten)]
    pub summary: ChangeSummary,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeList {
    pub changes: Vec<ChangeSummary>,
    /// Pass as `cursor` to get the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl ChangeSummary {
    pub fn of(svc: &Services, c: ChangeRecord) -> Self {
        ChangeSummary {
            url: svc.change_url(c.id),
            id: c.id.0,
            title: c.title,
            repository: c.repository,
            base: c.base,
            status: c.status,
            stakes: c.stakes,
            revision: c.revision,
            digest: c.digest,
            evals: c.evals,
            labels: c.labels,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

impl Change {
    pub fn of(svc: &Services, d: ChangeDetail) -> Self {
        let decisions = d
            .decisions
            .into_iter()
            .map(|x| Decision {
                verdict: x.verdict,
                reviewer: x.reviewer,
                revision: x.revision,
                digest: x.digest,
                comment: x.comment,
                at: x.created_at,
            })
            .collect();
        Change {
            summary: ChangeSummary::of(svc, d.change),
            decisions,
        }
    }
}
