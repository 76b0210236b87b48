//! The log's proof server against its verifier: for every tree size up to 70 (and a
//! larger one), roots equal the RFC 6962 definition, every inclusion and consistency
//! proof verifies, each request reads only the nodes `needed` names, and a checkpoint
//! built and signed here verifies with the note reader.

use std::collections::BTreeMap;

use countersign_core::{
    merkle::{Hash, leaf_hash, root_of, verify_consistency, verify_inclusion},
    note,
    tlog::{
        checkpoint,
        tree::{self, NodeId, Request},
    },
};
use ed25519_dalek::{Signer, SigningKey};

fn build(n: u64) -> (Vec<Hash>, BTreeMap<NodeId, Hash>) {
    let mut nodes = BTreeMap::new();
    let mut leaves = Vec::new();
    for i in 0..n {
        let leaf = leaf_hash(format!("entry {i}").as_bytes());
        let needs = tree::append_needs(i);
        assert!(
            needs.iter().all(|id| nodes.contains_key(id)),
            "left siblings exist before {i}"
        );
        for (id, h) in tree::appended(&nodes, i, leaf).unwrap() {
            assert!(
                nodes.insert(id, h).is_none(),
                "a node is written once: {id:?}"
            );
        }
        leaves.push(leaf);
    }
    (leaves, nodes)
}

/// Only the nodes the request said it needs.
fn only(nodes: &BTreeMap<NodeId, Hash>, req: &Request) -> BTreeMap<NodeId, Hash> {
    tree::needed(req)
        .unwrap()
        .into_iter()
        .map(|id| (id, nodes[&id]))
        .collect()
}

#[test]
fn roots_and_proofs_for_every_size_verify() {
    let (leaves, nodes) = build(70);
    for size in 1..=70u64 {
        let req = Request::Root(size);
        let r = tree::root(&only(&nodes, &req), size).unwrap();
        assert_eq!(r, root_of(&leaves[..size as usize]), "root of {size}");
        for index in 0..size {
            let req = Request::Inclusion { index, size };
            let proof = tree::inclusion_proof(&only(&nodes, &req), index, size).unwrap();
            assert!(proof.len() <= 7);
            verify_inclusion(index, size, &leaves[index as usize], &proof, &r).unwrap();
        }
        for old in 1..=size {
            let old_root = root_of(&leaves[..old as usize]);
            let req = Request::Consistency { old, new: size };
            let proof = tree::consistency_proof(&only(&nodes, &req), old, size).unwrap();
            verify_consistency(old, size, &old_root, &r, &proof).unwrap();
        }
    }
}

#[test]
fn a_large_tree_reads_logarithmically_many_nodes() {
    let (leaves, nodes) = build(5_000);
    let req = Request::Inclusion {
        index: 1_234,
        size: 4_999,
    };
    assert!(tree::needed(&req).unwrap().len() <= 2 * 13);
    let proof = tree::inclusion_proof(&nodes, 1_234, 4_999).unwrap();
    let r = root_of(&leaves[..4_999]);
    verify_inclusion(1_234, 4_999, &leaves[1_234], &proof, &r).unwrap();
    let tampered = {
        let mut p = proof.clone();
        p[3][0] ^= 1;
        p
    };
    assert!(verify_inclusion(1_234, 4_999, &leaves[1_234], &tampered, &r).is_err());
}

#[test]
fn bad_requests_are_errors() {
    let (_, nodes) = build(8);
    assert!(tree::inclusion_proof(&nodes, 8, 8).is_err());
    assert!(tree::consistency_proof(&nodes, 0, 8).is_err());
    assert!(tree::consistency_proof(&nodes, 9, 8).is_err());
    assert!(tree::root(&nodes, 0).is_err());
    assert!(matches!(
        tree::root(&nodes, 9),
        Err(tree::TreeError::Missing(_))
    ));
}

#[test]
fn a_signed_checkpoint_verifies_and_a_changed_one_does_not() {
    let (leaves, _) = build(11);
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key().to_bytes();
    let name = "countersign.example/log";
    let body = checkpoint::body(name, 11, &root_of(&leaves));
    let sig = key.sign(body.as_bytes()).to_bytes();
    let signed = checkpoint::note(&body, name, &public, &sig);
    let verifier = note::NoteVerifier::from_vkey(&checkpoint::vkey(name, &public)).unwrap();
    let cp = note::parse(&signed).unwrap();
    assert_eq!((cp.origin.as_str(), cp.size), (name, 11));
    assert!(cp.signed_by(&verifier));
    let forged = signed.replacen("\n11\n", "\n12\n", 1);
    assert!(!note::parse(&forged).unwrap().signed_by(&verifier));
}

#[test]
fn replaying_the_policy_catches_an_approval_it_did_not_allow() {
    use countersign_core::{
        model::Stakes,
        policy::{ChangeFacts, Policy, Requirement},
        tlog::{entry::Entry, replay::check_outcomes},
    };
    let policy = Policy::default_policy();
    let req = Requirement::new(&policy, Stakes::High);
    let facts = ChangeFacts {
        declared: Stakes::High,
        agent: "bot".into(),
        repository: "acme/app".into(),
        paths: vec![],
        lines_changed: 2,
        files_changed: 1,
        evals: vec![],
        provenance: None,
    };
    let entry = |action: &str, actor: &str, details: serde_json::Value| Entry {
        v: 1,
        action: action.into(),
        subject: "change:7".into(),
        actor: actor.into(),
        at: "2026-11-29T07:00:00Z".into(),
        details,
    };
    let submit = entry(
        "change.submit",
        "agent:1",
        serde_json::json!({ "digest": "sha256:aa", "requirement": req, "facts": facts }),
    );
    let vote = |who: &str, status: &str| {
        entry(
            "change.decide",
            who,
            serde_json::json!({ "verdict": "approve", "digest": "sha256:aa", "roles": ["reviewer"], "status": status }),
        )
    };
    let honest = vec![
        (0, submit.clone()),
        (1, vote("user:1", "pending")),
        (2, vote("user:2", "approved")),
    ];
    assert!(
        check_outcomes(&honest).is_empty(),
        "{:?}",
        check_outcomes(&honest)
    );
    let early = vec![(0, submit.clone()), (1, vote("user:1", "approved"))];
    let problems = check_outcomes(&early);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .contains("recorded as approved, but its policy gives pending (1 of 2 approvals)"),
        "{problems:?}"
    );
    let twice = vec![
        (0, submit),
        (1, vote("user:1", "pending")),
        (2, vote("user:1", "approved")),
    ];
    assert!(
        check_outcomes(&twice)[0].contains("1 of 2 approvals"),
        "one person counts once"
    );
}
