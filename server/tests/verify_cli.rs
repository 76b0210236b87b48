//! `countersign verify`, `export` and `verify-decision` end to end: the real binary
//! against a server on loopback, on both backends. An honest log verifies live, against a
//! kept checkpoint and as an offline bundle; then each tampering — an entry edited in the
//! database, an entry deleted, entries reordered, the log truncated, the log key swapped,
//! a decision replayed onto another change — fails with exit code 6 and says what broke.

mod common;

use std::process::Output;

use common::*;
use countersign_core::Role;
use countersign_service::testing::on_each_backend;
use serde_json::Value;

async fn cli(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_countersign"))
            .args(args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn said(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn args(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn sql(url: &str, q: &str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(q).execute(&pool).await.unwrap();
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(q).execute(&pool).await.unwrap();
    }
}

/// Writes a copy of `bundle` changed by `edit` and verifies it; returns the output.
async fn verify_edited(
    dir: &std::path::Path,
    bundle: &Value,
    name: &str,
    edit: impl FnOnce(&mut Value),
) -> Output {
    let mut b = bundle.clone();
    edit(&mut b);
    let path = dir.join(name);
    std::fs::write(&path, b.to_string()).unwrap();
    cli(args(&["verify", "--bundle", &path.display().to_string()])).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_honest_log_verifies_and_every_tampering_is_named() {
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let base = app.listen().await;
        let bot = app.agent("bot", None).await;
        let As::Agent(token) = bot.clone() else { unreachable!() };
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let dir = tempfile::tempdir().unwrap();
        let (token_file, kept, bundle_file) = (dir.path().join("token"), dir.path().join("kept"), dir.path().join("bundle.json"));
        std::fs::write(&token_file, &token).unwrap();
        let one = submit(&app, &bot, "one").await;
        let two = submit(&app, &bot, "two").await;
        for id in [one, two] {
            assert_eq!(decide(&app, &rita, "rita", id, "approve", "ok").await.status, axum::http::StatusCode::OK);
        }

        let live = cli(args(&["verify", "--server", &base, "--save-checkpoint", &kept.display().to_string()])).await;
        assert_eq!(live.status.code(), Some(0), "{}", said(&live));
        assert!(said(&live).contains("2 signed decisions"), "{}", said(&live));
        let decided = cli(args(&["verify-decision", "--server", &base, "--token-file", &token_file.display().to_string(), &one.to_string()])).await;
        assert_eq!(decided.status.code(), Some(0), "{}", said(&decided));
        assert!(said(&decided).contains("approve by rita on revision 1: signature valid"), "{}", said(&decided));

        submit(&app, &bot, "three").await;
        let later = cli(args(&["verify", "--server", &base, "--trusted-checkpoint", &kept.display().to_string()])).await;
        assert_eq!(later.status.code(), Some(0), "{}", said(&later));
        assert!(said(&later).contains("consistent with the trusted checkpoint"));
        let exported = cli(args(&["export", "--server", &base, "--out", &bundle_file.display().to_string()])).await;
        assert_eq!(exported.status.code(), Some(0), "{}", said(&exported));
        let offline = cli(args(&["verify", "--bundle", &bundle_file.display().to_string()])).await;
        assert_eq!(offline.status.code(), Some(0), "{}", said(&offline));

        // Tampering with a bundle: delete, reorder, truncate, swap the log key.
        let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&bundle_file).unwrap()).unwrap();
        let d = dir.path();
        for (name, edit, expect) in [
            ("deleted", Box::new(|b: &mut Value| { b["entries"].as_array_mut().unwrap().remove(1); }) as Box<dyn FnOnce(&mut Value)>, "entries; "),
            ("reordered", Box::new(|b: &mut Value| { b["entries"].as_array_mut().unwrap().swap(0, 1); }), "do not hash to the checkpoint's root"),
            ("truncated", Box::new(|b: &mut Value| { b["entries"].as_array_mut().unwrap().pop(); }), "entries; "),
            (
                "policy-edited",
                Box::new(|b: &mut Value| {
                    let t = b["policies"][0]["text"].as_str().unwrap().replace("approvals = 2", "approvals = 1");
                    b["policies"][0]["text"] = t.into();
                }) as Box<dyn FnOnce(&mut Value)>,
                "its text does not hash to it",
            ),
            (
                "policy-missing",
                Box::new(|b: &mut Value| {
                    b["policies"] = serde_json::json!([]);
                }),
                "which the bundle does not hold",
            ),
            ("swapped-key", Box::new(|b: &mut Value| {
                // The log key published as another (valid) key: here, the system's.
                use base64::Engine;
                let name = b["keys"]["log"]["name"].as_str().unwrap().to_owned();
                let other = base64::engine::general_purpose::STANDARD
                    .decode(b["keys"]["system"]["public_key"].as_str().unwrap())
                    .unwrap();
                b["keys"]["log"]["vkey"] = countersign_core::tlog::checkpoint::vkey(&name, &other.try_into().unwrap()).into();
            }), "not signed by the published log key"),
        ] {
            let o = verify_edited(d, &bundle, name, edit).await;
            assert_eq!(o.status.code(), Some(6), "{name}: {}", said(&o));
            assert!(said(&o).contains(expect), "{name}: {}", said(&o));
        }

        // A decision replayed onto another change in the database.
        sql(&url, &format!(
            "UPDATE decisions SET envelope = (SELECT envelope FROM decisions WHERE change_id = {one}) WHERE change_id = {two}"
        )).await;
        let replayed = cli(args(&["verify-decision", "--server", &base, "--token-file", &token_file.display().to_string(), &two.to_string()])).await;
        assert_eq!(replayed.status.code(), Some(6), "{}", said(&replayed));
        assert!(said(&replayed).contains(&format!("is about change {one}, not {two}")), "{}", said(&replayed));

        // An entry edited in the database: the live log no longer verifies, nor does it
        // extend the kept checkpoint.
        sql(&url, "UPDATE log_entries SET leaf = REPLACE(leaf, '\"approve\"', '\"reject\"') WHERE leaf LIKE '%change.decide%'").await;
        let edited = cli(args(&["verify", "--server", &base, "--trusted-checkpoint", &kept.display().to_string()])).await;
        assert_eq!(edited.status.code(), Some(6), "{}", said(&edited));
        assert!(said(&edited).contains("do not hash to the checkpoint's root"), "{}", said(&edited));
        assert!(said(&edited).contains("history was rewritten"), "{}", said(&edited));
    })
    .await;
}

