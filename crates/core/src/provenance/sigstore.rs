//! Verifying a signature made with a Fulcio certificate, offline: the certificate chains
//! to a CA in the trusted root, its key made the DSSE signature, and a Rekor entry — bound
//! to this payload, included in the log by an RFC 9162 proof under a checkpoint Rekor
//! signed — proves the signing happened while the ten-minute certificate was valid.

use serde_json::Value;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::{
    Check, cert,
    dsse::{Envelope, b64},
    trust::TrustedRoot,
};
use crate::{merkle, note};

fn utc(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| t.to_string())
}

fn num(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}

/// Checks a certificate-signed envelope; `tlog` is the bundle's first tlog entry.
pub fn verify(
    env: &Envelope,
    leaf: &Certificate,
    tlog: Option<&Value>,
    root: &TrustedRoot,
) -> Vec<Check> {
    let mut checks = Vec::new();
    let (not_before, not_after) = cert::validity(leaf);
    let ca = root
        .cas
        .iter()
        .find(|ca| ca.chain.first().is_some_and(|i| cert::issued_by(leaf, i)));
    checks.push(match ca {
        Some(_) => Check::pass(
            "certificate chain",
            "issued by a Fulcio CA in the trusted root",
        ),
        None => Check::fail(
            "certificate chain",
            "not issued by any CA in the trusted root",
        ),
    });
    let signed = match (cert::public_key(leaf), env.pae()) {
        (Some(k), Some(pae)) => env
            .signatures
            .iter()
            .filter_map(|s| b64(&s.sig))
            .any(|s| k.verify(&pae, &s)),
        _ => false,
    };
    checks.push(if signed {
        Check::pass("signature", "the certificate's key signed this envelope")
    } else {
        Check::fail("signature", "no signature verifies with the certificate's key (the content was changed, or another key signed it)")
    });
    let Some(te) = tlog else {
        checks.push(Check::missing(
            "transparency log",
            format!("no Rekor entry: the certificate was valid only {} – {}, and nothing proves the signature was made then", utc(not_before), utc(not_after)),
        ));
        return checks;
    };
    let body = te
        .get("canonicalizedBody")
        .and_then(Value::as_str)
        .and_then(b64)
        .unwrap_or_default();
    let body_json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let spec = &body_json["spec"];
    let logged_hash = spec["payloadHash"]["value"]
        .as_str()
        .or(spec["content"]["payloadHash"]["value"].as_str());
    let payload_hash = env.payload_bytes().map(|p| hex::encode(Sha256::digest(p)));
    checks.push(match (logged_hash, payload_hash) {
        (Some(a), Some(b)) if a == b => {
            Check::pass("log entry", "the Rekor entry records this payload")
        }
        _ => Check::fail("log entry", "the Rekor entry does not record this payload"),
    });
    let log_id = te["logId"]["keyId"].as_str().and_then(b64);
    let Some(log) = root
        .tlogs
        .iter()
        .find(|t| Some(&t.key_id) == log_id.as_ref())
    else {
        checks.push(Check::fail(
            "transparency log",
            "the entry names a log that is not in the trusted root",
        ));
        return checks;
    };
    match num(&te["integratedTime"]) {
        Some(t) => {
            let t = i64::try_from(t).unwrap_or(i64::MAX);
            let ca_ok = ca
                .is_some_and(|ca| ca.start.is_none_or(|s| s <= t) && ca.end.is_none_or(|e| t <= e));
            checks.push(if (not_before..=not_after).contains(&t) && ca_ok {
                Check::pass(
                    "signing time",
                    format!("logged {}, while the certificate was valid", utc(t)),
                )
            } else {
                Check::fail(
                    "signing time",
                    format!(
                        "logged {}, outside the certificate's validity {} – {}",
                        utc(t),
                        utc(not_before),
                        utc(not_after)
                    ),
                )
            });
        }
        None => checks.push(Check::fail(
            "signing time",
            "the entry has no integrated time",
        )),
    }
    if let Some(c) = promise(te, log) {
        checks.push(c);
    }
    let proof = &te["inclusionProof"];
    if proof.is_null() {
        checks.push(Check::missing(
            "inclusion proof",
            "the bundle carries no inclusion proof (bundle v0.1)",
        ));
        return checks;
    }
    let (index, size) = (
        num(&proof["logIndex"]).unwrap_or(u64::MAX),
        num(&proof["treeSize"]).unwrap_or(0),
    );
    let root_hash = proof["rootHash"].as_str().and_then(b64).unwrap_or_default();
    let hashes: Vec<Vec<u8>> = proof["hashes"]
        .as_array()
        .map(|a| a.iter().filter_map(|h| h.as_str().and_then(b64)).collect())
        .unwrap_or_default();
    checks.push(
        match merkle::verify_inclusion(index, size, &merkle::leaf_hash(&body), &hashes, &root_hash)
        {
            Ok(()) => Check::pass(
                "inclusion proof",
                format!("included at index {index} of a tree of {size}"),
            ),
            Err(e) => Check::fail("inclusion proof", e.to_string()),
        },
    );
    let checkpoint = proof["checkpoint"]["envelope"]
        .as_str()
        .and_then(|n| note::parse(n).ok());
    let verifier = note::NoteVerifier::from_spki_der(&log.name, &log.spki_der);
    checks.push(match (checkpoint, verifier) {
        (None, _) => Check::missing("checkpoint", "no signed checkpoint in the proof"),
        (Some(c), Some(v)) if c.signed_by(&v) && c.size == size && c.root == root_hash => {
            Check::pass(
                "checkpoint",
                format!("signed by {} for tree size {}", log.name, c.size),
            )
        }
        (Some(c), Some(v)) if c.signed_by(&v) => Check::fail(
            "checkpoint",
            "the signed checkpoint is for another tree than the proof",
        ),
        _ => Check::fail("checkpoint", format!("not signed by {}'s key", log.name)),
    });
    checks
}

/// Rekor's signed entry timestamp (the inclusion promise): its signature over the JCS of
/// `{body, integratedTime, logID, logIndex}`. It also covers the integrated time, which
/// the inclusion proof does not.
fn promise(te: &Value, log: &super::trust::Tlog) -> Option<Check> {
    let set = te["inclusionPromise"]["signedEntryTimestamp"]
        .as_str()
        .and_then(b64)?;
    let msg = serde_json::json!({
        "body": te["canonicalizedBody"],
        "integratedTime": num(&te["integratedTime"]),
        "logID": hex::encode(&log.key_id),
        "logIndex": num(&te["logIndex"]),
    });
    let key = super::dsse::VerifyingKey::from_spki_der(&log.spki_der);
    let ok = serde_jcs::to_vec(&msg)
        .ok()
        .zip(key)
        .is_some_and(|(m, k)| k.verify(&m, &set));
    let index = num(&te["logIndex"]).unwrap_or(0);
    Some(if ok {
        Check::pass(
            "inclusion promise",
            format!(
                "{} signed that it logged this entry at index {index}",
                log.name
            ),
        )
    } else {
        Check::fail(
            "inclusion promise",
            format!(
                "the signed entry timestamp does not verify with {}'s key",
                log.name
            ),
        )
    })
}
