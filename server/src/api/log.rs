//! The transparency log over HTTP: the signed checkpoint, entries with their exact leaf
//! bytes, inclusion and consistency proofs, and every public key. All public (like a CT or
//! Rekor log): they hold ids, digests, verdicts and audit details, never diffs or evals,
//! and publishing them is what lets anyone check that history was not rewritten.

use axum::{
    Json,
    extract::{Query, State},
    http::{StatusCode, header},
    response::IntoResponse,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use countersign_service::tlog;
use serde::{Deserialize, Serialize};

use super::problem::Problem;
use crate::router::AppState;

fn num(field: &'static str, raw: Option<&str>) -> Result<u64, Problem> {
    raw.ok_or_else(|| Problem::field(StatusCode::BAD_REQUEST, field, "is required"))?
        .parse()
        .map_err(|_| Problem::field(StatusCode::BAD_REQUEST, field, "must be a whole number"))
}

fn b64(hashes: &[[u8; 32]]) -> Vec<String> {
    hashes.iter().map(|h| STANDARD.encode(h)).collect()
}

/// The log's latest signed checkpoint (C2SP `tlog-checkpoint` signed note).
#[utoipa::path(get, path = "/api/v1/log/checkpoint", tag = "log",
    responses((status = 200, description = "The signed note", body = String, content_type = "text/plain; charset=utf-8")),
    security(()))]
pub async fn checkpoint(State(s): State<AppState>) -> Result<impl IntoResponse, Problem> {
    let note = tlog::checkpoint(&s.services).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note))
}

#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    start: Option<String>,
    end: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogEntry {
    pub index: u64,
    /// The leaf's exact bytes (canonical JSON), base64: its hash is SHA-256(0x00 ‖ leaf).
    pub leaf: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogEntries {
    pub entries: Vec<LogEntry>,
}

/// Entries `start` (inclusive) to `end` (exclusive), at most 1,000.
#[utoipa::path(get, path = "/api/v1/log/entries", tag = "log",
    params(("start" = u64, Query, description = "First index"), ("end" = u64, Query, description = "One past the last index")),
    responses((status = 200, description = "The entries", body = LogEntries),
        (status = 400, description = "Missing or malformed numbers", body = Problem, content_type = "application/problem+json")),
    security(()))]
pub async fn entries(
    State(s): State<AppState>,
    Query(q): Query<RangeQuery>,
) -> Result<Json<LogEntries>, Problem> {
    let (start, end) = (
        num("start", q.start.as_deref())?,
        num("end", q.end.as_deref())?,
    );
    let rows = tlog::entries(&s.services, start, end).await?;
    Ok(Json(LogEntries {
        entries: rows
            .into_iter()
            .map(|e| LogEntry {
                index: e.index,
                leaf: STANDARD.encode(&e.leaf),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct InclusionQuery {
    index: Option<String>,
    size: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Proof {
    /// For an inclusion proof: the entry's index and the tree size; for a consistency
    /// proof: the old and new sizes.
    pub from: u64,
    pub to: u64,
    /// The proof's hashes, base64, in RFC 6962 order.
    pub hashes: Vec<String>,
}

/// The inclusion proof of entry `index` in the tree of `size` entries.
#[utoipa::path(get, path = "/api/v1/log/proof/inclusion", tag = "log",
    params(("index" = u64, Query, description = "The entry"), ("size" = u64, Query, description = "The tree size (from a checkpoint)")),
    responses((status = 200, description = "The audit path", body = Proof),
        (status = 400, description = "Missing or malformed numbers", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Outside the log", body = Problem, content_type = "application/problem+json")),
    security(()))]
pub async fn inclusion(
    State(s): State<AppState>,
    Query(q): Query<InclusionQuery>,
) -> Result<Json<Proof>, Problem> {
    let (index, size) = (
        num("index", q.index.as_deref())?,
        num("size", q.size.as_deref())?,
    );
    let hashes = tlog::inclusion(&s.services, index, size).await?;
    Ok(Json(Proof {
        from: index,
        to: size,
        hashes: b64(&hashes),
    }))
}

#[derive(Debug, Deserialize)]
pub struct ConsistencyQuery {
    old: Option<String>,
    new: Option<String>,
}

/// The proof that the tree of `old` entries is a prefix of the tree of `new`.
#[utoipa::path(get, path = "/api/v1/log/proof/consistency", tag = "log",
    params(("old" = u64, Query, description = "The earlier size"), ("new" = u64, Query, description = "The later size")),
    responses((status = 200, description = "The consistency proof", body = Proof),
        (status = 400, description = "Missing or malformed numbers", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Sizes the log cannot prove", body = Problem, content_type = "application/problem+json")),
    security(()))]
pub async fn consistency(
    State(s): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<Proof>, Problem> {
    let (old, new) = (num("old", q.old.as_deref())?, num("new", q.new.as_deref())?);
    let hashes = tlog::consistency(&s.services, old, new).await?;
    Ok(Json(Proof {
        from: old,
        to: new,
        hashes: b64(&hashes),
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicKey {
    pub name: String,
    /// Ed25519, base64.
    pub public_key: String,
    /// The note verifier key (`name+id+base64`), for checkpoint tools.
    pub vkey: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Keys {
    /// Signs the log's checkpoints.
    pub log: PublicKey,
    /// Signs the decisions the system makes.
    pub system: PublicKey,
    /// Every person's signing key, active and retired (retired keys still verify the
    /// decisions they signed).
    pub reviewers: Vec<ReviewerKey>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewerKey {
    pub key_id: String,
    pub owner: String,
    /// Ed25519, base64.
    pub public_key: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn public(k: tlog::PublicKeyInfo) -> PublicKey {
    PublicKey {
        name: k.name,
        public_key: k.public_key,
        vkey: k.vkey,
    }
}

/// The server's public keys.
#[utoipa::path(get, path = "/api/v1/keys", tag = "log",
    responses((status = 200, description = "The keys", body = Keys)),
    security(()))]
pub async fn keys(State(s): State<AppState>) -> Result<Json<Keys>, Problem> {
    let k = tlog::published_keys(&s.services).await?;
    Ok(Json(Keys {
        log: public(k.log),
        system: public(k.system),
        reviewers: k
            .reviewers
            .into_iter()
            .map(|r| ReviewerKey {
                key_id: r.key_id,
                owner: r.owner,
                public_key: r.public_key,
                created_at: r.created_at,
                retired_at: r.retired_at,
            })
            .collect(),
    }))
}
