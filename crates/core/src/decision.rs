//! A signed decision: an in-toto Statement v1 whose subjects are the change's content
//! digests and whose predicate says who decided what, on which change and revision, under
//! which policy version — wrapped in a DSSE envelope signed with the decider's Ed25519 key
//! (the reviewer's own, or the server's system key for agent-only approvals).
//!
//! Building the exact bytes and checking them live here (pure, wasm-safe) so that the
//! server, the agent's `countersign verify-decision` and an auditor's verifier agree.

use base64::{Engine, engine::general_purpose::STANDARD};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{digest::ContentDigest, model::Verdict, provenance::dsse};

pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const PREDICATE_TYPE: &str = "https://countersign.dev/decision/v1";

/// What the decider signs, besides the content digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Predicate {
    pub verdict: Verdict,
    pub change_id: i64,
    pub revision: i64,
    /// The reviewer's username, or `system`.
    pub decider: String,
    pub key_id: String,
    /// The policy version (SHA-256 of its text) in force.
    pub policy: Option<String>,
    /// SHA-256 of the comment, hex (the comment itself stays off the log).
    pub comment_sha256: Option<String>,
    /// RFC 3339, UTC.
    pub time: String,
    /// For a system decision: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("the envelope is not a DSSE envelope of an in-toto statement")]
    Malformed,
    #[error("no signature by key {0} verifies")]
    BadSignature(String),
    #[error("the decision is about change {got}, not {want}")]
    WrongChange { got: i64, want: i64 },
    #[error("the decision was made on content {got}, not {want}")]
    WrongContent { got: String, want: String },
}

/// A key's id: `ed25519:` and the first 16 hex digits of SHA-256 of the public key.
pub fn key_id(public: &[u8; 32]) -> String {
    format!("ed25519:{}", &hex::encode(Sha256::digest(public))[..16])
}

pub fn comment_digest(comment: Option<&str>) -> Option<String> {
    comment.map(|c| hex::encode(Sha256::digest(c.as_bytes())))
}

fn subject(name: &str, digest: &str) -> serde_json::Value {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    serde_json::json!({ "name": name, "digest": { "sha256": hex } })
}

/// The statement's exact bytes (canonical JSON).
pub fn statement(content: &ContentDigest, p: &Predicate) -> Vec<u8> {
    let v = serde_json::json!({
        "_type": STATEMENT_TYPE,
        "subject": [
            subject("change", &content.digest),
            subject("diff", &content.diff),
            subject("evals", &content.evals),
            subject("attestations", &content.attestations),
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": p,
    });
    serde_jcs::to_vec(&v).unwrap_or_default()
}

/// The DSSE envelope (JSON text) for `payload` signed by `key_id` with `signature` over
/// `dsse::pae(PAYLOAD_TYPE, payload)`.
pub fn envelope(payload: &[u8], key_id: &str, signature: &[u8; 64]) -> String {
    serde_json::json!({
        "payloadType": PAYLOAD_TYPE,
        "payload": STANDARD.encode(payload),
        "signatures": [{ "keyid": key_id, "sig": STANDARD.encode(signature) }],
    })
    .to_string()
}

/// The bytes a decider signs.
pub fn signing_input(payload: &[u8]) -> Vec<u8> {
    dsse::pae(PAYLOAD_TYPE, payload)
}

/// An expiry the system records: no decision came in time.
pub const EXPIRY_PREDICATE_TYPE: &str = "https://countersign.dev/expiry/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryPredicate {
    pub change_id: i64,
    pub revision: i64,
    pub key_id: String,
    pub time: String,
    pub reason: String,
}

/// The expiry statement's exact bytes: its one subject is the change's content digest.
pub fn expiry_statement(digest: &str, p: &ExpiryPredicate) -> Vec<u8> {
    let v = serde_json::json!({
        "_type": STATEMENT_TYPE,
        "subject": [subject("change", digest)],
        "predicateType": EXPIRY_PREDICATE_TYPE,
        "predicate": p,
    });
    serde_jcs::to_vec(&v).unwrap_or_default()
}

/// Checks a system-signed expiry the way [`verify`] checks a decision.
pub fn verify_expiry(
    envelope: &str,
    key: &VerifyingKey,
    change_id: i64,
    digest: &str,
) -> Result<ExpiryPredicate, DecisionError> {
    let st = open(envelope, key)?;
    if st["predicateType"] != EXPIRY_PREDICATE_TYPE {
        return Err(DecisionError::Malformed);
    }
    let p: ExpiryPredicate =
        serde_json::from_value(st["predicate"].clone()).map_err(|_| DecisionError::Malformed)?;
    bound(&st, p.change_id, change_id, digest)?;
    Ok(p)
}

/// The statement inside `envelope`, if `key` signed it.
fn open(envelope: &str, key: &VerifyingKey) -> Result<serde_json::Value, DecisionError> {
    let env: dsse::Envelope =
        serde_json::from_str(envelope).map_err(|_| DecisionError::Malformed)?;
    if env.payload_type != PAYLOAD_TYPE {
        return Err(DecisionError::Malformed);
    }
    let payload = dsse::b64(&env.payload).ok_or(DecisionError::Malformed)?;
    let input = signing_input(&payload);
    let signed = env.signatures.iter().any(|s| {
        dsse::b64(&s.sig)
            .and_then(|b| Signature::from_slice(&b).ok())
            .is_some_and(|sig| key.verify(&input, &sig).is_ok())
    });
    if !signed {
        return Err(DecisionError::BadSignature(key_id(&key.to_bytes())));
    }
    let st: serde_json::Value =
        serde_json::from_slice(&payload).map_err(|_| DecisionError::Malformed)?;
    if st["_type"] != STATEMENT_TYPE {
        return Err(DecisionError::Malformed);
    }
    Ok(st)
}

/// The statement is about change `want` (its predicate says `got`) and its content `digest`.
fn bound(st: &serde_json::Value, got: i64, want: i64, digest: &str) -> Result<(), DecisionError> {
    if got != want {
        return Err(DecisionError::WrongChange { got, want });
    }
    let want = digest.strip_prefix("sha256:").unwrap_or(digest);
    let got = st["subject"]
        .as_array()
        .and_then(|s| s.iter().find(|x| x["name"] == "change"))
        .and_then(|x| x["digest"]["sha256"].as_str())
        .unwrap_or_default();
    if got != want {
        return Err(DecisionError::WrongContent {
            got: format!("sha256:{got}"),
            want: format!("sha256:{want}"),
        });
    }
    Ok(())
}

/// Checks `envelope` against `key`, and that it decides change `change_id` on exactly the
/// content `digest` (`sha256:…`). Returns the predicate.
pub fn verify(
    envelope: &str,
    key: &VerifyingKey,
    change_id: i64,
    digest: &str,
) -> Result<Predicate, DecisionError> {
    let st = open(envelope, key)?;
    if st["predicateType"] != PREDICATE_TYPE {
        return Err(DecisionError::Malformed);
    }
    let p: Predicate =
        serde_json::from_value(st["predicate"].clone()).map_err(|_| DecisionError::Malformed)?;
    bound(&st, p.change_id, change_id, digest)?;
    Ok(p)
}