/// A fork: someone with database access rewrites an entry *and* every stored subtree
/// hash, and lets the server sign a fresh checkpoint — one size, two trees. The rewritten
/// log is consistent with itself (a plain `verify` passes), but not with a checkpoint kept
/// from before: that `verify` fails, naming the rewrite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fork_is_caught_by_a_kept_checkpoint() {
    use countersign_core::{merkle::leaf_hash, tlog::tree};
    on_each_backend(|_, url| async move {
        let app = TestApp::new(&url).await;
        let base = app.listen().await;
        let bot = app.agent("bot", None).await;
        submit(&app, &bot, "one").await;
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept").display().to_string();
        let first = cli(args(&["verify", "--server", &base, "--save-checkpoint", &kept])).await;
        assert_eq!(first.status.code(), Some(0), "{}", said(&first));

        // Rewrite entry 0 and rebuild the whole tree to match.
        sql(&url, "UPDATE log_entries SET leaf = REPLACE(leaf, '\"actor\":\"system\"', '\"actor\":\"user:999\"') WHERE idx = 0").await;
        let size = app.services.store.log_size().await.unwrap();
        let leaves = app.services.store.log_entries(0, size).await.unwrap();
        let mut nodes = std::collections::BTreeMap::new();
        for (i, e) in leaves.iter().enumerate() {
            for (id, h) in tree::appended(&nodes, i as u64, leaf_hash(&e.leaf)).unwrap() {
                nodes.insert(id, h);
            }
        }
        sql(&url, "DELETE FROM log_nodes").await;
        sql(&url, "DELETE FROM log_checkpoints").await;
        for ((level, i), h) in nodes {
            sql(&url, &format!("INSERT INTO log_nodes (level, idx, hash) VALUES ({level}, {i}, '{}')", hex::encode(h))).await;
        }

        let alone = cli(args(&["verify", "--server", &base])).await;
        assert_eq!(alone.status.code(), Some(0), "the fork is consistent with itself: {}", said(&alone));
        let against = cli(args(&["verify", "--server", &base, "--trusted-checkpoint", &kept])).await;
        assert_eq!(against.status.code(), Some(6), "{}", said(&against));
        assert!(said(&against).contains("history was rewritten"), "{}", said(&against));
    })
    .await;
}
