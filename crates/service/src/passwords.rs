//! Password hashing with argon2id at the OWASP parameters (19 MiB, t = 2, p = 1).
//!
//! Hashing runs on a small dedicated thread pool (as many threads as hashes may run at
//! once), so a burst of logins cannot starve the async runtime or exhaust memory: each
//! hash needs 19 MiB, and each hashing thread keeps that block for the next one (see
//! `kdf`; on tokio's blocking pool, 200 sign-ins left the server at 638 MiB). An unknown
//! username is checked against a dummy hash so the response time does not reveal which
//! accounts exist.

use std::sync::Arc;

use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use crate::error::{ServiceError, ServiceResult};

/// A password as typed. No `Debug`, no `Serialize`; wiped from memory when dropped.
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(s: String) -> Self {
        Password(Zeroizing::new(s))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    pool: Arc<rayon::ThreadPool>,
    dummy: Arc<String>,
}

impl Passwords {
    /// `concurrency` hashes may run at once; more wait their turn.
    pub fn new(concurrency: usize) -> Self {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(concurrency.max(1))
            .thread_name(|i| format!("argon2-{i}"))
            .build()
            .expect("the hashing threads start");
        // On the pool, so the caller's thread does not keep argon2 memory of its own.
        let dummy = pool
            .install(|| hash_now("countersign-dummy-password-for-timing"))
            .expect("hashing works");
        Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            pool: Arc::new(pool),
            dummy: Arc::new(dummy),
        }
    }

    pub async fn hash(&self, password: &Password) -> ServiceResult<String> {
        let pw = Zeroizing::new(password.expose().to_owned());
        self.blocking(move || hash_now(&pw)).await?
    }

    /// Checks `password` against `hash`, or against the dummy hash when there is no
    /// account, so both paths cost the same. Returns true only for a real match.
    pub async fn verify(&self, password: &Password, hash: Option<&str>) -> ServiceResult<bool> {
        let known = hash.is_some();
        let hash = hash
            .map(str::to_owned)
            .unwrap_or_else(|| (*self.dummy).clone());
        let pw = Zeroizing::new(password.expose().to_owned());
        let ok = self
            .blocking(move || crate::kdf::verify_phc(pw.as_bytes(), &hash))
            .await?;
        Ok(known && ok)
    }

    /// Runs memory-hard work (argon2) off the runtime, at most `concurrency` at once —
    /// the same bound for password checks and for sealing signing keys, so a burst of
    /// sign-ins cannot take more than `concurrency × 19 MiB`.
    pub async fn bounded<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        self.blocking(f).await
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| ServiceError::Internal(Box::new(e)))?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            let _ = tx.send(f());
        });
        rx.await.map_err(|e| ServiceError::Internal(Box::new(e)))
    }
}

fn hash_now(password: &str) -> ServiceResult<String> {
    crate::kdf::hash_phc(password.as_bytes())
        .map_err(|e| ServiceError::Internal(e.to_string().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let p = Passwords::new(2);
        let h = p
            .hash(&Password::new("correct horse battery".into()))
            .await
            .unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            p.verify(&Password::new("correct horse battery".into()), Some(&h))
                .await
                .unwrap()
        );
        assert!(
            !p.verify(&Password::new("wrong".into()), Some(&h))
                .await
                .unwrap()
        );
        assert!(
            !p.verify(
                &Password::new("countersign-dummy-password-for-timing".into()),
                None
            )
            .await
            .unwrap()
        );
    }
}
