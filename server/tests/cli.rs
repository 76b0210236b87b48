//! The agent CLI end to end: the real `countersign` binary against a server listening on
//! loopback, on both backends, through every exit code (0 approved, 1 rejected, 2 pending
//! or timed out, 3 withdrawn, 4 usage or input error, 5 server unreachable).

mod common;

use std::process::Output;

use common::*;
use countersign_core::Role;
use countersign_service::testing::{fixtures_dir, on_each_backend};
use serde_json::json;

fn fixture(p: &str) -> String {
    fixtures_dir().join(p).display().to_string()
}

/// Runs the binary off the async runtime (the server shares it).
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

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_exit_code_of_submit_wait_and_status() {
    on_each_backend(|_, url| async move {
        let app = TestApp::with_max_body(&url, 1024 * 1024).await;
        let base = app.listen().await;
        let As::Agent(token) = app.agent("bot", None).await else {
            unreachable!()
        };
        let rita = app.person("rita", &[Role::Reviewer]).await;
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, format!("{token}\n")).unwrap();
        let conn = |cmd: &str| {
            vec![
                cmd.to_owned(),
                "--server".into(),
                base.clone(),
                "--token-file".into(),
                token_file.display().to_string(),
            ]
        };
        let submit = |title: &str, diff: &str| {
            let mut a = conn("submit");
            a.extend(
                ["--title", title, "--repository", "acme/app", "--diff", diff].map(String::from),
            );
            a
        };

        // Submitted with evals and provenance from files; no --wait: prints the URL, exit 0.
        let mut a = submit("from the CLI", &fixture("diffs/01-rename-similarity.diff"));
        a.extend(
            [
                "--junit",
                &fixture("junit/dorny-test-reporter/python-xunit-unittest.xml"),
                "--attestation",
                &fixture("provenance/slsa-verifier/bcr/MODULE.bazel.intoto.jsonl"),
            ]
            .map(String::from),
        );
        let o = cli(a).await;
        assert_eq!(code(&o), 0, "{o:?}");
        let url = out(&o).trim().to_owned();
        let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
        let stored = app
            .services
            .store
            .revision(countersign_core::ChangeId(id), 1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.evals.len(), 8, "the JUnit report became evals");

        // Pending: status and a short wait both exit 2.
        let mut a = conn("status");
        a.push(id.to_string());
        let o = cli(a).await;
        assert_eq!(
            (code(&o), out(&o).trim()),
            (2, format!("change {id} is pending").as_str())
        );
        let mut a = conn("wait");
        a.extend([id.to_string(), "--timeout".into(), "1".into()]);
        let started = std::time::Instant::now();
        assert_eq!(code(&cli(a).await), 2);
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(900),
            "it waited for its timeout"
        );

        // submit --wait returns when a reviewer approves: exit 0, with who and why.
        let waiting = tokio::spawn(cli({
            let mut a = submit("wait for me", &fixture("diffs/03-mode-change.diff"));
            a.extend(["--wait".into(), "30".into()]);
            a
        }));
        let pending = loop {
            let q = app.services.store.queue(&Default::default()).await.unwrap();
            if let Some(c) = q.iter().find(|c| c.title == "wait for me") {
                break c.id.0;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert_eq!(
            decide(&app, &rita, "rita", pending, "approve", "fine")
                .await
                .status,
            axum::http::StatusCode::OK
        );
        let o = waiting.await.unwrap();
        assert_eq!(code(&o), 0, "{o:?}");
        assert!(
            out(&o).contains(&format!(
                "change {pending} is approved (approve by rita: fine)"
            )),
            "{}",
            out(&o)
        );

        // Rejected: exit 1. Withdrawn: exit 3.
        let rejected = common::submit(&app, &As::Agent(token.clone()), "reject me").await;
        decide(&app, &rita, "rita", rejected, "reject", "no").await;
        let mut a = conn("wait");
        a.push(rejected.to_string());
        assert_eq!(code(&cli(a).await), 1);
        let withdrawn = common::submit(&app, &As::Agent(token.clone()), "withdraw me").await;
        let r = app
            .post_json(
                &format!("/api/v1/changes/{withdrawn}/withdraw"),
                &As::Agent(token.clone()),
                &json!({}),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::OK);
        let mut a = conn("status");
        a.push(withdrawn.to_string());
        assert_eq!(code(&cli(a).await), 3);

        // Usage and input errors: exit 4, saying what is wrong.
        let o = cli(submit("merge", &fixture("diffs/10a-combined-diff-cc.diff"))).await;
        assert_eq!(code(&o), 4);
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("combined diffs"),
            "{o:?}"
        );
        let mut a = submit("no token", &fixture("diffs/01-rename-similarity.diff"));
        a[4] = dir.path().join("missing").display().to_string();
        assert_eq!(code(&cli(a).await), 4);
        assert_eq!(code(&cli(vec!["submit".into(), "--bogus".into()]).await), 4);

        // The server cannot be reached: exit 5.
        let mut a = submit("nowhere", &fixture("diffs/01-rename-similarity.diff"));
        a[2] = "http://127.0.0.1:9".into();
        assert_eq!(code(&cli(a).await), 5);
    })
    .await;
}
