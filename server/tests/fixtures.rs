//! Real-world inputs from `../shared/fixtures` through the real API, on both backends:
//! provenance documents are stored byte-for-byte, and a 10,000-line generated diff is
//! accepted and shown without losing a line.

mod common;

use axum::http::StatusCode;
use common::*;
use countersign_core::{ChangeId, Role};
use countersign_service::testing::{fixtures_dir, on_each_backend};

/// Every provenance document in the fixtures, as its exact text (first line of a JSONL).
fn provenance_documents() -> Vec<(String, String)> {
    let dir = fixtures_dir().join("provenance/slsa-verifier");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("fixtures beside the repository") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e != "pem") {
                let text = std::fs::read_to_string(&path).unwrap();
                // A JSONL file holds one document per line; the others are one document.
                let doc = if path.extension().is_some_and(|e| e == "jsonl") {
                    text.lines().next().unwrap().trim_end().to_owned()
                } else {
                    text.trim_end().to_owned()
                };
                out.push((path.display().to_string(), doc));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn provenance_fixtures_are_stored_byte_for_byte() {
    let docs = provenance_documents();
    assert!(
        docs.len() >= 10,
        "expected the slsa-verifier fixtures, found {}",
        docs.len()
    );
    on_each_backend(|_, url| {
        let docs = docs.clone();
        async move {
            let app = TestApp::with_max_body(&url, 4 * 1024 * 1024).await;
            let bot = app.agent("bot", None).await;
            for (name, doc) in &docs {
                let body = format!(
                    r#"{{"title": "provenance", "repository": "r", "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "attestations": [{doc}]}}"#
                );
                let r = app.post_raw("/api/v1/changes", &bot, "application/json", body).await;
                assert_eq!(r.status, StatusCode::CREATED, "{name}: {}", r.body);
                let id = ChangeId(r.json()["id"].as_i64().unwrap());
                let rev = app.services.store.revision(id, 1).await.unwrap().unwrap();
                assert_eq!(rev.attestations_json, format!("[{doc}]"), "{name} changed in storage");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_ten_thousand_line_generated_diff_goes_in_and_is_shown_whole() {
    let diff =
        std::fs::read_to_string(fixtures_dir().join("diffs/13-generated-10k-lines.diff")).unwrap();
    on_each_backend(|_, url| {
        let diff = diff.clone();
        async move {
            let app = TestApp::with_max_body(&url, 4 * 1024 * 1024).await;
            let bot = app.agent("bot", None).await;
            let rita = app.person("rita", &[Role::Reviewer]).await;
            let mut body = change_body("generated");
            body["diff"] = serde_json::Value::String(diff.clone());
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            let id = r.json()["id"].as_i64().unwrap().to_string();
            let view = app
                .call::<app::api::GetChangeView>(&rita, &[("id", &id)])
                .await;
            assert_eq!(view.status, StatusCode::OK);
            let v = view.json();
            let files = v["diff"]["files"].as_array().unwrap();
            assert_eq!(files.len(), 62);
            assert_eq!(
                (v["diff"]["added"].as_u64(), v["diff"]["removed"].as_u64()),
                (Some(5_596), Some(4_614))
            );
            // Files within the display budget are shown line by line; larger ones fold.
            let rendered = |f: &serde_json::Value| -> Option<usize> {
                let hunks = f["body"]["Hunks"].as_array()?;
                Some(
                    hunks
                        .iter()
                        .map(|h| h["lines"].as_array().unwrap().len())
                        .sum(),
                )
            };
            let mut folded = Vec::new();
            for f in files {
                match rendered(f) {
                    Some(n) => {
                        assert_eq!(n as u64, f["lines"].as_u64().unwrap(), "{}", f["new_path"])
                    }
                    None if f["body"].get("Folded").is_some() => {
                        folded.push(f["index"].as_u64().unwrap())
                    }
                    None => assert!(f["body"].get("Empty").is_some()),
                }
            }
            assert!(!folded.is_empty(), "files over 400 lines fold");
            let big = folded[0].to_string();
            let one = app
                .call::<app::api::GetChangeView>(&rita, &[("id", &id), ("show", &big)])
                .await;
            let f = &one.json()["diff"]["files"][folded[0] as usize];
            assert_eq!(
                rendered(f).map(|n| n as u64),
                f["lines"].as_u64(),
                "a folded file is shown on request"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_huge_generated_diff_opens_with_large_files_folded_in_either_layout() {
    let diff =
        std::fs::read_to_string(fixtures_dir().join("diffs/11-huge-generated.diff")).unwrap();
    on_each_backend(|_, url| {
        let diff = diff.clone();
        async move {
            let app = TestApp::with_max_body(&url, 4 * 1024 * 1024).await;
            let bot = app.agent("bot", None).await;
            let rita = app.person("rita", &[Role::Reviewer]).await;
            let mut body = change_body("huge");
            body["diff"] = serde_json::Value::String(diff);
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            let id = r.json()["id"].as_i64().unwrap();
            let page = app.get(&format!("/changes/{id}"), &rita).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body.contains("151 files changed"),
                "the summary counts every file"
            );
            assert!(
                page.body.contains("This file&#x27;s diff is large")
                    || page.body.contains("This file's diff is large")
            );
            assert!(
                page.body.contains(r#"href="?show=0#f0""#),
                "the CSV is folded with a link that shows it"
            );
            assert!(page.body.contains(r#"class="diff unified""#));
            let As::Person(cookie) = &rita else {
                unreachable!()
            };
            let split = As::Person(format!("{cookie}; cs_diff_layout=split"));
            let page = app.get(&format!("/changes/{id}"), &split).await;
            assert!(
                page.body.contains(r#"class="diff split""#),
                "the remembered layout is rendered"
            );
            assert!(!page.body.contains(r#"class="diff unified""#));
        }
    })
    .await;
}

#[tokio::test]
async fn evals_arrive_as_junit_inspect_and_in_toto_and_show_in_one_table() {
    let read = |p: &str| std::fs::read_to_string(fixtures_dir().join(p)).unwrap();
    let junit = read("junit/dorny-test-reporter/python-xunit-unittest.xml");
    let corrupt = read("junit/mikepenz-action-junit-report/corrupt-TEST-test.CorruptTest.xml");
    let inspect: serde_json::Value = serde_json::from_str(&read(
        "inspect/2026-11-28T22-17-11-00-00_tiny-match-with-error_eb3HWhmucxD3Zk5p4S9mpd.json",
    ))
    .unwrap();
    let test_result: serde_json::Value = serde_json::from_str(&read(
        "provenance/in-toto-attestation-spec/test-result-v0.1.example.json",
    ))
    .unwrap();
    on_each_backend(|_, url| {
        let (junit, corrupt, inspect, test_result) = (junit.clone(), corrupt.clone(), inspect.clone(), test_result.clone());
        async move {
            let app = TestApp::with_max_body(&url, 4 * 1024 * 1024).await;
            let bot = app.agent("bot", None).await;
            let rita = app.person("rita", &[Role::Reviewer]).await;
            let mut body = change_body("evals");
            body["junit_xml"] = serde_json::json!([junit.clone(), corrupt]);
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            let errors = r.json()["errors"].clone();
            assert_eq!(errors[0]["field"], "/junit_xml/1", "the malformed part is named: {errors}");
            assert!(errors[0]["message"].as_str().unwrap().contains("line "));

            body["junit_xml"] = serde_json::json!([junit]);
            body["inspect_logs"] = serde_json::json!([inspect]);
            body["attestations"] = serde_json::json!([test_result]);
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            let id = r.json()["id"].as_i64().unwrap().to_string();
            let v = app.call::<app::api::GetChangeView>(&rita, &[("id", &id)]).await.json();
            let evals = v["evals"].as_array().unwrap();
            // The body's own eval, 8 JUnit cases, 2 Inspect errors, 13 in-toto passes.
            assert_eq!(evals.len(), 1 + 8 + 2 + 13);
            let sources: std::collections::BTreeSet<_> = evals.iter().filter_map(|e| e["source"].as_str()).collect();
            assert_eq!(sources.into_iter().collect::<Vec<_>>(), ["in-toto", "inspect", "junit"]);
            let q = app.call::<app::api::Queue>(&rita, &[]).await.json();
            let row = q["rows"].as_array().unwrap().iter().find(|r| r["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id.as_str())).unwrap().clone();
            assert_eq!(row["evals"], serde_json::json!({"passed": 1 + 4 + 13, "failed": 1, "errored": 1 + 2, "skipped": 2}));
        }
    })
    .await;
}

#[tokio::test]
async fn the_change_page_verifies_each_attestation_and_names_what_failed() {
    let first_line = |p: &str| {
        std::fs::read_to_string(fixtures_dir().join(p))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_owned()
    };
    let docs = [
        first_line("provenance/slsa-verifier/bcr/MODULE.bazel.intoto.jsonl"),
        first_line("provenance/slsa-verifier/bcr/MODULE-wrong-signer.bazel.intoto.jsonl"),
        first_line(
            "provenance/slsa-verifier/gha_go/v1.10.0/binary-linux-amd64-push-v14.intoto.jsonl",
        ),
        std::fs::read_to_string(
            fixtures_dir()
                .join("provenance/in-toto-attestation-spec/test-result-v0.1.example.json"),
        )
        .unwrap(),
        first_line("provenance/slsa-verifier/vsa/gce/v1/gke-gce-pre.bcid-vsa.jsonl"),
    ];
    let vsa_key = std::fs::read_to_string(
        fixtures_dir().join("provenance/slsa-verifier/vsa/gce/v1/vsa_signing_public_key.pem"),
    )
    .unwrap();
    on_each_backend(|_, url| {
        let (docs, vsa_key) = (docs.clone(), vsa_key.clone());
        async move {
            let app = TestApp::with_max_body(&url, 4 * 1024 * 1024).await;
            let admin = app.person("adam", &[Role::Admin]).await;
            let bot = app.agent("bot", None).await;
            let agent = app.services.store.list_agents().await.unwrap()[0].id.0.to_string();
            let r = app.call::<app::api::AdminAddAgentKey>(&admin, &[("agent_id", &agent), ("public_key", &vsa_key)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let body = format!(
                r#"{{"title": "provenance", "repository": "r", "diff": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "attestations": [{}]}}"#,
                docs.join(",")
            );
            let r = app.post_raw("/api/v1/changes", &bot, "application/json", body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            let id = r.json()["id"].as_i64().unwrap().to_string();
            let v = app.call::<app::api::GetChangeView>(&admin, &[("id", &id)]).await.json();
            let reports = v["provenance"].as_array().unwrap();
            let statuses: Vec<_> = reports.iter().map(|r| r["status"].as_str().unwrap()).collect();
            assert_eq!(statuses, ["verified", "invalid", "unknown-key", "unsigned", "verified"]);
            assert!(reports[1]["reason"].as_str().unwrap().contains("claims builder"));
            assert!(reports[4]["signer"].as_str().unwrap().starts_with("agent key sha256:"));
            // The rendered page shows the weakest status in the header and each card.
            let page = app.get(&format!("/changes/{id}"), &admin).await;
            assert!(page.body.contains(r#"<span class="prov-status invalid">invalid</span>"#));
            assert!(page.body.contains("signer is the builder"));
        }
    })
    .await;
}

#[tokio::test]
async fn a_diff_that_is_not_utf8_travels_as_base64_and_keeps_every_byte() {
    use base64::{Engine, engine::general_purpose::STANDARD as B64};
    use sha2::{Digest, Sha256};
    let bytes =
        std::fs::read(fixtures_dir().join("diffs/09-non-utf8-and-quoted-paths.diff")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    on_each_backend(|_, url| {
        let bytes = bytes.clone();
        async move {
            let app = TestApp::new(&url).await;
            let bot = app.agent("bot", None).await;
            let rita = app.person("rita", &[Role::Reviewer]).await;
            let mut body = change_body("latin-1");
            body.as_object_mut().unwrap().remove("diff");
            body["diff_base64"] = B64.encode(&bytes).into();
            let r = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            let id = r.json()["id"].as_i64().unwrap();
            let rev = app
                .services
                .store
                .revision(ChangeId(id), 1)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(rev.diff, bytes, "stored byte for byte");
            assert_eq!(
                rev.digest.diff,
                format!("sha256:{}", hex::encode(Sha256::digest(&bytes)))
            );
            let page = app.get(&format!("/changes/{id}"), &rita).await;
            assert!(
                page.body.contains("bytes that are not UTF-8"),
                "the page says so"
            );
            assert!(page.body.contains("naïve file name.txt"));

            body["diff"] = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n".into();
            let both = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(both.json()["errors"][0]["field"], "/diff_base64");
            body.as_object_mut().unwrap().remove("diff");
            body["diff_base64"] = "not base64!".into();
            let bad = app.post_json("/api/v1/changes", &bot, &body).await;
            assert_eq!(bad.json()["errors"][0]["field"], "/diff_base64");
        }
    })
    .await;
}
