//! Checkpoints in the C2SP `tlog-checkpoint` format: the note body
//! `<origin>\n<size>\n<base64 root>\n`, signed as a C2SP signed note with an Ed25519 key
//! whose id is the first 4 bytes of `SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)`.
//! Signing needs the private key and happens on the server; this module only builds the
//! exact bytes, so that signer and verifiers cannot disagree about them.

use base64::{Engine, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};

use crate::merkle::Hash;

/// The signed part of a checkpoint.
pub fn body(origin: &str, size: u64, root: &Hash) -> String {
    format!("{origin}\n{size}\n{}\n", STANDARD.encode(root))
}

/// The 4-byte key id of an Ed25519 note key.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([0x01]);
    h.update(public_key);
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// The verifier key string (`name+hexid+base64(0x01 ‖ key)`) that `note::NoteVerifier`
/// reads, for publishing beside the checkpoint.
pub fn vkey(name: &str, public_key: &[u8; 32]) -> String {
    let mut k = vec![0x01];
    k.extend_from_slice(public_key);
    format!(
        "{name}+{}+{}",
        hex::encode(key_id(name, public_key)),
        STANDARD.encode(k)
    )
}

/// The whole signed note, given the body and the Ed25519 signature over it.
pub fn note(body: &str, name: &str, public_key: &[u8; 32], signature: &[u8; 64]) -> String {
    let mut sig = key_id(name, public_key).to_vec();
    sig.extend_from_slice(signature);
    format!("{body}\n— {name} {}\n", STANDARD.encode(sig))
}
