//! The policy version in force: the newest stored one. On a fresh database the shipped
//! default is stored as version 1 the first time it is needed, so every change and
//! decision names a version that an auditor can look up.

use std::sync::Arc;

use countersign_core::policy::{DEFAULT_TOML, Policy};

use crate::{
    Services,
    error::{ServiceError, ServiceResult},
    store::StoreError,
};

#[derive(Debug, Clone)]
pub struct CurrentPolicy {
    pub version: i64,
    pub hash: String,
    pub text: String,
    pub policy: Arc<Policy>,
}

pub async fn current(svc: &Services) -> ServiceResult<CurrentPolicy> {
    for _ in 0..3 {
        if let Some(p) = svc.store.current_policy().await? {
            let policy = Policy::parse(&p.text).map_err(|e| {
                ServiceError::Internal(
                    format!("stored policy {} is invalid: {e}", p.version).into(),
                )
            })?;
            return Ok(CurrentPolicy {
                version: p.version,
                hash: p.hash,
                text: p.text,
                policy: Arc::new(policy),
            });
        }
        // None stored yet: store the default. Two instances may race; the loser's insert
        // conflicts on the version and it reads the winner's.
        match svc
            .store
            .save_policy(DEFAULT_TOML, &Policy::hash(DEFAULT_TOML), None, Vec::new())
            .await
        {
            Ok(_) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServiceError::Internal(
        "no policy version could be stored".into(),
    ))
}
