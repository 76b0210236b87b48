//! The server's own Ed25519 keys: `log` signs checkpoints, `system` signs the decisions
//! the system makes (agent-only approvals). Made on first use and kept in the database so
//! every instance signs with the same keys; the first instance to store one wins and the
//! others read it back. Published, with every reviewer's key, at `/api/v1/keys`.
//!
//! Known limit: the private keys sit in the database unsealed. Someone who can write the
//! database can also sign a rewritten history — but not one consistent with a checkpoint
//! an auditor kept from before, which is what the log's consistency proofs are for.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::Utc;
use ed25519_dalek::{
    SigningKey,
    pkcs8::{DecodePrivateKey, EncodePrivateKey},
};

use crate::{
    Services,
    error::{ServiceError, ServiceResult},
    store::ServerKeyRecord,
};

/// One server key, ready to sign.
pub struct ServerKey {
    pub name: String,
    pub key: SigningKey,
}

impl ServerKey {
    pub fn public(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }
}

/// The log's origin and key name: where the log lives, as people reach it.
fn log_name(public_url: &str) -> String {
    let host = public_url
        .split("://")
        .nth(1)
        .unwrap_or(public_url)
        .trim_end_matches('/');
    format!("{host}/countersign-log")
}

async fn load_or_create(svc: &Services, purpose: &str, name: String) -> ServiceResult<ServerKey> {
    for _ in 0..2 {
        if let Some(k) = svc.store.server_key(purpose).await? {
            let der = STANDARD
                .decode(&k.private_key)
                .map_err(|e| ServiceError::Internal(e.into()))?;
            let key = SigningKey::from_pkcs8_der(&der)
                .map_err(|e| ServiceError::Internal(format!("server key {purpose}: {e}").into()))?;
            return Ok(ServerKey { name: k.name, key });
        }
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let der = key
            .to_pkcs8_der()
            .map_err(|e| ServiceError::Internal(format!("server key {purpose}: {e}").into()))?;
        svc.store
            .insert_server_key(ServerKeyRecord {
                purpose: purpose.to_owned(),
                name: name.clone(),
                private_key: STANDARD.encode(der.as_bytes()),
                public_key: STANDARD.encode(key.verifying_key().to_bytes()),
                created_at: Utc::now(),
            })
            .await?;
    }
    Err(ServiceError::Internal(
        format!("server key {purpose} could not be stored").into(),
    ))
}

/// The log key, loaded once per process.
pub async fn log_key(svc: &Services) -> ServiceResult<Arc<ServerKey>> {
    svc.server_keys
        .log
        .get_or_try_init(|| async {
            load_or_create(svc, "log", log_name(&svc.public_url))
                .await
                .map(Arc::new)
        })
        .await
        .cloned()
}

/// The system's decision key, loaded once per process.
pub async fn system_key(svc: &Services) -> ServiceResult<Arc<ServerKey>> {
    svc.server_keys
        .system
        .get_or_try_init(|| async {
            load_or_create(svc, "system", "countersign-system".into())
                .await
                .map(Arc::new)
        })
        .await
        .cloned()
}

/// Where the loaded keys are kept (one per process).
#[derive(Default, Clone)]
pub struct KeyCache {
    log: Arc<tokio::sync::OnceCell<Arc<ServerKey>>>,
    system: Arc<tokio::sync::OnceCell<Arc<ServerKey>>>,
}
