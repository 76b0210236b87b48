//! The content digest: the one value a decision names, so a decision can never be moved
//! onto content it did not see.
//!
//! Encoding (version `countersign.change.v1`, also in `docs/digest.md`):
//! each part is hashed on its own with SHA-256, then the parts' hex digests and the
//! metadata are put in one JSON object that is serialized with RFC 8785 (JCS) canonical
//! JSON and hashed again:
//!
//! ```text
//! diff          = sha256(the diff's bytes exactly as submitted: the UTF-8 of `diff`, or
//!                        the decoded `diff_base64`)
//! evals         = sha256(JCS(evals list))
//! attestations  = sha256(JCS(attestations list))
//! digest        = sha256(JCS({"type": "countersign.change.v1", "title", "repository",
//!                             "base" (string or null), "diff", "evals", "attestations"}))
//! ```
//! Per-part digests let a later signed decision list each part as its own in-toto subject.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::eval::Eval;

/// The identifier of the encoding, part of the hashed object.
pub const DIGEST_TYPE: &str = "countersign.change.v1";

/// The parts of a change that its digest covers.
pub struct ContentParts<'a> {
    pub title: &'a str,
    pub repository: &'a str,
    pub base: Option<&'a str>,
    pub diff: &'a [u8],
    pub evals: &'a [Eval],
    pub attestations: &'a [serde_json::Value],
}

/// The digest of a change and of each of its parts, all as `sha256:<hex>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentDigest {
    pub digest: String,
    pub diff: String,
    pub evals: String,
    pub attestations: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn canonical<T: Serialize>(value: &T) -> Vec<u8> {
    // JCS only fails on values JSON cannot represent (non-finite floats). Evals are
    // validated finite before they get here, so this is an invariant, not input handling.
    serde_jcs::to_vec(value).expect("canonical JSON of validated content")
}

impl ContentDigest {
    pub fn compute(parts: &ContentParts<'_>) -> Self {
        let diff = sha256_hex(parts.diff);
        let evals = sha256_hex(&canonical(&parts.evals));
        let attestations = sha256_hex(&canonical(&parts.attestations));
        let top = serde_json::json!({
            "type": DIGEST_TYPE,
            "title": parts.title,
            "repository": parts.repository,
            "base": parts.base,
            "diff": diff,
            "evals": evals,
            "attestations": attestations,
        });
        ContentDigest {
            digest: format!("sha256:{}", sha256_hex(&canonical(&top))),
            diff: format!("sha256:{diff}"),
            evals: format!("sha256:{evals}"),
            attestations: format!("sha256:{attestations}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::EvalStatus;

    fn parts<'a>(
        diff: &'a str,
        evals: &'a [Eval],
        att: &'a [serde_json::Value],
    ) -> ContentParts<'a> {
        ContentParts {
            title: "t",
            repository: "r",
            base: Some("main"),
            diff: diff.as_bytes(),
            evals,
            attestations: att,
        }
    }

    #[test]
    fn known_answer_for_an_empty_change() {
        // Pinned so that an accidental change of encoding is caught: verifiers outside this
        // codebase recompute this value.
        let d = ContentDigest::compute(&parts("", &[], &[]));
        assert_eq!(
            d.diff,
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(d.evals, format!("sha256:{}", sha256_hex(b"[]")));
        let top = r#"{"attestations":"4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","base":"main","diff":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","evals":"4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","repository":"r","title":"t","type":"countersign.change.v1"}"#;
        assert_eq!(d.digest, format!("sha256:{}", sha256_hex(top.as_bytes())));
    }

    #[test]
    fn key_order_in_attestations_does_not_change_the_digest() {
        let a = [serde_json::json!({"b": 1, "a": [1, 2]})];
        let b: Vec<serde_json::Value> = vec![serde_json::from_str(r#"{"a":[1,2],"b":1}"#).unwrap()];
        assert_eq!(
            ContentDigest::compute(&parts("x", &[], &a)),
            ContentDigest::compute(&parts("x", &[], &b))
        );
    }

    #[test]
    fn any_content_change_changes_the_digest() {
        let e = [Eval {
            source: None,
            ..Eval::new("n", EvalStatus::Pass, "")
        }];
        let base = ContentDigest::compute(&parts("x", &e, &[]));
        assert_ne!(
            base.digest,
            ContentDigest::compute(&parts("y", &e, &[])).digest
        );
        assert_ne!(
            base.digest,
            ContentDigest::compute(&parts("x", &[], &[])).digest
        );
        let mut other = parts("x", &e, &[]);
        other.base = None;
        assert_ne!(base.digest, ContentDigest::compute(&other).digest);
    }
}
