//! The SQLite backend: the embedded default, one file and zero setup.
//!
//! WAL mode so readers never block the writer; `synchronous = FULL` so an acknowledged
//! decision survives a power cut; write transactions begin with `BEGIN IMMEDIATE` so two
//! writers queue on the lock instead of failing mid-transaction with `SQLITE_BUSY`.

use std::{str::FromStr, time::Duration};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{StoreResult, sql::impl_sql_store};

/// Options for every SQLite pool of the server (the store's and the sessions'). An
/// embedded database's connection cannot be lost the way a network one can, so sqlx's
/// default ping before handing out each connection (a round trip to the connection's
/// worker thread before every query) buys nothing here.
pub fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new().test_before_acquire(false)
}

pub struct SqliteStore {
    pub(crate) pool: sqlx::SqlitePool,
}

impl SqliteStore {
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // A request cancelled mid-transaction (the client hung up) drops its transaction;
        // sqlx only *queues* the ROLLBACK, to be sent with the connection's next command.
        // Sending one now, as the connection returns to the pool, releases the write lock
        // at once — without it, the next writer waited out the busy timeout and failed
        // ("database is locked" after a load run was cut off). Only a connection still in a
        // transaction needs it: flushing every release cost a round trip to the connection's
        // worker thread per query, and halved the queue page's throughput.
        let pool = pool_options()
            .after_release(|conn, _| {
                Box::pin(async move {
                    if sqlx::Connection::is_in_transaction(&*conn) {
                        sqlx::query("SELECT 1").execute(&mut *conn).await?;
                    }
                    Ok(true)
                })
            })
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(SqliteStore { pool })
    }

    /// The pool, for the session store that shares the database.
    pub fn pool(&self) -> &sqlx::SqlitePool {
        &self.pool
    }

    async fn write_tx(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Serializes admin-guarded writes: `BEGIN IMMEDIATE` already holds the write lock.
    async fn lock_admin_changes(
        &self,
        _tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    ) -> StoreResult<()> {
        Ok(())
    }

    /// Log appends need no extra lock: `BEGIN IMMEDIATE` already serializes writers.
    const LOG_LOCK: Option<&'static str> = None;

    /// This build's migrations for the backend, embedded at compile time.
    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("../../migrations/sqlite")
    }

    async fn run_migrations(&self) -> StoreResult<()> {
        Self::migrator().run(&self.pool).await?;
        Ok(())
    }
}

impl_sql_store!(SqliteStore, sqlx::Sqlite, sqlx::sqlite::SqliteRow, "sqlite");
