//! Password hashing with argon2id at the OWASP parameters (19 MiB, t = 2, p = 1).
//!
//! Hashing runs on a small dedicated thread pool (as many threads as hashes may run at
//! once), so a burst of logins cannot starve the async runtime or exhaust memory: each
//! hash holds 19 MiB, and on tokio's blocking pool every new thread kept its own malloc
//! arena with that much in it (200 sign-ins left the server at 638 MiB). An unknown
//! username is checked against a dummy hash so the response time does not reveal which
//! accounts exist.

use std::sync::Arc;

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};
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

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
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
        let dummy = hash_now("countersign-dummy-password-for-timing").expect("hashing works");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(concurrency.max(1))
            .thread_name(|i| format!("argon2-{i}"))
            .build()
            .expect("the hashing threads start");
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
            .blocking(move || {
                PasswordHash::new(&hash)
                    .map(|parsed| argon2().verify_password(pw.as_bytes(), &parsed).is_ok())
                    .unwrap_or(false)
            })
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
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
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
