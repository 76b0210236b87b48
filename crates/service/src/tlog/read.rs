//! Reading the log: the signed checkpoint for its current size, entries with their exact
//! leaf bytes, and inclusion and consistency proofs — each built from the O(log n) stored
//! nodes it needs, fetched in one pass. Nothing here writes except the checkpoint, which
//! is signed once per size and then handed out as stored.

use countersign_core::{
    merkle::Hash,
    tlog::{checkpoint, tree},
};
use ed25519_dalek::Signer;
use sha2::{Digest, Sha256};

use super::keys::log_key;
use crate::{
    Services,
    error::{ServiceError, ServiceResult},
    store::LogEntryRecord,
};

/// At most this many entries per request.
pub const MAX_ENTRIES: u64 = 1_000;

async fn nodes(
    svc: &Services,
    req: tree::Request,
) -> ServiceResult<std::collections::BTreeMap<tree::NodeId, Hash>> {
    let ids: Vec<_> = tree::needed(&req)
        .map_err(|e| ServiceError::invalid("size", &e.to_string()))?
        .into_iter()
        .collect();
    Ok(svc.store.log_nodes(&ids).await?)
}

fn internal(e: tree::TreeError) -> ServiceError {
    ServiceError::Internal(format!("log: {e}").into())
}

/// The root of the first `size` entries (SHA-256 of nothing for the empty log).
pub async fn root(svc: &Services, size: u64) -> ServiceResult<Hash> {
    if size == 0 {
        return Ok(Sha256::digest(b"").into());
    }
    let n = nodes(svc, tree::Request::Root(size)).await?;
    tree::root(&n, size).map_err(internal)
}

/// The signed checkpoint (C2SP signed note) for the log as it is now.
pub async fn checkpoint(svc: &Services) -> ServiceResult<String> {
    let size = svc.store.log_size().await?;
    if let Some(note) = svc.store.checkpoint_at(size).await? {
        return Ok(note);
    }
    let root = root(svc, size).await?;
    let key = log_key(svc).await?;
    let body = checkpoint::body(&key.name, size, &root);
    let sig = key.key.sign(body.as_bytes()).to_bytes();
    let note = checkpoint::note(&body, &key.name, &key.public(), &sig);
    Ok(svc.store.save_checkpoint(size, &root, &note).await?)
}

/// Entries `start..end` (at most [`MAX_ENTRIES`], and never past the end of the log).
pub async fn entries(svc: &Services, start: u64, end: u64) -> ServiceResult<Vec<LogEntryRecord>> {
    if end < start {
        return Err(ServiceError::invalid("end", "end must not be before start"));
    }
    let end = end.min(start.saturating_add(MAX_ENTRIES));
    Ok(svc.store.log_entries(start, end).await?)
}

fn within(svc_size: u64, size: u64) -> ServiceResult<()> {
    if size > svc_size {
        return Err(ServiceError::invalid(
            "size",
            &format!("the log has {svc_size} entries"),
        ));
    }
    Ok(())
}

/// The audit path of entry `index` in the tree of `size` entries.
pub async fn inclusion(svc: &Services, index: u64, size: u64) -> ServiceResult<Vec<Hash>> {
    within(svc.store.log_size().await?, size)?;
    if index >= size {
        return Err(ServiceError::invalid("index", "index must be below size"));
    }
    let n = nodes(svc, tree::Request::Inclusion { index, size }).await?;
    tree::inclusion_proof(&n, index, size).map_err(internal)
}

/// The proof that the tree of `old` entries is a prefix of the tree of `new`.
pub async fn consistency(svc: &Services, old: u64, new: u64) -> ServiceResult<Vec<Hash>> {
    within(svc.store.log_size().await?, new)?;
    if old == 0 || old > new {
        return Err(ServiceError::invalid("old", "need 0 < old ≤ new"));
    }
    let n = nodes(svc, tree::Request::Consistency { old, new }).await?;
    tree::consistency_proof(&n, old, new).map_err(internal)
}

/// Whether entry `index` is in the log under its current signed checkpoint: the entry's
/// stored bytes, the inclusion proof the log serves, and the checkpoint's root — checked
/// with the same verifier a client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inclusion {
    pub index: u64,
    /// The checkpoint's size.
    pub size: u64,
    pub verified: bool,
}

pub async fn included(svc: &Services, index: u64) -> ServiceResult<Inclusion> {
    let note = checkpoint(svc).await?;
    let cp = countersign_core::note::parse(&note)
        .map_err(|e| ServiceError::Internal(e.to_string().into()))?;
    let leaf = svc.store.log_entries(index, index + 1).await?;
    let verified = match leaf.first() {
        Some(e) if index < cp.size => {
            let proof = inclusion(svc, index, cp.size).await?;
            let h = countersign_core::merkle::leaf_hash(&e.leaf);
            countersign_core::merkle::verify_inclusion(index, cp.size, &h, &proof, &cp.root).is_ok()
        }
        _ => false,
    };
    Ok(Inclusion {
        index,
        size: cp.size,
        verified,
    })
}
