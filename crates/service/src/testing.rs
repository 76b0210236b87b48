//! Test support: run one test body against a fresh database on each backend.
//!
//! SQLite gets a file in a temporary directory; PostgreSQL gets its own database on the
//! server named by `COUNTERSIGN_TEST_PG_URL` (default: the local `postgres` superuser),
//! dropped afterwards even when the test body panics.

use std::{future::Future, panic::AssertUnwindSafe};

use futures_util::FutureExt;
use sqlx::{Connection, PgConnection};

use crate::{Services, store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

fn pg_admin_url() -> String {
    std::env::var("COUNTERSIGN_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn unique_name() -> String {
    use rand::Rng;
    format!(
        "cs_test_{}_{:08x}",
        std::process::id(),
        rand::thread_rng().r#gen::<u32>()
    )
}

/// A fresh, empty database; call `drop_now` when done.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb {
                    backend,
                    url,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let name = unique_name();
                let admin = pg_admin_url();
                let mut conn = PgConnection::connect(&admin).await.expect(
                    "PostgreSQL at COUNTERSIGN_TEST_PG_URL (default 127.0.0.1:5432, user postgres)",
                );
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create db");
                let mut url = url::Url::parse(&admin).expect("valid admin url");
                url.set_path(&name);
                TestDb {
                    backend,
                    url: url.to_string(),
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    pub async fn drop_now(self) {
        if let Some(name) = &self.pg_name
            && let Ok(mut conn) = PgConnection::connect(&pg_admin_url()).await
        {
            let q = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            let _ = sqlx::query(&q).execute(&mut conn).await;
        }
    }
}

/// Migrated services on `url`.
pub async fn services(url: &str) -> Services {
    let store = store::connect(url).await.expect("connect");
    store.migrate().await.expect("migrate");
    Services::new(store, "http://127.0.0.1:3000".into())
}

/// Not a time limit on how fast anything is (every test body finishes in seconds), but a
/// hang detector: a test waiting forever is stopped with its backend named, rather than
/// holding up the whole run (scripts/watchdog.sh catches a thread blocked outright).
const HANG: std::time::Duration = std::time::Duration::from_secs(240);

/// Runs `body` once per backend, each time on a fresh database that is dropped after.
pub async fn on_each_backend<F, Fut>(body: F)
where
    F: Fn(Backend, String) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in BACKENDS {
        let db = TestDb::new(backend).await;
        let run = AssertUnwindSafe(body(backend, db.url.clone())).catch_unwind();
        let result = tokio::time::timeout(HANG, run).await;
        db.drop_now().await;
        match result {
            Ok(Ok(())) => {}
            Ok(Err(panic)) => {
                eprintln!("test failed on backend {backend:?}");
                std::panic::resume_unwind(panic);
            }
            Err(_) => panic!("the test hung on backend {backend:?}: not done after {HANG:?}"),
        }
    }
}

/// `../shared/fixtures`: the folder of real-world inputs beside the clone (on CI too).
pub fn fixtures_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

/// A file of [`fixtures_dir`], e.g. `diffs/13-generated-10k-lines.diff`.
pub fn fixture(path: &str) -> Vec<u8> {
    let full = fixtures_dir().join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}
