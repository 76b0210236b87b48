//! Every provenance fixture examined offline against Sigstore's trusted root and the
//! agent's keys, reaching the conclusion `SOURCES.md` gives: valid ones verify, tampered
//! and wrong-signer ones are flagged with the reason.

use countersign_core::provenance::{
    Outcome,
    dsse::VerifyingKey,
    report::{Context, Report, Status, examine},
    trust::TrustedRoot,
};
use serde_json::Value;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/provenance/"
);

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{p}")).unwrap()
}

fn doc(p: &str) -> Value {
    serde_json::from_str(
        read(p)
            .lines()
            .find(|l| !l.trim().is_empty())
            .filter(|_| p.ends_with(".jsonl"))
            .unwrap_or(&read(p)),
    )
    .unwrap()
}

fn root() -> TrustedRoot {
    TrustedRoot::from_json(&read("sigstore-trust/trusted-root-public-good.json")).unwrap()
}

fn run(p: &str, keys: &[(String, VerifyingKey)], digests: &[(String, String)]) -> Report {
    let root = root();
    examine(
        &doc(p),
        &Context {
            agent_keys: keys,
            trusted_root: Some(&root),
            change_digests: digests,
        },
    )
}

fn check<'a>(r: &'a Report, name: &str) -> &'a countersign_core::provenance::Check {
    r.checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no check {name}: {:?}", r.checks))
}

#[test]
fn bcr_bundle_v03_verifies_down_to_the_checkpoint() {
    let module = (
        "06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b".to_owned(),
        "the new file MODULE.bazel".to_owned(),
    );
    let r = run(
        "slsa-verifier/bcr/MODULE.bazel.intoto.jsonl",
        &[],
        &[module],
    );
    assert_eq!(r.status, Status::Verified, "{r:#?}");
    assert_eq!(r.format, "Sigstore bundle v0.3");
    let s = r.summary.as_ref().unwrap();
    assert_eq!(s.kind, "SLSA provenance v1");
    assert!(s.builder_id.as_deref().unwrap().starts_with(
        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml"
    ));
    assert!(
        s.source
            .as_deref()
            .unwrap_or("")
            .contains("aspect-build/rules_lint"),
        "{s:?}"
    );
    assert!(
        r.signer
            .as_deref()
            .unwrap()
            .contains("(issuer https://token.actions.githubusercontent.com)")
    );
    assert!(check(&r, "inclusion proof").detail.contains("66718601"));
    assert_eq!(check(&r, "subject in this change").outcome, Outcome::Pass);
}

#[test]
fn the_wrong_signer_is_flagged() {
    let r = run(
        "slsa-verifier/bcr/MODULE-wrong-signer.bazel.intoto.jsonl",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::Invalid);
    assert!(
        r.reason.contains("loosebazooka/aa-test") && r.reason.contains("claims builder"),
        "{}",
        r.reason
    );
    assert_eq!(
        check(&r, "signature").outcome,
        Outcome::Pass,
        "the signature itself is valid"
    );
}

#[test]
fn generic_and_delegator_bundles_verify() {
    for (p, format, kind) in [
        (
            "slsa-verifier/gha_generic/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl",
            "Sigstore bundle v0.3",
            "SLSA provenance v0.2",
        ),
        (
            "slsa-verifier/gha_delegator/v2.1.0/binary-linux-amd64-push-v14.build.slsa",
            "Sigstore bundle v0.2",
            "SLSA provenance v1",
        ),
    ] {
        let r = run(p, &[], &[]);
        assert_eq!(
            (
                r.status,
                r.format.as_str(),
                r.summary.as_ref().unwrap().kind.as_str()
            ),
            (Status::Verified, format, kind),
            "{p}: {r:#?}"
        );
    }
}

