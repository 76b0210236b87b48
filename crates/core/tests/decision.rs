//! Signed decisions: a signed statement verifies with the decider's key and only for the
//! change and content it names — replayed onto another change, other content or checked
//! with another key, it fails and says why.

use countersign_core::{
    decision::{self, DecisionError, Predicate},
    digest::ContentDigest,
    model::Verdict,
};
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

fn content(tag: &str) -> ContentDigest {
    let h = |p: &str| {
        format!(
            "sha256:{}",
            hex::encode(Sha256::digest(format!("{tag}{p}")))
        )
    };
    ContentDigest {
        digest: h("top"),
        diff: h("diff"),
        evals: h("evals"),
        attestations: h("att"),
    }
}

fn signed(key: &SigningKey, change_id: i64, c: &ContentDigest) -> String {
    let p = Predicate {
        verdict: Verdict::Approve,
        change_id,
        revision: 1,
        decider: "rita".into(),
        key_id: decision::key_id(&key.verifying_key().to_bytes()),
        policy: Some("sha256:abc".into()),
        comment_sha256: decision::comment_digest(Some("looks right")),
        time: "2026-11-29T07:00:00Z".into(),
        reason: None,
    };
    let payload = decision::statement(c, &p);
    let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
    decision::envelope(&payload, &p.key_id, &sig)
}

#[test]
fn a_decision_verifies_only_for_its_change_content_and_key() {
    let key = SigningKey::from_bytes(&[3; 32]);
    let c = content("a");
    let env = signed(&key, 7, &c);
    let p = decision::verify(&env, &key.verifying_key(), 7, &c.digest).unwrap();
    assert_eq!(
        (p.verdict, p.decider.as_str(), p.revision),
        (Verdict::Approve, "rita", 1)
    );

    assert!(matches!(
        decision::verify(&env, &key.verifying_key(), 8, &c.digest),
        Err(DecisionError::WrongChange { got: 7, want: 8 })
    ));
    assert!(matches!(
        decision::verify(&env, &key.verifying_key(), 7, &content("b").digest),
        Err(DecisionError::WrongContent { .. })
    ));
    let other = SigningKey::from_bytes(&[4; 32]);
    assert!(matches!(
        decision::verify(&env, &other.verifying_key(), 7, &c.digest),
        Err(DecisionError::BadSignature(_))
    ));
    let tampered = env.replace("\"payload\":\"", "\"payload\":\"e");
    assert!(decision::verify(&tampered, &key.verifying_key(), 7, &c.digest).is_err());
}
