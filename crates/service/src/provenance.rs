//! Examines a revision's attestations for the change page: against the submitting
//! agent's active keys, Sigstore's trusted root, and what the change itself contains (its
//! base commit, its content digests, and the full content of files it adds), so a
//! subject that names one of them is recognised.

use std::sync::{Arc, OnceLock};

use countersign_core::{
    AgentId,
    diff::{FileKind, LineKind},
    provenance::{
        dsse::VerifyingKey,
        report::{Context, Report, examine},
        trust::TrustedRoot,
    },
};
use sha2::{Digest, Sha256};

use crate::{Services, error::ServiceResult, store::RevisionRecord};

/// Sigstore's public-good trusted root as shipped (from sigstore-go, Apache-2.0);
/// `COUNTERSIGN_SIGSTORE_TRUSTED_ROOT` replaces it.
const PUBLIC_GOOD: &str = include_str!("../data/sigstore-trusted-root.json");

pub fn default_trusted_root() -> Arc<TrustedRoot> {
    static ROOT: OnceLock<Arc<TrustedRoot>> = OnceLock::new();
    ROOT.get_or_init(|| {
        Arc::new(TrustedRoot::from_json(PUBLIC_GOOD).expect("the shipped trusted root parses"))
    })
    .clone()
}

/// What in the change a subject digest may name: (hex digest or commit, description).
fn change_digests(base: Option<&str>, rev: &RevisionRecord) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(b) = base.filter(|b| b.len() >= 7 && b.bytes().all(|c| c.is_ascii_hexdigit())) {
        out.push((b.to_lowercase(), "the change's base commit".to_owned()));
    }
    for (d, what) in [
        (&rev.digest.diff, "this change's diff"),
        (&rev.digest.digest, "this change's content digest"),
    ] {
        out.push((d.trim_start_matches("sha256:").to_owned(), what.to_owned()));
    }
    if let Ok(patch) = countersign_core::diff::parse(&rev.diff) {
        for f in patch
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Added && f.binary.is_none())
        {
            let mut content = Vec::new();
            for l in f
                .hunks
                .iter()
                .flat_map(|h| &h.lines)
                .filter(|l| l.kind == LineKind::Added)
            {
                content.extend_from_slice(l.text.as_bytes());
                if !l.no_newline {
                    content.extend_from_slice(if l.crlf { b"\r\n" } else { b"\n" });
                }
            }
            out.push((
                hex::encode(Sha256::digest(&content)),
                format!("the new file {}", f.path()),
            ));
        }
    }
    out
}

/// One report per attestation, in submission order.
pub async fn examine_revision(
    svc: &Services,
    agent: AgentId,
    base: Option<&str>,
    rev: &RevisionRecord,
) -> ServiceResult<Vec<Report>> {
    let docs: Vec<serde_json::Value> =
        serde_json::from_str(&rev.attestations_json).unwrap_or_default();
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<(String, VerifyingKey)> = svc
        .store
        .agent_keys(agent)
        .await?
        .iter()
        .filter_map(|k| {
            Some((
                k.fingerprint.clone(),
                VerifyingKey::from_pem(&k.public_key_pem)?,
            ))
        })
        .collect();
    let digests = change_digests(base, rev);
    let ctx = Context {
        agent_keys: &keys,
        trusted_root: Some(&svc.trusted_root),
        change_digests: &digests,
    };
    Ok(docs.iter().map(|d| examine(d, &ctx)).collect())
}
