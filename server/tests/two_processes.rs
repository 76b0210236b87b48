//! Two `countersign serve` processes on one database, taking submissions at once: the log
//! stays strictly sequential and gap-free (SQLite's write lock; PostgreSQL's advisory
//! lock), and `countersign verify` accepts the result.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use countersign_service::testing::on_each_backend;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(db: &str) -> Server {
    let port = free_port();
    let child = bin()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("COUNTERSIGN_DATABASE_URL", db)
        .env("COUNTERSIGN_ADMIN_PASSWORD", "admin-plum-orbit-cellar-42")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while ureq::get(format!("{base}/healthz")).call().is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server(child, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_append_to_one_log_without_a_gap() {
    on_each_backend(|_, url| async move {
        tokio::task::spawn_blocking(move || {
            let migrate = bin().arg("migrate").env("COUNTERSIGN_DATABASE_URL", &url).output().unwrap();
            assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
            let out = bin().args(["agent", "add", "bot"]).env("COUNTERSIGN_DATABASE_URL", &url).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
            let (a, b) = (serve(&url), serve(&url));
            let submit_many = |base: String, tag: &'static str, token: String| {
                std::thread::spawn(move || {
                    for i in 0..12 {
                        let body = serde_json::json!({
                            "title": format!("{tag}{i}"), "repository": "acme/app", "stakes": "medium",
                            "diff": format!("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+{tag}{i}\n"),
                        });
                        let r = ureq::post(format!("{base}/api/v1/changes"))
                            .header("authorization", format!("Bearer {token}"))
                            .send_json(&body)
                            .unwrap();
                        assert_eq!(r.status().as_u16(), 201);
                    }
                })
            };
            let ta = submit_many(a.1.clone(), "a", token.clone());
            let tb = submit_many(b.1.clone(), "b", token.clone());
            ta.join().unwrap();
            tb.join().unwrap();
            let verify = bin().args(["verify", "--server", &b.1]).output().unwrap();
            let said = String::from_utf8_lossy(&verify.stdout).into_owned() + &String::from_utf8_lossy(&verify.stderr);
            assert_eq!(verify.status.code(), Some(0), "{said}");
            let size: u64 = said.split("verified: ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).unwrap();
            assert!(size >= 24, "24 submissions, each an entry: {said}");
            let entries: serde_json::Value = ureq::get(format!("{}/api/v1/log/entries?start=0&end={size}", a.1))
                .call()
                .unwrap()
                .body_mut()
                .read_json()
                .unwrap();
            let idx: Vec<u64> = entries["entries"].as_array().unwrap().iter().map(|e| e["index"].as_u64().unwrap()).collect();
            assert_eq!(idx, (0..size).collect::<Vec<_>>(), "sequential, no gap");
        })
        .await
        .unwrap();
    })
    .await;
}
