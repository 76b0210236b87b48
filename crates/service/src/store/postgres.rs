//! The PostgreSQL backend, for deployments with several app instances.

use std::{str::FromStr, time::Duration};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::{StoreResult, sql::impl_sql_store};

/// A pooled connection idle for longer than this is pinged before it is handed out.
const CHECK_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// Options for every PostgreSQL pool of the server (the store's and the sessions').
///
/// sqlx pings each connection before handing it out, by default: a round trip before every
/// query, on top of the one it makes as the connection returns to the pool. Under load a
/// connection is never idle for long and the release ping has just shown it alive, so only
/// one idle for over 30 s (a database restart, a dropped link) is checked now; sqlx
/// replaces a connection that fails the check, as before.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > CHECK_IF_IDLE_FOR {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

pub struct PostgresStore {
    pub(crate) pool: sqlx::PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)?;
        // A request cancelled mid-transaction (the client hung up) drops its transaction;
        // sqlx queues the ROLLBACK in the connection's write buffer, and the ping sqlx sends
        // as every connection returns to the pool flushes it (see the SQLite store, where
        // that is not enough).
        //
        // Eight connections (and four for sessions): a backend per connection competes for
        // the same cores, and with 16 + 10 the queue bench on two cores served 1,372–1,381
        // pages/s at p99 56–57 ms against 1,709–1,740 at p99 41–44 ms with 8 + 4
        // (docs/benchmarks.md). Fewer per instance also leaves room for more instances
        // within PostgreSQL's default 100 connections.
        let pool = pool_options()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(PostgresStore { pool })
    }

    /// The pool, for the session store that shares the database.
    pub fn pool(&self) -> &sqlx::PgPool {
        &self.pool
    }

    async fn write_tx(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Postgres>> {
        Ok(self.pool.begin().await?)
    }

    /// Serializes admin-guarded writes across connections and instances for the rest of
    /// the transaction, so the last-admin check cannot race.
    async fn lock_admin_changes(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    ) -> StoreResult<()> {
        sqlx::query("SELECT pg_advisory_xact_lock(727100001)")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Serializes log appends across connections and instances until commit, so indexes
    /// are sequential and gap-free however many app instances write.
    const LOG_LOCK: Option<&'static str> = Some("SELECT pg_advisory_xact_lock(727100002)");

    /// This build's migrations for the backend, embedded at compile time.
    fn migrator() -> sqlx::migrate::Migrator {
        sqlx::migrate!("../../migrations/postgres")
    }

    async fn run_migrations(&self) -> StoreResult<()> {
        Self::migrator().run(&self.pool).await?;
        Ok(())
    }
}

impl_sql_store!(
    PostgresStore,
    sqlx::Postgres,
    sqlx::postgres::PgRow,
    "postgres"
);
