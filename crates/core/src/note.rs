//! C2SP signed notes and `tlog-checkpoint` bodies: a transparency log's signed statement
//! of its size and root hash.
//!
//! A note is its text, a blank line, and signature lines `— <name> <base64(hint ‖ sig)>`.
//! The signed message is the text up to and including its last newline. Ed25519 keys
//! (`name+hash+base64(0x01 ‖ key)`) have the hint `SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[:4]`;
//! Rekor signs with ECDSA P-256 and the hint `SHA-256(DER SPKI)[:4]`.

use sha2::{Digest, Sha256};

use crate::provenance::dsse::{VerifyingKey, b64};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("not a signed note: {0}")]
    Malformed(&'static str),
}

/// A parsed checkpoint note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Vec<u8>,
    /// The signed text (origin, size, root and any extension lines, each ending in `\n`).
    pub text: String,
    /// (signer name, 4-byte key hint, signature) per signature line.
    pub signatures: Vec<(String, [u8; 4], Vec<u8>)>,
}

/// Parses a checkpoint note.
pub fn parse(note: &str) -> Result<Checkpoint, NoteError> {
    let (text, sigs) = note
        .split_once("\n\n")
        .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let text = format!("{text}\n");
    let mut lines = text.lines();
    let origin = lines
        .next()
        .filter(|o| !o.is_empty())
        .ok_or(NoteError::Malformed("no origin line"))?;
    let size = lines
        .next()
        .and_then(|s| {
            (!s.starts_with('+') && !s.starts_with('0') || s == "0")
                .then(|| s.parse::<u64>().ok())
                .flatten()
        })
        .ok_or(NoteError::Malformed("the size is not a decimal number"))?;
    let root = lines
        .next()
        .and_then(b64)
        .filter(|r| r.len() == 32)
        .ok_or(NoteError::Malformed(
            "the root is not a base64 SHA-256 hash",
        ))?;
    let mut signatures = Vec::new();
    for line in sigs.lines().filter(|l| !l.is_empty()) {
        let rest = line.strip_prefix("\u{2014} ").ok_or(NoteError::Malformed(
            "a signature line does not start with an em dash",
        ))?;
        let (name, sig) = rest
            .rsplit_once(' ')
            .ok_or(NoteError::Malformed("a signature line has no signature"))?;
        let bytes = b64(sig)
            .filter(|b| b.len() > 4)
            .ok_or(NoteError::Malformed("a signature is not base64"))?;
        let hint = [bytes[0], bytes[1], bytes[2], bytes[3]];
        signatures.push((name.to_owned(), hint, bytes[4..].to_vec()));
    }
    Ok(Checkpoint {
        origin: origin.to_owned(),
        size,
        root,
        text,
        signatures,
    })
}

/// A key that may have signed a note.
#[derive(Debug, Clone)]
pub struct NoteVerifier {
    pub name: String,
    pub hint: [u8; 4],
    pub key: VerifyingKey,
}

impl NoteVerifier {
    /// From a note verifier key string, `name+hash+base64(0x01 ‖ ed25519 key)`.
    pub fn from_vkey(vkey: &str) -> Option<Self> {
        let mut parts = vkey.trim().splitn(3, '+');
        let (name, hash, key) = (parts.next()?, parts.next()?, parts.next()?);
        let key = b64(key)?;
        if key.first() != Some(&1) || key.len() != 33 {
            return None;
        }
        let hint: [u8; 4] = hex::decode(hash).ok()?.try_into().ok()?;
        let mut h = Sha256::new();
        h.update(name.as_bytes());
        h.update(b"\n");
        h.update(&key);
        if h.finalize()[..4] != hint {
            return None;
        }
        let bytes: [u8; 32] = key[1..].try_into().ok()?;
        Some(NoteVerifier {
            name: name.to_owned(),
            hint,
            key: VerifyingKey::Ed25519(ed25519_dalek::VerifyingKey::from_bytes(&bytes).ok()?),
        })
    }

    /// A log's ECDSA key (PEM), as Rekor signs its checkpoints.
    pub fn from_ecdsa_pem(name: &str, pem: &str) -> Option<Self> {
        Self::from_spki_der(name, &crate::provenance::dsse::pem_der(pem)?)
    }

    /// A log's key as DER SubjectPublicKeyInfo (as Sigstore's trusted root carries it).
    pub fn from_spki_der(name: &str, der: &[u8]) -> Option<Self> {
        let hint: [u8; 4] = Sha256::digest(der)[..4].try_into().ok()?;
        Some(NoteVerifier {
            name: name.to_owned(),
            hint,
            key: VerifyingKey::from_spki_der(der)?,
        })
    }
}

impl Checkpoint {
    /// Whether one of the signatures is a valid one by `v` (matching name and hint).
    pub fn signed_by(&self, v: &NoteVerifier) -> bool {
        self.signatures.iter().any(|(name, hint, sig)| {
            *name == v.name && *hint == v.hint && v.key.verify(self.text.as_bytes(), sig)
        })
    }
}
