//! What the log publishes besides its entries: every public key (as `/api/v1/keys` serves
//! them) and, for verifiers that take everything at once, a bundle of the checkpoint, the
//! keys and every leaf.

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{ServerKey, checkpoint, log_key, system_key};
use crate::{Services, error::ServiceResult};

#[derive(Debug, Clone, Serialize)]
pub struct PublicKeyInfo {
    pub name: String,
    pub public_key: String,
    pub vkey: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewerKeyInfo {
    pub key_id: String,
    pub owner: String,
    pub public_key: String,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishedKeys {
    pub log: PublicKeyInfo,
    pub system: PublicKeyInfo,
    pub reviewers: Vec<ReviewerKeyInfo>,
}

fn info(k: &ServerKey) -> PublicKeyInfo {
    let p = k.public();
    PublicKeyInfo {
        name: k.name.clone(),
        public_key: STANDARD.encode(p),
        vkey: countersign_core::tlog::checkpoint::vkey(&k.name, &p),
    }
}

pub async fn published_keys(svc: &Services) -> ServiceResult<PublishedKeys> {
    let reviewers = svc
        .store
        .user_keys()
        .await?
        .into_iter()
        .map(|k| ReviewerKeyInfo {
            key_id: k.key_id,
            owner: k.username,
            public_key: k.public_key,
            created_at: k.created_at,
            retired_at: k.retired_at,
        })
        .collect();
    Ok(PublishedKeys {
        log: info(&*log_key(svc).await?),
        system: info(&*system_key(svc).await?),
        reviewers,
    })
}

/// The checkpoint, the keys, every leaf up to the checkpoint's size (base64) and every
/// policy version (hash, text).
pub struct Bundle {
    pub checkpoint: String,
    pub keys: serde_json::Value,
    pub leaves: Vec<String>,
    pub policies: Vec<(String, String)>,
}

pub async fn bundle(svc: &Services) -> ServiceResult<Bundle> {
    let checkpoint = checkpoint(svc).await?;
    let size = countersign_core::note::parse(&checkpoint)
        .map(|c| c.size)
        .unwrap_or(0);
    let keys = serde_json::to_value(published_keys(svc).await?)
        .map_err(|e| crate::ServiceError::Internal(e.into()))?;
    let leaves = svc
        .store
        .log_entries(0, size)
        .await?
        .into_iter()
        .map(|e| STANDARD.encode(e.leaf))
        .collect();
    let policies = svc
        .store
        .policies()
        .await?
        .into_iter()
        .map(|p| (p.hash, p.text))
        .collect();
    Ok(Bundle {
        checkpoint,
        keys,
        leaves,
        policies,
    })
}
