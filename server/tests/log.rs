//! The transparency log over HTTP on both backends, checked the way an outside verifier
//! would: the checkpoint's signature against the published key, every entry's leaf hash
//! recomputed from its bytes into the checkpoint's root, inclusion and consistency proofs,
//! sign-ins kept out, bad parameters refused, an entry edited in the database detected,
//! and two app instances appending at once without a gap.

mod common;

use axum::http::StatusCode;
use base64::{Engine, engine::general_purpose::STANDARD};
use common::*;
use countersign_core::{
    Role,
    merkle::{Hash, leaf_hash, root_of, verify_consistency, verify_inclusion},
    note,
    tlog::entry::Entry,
};
use countersign_service::testing::on_each_backend;

fn hashes(v: &serde_json::Value) -> Vec<Vec<u8>> {
    v["hashes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| STANDARD.decode(h.as_str().unwrap()).unwrap())
        .collect()
}

/// The verified checkpoint: (size, root).
async fn checkpoint(app: &TestApp) -> (u64, Vec<u8>) {
    let keys = app.get("/api/v1/keys", &As::Nobody).await.json();
    let verifier = note::NoteVerifier::from_vkey(keys["log"]["vkey"].as_str().unwrap()).unwrap();
    let r = app.get("/api/v1/log/checkpoint", &As::Nobody).await;
    assert_eq!(r.status, StatusCode::OK);
    let cp = note::parse(&r.body).unwrap();
    assert!(
        cp.signed_by(&verifier),
        "the checkpoint is signed by the published log key"
    );
    (cp.size, cp.root)
}

async fn leaves(app: &TestApp, size: u64) -> Vec<(Hash, Vec<u8>)> {
    let r = app
        .get(
            &format!("/api/v1/log/entries?start=0&end={size}"),
            &As::Nobody,
        )
        .await
        .json();
    r["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let bytes = STANDARD.decode(e["leaf"].as_str().unwrap()).unwrap();
            (leaf_hash(&bytes), bytes)
        })
        .collect()
}

#[tokio::test]
async fn an_outside_verifier_can_check_every_entry_and_proof() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let id = submit(&app, &bot, "logged").await;
        assert_eq!(
            decide(&app, &rita, "rita", id, "approve", "ok")
                .await
                .status,
            StatusCode::OK
        );

        let (size, root) = checkpoint(&app).await;
        let all = leaves(&app, size).await;
        assert_eq!(all.len() as u64, size);
        let hashes_only: Vec<Hash> = all.iter().map(|(h, _)| *h).collect();
        assert_eq!(
            root_of(&hashes_only).to_vec(),
            root,
            "the leaves recompute the signed root"
        );
        let actions: Vec<String> = all
            .iter()
            .map(|(_, b)| Entry::from_leaf(b).expect("canonical").action)
            .collect();
        for a in [
            "user.create",
            "agent.create",
            "policy.set",
            "change.submit",
            "change.decide",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
        }
        assert!(
            !actions.iter().any(|a| a.starts_with("user.login")),
            "sign-ins stay out"
        );
        for (i, (leaf, _)) in all.iter().enumerate() {
            let p = app
                .get(
                    &format!("/api/v1/log/proof/inclusion?index={i}&size={size}"),
                    &As::Nobody,
                )
                .await
                .json();
            verify_inclusion(i as u64, size, leaf, &hashes(&p), &root).unwrap();
        }

        // More history; the new checkpoint extends the old one.
        submit(&app, &bot, "later").await;
        let (size2, root2) = checkpoint(&app).await;
        assert!(size2 > size);
        let p = app
            .get(
                &format!("/api/v1/log/proof/consistency?old={size}&new={size2}"),
                &As::Nobody,
            )
            .await
            .json();
        verify_consistency(size, size2, &root, &root2, &hashes(&p)).unwrap();

        // Bad requests are clear 4xx problems.
        for (path, status) in [
            (
                "/api/v1/log/proof/inclusion?index=x&size=1",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/log/proof/inclusion?size=1",
                StatusCode::BAD_REQUEST,
            ),
            (
                &*format!("/api/v1/log/proof/inclusion?index=0&size={}", size2 + 1),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                "/api/v1/log/proof/consistency?old=0&new=1",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                "/api/v1/log/entries?start=5&end=1",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
        ] {
            let r = app.get(path, &As::Nobody).await;
            assert_eq!(r.status, status, "{path}: {}", r.body);
            assert_eq!(
                r.headers["content-type"], "application/problem+json",
                "{path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn an_entry_edited_in_the_database_no_longer_matches_the_signed_root() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let bot = app.agent("bot", None).await;
        submit(&app, &bot, "honest").await;
        let (size, root) = checkpoint(&app).await;
        // Someone with database access rewrites the first entry.
        edit_first_leaf(&url).await;
        let all = leaves(&app, size).await;
        let recomputed: Vec<Hash> = all.iter().map(|(h, _)| *h).collect();
        assert_ne!(
            root_of(&recomputed).to_vec(),
            root,
            "the edit is visible against the checkpoint"
        );
        assert!(Entry::from_leaf(&all[0].1).is_some_and(|e| e.actor == "user:999"));
    })
    .await;
}

async fn edit_first_leaf(url: &str) {
    let q = "UPDATE log_entries SET leaf = REPLACE(leaf, '\"actor\":\"system\"', '\"actor\":\"user:999\"') WHERE idx = 0";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(q).execute(&pool).await.unwrap();
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(q).execute(&pool).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_appending_at_once_leave_no_gap() {
    on_each_backend(|_, url| async move {
        let (one, two) = (TestApp::new(&url).await, TestApp::new(&url).await);
        let bot = one.agent("bot", None).await;
        let send = |app: TestApp, bot: As, tag: &'static str| async move {
            for i in 0..15 {
                submit(&app, &bot, &format!("{tag}{i}")).await;
            }
        };
        let a = tokio::spawn(send(one.clone(), bot.clone(), "a"));
        let b = tokio::spawn(send(two.clone(), bot.clone(), "b"));
        let (a, b) = tokio::join!(a, b);
        a.unwrap();
        b.unwrap();
        let (size, root) = checkpoint(&two).await;
        let all = leaves(&one, size).await;
        assert_eq!(all.len() as u64, size, "indexes 0..size, no gap");
        let submits = all
            .iter()
            .filter(|(_, b)| Entry::from_leaf(b).unwrap().action == "change.submit")
            .count();
        assert_eq!(submits, 30);
        let hs: Vec<Hash> = all.iter().map(|(h, _)| *h).collect();
        assert_eq!(root_of(&hs).to_vec(), root);
    })
    .await;
}
