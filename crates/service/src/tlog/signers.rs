//! Every key a decision may be signed with — the system's and every person's, retired
//! ones included — for checking stored decisions on the change page with the same
//! verifier the CLI and the auditor use.

use base64::{Engine, engine::general_purpose::STANDARD};
use countersign_core::decision;
use ed25519_dalek::VerifyingKey;

use super::system_key;
use crate::{Services, error::ServiceResult};

pub struct Signers(Vec<(String, VerifyingKey)>);

pub async fn signers(svc: &Services) -> ServiceResult<Signers> {
    let system = system_key(svc).await?.key.verifying_key();
    let mut out = vec![(decision::key_id(&system.to_bytes()), system)];
    for k in svc.store.user_keys().await? {
        let key = STANDARD
            .decode(&k.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(|b| VerifyingKey::from_bytes(&b).ok());
        if let Some(key) = key {
            out.push((k.key_id, key));
        }
    }
    Ok(Signers(out))
}

impl Signers {
    /// Checks one decision's envelope with the key it names; `Ok(key id)` when it holds.
    pub fn check(
        &self,
        key_id: Option<&str>,
        envelope: &str,
        change: i64,
        digest: &str,
    ) -> Result<String, String> {
        let kid = key_id.unwrap_or_default();
        let key = self
            .0
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, k)| k)
            .ok_or_else(|| format!("unknown key `{kid}`"))?;
        decision::verify(envelope, key, change, digest)
            .map(|_| kid.to_owned())
            .map_err(|e| e.to_string())
    }
}
