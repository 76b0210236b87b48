//! The auditor's history: every change (expired and withdrawn ones included) with each
//! decision on it, filterable by time, reviewer, agent, repository, verdict, stakes and
//! status, each decision's signature checked with the key it names — and exported as
//! JSONL or CSV with the same rows.

use serde::Serialize;

use crate::{
    Services,
    actor::AuditReader,
    error::{ServiceError, ServiceResult},
    store::{HistoryFilter, HistoryRecord},
    tlog,
};

/// The most rows one page or export holds.
pub const MAX_ROWS: i64 = 10_000;

/// One history row as people and exports see it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub change_id: i64,
    pub title: String,
    pub repository: String,
    pub agent: String,
    pub stakes: String,
    pub status: String,
    pub submitted_at: String,
    pub decided_at: Option<String>,
    pub verdict: Option<String>,
    pub reviewer: Option<String>,
    pub revision: Option<i64>,
    /// Made on an earlier revision's content.
    pub stale: bool,
    pub key_id: Option<String>,
    /// `valid`, `unsigned`, or why it does not verify.
    pub signature: Option<String>,
    pub reason: Option<String>,
    /// The DSSE envelope (JSONL only; CSV leaves it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<String>,
}

pub async fn history(
    svc: &Services,
    _reader: AuditReader<'_>,
    mut filter: HistoryFilter,
) -> ServiceResult<Vec<HistoryRow>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(ServiceError::invalid(
            "to",
            "The end must be after the start.",
        ));
    }
    filter.limit = filter.limit.clamp(1, MAX_ROWS);
    let signers = tlog::signers(svc).await?;
    let rows = svc.store.history(&filter).await?;
    Ok(rows.into_iter().map(|r| row(&signers, r)).collect())
}

fn row(signers: &tlog::Signers, r: HistoryRecord) -> HistoryRow {
    let time =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let d = r.decision;
    let signature = d.as_ref().map(|d| match &d.envelope {
        None => "unsigned".to_owned(),
        Some(e) => match signers.check(d.key_id.as_deref(), e, r.change_id.0, &d.digest) {
            Ok(_) => "valid".to_owned(),
            Err(why) => why,
        },
    });
    HistoryRow {
        change_id: r.change_id.0,
        title: r.title,
        repository: r.repository,
        agent: r.agent,
        stakes: r.stakes.to_string(),
        status: r.status.to_string(),
        submitted_at: time(r.submitted_at),
        stale: d.as_ref().is_some_and(|d| d.digest != r.current_digest),
        decided_at: d.as_ref().map(|d| time(d.at)),
        verdict: d.as_ref().map(|d| d.verdict.to_string()),
        reviewer: d.as_ref().map(|d| d.reviewer.clone()),
        revision: d.as_ref().map(|d| d.revision),
        key_id: d.as_ref().and_then(|d| d.key_id.clone()),
        reason: d.as_ref().and_then(|d| d.reason.clone()),
        envelope: d.and_then(|d| d.envelope),
        signature,
    }
}

/// One JSON object per line.
pub fn to_jsonl(rows: &[HistoryRow]) -> String {
    rows.iter()
        .filter_map(|r| serde_json::to_string(r).ok())
        .map(|l| l + "\n")
        .collect()
}

/// RFC 4180 CSV with a header row; the envelope is left out (it is in the JSONL).
pub fn to_csv(rows: &[HistoryRow]) -> ServiceResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let mut r = r.clone();
        r.envelope = None;
        w.serialize(r)
            .map_err(|e| ServiceError::Internal(e.into()))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ServiceError::Internal(e.to_string().into()))?;
    String::from_utf8(bytes).map_err(|e| ServiceError::Internal(e.into()))
}

/// The history filters as a form or a URL query sends them (all optional; empty is any).
/// Dates are `YYYY-MM-DD` (UTC), both days included.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, PartialEq, Eq)]
pub struct HistoryQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub reviewer: Option<String>,
    pub agent: Option<String>,
    pub repository: Option<String>,
    pub verdict: Option<String>,
    pub stakes: Option<String>,
    pub status: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "any")
        .map(str::to_owned)
}

fn parse<T: std::str::FromStr>(field: &str, v: &Option<String>) -> ServiceResult<Option<T>> {
    given(v)
        .map(|s| {
            s.parse::<T>()
                .map_err(|_| ServiceError::invalid(field, &format!("unknown {field} `{s}`")))
        })
        .transpose()
}

fn day(
    field: &str,
    v: &Option<String>,
    next: bool,
) -> ServiceResult<Option<chrono::DateTime<chrono::Utc>>> {
    given(v)
        .map(|s| {
            let d = chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| ServiceError::invalid(field, "Use a date like 2026-11-29."))?;
            let d = if next { d.succ_opt().unwrap_or(d) } else { d };
            Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .transpose()
}

impl HistoryQuery {
    pub fn filter(&self, limit: i64) -> ServiceResult<HistoryFilter> {
        Ok(HistoryFilter {
            from: day("from", &self.from, false)?,
            to: day("to", &self.to, true)?,
            reviewer: given(&self.reviewer),
            agent: given(&self.agent),
            repository: given(&self.repository),
            verdict: parse("verdict", &self.verdict)?,
            stakes: parse("stakes", &self.stakes)?,
            status: parse("status", &self.status)?,
            limit,
        })
    }
}
