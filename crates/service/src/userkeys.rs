//! People's Ed25519 signing keys, sealed with their password.
//!
//! The private key (its 32-byte seed) is encrypted with XChaCha20-Poly1305 under a key
//! derived from the password by argon2id (OWASP parameters, a fresh salt per sealing). It
//! is unsealed only to sign a decision, with the password typed into the decision form;
//! the seed, the derived key and the password copies are zeroized when dropped. A
//! password change re-seals the same key; an admin reset cannot recover it, so it retires
//! the key and a new one is made at the next sign-in (old signatures still verify).

use argon2::{Algorithm, Version};
use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng},
};
use countersign_core::{UserId, decision};
use ed25519_dalek::SigningKey;
use rand::RngCore;
use zeroize::Zeroizing;

use crate::{
    Password, Services,
    error::{ServiceError, ServiceResult},
    store::{AuditActor, NewUserKey, UserKeyRecord},
};

struct Sealed {
    salt: String,
    nonce: String,
    sealed: String,
}

fn derive(password: &str, salt: &[u8]) -> ServiceResult<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    crate::kdf::derive_into(
        crate::kdf::owasp(Some(32)),
        Algorithm::Argon2id,
        Version::V0x13,
        password.as_bytes(),
        salt,
        out.as_mut(),
    )
    .map_err(|e| ServiceError::Internal(e.to_string().into()))?;
    Ok(out)
}

fn seal(seed: &[u8; 32], password: &str) -> ServiceResult<Sealed> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let key = derive(password, &salt)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(&nonce, seed.as_slice())
        .map_err(|_| ServiceError::Internal("sealing failed".into()))?;
    Ok(Sealed {
        salt: STANDARD.encode(salt),
        nonce: STANDARD.encode(nonce),
        sealed: STANDARD.encode(sealed),
    })
}

/// The signing key inside `k`, if `password` is the one it was sealed with.
fn unseal(k: &UserKeyRecord, password: &str) -> ServiceResult<Option<SigningKey>> {
    let bad = || ServiceError::Internal("a stored key is corrupt".into());
    let salt = STANDARD.decode(&k.salt).map_err(|_| bad())?;
    let nonce = STANDARD.decode(&k.nonce).map_err(|_| bad())?;
    let sealed = STANDARD.decode(&k.sealed).map_err(|_| bad())?;
    if nonce.len() != 24 {
        return Err(bad());
    }
    let key = derive(password, &salt)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let Ok(seed) = cipher.decrypt(XNonce::from_slice(&nonce), sealed.as_slice()) else {
        return Ok(None);
    };
    let seed = Zeroizing::new(seed);
    let seed: [u8; 32] = seed.as_slice().try_into().map_err(|_| bad())?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

/// argon2 work under the same bound as password checks (see `Passwords::bounded`).
async fn blocking<T: Send + 'static>(
    svc: &Services,
    f: impl FnOnce() -> ServiceResult<T> + Send + 'static,
) -> ServiceResult<T> {
    svc.passwords.bounded(f).await?
}
/// Makes, seals and stores a new key for `user` (retiring any active one).
async fn create(
    svc: &Services,
    user: UserId,
    password: &Password,
    replace: bool,
) -> ServiceResult<SigningKey> {
    let pw = Zeroizing::new(password.expose().to_owned());
    let (key, sealed) = blocking(svc, move || {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let sealed = seal(&key.to_bytes(), &pw)?;
        Ok((key, sealed))
    })
    .await?;
    let public = key.verifying_key().to_bytes();
    svc.store
        .insert_user_key(
            NewUserKey {
                user_id: user,
                key_id: decision::key_id(&public),
                public_key: STANDARD.encode(public),
                salt: sealed.salt,
                nonce: sealed.nonce,
                sealed: sealed.sealed,
            },
            AuditActor::User(user),
            replace,
        )
        .await?;
    Ok(key)
}

/// The person's signing key, unsealed with `password` (already verified as theirs), made
/// now if they have none. A key that does not open with their current password (sealed
/// before a reset the store missed) is retired and replaced.
pub async fn signing_key(
    svc: &Services,
    user: UserId,
    password: &Password,
) -> ServiceResult<SigningKey> {
    if let Some(k) = svc.store.active_user_key(user).await? {
        let pw = Zeroizing::new(password.expose().to_owned());
        if let Some(key) = blocking(svc, move || unseal(&k, &pw)).await? {
            return Ok(key);
        }
    }
    create(svc, user, password, true).await
}

/// Makes a key at sign-in for someone who has none.
pub async fn ensure(svc: &Services, user: UserId, password: &Password) -> ServiceResult<()> {
    if svc.store.active_user_key(user).await?.is_none() {
        create(svc, user, password, false).await?;
    }
    Ok(())
}

/// Re-seals the person's key under their new password (after a password change).
pub async fn reseal(
    svc: &Services,
    user: UserId,
    old: &Password,
    new: &Password,
) -> ServiceResult<()> {
    let Some(k) = svc.store.active_user_key(user).await? else {
        return create(svc, user, new, false).await.map(|_| ());
    };
    let (old, new_pw) = (
        Zeroizing::new(old.expose().to_owned()),
        Zeroizing::new(new.expose().to_owned()),
    );
    let id = k.id;
    let sealed = blocking(svc, move || match unseal(&k, &old)? {
        Some(key) => seal(&key.to_bytes(), &new_pw).map(Some),
        None => Ok(None),
    })
    .await?;
    match sealed {
        Some(s) => Ok(svc
            .store
            .reseal_user_key(id, &s.salt, &s.nonce, &s.sealed)
            .await?),
        None => create(svc, user, new, true).await.map(|_| ()),
    }
}

/// Retires the person's key (an admin reset: nobody can unseal it any more).
pub async fn retire(svc: &Services, user: UserId, by: AuditActor) -> ServiceResult<()> {
    Ok(svc.store.retire_user_keys(user, by).await?)
}
