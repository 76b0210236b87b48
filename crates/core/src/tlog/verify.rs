//! Verifying a whole log from outside: the checkpoint's signature, every leaf's canonical
//! form, the root recomputed from every leaf, each decision's signature (with the key it
//! names, retired or not) and that it decides the change its entry is about, each recorded
//! outcome against the stakes policy replayed from the log (`replay`), and — given
//! a checkpoint kept from before — that the log still extends it. Pure: the CLI runs it on
//! a live server's answers or on an exported bundle, and it compiles to wasm.

use base64::{Engine, engine::general_purpose::STANDARD};
use ed25519_dalek::VerifyingKey;

use super::entry::Entry;
use crate::{
    decision,
    merkle::{Hash, leaf_hash, root_of, verify_consistency},
    note::{self, NoteVerifier},
};

/// The published keys (`/api/v1/keys`), as read from its JSON.
pub struct KeyRing {
    pub log: NoteVerifier,
    /// (key id, key) for the system and for every person's key, retired ones included.
    pub signers: Vec<(String, VerifyingKey)>,
}

fn ed25519(b64: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = STANDARD.decode(b64).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

impl KeyRing {
    pub fn from_json(keys: &serde_json::Value) -> Option<KeyRing> {
        let log = NoteVerifier::from_vkey(keys["log"]["vkey"].as_str()?)?;
        let mut signers = Vec::new();
        let system = ed25519(keys["system"]["public_key"].as_str()?)?;
        signers.push((decision::key_id(&system.to_bytes()), system));
        for r in keys["reviewers"].as_array().into_iter().flatten() {
            let k = ed25519(r["public_key"].as_str()?)?;
            signers.push((decision::key_id(&k.to_bytes()), k));
        }
        Some(KeyRing { log, signers })
    }

    fn signer(&self, key_id: &str) -> Option<&VerifyingKey> {
        self.signers
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, k)| k)
    }
}

/// What a verification found. `problems` empty means everything held.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Findings {
    pub size: u64,
    pub decisions: usize,
    pub problems: Vec<String>,
}

/// An earlier checkpoint to check the log against, with the consistency proof from its
/// size to the current one (as the server served it; empty when the sizes are equal).
pub struct Earlier<'a> {
    pub note: &'a str,
    pub proof: Vec<Vec<u8>>,
}

/// Verifies `leaves` (entries 0..n, exact bytes) against the signed `checkpoint`.
pub fn verify(
    checkpoint: &str,
    keys: &KeyRing,
    leaves: &[Vec<u8>],
    earlier: Option<Earlier>,
) -> Findings {
    let mut f = Findings::default();
    let cp = match note::parse(checkpoint) {
        Ok(cp) => cp,
        Err(e) => {
            f.problems.push(format!("checkpoint: {e}"));
            return f;
        }
    };
    f.size = cp.size;
    if !cp.signed_by(&keys.log) {
        f.problems
            .push("checkpoint: not signed by the published log key".into());
    }
    if leaves.len() as u64 != cp.size {
        f.problems.push(format!(
            "the checkpoint says {} entries; {} were given",
            cp.size,
            leaves.len()
        ));
    }
    let hashes: Vec<Hash> = leaves.iter().map(|l| leaf_hash(l)).collect();
    let n = (cp.size as usize).min(hashes.len());
    let root_ok = n > 0 && root_of(&hashes[..n]).as_slice() == cp.root.as_slice();
    if n > 0 && !root_ok {
        f.problems.push("the entries do not hash to the checkpoint's root: an entry was edited, removed, added or reordered".into());
    }
    let mut entries = Vec::with_capacity(leaves.len());
    for (i, leaf) in leaves.iter().enumerate() {
        match Entry::from_leaf(leaf) {
            None => f
                .problems
                .push(format!("entry {i}: not a canonical log entry")),
            Some(e) => {
                check_decision(i, &e, keys, &mut f);
                entries.push((i, e));
            }
        }
    }
    f.problems.extend(super::replay::check_outcomes(&entries));
    if let Some(old) = earlier {
        check_earlier(&old, keys, &cp, &hashes, &mut f);
    }
    f
}

