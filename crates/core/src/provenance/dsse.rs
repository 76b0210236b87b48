//! DSSE envelopes (the Dead Simple Signing Envelope): the pre-authentication encoding
//! and signature checks with Ed25519 and ECDSA P-256 / P-384 keys, signatures in DER or
//! raw `r‖s` form. Verifiers must accept standard and URL-safe base64; both are tried.

use base64::{Engine, engine::general_purpose};
use ecdsa::signature::Verifier as _;
use serde::Deserialize;

/// A DSSE envelope as JSON carries it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    pub payload: String,
    pub payload_type: String,
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Signature {
    #[serde(default)]
    pub keyid: Option<String>,
    pub sig: String,
    /// A PEM certificate some producers attach (slsa-github-generator's plain envelopes).
    #[serde(default)]
    pub cert: Option<String>,
}

/// The DER inside a PEM block (any label; header lines and blank lines ignored).
pub fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.trim().is_empty())
        .collect();
    general_purpose::STANDARD.decode(body.trim()).ok()
}

/// Decodes base64 in either alphabet, padded or not.
pub fn b64(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    general_purpose::STANDARD
        .decode(s)
        .or_else(|_| general_purpose::URL_SAFE.decode(s))
        .or_else(|_| general_purpose::STANDARD_NO_PAD.decode(s))
        .or_else(|_| general_purpose::URL_SAFE_NO_PAD.decode(s))
        .ok()
}

/// `PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in
/// bytes as ASCII decimals.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

impl Envelope {
    pub fn payload_bytes(&self) -> Option<Vec<u8>> {
        b64(&self.payload)
    }

    /// The bytes every signature must cover.
    pub fn pae(&self) -> Option<Vec<u8>> {
        Some(pae(&self.payload_type, &self.payload_bytes()?))
    }
}

/// A key a signature can be checked with.
#[derive(Debug, Clone)]
pub enum VerifyingKey {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

impl VerifyingKey {
    /// From a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Option<Self> {
        use p256::pkcs8::DecodePublicKey;
        ed25519_dalek::VerifyingKey::from_public_key_der(der)
            .map(VerifyingKey::Ed25519)
            .or_else(|_| {
                p256::ecdsa::VerifyingKey::from_public_key_der(der).map(VerifyingKey::P256)
            })
            .or_else(|_| {
                p384::ecdsa::VerifyingKey::from_public_key_der(der).map(VerifyingKey::P384)
            })
            .ok()
    }

    /// From a PEM public key.
    pub fn from_pem(pem: &str) -> Option<Self> {
        Self::from_spki_der(&pem_der(pem)?)
    }

    /// Checks `sig` over `msg`; ECDSA signatures may be DER or raw `r‖s`.
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match self {
            VerifyingKey::Ed25519(k) => ed25519_dalek::Signature::from_slice(sig)
                .is_ok_and(|s| k.verify_strict(msg, &s).is_ok()),
            VerifyingKey::P256(k) => p256::ecdsa::Signature::from_der(sig)
                .or_else(|_| p256::ecdsa::Signature::from_slice(sig))
                .is_ok_and(|s| k.verify(msg, &s).is_ok()),
            VerifyingKey::P384(k) => p384::ecdsa::Signature::from_der(sig)
                .or_else(|_| p384::ecdsa::Signature::from_slice(sig))
                .is_ok_and(|s| k.verify(msg, &s).is_ok()),
        }
    }
}

/// Which of `keys` (by position) signed the envelope, each counted once.
pub fn signers(env: &Envelope, keys: &[VerifyingKey]) -> Vec<usize> {
    let Some(pae) = env.pae() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for s in &env.signatures {
        let Some(sig) = b64(&s.sig) else { continue };
        for (i, k) in keys.iter().enumerate() {
            if !found.contains(&i) && k.verify(&pae, &sig) {
                found.push(i);
                break;
            }
        }
    }
    found
}
