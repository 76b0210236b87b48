//! DSSE: the upstream test vectors (PAE, both base64 alphabets, thresholds over distinct
//! keys, payload types), the protocol example (ECDSA P-256, raw r‖s) and the SLSA VSA
//! fixture signed with its published key.

use countersign_core::provenance::dsse::{Envelope, VerifyingKey, pae, signers};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/");

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{p}")).unwrap()
}

#[test]
fn upstream_vectors_accept_and_reject_as_expected() {
    let v: Value = serde_json::from_str(&read("dsse/testvectors/vectors.json")).unwrap();
    let key = |id: &str| {
        let hex = v["keys"][id]["public"].as_str().unwrap();
        let bytes: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
        VerifyingKey::Ed25519(ed25519_dalek::VerifyingKey::from_bytes(&bytes).unwrap())
    };
    let vectors = v["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 9);
    for t in vectors {
        let id = t["id"].as_str().unwrap();
        let env: Envelope = serde_json::from_value(t["envelope"].clone()).unwrap();
        let trusted: Vec<_> = t["trustedKeys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| key(k.as_str().unwrap()))
            .collect();
        let supported: Vec<&str> = t["supportedPayloadTypes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let own_pae = env.pae().unwrap();
        if id != "payload-type-swapped" {
            assert_eq!(
                hex::encode(&own_pae),
                t["pae"].as_str().unwrap(),
                "{id}: PAE"
            );
        }
        let accepted = supported.contains(&env.payload_type.as_str())
            && signers(&env, &trusted).len() as u64 >= t["threshold"].as_u64().unwrap();
        assert_eq!(accepted, t["expect"] == "accept", "{id}");
    }
}

#[test]
fn protocol_example_with_raw_ecdsa_signature() {
    let env: Envelope = serde_json::from_str(&read("dsse/protocol-example/envelope.json")).unwrap();
    assert_eq!(
        env.pae().unwrap(),
        read("dsse/protocol-example/pae.txt").as_bytes()
    );
    let key =
        VerifyingKey::from_pem(&read("dsse/protocol-example/public-key.derived.pem")).unwrap();
    assert_eq!(signers(&env, &[key]), [0]);
    assert_eq!(pae("t", b""), b"DSSEv1 1 t 0 ");
}

#[test]
fn vsa_verifies_with_its_key_and_not_with_another() {
    let env: Envelope = serde_json::from_str(
        read("provenance/slsa-verifier/vsa/gce/v1/gke-gce-pre.bcid-vsa.jsonl")
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let key = VerifyingKey::from_pem(&read(
        "provenance/slsa-verifier/vsa/gce/v1/vsa_signing_public_key.pem",
    ))
    .unwrap();
    assert_eq!(signers(&env, &[key]), [0]);
    let other =
        VerifyingKey::from_pem(&read("dsse/protocol-example/public-key.derived.pem")).unwrap();
    assert!(signers(&env, &[other]).is_empty());
}
