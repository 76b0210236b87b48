//! One attestation, examined: what it is, what it says, who signed it, and which checks
//! held. The status is the plain answer a reviewer needs: verified, signed by an unknown
//! key, invalid (and why), or unsigned.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Check, Outcome, cert,
    dsse::{Envelope, VerifyingKey, signers},
    sigstore,
    statement::{self, Summary},
    trust::TrustedRoot,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    // Ordered weakest first, so the change's header can show the minimum.
    Invalid,
    Unsigned,
    UnknownKey,
    Verified,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Verified => "verified",
            Status::UnknownKey => "signed by an unknown key",
            Status::Invalid => "invalid",
            Status::Unsigned => "unsigned",
        }
    }
}

/// What the checks are made against.
pub struct Context<'a> {
    /// The submitting agent's registered keys, with their fingerprints.
    pub agent_keys: &'a [(String, VerifyingKey)],
    pub trusted_root: Option<&'a TrustedRoot>,
    /// Digests (hex SHA-256, or git commit ids) of things in the change, with what they are.
    pub change_digests: &'a [(String, String)],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub status: Status,
    pub reason: String,
    pub summary: Option<Summary>,
    /// Key id, or certificate identity and issuer.
    pub signer: Option<String>,
    pub checks: Vec<Check>,
}

fn invalid(format: &str, reason: &str) -> Report {
    Report {
        format: format.into(),
        status: Status::Invalid,
        reason: reason.into(),
        summary: None,
        signer: None,
        checks: Vec::new(),
    }
}

