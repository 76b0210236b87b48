//! The transparency log's hot paths (results in docs/benchmarks.md):
//! - verifying a 1,000,000-entry log from its leaves (what `countersign verify` does once
//!   the entries are fetched): canonical form of every entry, every leaf hash, the root,
//!   the checkpoint signature — target ≤ 3 s;
//! - serving an inclusion proof and a consistency proof from stored subtree hashes (the
//!   tree arithmetic; the store reads ~2·log₂ n nodes by primary key on top);
//! - signing one decision (statement, DSSE, Ed25519) — the CPU part of a signed decision.

use std::collections::BTreeMap;

use countersign_core::{
    ContentDigest, Verdict, decision,
    merkle::{Hash, leaf_hash, root_of},
    tlog::{
        checkpoint,
        entry::{ENTRY_VERSION, Entry},
        tree::{self, NodeId},
        verify::{KeyRing, verify},
    },
};
use criterion::{Criterion, criterion_group, criterion_main};
use ed25519_dalek::{Signer, SigningKey};

const N: u64 = 1_000_000;

fn leaves(n: u64) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            Entry {
                v: ENTRY_VERSION,
                action: "change.submit".into(),
                subject: format!("change:{i}"),
                actor: "agent:1".into(),
                at: "2026-11-29T07:00:00.000000Z".into(),
                details: serde_json::json!({ "digest": format!("sha256:{i:064x}"), "tier": "medium" }),
            }
            .leaf()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[5; 32]);
    let name = "bench.example/countersign-log";
    let all = leaves(N);
    let hashes: Vec<Hash> = all.iter().map(|l| leaf_hash(l)).collect();
    let body = checkpoint::body(name, N, &root_of(&hashes));
    let note = checkpoint::note(
        &body,
        name,
        &key.verifying_key().to_bytes(),
        &key.sign(body.as_bytes()).to_bytes(),
    );
    let keys = KeyRing::from_json(&serde_json::json!({
        "log": { "vkey": checkpoint::vkey(name, &key.verifying_key().to_bytes()) },
        "system": { "public_key": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, key.verifying_key().to_bytes()) },
        "reviewers": [],
    }))
    .unwrap();

    let mut g = c.benchmark_group("tlog");
    g.sample_size(10);
    g.bench_function("verify 1,000,000 entries", |b| {
        b.iter(|| {
            let f = verify(&note, &keys, &all, None);
            assert!(f.problems.is_empty());
        })
    });

    let mut nodes: BTreeMap<NodeId, Hash> = BTreeMap::new();
    for (i, h) in hashes.iter().enumerate() {
        for (id, x) in tree::appended(&nodes, i as u64, *h).unwrap() {
            nodes.insert(id, x);
        }
    }
    g.sample_size(100);
    g.bench_function("inclusion proof, 1,000,000 entries", |b| {
        b.iter(|| tree::inclusion_proof(&nodes, 765_432, N - 1).unwrap())
    });
    g.bench_function("consistency proof 654,321 → 1,000,000", |b| {
        b.iter(|| tree::consistency_proof(&nodes, 654_321, N).unwrap())
    });
    let content = ContentDigest {
        digest: format!("sha256:{:064x}", 1),
        diff: format!("sha256:{:064x}", 2),
        evals: format!("sha256:{:064x}", 3),
        attestations: format!("sha256:{:064x}", 4),
    };
    g.bench_function("sign one decision", |b| {
        b.iter(|| {
            let p = decision::Predicate {
                verdict: Verdict::Approve,
                change_id: 42,
                revision: 1,
                decider: "rita".into(),
                key_id: decision::key_id(&key.verifying_key().to_bytes()),
                policy: Some("sha256:abc".into()),
                comment_sha256: decision::comment_digest(Some("ok")),
                time: "2026-11-29T07:00:00Z".into(),
                reason: None,
            };
            let payload = decision::statement(&content, &p);
            let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
            decision::envelope(&payload, &p.key_id, &sig)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