fn check_decision(i: usize, e: &Entry, keys: &KeyRing, f: &mut Findings) {
    let expiry = e.action == "change.expire";
    let Some(env) = e.details["envelope"]
        .as_str()
        .filter(|_| e.action == "change.decide" || expiry)
    else {
        return;
    };
    let change: Option<i64> = e
        .subject
        .strip_prefix("change:")
        .and_then(|s| s.parse().ok());
    let digest = e.details["digest"].as_str().unwrap_or_default();
    let key_id = serde_json::from_str::<serde_json::Value>(env)
        .ok()
        .and_then(|v| v["signatures"][0]["keyid"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let Some(key) = keys.signer(&key_id) else {
        f.problems.push(format!(
            "entry {i}: decision signed by unknown key `{key_id}`"
        ));
        return;
    };
    if expiry {
        if let Err(err) = decision::verify_expiry(env, key, change.unwrap_or(-1), digest) {
            f.problems.push(format!("entry {i}: expiry: {err}"));
        }
        return;
    }
    match decision::verify(env, key, change.unwrap_or(-1), digest) {
        Ok(_) => f.decisions += 1,
        Err(err) => f.problems.push(format!("entry {i}: decision: {err}")),
    }
}

fn check_earlier(
    old: &Earlier,
    keys: &KeyRing,
    cp: &note::Checkpoint,
    hashes: &[Hash],
    f: &mut Findings,
) {
    let prev = match note::parse(old.note) {
        Ok(p) => p,
        Err(e) => {
            f.problems.push(format!("earlier checkpoint: {e}"));
            return;
        }
    };
    if !prev.signed_by(&keys.log) {
        f.problems.push(
            "earlier checkpoint: not signed by the published log key (was the key swapped?)".into(),
        );
    }
    if prev.size > cp.size {
        f.problems.push(format!(
            "the log shrank from {} to {} entries",
            prev.size, cp.size
        ));
        return;
    }
    let n = prev.size as usize;
    if n == 0 || n > hashes.len() {
        return;
    }
    if root_of(&hashes[..n]).as_slice() != prev.root.as_slice() {
        f.problems.push(format!(
            "the first {n} entries no longer hash to the earlier checkpoint's root: history was rewritten"
        ));
    }
    if prev.size < cp.size
        && verify_consistency(prev.size, cp.size, &prev.root, &cp.root, &old.proof).is_err()
    {
        f.problems.push(
            "the server's consistency proof from the earlier checkpoint does not verify (a fork)"
                .into(),
        );
    }
}

/// [`verify`] on the wire forms: the keys as `/api/v1/keys` JSON text and the leaves in
/// base64 (what the CLI's bundle and the audit page's data hold).
pub fn verify_wire(checkpoint: &str, keys_json: &str, leaves_b64: &[String]) -> Findings {
    let keys = serde_json::from_str::<serde_json::Value>(keys_json)
        .ok()
        .and_then(|v| KeyRing::from_json(&v));
    let Some(keys) = keys else {
        return Findings {
            problems: vec!["the published keys cannot be read".into()],
            ..Findings::default()
        };
    };
    let mut leaves = Vec::with_capacity(leaves_b64.len());
    for (i, l) in leaves_b64.iter().enumerate() {
        match STANDARD.decode(l) {
            Ok(b) => leaves.push(b),
            Err(_) => {
                return Findings {
                    problems: vec![format!("entry {i}: leaf is not base64")],
                    ..Findings::default()
                };
            }
        }
    }
    verify(checkpoint, &keys, &leaves, None)
}

/// Checks the policy versions a bundle carries against the log: each text hashes to its
/// stated SHA-256, and every version the log names (policy changes, submissions,
/// decisions) is among them.
pub fn check_policies(leaves: &[Vec<u8>], policies: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (hash, text) in policies {
        if crate::policy::Policy::hash(text) != *hash {
            problems.push(format!("policy {hash}: its text does not hash to it"));
        }
    }
    let known = |h: &str| policies.iter().any(|(p, _)| p == h);
    let mut named = std::collections::BTreeSet::new();
    for e in leaves.iter().filter_map(|l| Entry::from_leaf(l)) {
        for key in ["hash", "policy"] {
            if let Some(h) = e.details[key].as_str().filter(|h| h.starts_with("sha256:"))
                && (e.action == "policy.set" || key == "policy")
            {
                named.insert(h.to_owned());
            }
        }
    }
    for h in named.iter().filter(|h| !known(h)) {
        problems.push(format!(
            "the log names policy {h}, which the bundle does not hold"
        ));
    }
    problems
}

/// The format name of an exported log bundle.
pub const BUNDLE_FORMAT: &str = "countersign-log-bundle/v1";

/// An export bundle (`countersign export`, the audit page's download): the checkpoint,
/// the published keys, every leaf (base64) and every policy version (hash, text).
pub fn bundle_json(
    checkpoint: &str,
    keys: &serde_json::Value,
    leaves_b64: &[String],
    policies: &[(String, String)],
) -> serde_json::Value {
    serde_json::json!({
        "format": BUNDLE_FORMAT,
        "checkpoint": checkpoint,
        "keys": keys,
        "entries": leaves_b64.iter().enumerate().map(|(i, l)| serde_json::json!({"index": i, "leaf": l})).collect::<Vec<_>>(),
        "policies": policies.iter().map(|(h, t)| serde_json::json!({"hash": h, "text": t})).collect::<Vec<_>>(),
    })
}