/// Examines one attestation document.
pub fn examine(doc: &Value, ctx: &Context) -> Report {
    let media = doc["mediaType"].as_str().unwrap_or("");
    let (format, env_json, leaf, tlog, expected_digest) =
        if media.starts_with("application/vnd.dev.sigstore.bundle") {
            let vm = &doc["verificationMaterial"];
            let raw = vm["certificate"]["rawBytes"]
                .as_str()
                .or(vm["x509CertificateChain"]["certificates"][0]["rawBytes"].as_str());
            let v = if media.contains("v0.3") {
                "v0.3"
            } else if media.contains("version=0.2") {
                "v0.2"
            } else {
                "v0.1"
            };
            (
                format!("Sigstore bundle {v}"),
                doc["dsseEnvelope"].clone(),
                raw.and_then(super::dsse::b64)
                    .and_then(|d| cert::parse_der(&d)),
                vm["tlogEntries"].get(0).cloned(),
                None,
            )
        } else if doc.get("provenance_summary").is_some() {
            let image = doc["image_summary"]["digest"]
                .as_str()
                .map(|d| d.trim_start_matches("sha256:").to_owned());
            (
                "Cloud Build provenance summary".to_owned(),
                doc["provenance_summary"]["provenance"][0]["envelope"].clone(),
                None,
                None,
                image,
            )
        } else if doc.get("payloadType").is_some() {
            let leaf = doc["signatures"]
                .as_array()
                .and_then(|s| s.iter().find_map(|s| s["cert"].as_str()))
                .and_then(cert::parse_pem);
            ("DSSE envelope".to_owned(), doc.clone(), leaf, None, None)
        } else if doc.get("predicateType").is_some() {
            let summary = statement::read(doc);
            let mut checks = Vec::new();
            subject_check(summary.as_ref(), ctx, &mut checks);
            return Report {
                format: "in-toto statement".into(),
                status: Status::Unsigned,
                reason: "a bare statement carries no signature".into(),
                summary,
                signer: None,
                checks,
            };
        } else {
            return invalid(
                "unknown",
                "not an in-toto statement, DSSE envelope or Sigstore bundle",
            );
        };
    let Ok(env) = serde_json::from_value::<Envelope>(env_json) else {
        return invalid(&format, "the DSSE envelope is malformed");
    };
    let Some(summary) = env
        .payload_bytes()
        .and_then(|p| serde_json::from_slice::<Value>(&p).ok())
        .and_then(|st| statement::read(&st))
    else {
        return invalid(&format, "the signed payload is not an in-toto statement");
    };
    let mut checks = Vec::new();
    let mut signer = None;
    if env.signatures.is_empty() {
        return Report {
            format,
            status: Status::Unsigned,
            reason: "the envelope has no signatures".into(),
            summary: Some(summary),
            signer,
            checks,
        };
    }
    if let Some(leaf) = &leaf {
        let id = cert::identity(leaf).unwrap_or_else(|| "(no identity)".into());
        signer = Some(format!(
            "{id} (issuer {})",
            cert::oidc_issuer(leaf).unwrap_or_else(|| "unknown".into())
        ));
        match ctx.trusted_root {
            Some(root) => checks.extend(sigstore::verify(&env, leaf, tlog.as_ref(), root)),
            None => checks.push(Check::missing(
                "certificate chain",
                "no Sigstore trusted root is configured",
            )),
        }
        checks.push(identity_check(&id, summary.builder_id.as_deref()));
    } else {
        let keys: Vec<VerifyingKey> = ctx.agent_keys.iter().map(|k| k.1.clone()).collect();
        let found = signers(&env, &keys);
        let keyid = env
            .signatures
            .iter()
            .find_map(|s| s.keyid.clone())
            .filter(|k| !k.is_empty());
        match found.first() {
            Some(&i) => {
                signer = Some(format!("agent key {}", ctx.agent_keys[i].0));
                checks.push(Check::pass(
                    "signature",
                    "made by a key registered for this agent",
                ));
            }
            None => {
                signer = keyid.clone().map(|k| format!("key id {k}"));
                checks.push(Check::missing(
                    "signature",
                    format!(
                        "no key registered for this agent verifies it{}",
                        keyid.map(|k| format!(" (key id {k})")).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    if let Some(image) = expected_digest {
        let ok = summary
            .subjects
            .iter()
            .any(|s| s.digests.iter().any(|(a, v)| a == "sha256" && *v == image));
        checks.push(if ok {
            Check::pass("signed subject", "the signed subject is the image this summary names")
        } else {
            Check::fail("signed subject", format!("the signed statement's subject digest differs from the image digest sha256:{image} this summary names"))
        });
    }
    subject_check(Some(&summary), ctx, &mut checks);
    let (status, reason) = judge(&checks, leaf.is_some());
    Report {
        format,
        status,
        reason,
        summary: Some(summary),
        signer,
        checks,
    }
}

/// The certificate must belong to the builder the provenance names; the SLSA GitHub
/// generator's delegator workflows sign on behalf of the builder they delegate to.
fn identity_check(identity: &str, builder: Option<&str>) -> Check {
    const DELEGATOR: &str =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_";
    match builder {
        None => Check::missing("signer is the builder", "the statement names no builder"),
        Some(b) if b == identity => Check::pass(
            "signer is the builder",
            "the certificate was issued to the builder the provenance names",
        ),
        Some(b) if identity.starts_with(DELEGATOR) => Check::pass(
            "signer is the builder",
            format!("signed by the SLSA generator's delegator on behalf of {b}"),
        ),
        Some(b) => Check::fail(
            "signer is the builder",
            format!("signed by {identity}, but the provenance claims builder {b}"),
        ),
    }
}

fn subject_check(summary: Option<&Summary>, ctx: &Context, checks: &mut Vec<Check>) {
    let Some(summary) = summary else { return };
    let hit = summary.subjects.iter().find_map(|s| {
        s.digests.iter().find_map(|(_, v)| {
            ctx.change_digests
                .iter()
                .find(|(d, _)| {
                    d.eq_ignore_ascii_case(v) || (v.len() >= 7 && d.starts_with(v.as_str()))
                })
                .map(|(_, what)| (s.name.clone(), what.clone()))
        })
    });
    checks.push(match hit {
        Some((name, what)) => Check::pass(
            "subject in this change",
            format!("subject {name} matches {what}"),
        ),
        None => Check::missing(
            "subject in this change",
            "no subject digest matches anything in this change",
        ),
    });
}

/// The status from the checks: any failure is invalid; a signature proven by trusted
/// material is verified; a signature that cannot be tied to trusted material is unknown.
fn judge(checks: &[Check], certified: bool) -> (Status, String) {
    if let Some(f) = checks.iter().find(|c| c.outcome == Outcome::Fail) {
        return (Status::Invalid, format!("{}: {}", f.name, f.detail));
    }
    let passed = |n: &str| {
        checks
            .iter()
            .any(|c| c.name == n && c.outcome == Outcome::Pass)
    };
    let verified = if certified {
        ["certificate chain", "signature", "log entry", "signing time", "signer is the builder"]
            .iter()
            .all(|n| passed(n))
            // Inclusion: a proof under a signed checkpoint, or (bundle v0.1) Rekor's promise.
            && ((passed("inclusion proof") && passed("checkpoint")) || passed("inclusion promise"))
    } else {
        passed("signature")
    };
    if verified {
        return (Status::Verified, "every check held".into());
    }
    let why = checks
        .iter()
        .find(|c| c.outcome == Outcome::Missing && c.name != "subject in this change")
        .map(|c| format!("{}: {}", c.name, c.detail))
        .unwrap_or_else(|| "not every check could be made".into());
    (Status::UnknownKey, why)
}
