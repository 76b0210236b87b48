//! Console sessions in the active backend's database (tower-sessions' sqlx stores), so
//! sessions survive restarts and are shared by every app instance on PostgreSQL.

use async_trait::async_trait;
use time::Duration;
use tower_sessions::{
    Expiry, SessionManagerLayer, SessionStore,
    cookie::SameSite,
    session::{Id, Record},
    session_store::{ExpiredDeletion, Result},
};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session store of whichever backend is active.
#[derive(Clone, Debug)]
pub enum AnySessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl AnySessionStore {
    /// Opens its own pool (with the store's pool options) on the store's database.
    pub async fn open(database_url: &str) -> anyhow::Result<Self> {
        use countersign_service::store::{postgres_pool_options, sqlite_pool_options};
        Ok(if database_url.starts_with("sqlite:") {
            let pool = sqlite_pool_options().connect(database_url).await?;
            let store = SqliteStore::new(pool);
            store.migrate().await?;
            AnySessionStore::Sqlite(store)
        } else {
            // Four: see the store's pool size in countersign-service's store/postgres.rs.
            let pool = postgres_pool_options()
                .max_connections(4)
                .connect(database_url)
                .await?;
            let store = PostgresStore::new(pool);
            store.migrate().await?;
            AnySessionStore::Postgres(store)
        })
    }

    /// Deletes expired sessions every few minutes, in the background.
    pub fn purge_in_background(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            let every = tokio::time::Duration::from_secs(300);
            let result = match store {
                AnySessionStore::Sqlite(s) => s.continuously_delete_expired(every).await,
                AnySessionStore::Postgres(s) => s.continuously_delete_expired(every).await,
            };
            if let Err(e) = result {
                tracing::error!(error = %e, "expired session purge stopped");
            }
        });
    }

    /// The layer: HttpOnly, SameSite=Strict, expiring after `idle` without a refresh (see
    /// `app::ssr::current_user`); `Secure` and the `__Host-` prefix when secure cookies are on.
    pub fn layer(
        self,
        secure: bool,
        idle: std::time::Duration,
    ) -> SessionManagerLayer<AnySessionStore> {
        let name = if secure {
            "__Host-countersign"
        } else {
            "countersign"
        };
        SessionManagerLayer::new(self)
            .with_name(name)
            .with_http_only(true)
            .with_same_site(SameSite::Strict)
            .with_secure(secure)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(Duration::seconds(
                idle.as_secs() as i64
            )))
    }
}

#[async_trait]
impl SessionStore for AnySessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        match self {
            AnySessionStore::Sqlite(s) => s.create(record).await,
            AnySessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        match self {
            AnySessionStore::Sqlite(s) => s.save(record).await,
            AnySessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        match self {
            AnySessionStore::Sqlite(s) => s.load(id).await,
            AnySessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        match self {
            AnySessionStore::Sqlite(s) => s.delete(id).await,
            AnySessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}