#[test]
fn a_v01_bundle_verifies_by_its_signed_inclusion_promise() {
    let r = run(
        "slsa-verifier/gha_container-based/v1.7.0/gha_container-based-binary-linux-amd64-v14.intoto.sigstore",
        &[],
        &[],
    );
    assert_eq!(r.format, "Sigstore bundle v0.1");
    assert_eq!(r.status, Status::Verified, "{r:#?}");
    assert_eq!(check(&r, "inclusion promise").outcome, Outcome::Pass);
    assert_eq!(check(&r, "inclusion proof").outcome, Outcome::Missing);
    let empty = r.summary.unwrap().subjects[0].digests[0].1.clone();
    assert_eq!(
        empty,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn certificate_envelopes_without_a_log_entry_cannot_be_verified_offline() {
    let r = run(
        "slsa-verifier/gha_go/v1.10.0/binary-linux-amd64-push-v14.intoto.jsonl",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::UnknownKey);
    assert!(r.reason.contains("no Rekor entry"), "{}", r.reason);
    // The malicious envelope's certificate does not chain to the trusted root at all
    // (checked independently with Python's `cryptography`): invalid, not merely unproven.
    let r = run(
        "slsa-verifier/binary-linux-amd64-expired-cert.intoto.jsonl",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::Invalid);
    assert!(
        r.reason
            .contains("not issued by any CA in the trusted root"),
        "{}",
        r.reason
    );
    assert_eq!(
        check(&r, "signature").outcome,
        Outcome::Pass,
        "its signature is valid for its own certificate"
    );
    assert!(
        check(&r, "transparency log").detail.contains("2022-06-20"),
        "the expired validity is named"
    );
    assert!(
        r.summary
            .unwrap()
            .builder_id
            .unwrap()
            .contains("refs/heads/malicious")
    );
}

#[test]
fn cloud_build_summaries_unknown_key_and_tampered_digest() {
    let r = run(
        "slsa-verifier/gcb_container/v0.2/gcloud-container-github.json",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::UnknownKey);
    assert!(
        r.signer
            .as_deref()
            .unwrap()
            .contains("projects/verified-builder")
    );
    let r = run(
        "slsa-verifier/gcb_container/v0.2/gcloud-container-mismatch-payload-digest.json",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::Invalid);
    assert!(r.reason.contains("subject digest differs"), "{}", r.reason);
}

#[test]
fn a_vsa_verifies_with_the_agents_registered_key() {
    let key = VerifyingKey::from_pem(&read("slsa-verifier/vsa/gce/v1/vsa_signing_public_key.pem"))
        .unwrap();
    let r = run(
        "slsa-verifier/vsa/gce/v1/gke-gce-pre.bcid-vsa.jsonl",
        &[("sha256:vsa".into(), key)],
        &[],
    );
    assert_eq!(r.status, Status::Verified, "{r:#?}");
    assert_eq!(
        r.summary.as_ref().unwrap().kind,
        "SLSA verification summary v1"
    );
    assert!(r.summary.unwrap().result.unwrap().starts_with("PASSED"));
    let r = run(
        "slsa-verifier/vsa/gce/v1/gke-gce-pre.bcid-vsa.jsonl",
        &[],
        &[],
    );
    assert_eq!(r.status, Status::UnknownKey);
}

#[test]
fn bare_statements_are_unsigned_and_templates_are_not_json() {
    let r = run(
        "in-toto-attestation-spec/test-result-v0.1.example.json",
        &[],
        &[(
            "d20ace7968ba43c0219f62d71334c1095bab1602".into(),
            "the base commit".into(),
        )],
    );
    assert_eq!(r.status, Status::Unsigned);
    assert_eq!(check(&r, "subject in this change").outcome, Outcome::Pass);
    for t in [
        "in-toto-attestation-spec/statement-v1.template.jsonc",
        "in-toto-attestation-spec/test-result-v0.1.template.jsonc",
    ] {
        assert!(
            serde_json::from_str::<Value>(&read(t)).is_err(),
            "{t} is documentation, not JSON"
        );
    }
}

#[test]
fn tampering_with_a_verified_bundle_is_caught_and_named() {
    use base64::{Engine, engine::general_purpose::STANDARD as B64};
    let root = root();
    let examine_doc = |d: &Value| {
        examine(
            d,
            &Context {
                agent_keys: &[],
                trusted_root: Some(&root),
                change_digests: &[],
            },
        )
    };
    let good = doc("slsa-verifier/bcr/MODULE.bazel.intoto.jsonl");

    let mut d = good.clone();
    let payload = String::from_utf8(
        B64.decode(d["dsseEnvelope"]["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    d["dsseEnvelope"]["payload"] = B64.encode(payload.replace("06ce3309", "16ce3309")).into();
    let r = examine_doc(&d);
    assert_eq!(r.status, Status::Invalid);
    assert!(r.reason.starts_with("signature"), "{}", r.reason);

    let mut d = good.clone();
    d["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"][0] =
        B64.encode([7u8; 32]).into();
    let r = examine_doc(&d);
    assert!(r.reason.starts_with("inclusion proof"), "{}", r.reason);

    let mut d = good.clone();
    let cp =
        d["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"]
            .as_str()
            .unwrap()
            .replacen("66718601", "66718602", 1);
    d["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"] =
        cp.into();
    let r = examine_doc(&d);
    assert_eq!(r.status, Status::Invalid);
    assert!(r.reason.starts_with("checkpoint"), "{}", r.reason);

    let mut d = good;
    d["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = "1743032851".into();
    let r = examine_doc(&d);
    assert_eq!(r.status, Status::Invalid);
    assert!(
        r.reason.starts_with("inclusion promise"),
        "a moved log time breaks Rekor's signature: {}",
        r.reason
    );
}
