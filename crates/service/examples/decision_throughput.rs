//! Signed decisions per second, end to end except the password step:
//! `cargo run --release -p countersign-service --example decision_throughput [N] [DB URL]`.
//!
//! Submits N medium changes, then for each: reads its standing, builds and signs the
//! decision statement with the reviewer's (already unsealed) key, and records it — the
//! compare-and-set, the judging with every decision, the status, the audit row and the
//! log append, in one transaction. The two argon2 steps a real decision adds (checking
//! the password and unsealing the key, ~50 ms each on one core) are left out, as the
//! target says. Default: 2,000 changes on a fresh SQLite file.

use std::time::Instant;

use chrono::Utc;
use countersign_core::{Role, Verdict, decision, submission::Submission};
use countersign_service::{
    Client, Password, Services, accounts, changes, signin, stakes,
    store::{self, AuditActor, NewDecision},
};
use ed25519_dalek::{Signer, SigningKey};

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::args()
        .nth(2)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let svc = Services::new(store, "http://127.0.0.1:3000".into());
    let (_, token) = accounts::create_agent(
        &svc,
        "bench-bot",
        None,
        AuditActor::System,
        &Client::default(),
    )
    .await
    .unwrap();
    let agent = accounts::authenticate_agent(&svc, &token).await.unwrap();
    let pw = Password::new("rita-plum-orbit-cellar-42".into());
    accounts::create_user(&svc, "rita", vec![Role::Reviewer], &pw, AuditActor::System)
        .await
        .unwrap();
    let rita = signin::login(&svc, "rita", &pw, &Client::default())
        .await
        .unwrap();
    let key: SigningKey = countersign_service::userkeys::signing_key(&svc, rita.id, &pw)
        .await
        .unwrap();
    let key_id = decision::key_id(&key.verifying_key().to_bytes());
    let policy = stakes::current(&svc).await.unwrap().hash;

    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let sub: Submission = serde_json::from_value(serde_json::json!({
            "title": format!("change {i}"), "repository": "acme/app", "stakes": "medium",
            "diff": format!("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+{i}\n"),
            "evals": [{"name": "unit", "status": "pass"}],
        }))
        .unwrap();
        ids.push(
            changes::submit(&svc, &agent, sub, None)
                .await
                .unwrap()
                .change,
        );
    }

    let start = Instant::now();
    for c in &ids {
        let content = svc.store.revision(c.id, 1).await.unwrap().unwrap().digest;
        let standing = stakes::standing(&svc, c).await.unwrap();
        let now = Utc::now();
        let p = decision::Predicate {
            verdict: Verdict::Approve,
            change_id: c.id.0,
            revision: 1,
            decider: "rita".into(),
            key_id: key_id.clone(),
            policy: Some(policy.clone()),
            comment_sha256: None,
            time: now.to_rfc3339(),
            reason: None,
        };
        let payload = decision::statement(&content, &p);
        let sig = key.sign(&decision::signing_input(&payload)).to_bytes();
        svc.store
            .record_decision(NewDecision {
                change_id: c.id,
                revision: 1,
                digest: c.digest.clone(),
                reviewer_id: rita.id,
                verdict: Verdict::Approve,
                comment: None,
                roles: rita.roles.clone(),
                policy_hash: Some(policy.clone()),
                envelope: decision::envelope(&payload, &key_id, &sig),
                key_id: key_id.clone(),
                opened_at: None,
                standing,
                now,
            })
            .await
            .unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} signed decisions in {secs:.2} s: {:.0} decisions/s ({})",
        n as f64 / secs,
        svc.store.backend()
    );
}
